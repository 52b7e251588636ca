// The Redis stores' Lua scripts live one per file in src/adapters/redis/scripts/, each opening
// with a header that says what its KEYS and ARGV are and what it returns; none is left in a
// string inside the TypeScript of src/ or jobs/.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
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
  it('no Lua in a string of a .ts file (src/, jobs/)', () => {
    const root = fileURLToPath(new URL('../../../', import.meta.url));
    const ts = (dir: string): string[] =>
      readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? ts(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
    // a string or template literal that calls redis.call / redis.pcall: Lua source
    const lua = /[`'"][^`'"]*\bredis\.p?call\(\s*['"][A-Z]+['"]/;
    const inCode = ['src', 'jobs'].flatMap(ts).filter((f) => lua.test(readFileSync(join(root, f), 'utf8')));
    expect(inCode).toEqual([]);
  });
  it('a missing script is a clear error', () => {
    expect(() => luaScript('no-such-script')).toThrow(/cannot read the Redis script .*no-such-script\.lua .*npm run build/);
  });
});
