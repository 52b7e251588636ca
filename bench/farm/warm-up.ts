// The farm's warm-up, at its start, before the bench measures anything: the farm serves itself its
// two kinds of answer (a document, a 304) a few thousand times over loopback, so that its code is
// optimised before the pipeline's cycles and not during them. Why: the farm stands for the feeds'
// servers, which are warm and run on other machines; a fresh farm spent 0.16–0.21 CPU-s on its
// first 1,000 answers of 304 (main thread and V8's compiler threads), 0.12–0.13 on the next 1,000
// and ~0.05 from the fourth on, on the same two cores as the pipeline: inside the first warm
// cycles (`npx tsx bench/farm-cpu.ts --no-warm-up`; warmed: 0.09–0.12, 0.07–0.09, then ~0.05;
// bench/README.md, 2026-12-07 sixth session).
import { Agent, request } from 'undici';
import type { FarmServer } from './server.js';

export interface WarmUpOptions {
  /** Feeds asked (the first ones); each once in full, then `conditional` times with its validators. */
  feeds: number;
  conditional: number;
  /** Requests in flight (the bench's per-host default). */
  inFlight: number;
}

export const FARM_WARM_UP: WarmUpOptions = { feeds: 1000, conditional: 2, inFlight: 64 };

/** Serves the warm-up requests, then resets the farm's counters (they count the bench's requests only). */
export async function warmUpFarm(farm: FarmServer, feeds: number, o: WarmUpOptions = FARM_WARM_UP): Promise<{ requests: number; ms: number }> {
  const t0 = performance.now();
  const n = Math.min(feeds, o.feeds);
  const agent = new Agent({ connections: o.inFlight });
  const validators: { etag?: string; lastModified?: string }[] = new Array(n);
  const one = async (i: number, conditional: boolean) => {
    const v = validators[i];
    const headers: Record<string, string> = { accept: 'application/rss+xml' };
    if (conditional && v?.etag) headers['if-none-match'] = v.etag;
    if (conditional && v?.lastModified) headers['if-modified-since'] = v.lastModified;
    const r = await request(farm.feedUrl(i), { dispatcher: agent, headers });
    validators[i] = { etag: r.headers.etag as string | undefined, lastModified: r.headers['last-modified'] as string | undefined };
    await r.body.dump();
  };
  const round = async (conditional: boolean) => {
    let next = 0;
    const lane = async () => {
      while (next < n) await one(next++, conditional);
    };
    await Promise.all(Array.from({ length: Math.min(o.inFlight, n) }, lane));
  };
  try {
    await round(false);
    for (let k = 0; k < o.conditional; k++) await round(true);
  } finally {
    await agent.close();
  }
  farm.stats(true);
  return { requests: n * (1 + o.conditional), ms: performance.now() - t0 };
}
