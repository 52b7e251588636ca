// `steppewatch export` (issue #17): 40,000 stored articles streamed in bounded memory, in time
// order; their story ids and outlets agree with `story --json`; CSV through csv-stringify; bad
// usage is one line and exit 64. Real Redis, the CLI spawned as test/helpers/cli.ts says.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseCsv } from 'csv-parse/sync';
import type { StoryCard } from '../../../src/core/alert/values.js';
import type { ExportRow } from '../../../src/core/export/rows.js';
import type { AnalysedArticle, AnalysisResult, Article, TagId } from '../../../src/core/types.js';
import type { Container } from '../../../src/main/container.js';
import { cleanEnv, runCli, spawnCli } from '../../helpers/cli.js';
import { testContainer } from '../../helpers/pipeline.js';
import { testRedisUrl, uniquePrefix } from '../../helpers/redis.js';

const TOTAL = 40_000;
const STORIES = 200;
const OUTLETS = [
  { outletId: 'rt', outlet: 'RT', affiliation: 'state:RU' as const },
  { outletId: 'global-times', outlet: 'Global Times', affiliation: 'state:CN' as const },
  { outletId: 'azattyq', outlet: 'Azattyq', affiliation: 'public:US' as const },
];
const TAGS: TagId[] = ['color-revolution', 'external-interference', 'benevolent-partner'];
const SYLL = ['ka', 'zo', 'mir', 'tel', 'vor', 'sun', 'bek', 'rad', 'lin', 'gor', 'pes', 'tum'];

/** A made-up word per story number (so each story's articles share rare words). */
function word(n: number, salt: number): string {
  let s = '';
  let x = n * 7919 + salt * 104729 + 17;
  for (let i = 0; i < 4; i++) {
    s += SYLL[x % SYLL.length];
    x = Math.floor(x / SYLL.length) + i * 31;
  }
  return s;
}

/** ~1.2 kB of text: rows are big enough that holding them all would show in the memory. */
const FILLER = 'The ministry said the talks in Astana would continue next month, according to officials. '.repeat(14);

function analysis(id: string, story: number, title: string): AnalysisResult {
  const tag = TAGS[story % TAGS.length]!;
  return {
    id,
    language: 'en',
    countries: story % 2 ? ['KZ'] : ['KZ', 'UZ'],
    relevance: 0.9,
    // Quotes as long as the analysis keeps them (300 characters): rows of ~1.2 kB.
    framings: [
      { tag, confidence: 0.8, evidence: [{ quote: `A ${tag} was said to loom over ${word(story, 1)}. ${FILLER}`.slice(0, 300), attributedTo: story % 2 ? 'Wei Fenghe' : null }] },
      { tag: 'three-evil-forces', confidence: 0.5, evidence: [{ quote: `Three evil forces ${word(story, 5)} ${FILLER}`.slice(0, 300), attributedTo: 'the Defense Ministry' }, { quote: FILLER.slice(0, 300), attributedTo: null }] },
    ],
    summary: title,
    title,
    entities: [],
    regional: false,
  };
}

