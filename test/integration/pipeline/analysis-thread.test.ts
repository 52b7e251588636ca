// The worker role's analysis thread (src/adapters/analysis-thread.ts) against the analyzer on this
// thread: the same analyses, field for field, over the bench farm's items (every language, Central
// Asia items with framings and speakers) and the seed articles; batches answered in order when many
// are sent at once; a closed thread refuses work instead of hanging.
import { afterAll, describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { defaultAnalyzer } from '../../../src/adapters/analysis-data.js';
import { startAnalysisThread, type AnalysisThread } from '../../../src/adapters/analysis-thread.js';
import { sharedDir } from '../../../src/main/paths.js';
import type { AnalysisInput } from '../../../src/core/types.js';
import { farmFeed, itemPlainText, renderItem, type FarmSpec } from '../../../bench/farm/content.js';
import { sampleMetas } from '../../../bench/analysis.js';

const spec: FarmSpec = { feeds: 200, items: 20, start: Date.UTC(2026, 11, 1), seed: 7 };

function farmInputs(n: number): AnalysisInput[] {
  return sampleMetas(spec, n).map((m) => {
    const it = renderItem(spec, m, 'http://127.0.0.1');
    const { title, text } = itemPlainText(it);
    const f = farmFeed(m.feed);
    return { id: it.guid, title, text, url: it.link, outlet: f.outlet, published: new Date(m.publishedMs).toISOString(), language: m.lang, ...(f.country ? { country: f.country } : {}) };
  });
}

function seedInputs(): AnalysisInput[] {
  const dir = sharedDir() ? join(sharedDir()!, 'seeds') : null;
  if (!dir || !existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(".txt"))
    .map((f) => ({ id: f, text: readFileSync(join(dir, f), 'utf8'), published: '2022-04-27T00:00:00Z' }));
}

describe('analysis thread', () => {
  const thread = startAnalysisThread();
  afterAll(async () => thread?.close());

  it('gives the analyses the analyzer gives on this thread, in order', { timeout: 60_000 }, async () => {
    expect(thread).not.toBeNull();
    const t = thread as AnalysisThread;
    const inputs = [...farmInputs(600), ...seedInputs()];
    const now = new Date(Date.UTC(2026, 11, 2));
    const local = defaultAnalyzer();
    const here = inputs.map((i) => local.analyze(i, now));
    // Sent as several batches at once, as the analyse jobs of a worker do.
    const batches: AnalysisInput[][] = [];
    for (let k = 0; k < inputs.length; k += 50) batches.push(inputs.slice(k, k + 50));
    const there = (await Promise.all(batches.map((b) => t.analyzeMany(b, now)))).flat();
    expect(there.length).toBe(here.length);
    expect(there).toEqual(here);
    // The sample is worth comparing: it holds Central Asia articles with framings and speakers.
    expect(here.filter((r) => r.countries.length > 0).length).toBeGreaterThan(20);
    expect(here.some((r) => r.framings.some((f) => f.evidence.some((e) => e.attributedTo !== null)))).toBe(true);
  });

  it('refuses work once closed', { timeout: 30_000 }, async () => {
    const t = startAnalysisThread();
    expect(t).not.toBeNull();
    const pending = expect(t!.analyzeMany(farmInputs(5), new Date())).rejects.toThrow(/closed/);
    await t!.close();
    await pending;
    await expect(t!.analyzeMany(farmInputs(1), new Date())).rejects.toThrow(/closed/);
  });
});
