import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { runAnalyze } from '../../../src/cli/analyze-cli.js';

const NOW = new Date('2024-05-01T00:00:00Z');

function io(input: string) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: string[] = [];
  const err: string[] = [];
  stdout.on('data', (d: Buffer) => out.push(d.toString()));
  stderr.on('data', (d: Buffer) => err.push(d.toString()));
  return { io: { stdin: Readable.from([input]), stdout, stderr }, out: () => out.join(''), err: () => err.join('') };
}

const lines = (s: string) => s.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);

const ARTICLES = [
  { id: 'a1', title: 'China warns of color revolution in Kazakhstan', text: 'Beijing opposes external forces instigating a color revolution in Kazakhstan, Wei said.' },
  { id: 'a2', html: '<p>Tokayev met <b>Mirziyoyev</b> in Tashkent &amp; Samarkand.</p><script>x()</script>' },
  { id: 'a3', text: 'Президент Киргизии Садыр Жапаров провёл встречу в Бишкеке.', published: '2022-01-05T10:00:00Z' },
];

describe('steppewatch analyze (JSON Lines)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sw-analyze-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes one line per input line, in order, with exactly the contract fields', async () => {
    const t = io(ARTICLES.map((a) => JSON.stringify(a)).join('\n') + '\n');
    expect(await runAnalyze({ cluster: false, now: NOW }, t.io)).toBe(0);
    const out = lines(t.out());
    expect(out.map((o) => o.id)).toEqual(['a1', 'a2', 'a3']);
    for (const o of out) expect(Object.keys(o)).toEqual(['id', 'language', 'countries', 'relevance', 'framings', 'summary']);
    expect(out[0]!.countries).toEqual(['KZ']);
    expect((out[0]!.framings as { tag: string }[]).map((f) => f.tag)).toContain('color-revolution');
    expect(out[1]!.countries).toEqual(['KZ', 'UZ']);
    expect(out[1]!.summary).toBe('Tokayev met Mirziyoyev in Tashkent & Samarkand.');
    expect(out[2]).toMatchObject({ language: 'ru', countries: ['KG'] });
  });

  it('a bad line yields {id?, line, error} on its line (line numbers count blank lines) and the batch goes on', async () => {
    const input = ['{not json', '', JSON.stringify({ id: 'no-text' }), JSON.stringify({ text: 'no id' }), JSON.stringify(ARTICLES[0]), ''].join('\n');
    const t = io(input);
    expect(await runAnalyze({ cluster: false, now: NOW }, t.io)).toBe(0);
    const out = lines(t.out());
    expect(out).toHaveLength(4);
    expect(out[0]).toEqual({ line: 1, error: expect.stringContaining('invalid JSON') });
    expect(out[1]).toEqual({ id: 'no-text', line: 3, error: expect.stringContaining('text or html') });
    expect(Object.keys(out[1]!)).toEqual(['id', 'line', 'error']);
    expect(Object.keys(out[2]!)).toEqual(['line', 'error']);
    expect(out[2]!.line).toBe(4);
    expect(out[3]!.id).toBe('a1');
    expect(t.err()).toContain('3 of 4 lines failed');
  });

  it('exits 1 when every line failed, each error still on its line', async () => {
    const t = io(['{bad', JSON.stringify({ id: 'x' }), 'null'].join('\n'));
    expect(await runAnalyze({ cluster: false, now: NOW }, t.io)).toBe(1);
    expect(lines(t.out()).map((o) => o.line)).toEqual([1, 2, 3]);
    expect(t.err()).toContain('every line failed');
  });

  it('empty input is not a failure', async () => {
    const t = io('\n\n');
    expect(await runAnalyze({ cluster: false, now: NOW }, t.io)).toBe(0);
    expect(t.out()).toBe('');
  });

  it('line numbers survive worker threads', async () => {
    const many = Array.from({ length: 40 }, (_, i) => (i % 5 === 3 ? '{oops' : JSON.stringify({ id: `n${i}`, text: `Article ${i} about Almaty.` })));
    const t = io(many.join('\n'));
    expect(await runAnalyze({ cluster: false, now: NOW, workers: 1, workerThreshold: 8 }, t.io)).toBe(0);
    const out = lines(t.out());
    expect(out.filter((o) => 'error' in o).map((o) => o.line)).toEqual([4, 9, 14, 19, 24, 29, 34, 39]);
  });

  it('reads --in and writes --out files', async () => {
    const inFile = join(dir, 'in.jsonl');
    const outFile = join(dir, 'out.jsonl');
    writeFileSync(inFile, ARTICLES.map((a) => JSON.stringify(a)).join('\n'));
    const t = io('');
    expect(await runAnalyze({ in: inFile, out: outFile, cluster: false, now: NOW }, t.io)).toBe(0);
    expect(lines(readFileSync(outFile, 'utf8')).map((o) => o.id)).toEqual(['a1', 'a2', 'a3']);
    expect(t.out()).toBe('');
  });

  it('a missing input file is an error with exit code 1', async () => {
    const t = io('');
    expect(await runAnalyze({ in: join(dir, 'nope.jsonl'), cluster: false }, t.io)).toBe(1);
    expect(t.err()).toContain('not found');
  });

  it('keeps input order when worker threads share the work', async () => {
    const many = Array.from({ length: 40 }, (_, i) => JSON.stringify({ id: `n${i}`, text: i % 2 ? `Article ${i} about Almaty.` : `Статья ${i} о Бишкеке.` }));
    const t = io(many.join('\n'));
    expect(await runAnalyze({ cluster: false, now: NOW, workers: 1, workerThreshold: 8 }, t.io)).toBe(0);
    const out = lines(t.out());
    expect(out.map((o) => o.id)).toEqual(many.map((_, i) => `n${i}`));
    expect(out[1]!.countries).toEqual(['KZ']);
    expect(out[0]!.countries).toEqual(['KG']);
  });

  it('--cluster adds storyId to every analysed line, or fails as a whole while clustering is missing', async () => {
    const t = io(ARTICLES.map((a) => JSON.stringify(a)).join('\n') + '\n{bad');
    const code = await runAnalyze({ cluster: true, now: NOW }, t.io);
    if (code === 0) {
      const out = lines(t.out());
      expect(out.slice(0, 3).every((o) => typeof o.storyId === 'string')).toBe(true);
      expect(out[3]).toEqual({ line: 4, error: expect.any(String) });
    } else {
      expect(t.err()).toContain('clustering failed');
      expect(t.out()).toBe('');
    }
  });
});
