import { describe, expect, it } from 'vitest';
import { measureNesting } from '../../../src/core/feed/parse/nesting.js';

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
