import { describe, expect, it } from 'vitest';
import { BenchUsageError, parseBenchArgs } from '../../../bench/args.js';

describe('parseBenchArgs', () => {
  it('defaults to the issue’s size and settings', () => {
    const o = parseBenchArgs([]);
    expect(o).toMatchObject({ feeds: 2000, items: 20, repeats: 3, coldRepeats: 1, destinations: 200, paceMs: 1000, pacingRun: true, perHost: 64, json: false, save: false });
    expect(o.concurrency).toEqual({});
  });
  it('reads sizes, flags and a concurrency list', () => {
    const o = parseBenchArgs(['--feeds', '100', '--items', '10', '--json', '--save', '--no-pacing-run', '--concurrency', 'poll=32,analyse=2']);
    expect(o).toMatchObject({ feeds: 100, items: 10, json: true, save: true, pacingRun: false, concurrency: { poll: 32, analyse: 2 } });
  });
  it('reads a sweep of sizes', () => {
    expect(parseBenchArgs(['--sweep', '250,500']).sweep).toEqual([{ feeds: 250, items: null }, { feeds: 500, items: null }]);
    expect(parseBenchArgs(['--sweep', '500x10, 500x40']).sweep).toEqual([{ feeds: 500, items: 10 }, { feeds: 500, items: 40 }]);
    expect(() => parseBenchArgs(['--sweep', '500y10'])).toThrow(/--sweep/);
    expect(parseBenchArgs([]).sweep).toBeUndefined();
  });

  it('says which option is wrong', () => {
    expect(() => parseBenchArgs(['--feeds', 'many'])).toThrow(/--feeds/);
    expect(() => parseBenchArgs(['--destinations', '100'])).toThrow(/multiple of 8/);
    expect(() => parseBenchArgs(['--concurrency', 'poll=0'])).toThrow(BenchUsageError);
    expect(() => parseBenchArgs(['--bogus'])).toThrow(BenchUsageError);
  });
});

describe('--warm-only', () => {
  it('takes the big-installation mode and its interval; a bad interval is one line', () => {
    const o = parseBenchArgs(['--warm-only', '--feeds', '20000', '--items', '5', '--interval', '120']);
    expect(o).toMatchObject({ warmOnly: true, feeds: 20000, items: 5, interval: 120 });
    expect(parseBenchArgs([]).warmOnly).toBe(false);
    expect(() => parseBenchArgs(['--warm-only', '--interval', '1'])).toThrow(/--interval/);
    // Many small hosts: the feeds spread over host names; the farm's one host by default.
    expect(parseBenchArgs(['--warm-only', '--hosts', '5000'])).toMatchObject({ hosts: 5000 });
    expect(parseBenchArgs(['--warm-only']).hosts).toBe(0);
    expect(() => parseBenchArgs(['--warm-only', '--hosts', '-1'])).toThrow(/--hosts/);
  });
});
