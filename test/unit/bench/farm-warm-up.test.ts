// The farm's warm-up (bench/farm/warm-up.ts): it serves both kinds of answer (documents and 304s)
// on its real HTTP server, and leaves the farm's counters at zero, so that the bench counts its own
// requests only.
import { afterEach, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { startFarmServer, type FarmServer } from '../../../bench/farm/server.js';
import { warmUpFarm } from '../../../bench/farm/warm-up.js';

const spec = { feeds: 6, items: 3, start: Date.UTC(2024, 4, 1, 12), seed: 7 };
let farm: FarmServer | null = null;
afterEach(async () => {
  await farm?.close();
  farm = null;
});

describe('the farm warm-up', () => {
  it('asks every feed (up to its bound) in full and then with its validators, and resets the counters', async () => {
    farm = await startFarmServer(spec);
    const served: { ok: number; notModified: number }[] = [];
    const stats = farm.stats.bind(farm);
    // What the farm had served when the warm-up reset its counters.
    farm.stats = (reset?: boolean) => {
      if (reset) served.push(stats());
      return stats(reset);
    };
    const r = await warmUpFarm(farm, spec.feeds, { feeds: 4, conditional: 2, inFlight: 3 });
    expect(r.requests).toBe(12);
    expect(served).toEqual([expect.objectContaining({ ok: 4, notModified: 8 })]);
    expect(farm.stats()).toEqual({ ok: 0, notModified: 0, notFound: 0, bytes: 0 });
    // The farm still answers as before: a document, then a 304 for its ETag.
    const first = await request(farm.feedUrl(5));
    await first.body.dump();
    const again = await request(farm.feedUrl(5), { headers: { 'if-none-match': String(first.headers.etag) } });
    await again.body.dump();
    expect([first.statusCode, again.statusCode]).toEqual([200, 304]);
  });
});
