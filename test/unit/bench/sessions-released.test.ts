// The bench runs several pipeline sessions in one process (cold cycles, the pacing run); a closed
// session must be garbage, or the next one runs beside its caches, mirror and stores and the peak
// RSS counts two pipelines (the 2,000-feed figure was ~100 MB too high so). A tiny real bench run:
// farm, embedded Redis, BullMQ, two cold cycles and the pacing run.
import { describe, expect, it } from 'vitest';
import { cleanEnv, runCli } from '../../helpers/cli.js';

describe('bench sessions', () => {
  it('releases each closed session (none reachable after a full GC)', { timeout: 240_000 }, async () => {
    const args = ['bench', '--feeds', '12', '--items', '4', '--repeats', '1', '--cold-repeats', '2', '--skip-baselines', '--web-articles', '0', '--analyze-sample', '5', '--skip-story-rate', '--pace-ms', '0', '--json'];
    const r = await runCli(args, { env: cleanEnv(), timeoutMs: 230_000 });
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as { detail: { closedSessionsHeld: number | null }; alertsLost: number };
    expect(report.alertsLost).toBe(0);
    expect(report.detail.closedSessionsHeld).toBe(0);
  });
});
