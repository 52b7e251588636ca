import { describe, expect, it } from 'vitest';
import { parseFailpoints } from '../../../src/ports/failpoints.js';

describe('failpoints', () => {
  it('parses kill, kill with a probability and sleep', () => {
    const f = parseFailpoints('deliver.after-post=kill, poll.after-claim=kill%0.25,x=sleep:150');
    expect(f.get('deliver.after-post')).toEqual({ kind: 'kill', probability: 1 });
    expect(f.get('poll.after-claim')).toEqual({ kind: 'kill', probability: 0.25 });
    expect(f.get('x')).toEqual({ kind: 'sleep', ms: 150 });
  });
  it('parses a point for one subject (a poison feed: poll.fetch@f3)', () => {
    expect(parseFailpoints('poll.fetch@f3=kill').get('poll.fetch@f3')).toEqual({ kind: 'kill', probability: 1 });
  });
  it('is empty when unset and refuses an unknown action', () => {
    expect(parseFailpoints(undefined).size).toBe(0);
    expect(() => parseFailpoints('a=explode')).toThrow(/bad action/);
  });
});