// Concurrent: the three cases only read what beforeAll stored, each through its own CLI processes.
describe.concurrent('steppewatch export (40,000 articles)', () => {
  let c: Container;
  let env: Record<string, string>;
  let storyIds: string[] = [];
  const base = Date.now() - 20 * 86_400_000;

  beforeAll(async () => {
    const prefix = uniquePrefix('exp');
    c = await testContainer({ STEPPEWATCH_REDIS_PREFIX: prefix });
    env = cleanEnv({ REDIS_URL: testRedisUrl(), STEPPEWATCH_REDIS_PREFIX: prefix, LOG_LEVEL: 'warn' });
    const firsts: AnalysedArticle[] = new Array(STORIES * OUTLETS.length);
    // The story engine files the first article of each outlet of each story (the real assign):
    // a story's articles in order, four stories at a time (their words are disjoint, so the
    // order across stories decides nothing; this halves the wait on Redis round trips).
    let nextStory = 0;
    const lane = async () => {
      for (let s = nextStory++; s < STORIES; s = nextStory++) await fileStory(s);
    };
    const fileStory = async (s: number) => {
      for (let o = 0; o < OUTLETS.length; o++) {
        const id = `a-${s}-${o}`;
        const published = new Date(base + s * 3_600_000 + o * 600_000).toISOString();
        const title = `Kazakhstan ${word(s, 2)} ${word(s, 3)} talks ${word(s, 4)}`;
        const art: Article = { id, feedId: `${OUTLETS[o]!.outletId}-en`, ...OUTLETS[o]!, url: `https://example.org/${id}`, title, text: `${title}. ${FILLER}`, published, publishedEstimated: false, firstSeen: published };
        const an = analysis(id, s, title);
        const r = await c.stores.stories.assign(art, an, new Date(published));
        const full: AnalysedArticle = { ...art, analysis: an, storyId: r.storyId, cites: [] };
        await c.stores.articles.put(full, 90 * 86_400);
        firsts[s * OUTLETS.length + o] = full;
      }
    };
    await Promise.all([lane(), lane(), lane(), lane()]);
    storyIds = [...new Set(firsts.map((a) => a.storyId!))];
    // Later articles of the same outlets in the same stories ("stored, not posted"), written in bulk.
    let p = c.redis.pipeline();
    for (let i = firsts.length; i < TOTAL; i++) {
      const f = firsts[i % firsts.length]!;
      const published = new Date(Date.parse(f.published) + 60_000 + (i % 997) * 1000).toISOString();
      const a: AnalysedArticle = { ...f, id: `b-${i}`, url: `https://example.org/b-${i}`, published, firstSeen: published, analysis: { ...f.analysis, id: `b-${i}` } };
      p.set(c.keys.article(a.id), JSON.stringify(a), 'EX', 86_400).zadd(c.keys.articlesByTime, Date.parse(published), a.id);
      if (p.length >= 2000) {
        await p.exec();
        p = c.redis.pipeline();
      }
    }
    await p.exec();
  }, 300_000);

  afterAll(async () => {
    await c?.close();
  });

  /** Runs export, reading the child's peak resident memory (VmHWM) while it runs. */
  async function exportWithPeak(args: string[], heapMb?: number): Promise<{ code: number | null; stdout: string; stderr: string; peakKb: number }> {
    const child = spawnCli(['export', ...args], { env: heapMb ? { ...env, NODE_OPTIONS: `--max-old-space-size=${heapMb}` } : env });
    let stdout = '';
    let stderr = '';
    let peakKb = 0;
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr!.on('data', (d) => (stderr += d));
    const poll = setInterval(() => {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) peakKb = Math.max(peakKb, Number(m[1]));
      } catch {
        // gone
      }
    }, 20);
    child.stdin!.end();
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    clearInterval(poll);
    return { code, stdout, stderr, peakKb };
  }

  it('streams every article, oldest first, in bounded memory; story ids and outlets agree with story --json', async () => {
    // A small export (the newest ~5%) against the whole: what grows with the rows is held memory.
    // A JS heap of 192 MB for the whole: enough for the process (a small export peaks near 200 MB
    // of RSS, code and native memory included), far too little to hold the ~100 MB of stored
    // articles read and the ~57 MB of rows written (parsed objects take several times their JSON).
    // The two run at once (each child's own peak is read; neither shares the other's memory).
    const [small, all] = await Promise.all([exportWithPeak(['--since', new Date(base + (STORIES - 10) * 3_600_000).toISOString()]), exportWithPeak([], 192)]);
    expect(small.code, small.stderr).toBe(0);
    expect(all.code, all.stderr).toBe(0);
    const rows = all.stdout.trim().split('\n').map((l) => JSON.parse(l) as ExportRow);
    expect(rows).toHaveLength(TOTAL);
    const smallRows = small.stdout.trim().split('\n').length;
    expect(smallRows).toBeLessThan(TOTAL / 10);
    // V8 collects lazily, so the peak grows somewhat with the run (measured +59 MB over a 2,000-row
    // export, 57 MB of rows); bounded means it stays under the heap cap above (exit 0, no OOM).
    const bytes = Buffer.byteLength(all.stdout);
    console.log(`export: ${rows.length} rows, ${(bytes / 1e6).toFixed(1)} MB; peak RSS ${Math.round(all.peakKb / 1024)} MB (small export of ${smallRows} rows: ${Math.round(small.peakKb / 1024)} MB)`);
    expect(bytes).toBeGreaterThan(40e6);
    expect(all.peakKb - small.peakKb).toBeLessThan(128 * 1024);
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.published >= rows[i - 1]!.published).toBe(true);
    expect(new Set(rows.map((r) => r.articleId)).size).toBe(TOTAL);
    expect(rows[0]).toMatchObject({ articleId: 'a-0-0', outletId: 'rt', outlet: 'RT', affiliation: 'state:RU', countries: ['KZ', 'UZ'] });
    expect(rows[0]!.framings[0]).toMatchObject({ tag: 'color-revolution', evidence: [{ attributedTo: null }] });
    expect(rows[0]!.framings).toHaveLength(2);

    // Agreement with story --json: each story's outlets are the outlets of its exported rows.
    const byStory = new Map<string, Set<string>>();
    for (const r of rows) byStory.set(r.storyId, (byStory.get(r.storyId) ?? new Set()).add(r.outletId));
    expect([...byStory.keys()].sort()).toEqual([...storyIds].sort());
    const one = storyIds[7]!;
    const [answer, singleRun] = await Promise.all([
      runCli(['story', '--json', 'kazakhstan', '30d'], { env, timeoutMs: 120_000 }),
      runCli(['story', '--json', `story:${one}`], { env, timeoutMs: 120_000 }),
    ]);
    expect(answer.code, answer.stderr).toBe(0);
    const cards = JSON.parse(answer.stdout) as StoryCard[];
    expect(cards.length).toBeGreaterThan(0);
    for (const card of cards) expect(new Set(card.outlets.map((o) => o.outletId)), card.id).toEqual(byStory.get(card.id));
    expect(singleRun.code, singleRun.stderr).toBe(0);
    const single = JSON.parse(singleRun.stdout) as StoryCard[];
    expect(single.map((s) => s.id)).toEqual([one]);
    expect(new Set(single[0]!.outlets.map((o) => o.outletId))).toEqual(byStory.get(one));
  }, 300_000);

  it('writes CSV with the same columns (csv-stringify), lists joined by ";", framings as tag: quote — speaker; a query narrows it', async () => {
    const r = await exportWithPeak(['outlet:azattyq', 'AND', 'tag:color-revolution', '--format', 'csv', '--since', new Date(base).toISOString().slice(0, 10)]);
    expect(r.code, r.stderr).toBe(0);
    const recs = parseCsv(r.stdout, { columns: true }) as Record<string, string>[];
    expect(Object.keys(recs[0]!)).toEqual(['articleId', 'storyId', 'headline', 'url', 'published', 'outletId', 'outlet', 'affiliation', 'countries', 'framings']);
    expect(recs.length).toBeGreaterThan(1000);
    for (const x of recs) {
      expect(x.outletId).toBe('azattyq');
      expect(x.framings!.startsWith('color-revolution: ')).toBe(true);
      expect(x.framings).toContain(';three-evil-forces: Three evil forces');
    }
    expect(recs[0]!.countries).toBe('KZ;UZ');
    expect(recs.some((x) => x.framings!.includes(' — Wei Fenghe;three-evil-forces: '))).toBe(true);
    expect(recs.every((x) => x.framings!.endsWith(' — the Defense Ministry'))).toBe(true);
  }, 120_000);

  it('a bad query, --since or --format is one line and exit 64; --help exits 0', async () => {
    // Independent runs, at once.
    const [bad, since, fmt, help] = await Promise.all([['export', 'tag:(x'], ['export', '--since', 'yesterday'], ['export', '--format', 'xml'], ['export', '--help']].map((a) => runCli(a, { env, timeoutMs: 120_000 })));
    expect(bad!.code).toBe(64);
    expect(bad!.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad!.stderr).toMatch(/query:.*at \d+/);
    expect(since!.code).toBe(64);
    expect(since!.stderr).toMatch(/--since takes a date/);
    expect(fmt!.code).toBe(64);
    expect(help!.code).toBe(0);
    expect(help!.stdout).toMatch(/^Usage: steppewatch export/);
  }, 120_000);
});
