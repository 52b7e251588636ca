// `analyze --out FILE` on a large input with worker threads: it must finish, every line written
// once and in order. It used to hang for good after a few thousand lines (issue 13, item 1): a
// worker's reply woke the reader before the write chain had advanced `nextWrite`, so the reader
// went back to sleep with nobody left to wake it.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { runAnalyze } from '../../../src/cli/analyze-cli.js';

const NOW = new Date('2024-05-01T00:00:00Z');

/** One-line articles, like the EUvsDisinfo case titles that found the hang. */
function titles(n: number): string {
  const subjects = ['Kazakhstan', 'Kyrgyzstan', 'Tajikistan', 'Uzbekistan', 'Turkmenistan', 'Ukraine', 'NATO', 'the EU'];
  const claims = [
    'is preparing a colour revolution',
    'explosions were organised by its own soldiers',
    'is governed from Washington',
    'hosts secret biological laboratories',
    'sanctions hurt only Europeans',
  ];
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    out.push(JSON.stringify({ id: `t${i}`, text: `${subjects[i % subjects.length]} ${claims[(i * 7) % claims.length]} (${i})` }));
  }
  return `${out.join('\n')}\n`;
}

async function withDeadline<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms / 1000} s (hung)`)), ms);
  });
  try {
    return await Promise.race([p, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

describe('analyze on a large input', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sw-analyze-large-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('--out FILE with a worker thread finishes and writes 13,600 lines in order', async () => {
    const n = 13_600;
    const inFile = join(dir, 'in.jsonl');
    const outFile = join(dir, 'out.jsonl');
    writeFileSync(inFile, titles(n));
    const stderr = new PassThrough();
    const io = { stdin: Readable.from([]), stdout: new PassThrough(), stderr };
    const code = await withDeadline(runAnalyze({ in: inFile, out: outFile, cluster: false, now: NOW, workers: 1 }, io), 60_000, 'analyze --out');
    expect(code).toBe(0);
    const ids = readFileSync(outFile, 'utf8').trimEnd().split('\n').map((l) => (JSON.parse(l) as { id: string }).id);
    expect(ids).toHaveLength(n);
    expect(ids[0]).toBe('t0');
    expect(ids[n - 1]).toBe(`t${n - 1}`);
    expect(ids.every((id, i) => id === `t${i}`)).toBe(true);
  }, 90_000);
});
