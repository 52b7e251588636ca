// The `steppewatch bench` options: parsed and validated where they enter.
import { parseArgs } from 'node:util';
import { z } from 'zod';

export const BENCH_USAGE = `steppewatch bench [options] — the pipeline against a loopback feed farm, with baselines

  --feeds N            feeds in the farm (default 2000)
  --items M            items per feed (default 20)
  --repeats N          repeats of the cheap figures: warm cycles, alert-latency waves,
                       analysis, baselines (default 3)
  --cold-repeats N     cold cycles, each on an emptied Redis (default 1)
  --destinations N     recording channels the alerts are spread over (default 200; a multiple of 8)
  --pace-ms MS         per-channel pacing of the measured runs (default 1000, the product's Slack/Discord pacing)
  --no-pacing-run      skip the extra cold cycle that measures pacing's own effect
  --per-host N         the fetcher's per-host limit (default 64: the farm is one loopback host)
  --concurrency LIST   worker concurrency, e.g. poll=16,analyse=4,deliver=8 (default: the product's)
  --workers N          pipeline processes: the bench's own and N−1 worker processes (default 1)
  --latency-items N    new items published per alert-latency wave (default 40)
  --analyze-sample N   articles of the analysis-only figure (default 4000)
  --skip-baselines     measure the pipeline only (no baselines, no story-assignment figure)
  --skip-story-rate    no story-assignment figure (storyAssignmentsPerSecond null)
  --web-articles N     stored articles of the web view's figure, webStoryMs (default 40000; 0 skips it)
  --redis-census       count the Redis commands the pipeline sends, by key group (costs ~3% CPU)
  --warm-only          a big installation's schedule instead (bench/big.ts): every feed answers 304,
                       polled by the due-feeds tick every --interval s for --repeats cycles; Redis
                       memory and keys per feed, the time to start, the process's memory
  --interval S         the feeds' poll interval with --warm-only (default 60)
  --hosts N            with --warm-only: the feeds spread over N host names (h<k>.farm.test, all
                       resolved to the farm), as a real installation's many small hosts (default 0:
                       the farm's one host)
  --sweep LIST         run several sizes one after another, e.g. 250,500,1000,2000 (feeds; --items
                       each) or 500x10,500x40 (feeds×items), and print how the figures grow
  --json               print only the JSON (stdout)
  --save               also write it to bench/results/<date>.json`;

export class BenchUsageError extends Error {
  override name = 'BenchUsageError';
}

const concurrencySchema = z
  .string()
  .transform((s, ctx) => {
    const out: Partial<Record<'poll' | 'analyse' | 'deliver', number>> = {};
    for (const part of s.split(',').map((p) => p.trim()).filter(Boolean)) {
      const m = /^(poll|analyse|deliver)=(\d+)$/.exec(part);
      if (!m || Number(m[2]) < 1 || Number(m[2]) > 1000) {
        ctx.addIssue({ code: 'custom', message: `bad --concurrency part ${JSON.stringify(part)} (want poll|analyse|deliver=1..1000)` });
        return z.NEVER;
      }
      out[m[1] as 'poll'] = Number(m[2]);
    }
    return out;
  });

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

/** "250,500" or "500x10,500x40": sizes of a sweep (items null: the --items value). */
const sweepSchema = z.string().transform((s, ctx) => {
  const out: { feeds: number; items: number | null }[] = [];
  for (const part of s.split(',').map((p) => p.trim()).filter(Boolean)) {
    const m = /^(\d+)(?:x(\d+))?$/.exec(part);
    const feeds = Number(m?.[1]);
    const items = m?.[2] ? Number(m[2]) : null;
    if (!m || feeds < 1 || feeds > 100_000 || (items !== null && (items < 1 || items > 1000))) {
      ctx.addIssue({ code: 'custom', message: `bad size ${JSON.stringify(part)} (want FEEDS or FEEDSxITEMS)` });
      return z.NEVER;
    }
    out.push({ feeds, items });
  }
  if (out.length === 0) {
    ctx.addIssue({ code: 'custom', message: 'no sizes given' });
    return z.NEVER;
  }
  return out;
});

export const benchOptionsSchema = z.object({
  feeds: int(1, 100_000).default(2000),
  items: int(1, 1000).default(20),
  repeats: int(1, 50).default(3),
  coldRepeats: int(1, 20).default(1),
  destinations: int(8, 100_000)
    .refine((n) => n % 8 === 0, 'a multiple of 8 (5 countries + 3 tags per outlet slice)')
    .default(200),
  paceMs: int(0, 60_000).default(1000),
  pacingRun: z.boolean().default(true),
  perHost: int(1, 1024).default(64),
  concurrency: concurrencySchema.default({}),
  workers: int(1, 16).default(1),
  latencyItems: int(1, 10_000).default(40),
  analyzeSample: int(1, 1_000_000).default(4000),
  skipStoryRate: z.boolean().default(false),
  skipBaselines: z.boolean().default(false),
  webArticles: int(0, 1_000_000).default(40_000),
  redisCensus: z.boolean().default(false),
  warmOnly: z.boolean().default(false),
  interval: int(5, 3600).default(60),
  hosts: int(0, 100_000).default(0),
  sweep: sweepSchema.optional(),
  json: z.boolean().default(false),
  save: z.boolean().default(false),
});
export type BenchOptions = z.output<typeof benchOptionsSchema>;

/** argv (after `bench`) → options; a bad option throws BenchUsageError with one line. */
export function parseBenchArgs(argv: string[]): BenchOptions {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      allowPositionals: false,
      strict: true,
      options: {
        feeds: { type: 'string' },
        items: { type: 'string' },
        repeats: { type: 'string' },
        'cold-repeats': { type: 'string' },
        destinations: { type: 'string' },
        'pace-ms': { type: 'string' },
        'no-pacing-run': { type: 'boolean' },
        'per-host': { type: 'string' },
        concurrency: { type: 'string' },
        workers: { type: 'string' },
        'latency-items': { type: 'string' },
        'analyze-sample': { type: 'string' },
        'skip-baselines': { type: 'boolean' },
        'skip-story-rate': { type: 'boolean' },
        'web-articles': { type: 'string' },
        'redis-census': { type: 'boolean' },
        'warm-only': { type: 'boolean' },
        interval: { type: 'string' },
        hosts: { type: 'string' },
        sweep: { type: 'string' },
        json: { type: 'boolean' },
        save: { type: 'boolean' },
      },
    }));
  } catch (e) {
    throw new BenchUsageError((e as Error).message);
  }
  const r = benchOptionsSchema.safeParse({
    feeds: values.feeds,
    items: values.items,
    repeats: values.repeats,
    coldRepeats: values['cold-repeats'],
    destinations: values.destinations,
    paceMs: values['pace-ms'],
    pacingRun: values['no-pacing-run'] ? false : undefined,
    perHost: values['per-host'],
    concurrency: values.concurrency,
    workers: values.workers,
    latencyItems: values['latency-items'],
    analyzeSample: values['analyze-sample'],
    skipBaselines: values['skip-baselines'],
    skipStoryRate: values['skip-story-rate'],
    webArticles: values['web-articles'],
    redisCensus: values['redis-census'],
    warmOnly: values['warm-only'],
    interval: values.interval,
    hosts: values.hosts,
    sweep: values.sweep,
    json: values.json,
    save: values.save,
  });
  if (!r.success) {
    const i = r.error.issues[0]!;
    throw new BenchUsageError(`--${String(i.path[0] ?? '?').replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}: ${i.message}`);
  }
  return r.data;
}
