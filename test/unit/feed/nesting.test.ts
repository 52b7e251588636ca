import { describe, expect, it } from 'vitest';
import { measureNesting, nestsTooDeeply } from '../../../src/core/feed/parse/nesting.js';

describe('measureNesting', () => {
  it('follows the DOM builder: close tags pop to their match, unmatched ones are ignored', () => {
    expect(measureNesting('<a><b><c></c></b></a>', 'xml')).toMatchObject({ maxDepth: 3, cost: 6, exceeded: false });
    expect(measureNesting('<a><b><c></a><d/>', 'xml')).toMatchObject({ maxDepth: 3, exceeded: false });
    expect(measureNesting('<a></x><b></b></a>', 'xml').maxDepth).toBe(2);
  });

  it('skips CDATA, comments, declarations, self-closing and (HTML) void elements', () => {
    expect(measureNesting('<?xml version="1.0"?><!DOCTYPE x><r><![CDATA[<a><a><a>]]><!-- <b><b> --><c/><br></r>', 'xml').maxDepth).toBe(2);
    expect(measureNesting('<p>one<br>two<img src=x><hr></p>', 'html').maxDepth).toBe(1);
  });

  it('stops as soon as a limit is passed', () => {
    const r = measureNesting('<a>'.repeat(1_000_000), 'xml');
    expect(r.exceeded).toBe(true);
    expect(r.maxDepth).toBe(2_001);
  });
});

describe('nestsTooDeeply', () => {
  it('gives the nesting only when a limit is passed, measured as measureNesting does', () => {
    expect(nestsTooDeeply('<a>'.repeat(1_000_000), 'xml')).toMatchObject({ maxDepth: 2_001 });
    // 2,000 unclosed tags reach neither limit (depth 2,000 at a cost of ~2 M): no scan needed
    expect(nestsTooDeeply('<a>'.repeat(2_000), 'xml')).toBeNull();
    // many tags that close: scanned, within the limits
    expect(nestsTooDeeply('<p>x</p>'.repeat(50_000), 'html')).toBeNull();
  });

  it('scans when the cost limit could be passed below the depth limit', () => {
    const limits = { maxDepth: 2_000, cost: 1_000 };
    expect(nestsTooDeeply('<a>'.repeat(100), 'xml', limits)).toMatchObject({ maxDepth: expect.any(Number) });
    expect(nestsTooDeeply('<a>'.repeat(40), 'xml', limits)).toBeNull();
  });
});
