import { describe, expect, it } from 'vitest';
import { central, median, percentile, reportSpread, round, spread } from '../../../bench/stats.js';

describe('percentile (nearest rank)', () => {
  const oneToTen = [10, 9, 8, 7, 6, 5, 4, 3, 2, 1];
  it('returns a sample, never a value between two', () => {
    expect(percentile(oneToTen, 50)).toBe(5);
    expect(percentile(oneToTen, 90)).toBe(9);
    expect(percentile(oneToTen, 91)).toBe(10);
    expect(percentile(oneToTen, 100)).toBe(10);
    expect(percentile(oneToTen, 0)).toBe(1);
  });
  it('p99 of fewer than 100 samples is the largest one', () => {
    const xs = Array.from({ length: 40 }, (_, i) => i * 3);
    expect(percentile(xs, 99)).toBe(117);
  });
  it('does not reorder its input', () => {
    const xs = [3, 1, 2];
    percentile(xs, 50);
    expect(xs).toEqual([3, 1, 2]);
  });
  it('is NaN without samples and refuses p outside 0..100', () => {
    expect(percentile([], 50)).toBeNaN();
    expect(() => percentile([1], 101)).toThrow(RangeError);
    expect(() => percentile([1], Number.NaN)).toThrow(RangeError);
  });
});

describe('median and spread', () => {
  it('median of odd and even counts', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });
  it('spread keeps the runs in order with median, min and max', () => {
    expect(spread([3, 1, 2])).toEqual({ median: 2, min: 1, max: 3, runs: [3, 1, 2] });
  });
  it('one run reports as a plain number, several as {median, min, max, runs}', () => {
    expect(reportSpread(spread([1.23456]))).toBe(1.23);
    expect(reportSpread(spread([1.234, 2.345, 3.456]), 1)).toEqual({ median: 2.3, min: 1.2, max: 3.5, runs: [1.2, 2.3, 3.5] });
    expect(central(2)).toBe(2);
    expect(central({ median: 4 })).toBe(4);
  });
  it('round leaves NaN alone', () => {
    expect(round(Number.NaN)).toBeNaN();
    expect(round(2.005, 1)).toBe(2);
  });
});
