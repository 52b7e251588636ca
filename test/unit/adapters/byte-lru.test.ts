import { describe, expect, it } from 'vitest';
import { ByteLru } from '../../../src/adapters/byte-lru.js';

describe('ByteLru', () => {
  it('drops the least recently used entries once over its bytes, a hit counting as a use', () => {
    const c = new ByteLru<string>({ maxBytes: 100, maxEntries: 1_000 });
    c.set('a', 'A', 40);
    c.set('b', 'B', 40);
    expect(c.get('a')).toBe('A'); // a is now the most recently used
    c.set('c', 'C', 40); // 120 > 100: b goes, not a
    expect(c.get('b')).toBeUndefined();
    expect(c.get('a')).toBe('A');
    expect(c.get('c')).toBe('C');
    expect(c.size()).toEqual({ entries: 2, bytes: 80 });
  });

  it('keeps at most maxEntries whatever their bytes', () => {
    const c = new ByteLru<number>({ maxBytes: 1e9, maxEntries: 3 });
    for (let i = 0; i < 10; i++) c.set(`k${i}`, i, 1);
    expect(c.size()).toEqual({ entries: 3, bytes: 3 });
    expect(c.get('k6')).toBeUndefined();
    expect(c.get('k9')).toBe(9);
  });

  it('replaces an entry and its bytes; does not keep one larger than the whole budget', () => {
    const c = new ByteLru<string>({ maxBytes: 100, maxEntries: 10 });
    c.set('a', 'A', 30);
    c.set('a', 'A2', 50);
    expect(c.size()).toEqual({ entries: 1, bytes: 50 });
    c.set('big', 'X', 101);
    expect(c.get('big')).toBeUndefined();
    expect(c.get('a')).toBe('A2');
    c.delete('a');
    expect(c.size()).toEqual({ entries: 0, bytes: 0 });
  });

  it('counts the new bytes of an entry set again to the same value; rounds a fraction of a byte up', () => {
    const c = new ByteLru<{ n: number }>({ maxBytes: 100, maxEntries: 10 });
    const v = { n: 1 };
    c.set('a', v, 10);
    c.set('a', v, 60);
    expect(c.size()).toEqual({ entries: 1, bytes: 60 });
    c.set('b', { n: 2 }, 0.5);
    expect(c.size()).toEqual({ entries: 2, bytes: 61 });
  });

  it('refuses bounds that would keep nothing', () => {
    expect(() => new ByteLru({ maxBytes: 0, maxEntries: 1 })).toThrow(RangeError);
    expect(() => new ByteLru({ maxBytes: 1, maxEntries: 0 })).toThrow(RangeError);
  });
});
