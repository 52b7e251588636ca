// The Redis stores' Lua scripts live one per file in src/adapters/redis/scripts/, each opening
// with a header that says what its KEYS and ARGV are and what it returns.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { luaScript } from '../../../src/adapters/redis/scripts.js';

const DIR = fileURLToPath(new URL('../../../src/adapters/redis/scripts/', import.meta.url));
const files = readdirSync(DIR).filter((f) => f.endsWith('.lua'));

describe('Lua scripts (src/adapters/redis/scripts)', () => {
  it('are there', () => expect(files.length).toBeGreaterThanOrEqual(6));
  for (const f of files)
    it(`${f} opens with a KEYS/ARGV header`, () => {
      const text = readFileSync(DIR + f, 'utf8');
      const header = /^--\[\[\n([\s\S]*?)\n\]\]\n/.exec(text);
      expect(header, 'a --[[ … ]] block first').not.toBeNull();
      expect(header![1]).toMatch(/Input:[\s\S]*KEYS[\s\S]*ARGV/);
      expect(header![1]).toMatch(/Output:/);
    });
  it('a missing script is a clear error', () => {
    expect(() => luaScript('no-such-script')).toThrow(/cannot read the Redis script .*no-such-script\.lua .*npm run build/);
  });
});
