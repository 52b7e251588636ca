// Entry of the farm's own process (forked by client.ts), so that the bench process's memory and
// CPU are the pipeline's.
import { serveRequests, type ChildRequest } from '../child.js';
import type { FarmSpec, ItemMeta } from './content.js';
import { startFarmServer, type FarmServer } from './server.js';
import { warmUpFarm } from './warm-up.js';

let farm: FarmServer | null = null;

async function handle(m: ChildRequest): Promise<unknown> {
  switch (m.op) {
    case 'start': {
      const t0 = performance.now();
      const spec = m.spec as FarmSpec;
      farm = await startFarmServer(spec);
      const renderMs = performance.now() - t0;
      // Warm, as the servers it stands for are (warm-up.ts), unless asked not to (bench/farm-cpu.ts).
      const warmUp = m.warmUp === false ? null : await warmUpFarm(farm, spec.feeds);
      return { url: farm.url, renderMs, heldBytes: farm.heldBytes(), warmUpMs: warmUp?.ms ?? 0 };
    }
    case 'publish':
      if (!farm) throw new Error('farm not started');
      farm.publish(m.items as ItemMeta[]);
      return null;
    case 'stats': {
      if (!farm) throw new Error('farm not started');
      const cpu = process.cpuUsage();
      return { ...farm.stats(Boolean(m.reset)), cpuSeconds: (cpu.user + cpu.system) / 1e6, rssMB: process.memoryUsage.rss() / 1048576 };
    }
    case 'close':
      await farm?.close();
      farm = null;
      setImmediate(() => process.disconnect?.());
      return null;
    default:
      throw new Error(`farm: unknown request ${m.op}`);
  }
}

serveRequests(handle, async () => {
  await farm?.close();
});
