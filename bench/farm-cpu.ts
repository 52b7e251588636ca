// The farm's own CPU per cycle of 1,000 conditional requests (all 304), as the bench's warm cycles
// ask them (undici, 64 in flight), after one cycle of full documents: how much of the machine the
// farm takes from the pipeline in each warm cycle, with its warm-up (farm/warm-up.ts) or, with
// `--no-warm-up`, as a fresh process. The farm process's CPU seconds per cycle.
//
//   npx tsx bench/farm-cpu.ts [--feeds 1000] [--items 20] [--cycles 6] [--no-warm-up]
import { parseArgs } from 'node:util';
import { Agent, request } from 'undici';
import type { FarmSpec } from './farm/content.js';
import { startFarmProcess } from './farm/client.js';

const { values } = parseArgs({
  options: {
    feeds: { type: 'string', default: '1000' },
    items: { type: 'string', default: '20' },
    cycles: { type: 'string', default: '6' },
    'no-warm-up': { type: 'boolean', default: false },
  },
});
const feeds = Number(values.feeds);
const spec: FarmSpec = { feeds, items: Number(values.items), start: Date.now(), seed: 20_220_106 };
const farm = await startFarmProcess(spec, { warmUp: !values['no-warm-up'] });
const agent = new Agent({ connections: 64 });
const etags: (string | undefined)[] = [];

async function cycle(conditional: boolean): Promise<{ cpu: number; notModified: number }> {
  const before = await farm.stats(true);
  let next = 0;
  const lane = async () => {
    for (let i = next++; i < feeds; i = next++) {
      const etag = etags[i];
      const r = await request(farm.feedUrl(i), { dispatcher: agent, headers: conditional && etag ? { 'if-none-match': etag } : {} });
      etags[i] = r.headers.etag as string | undefined;
      await r.body.dump();
    }
  };
  await Promise.all(Array.from({ length: 64 }, lane));
  const after = await farm.stats();
  return { cpu: after.cpuSeconds - before.cpuSeconds, notModified: after.notModified };
}

console.log(`farm of ${feeds} feeds, warm-up ${values['no-warm-up'] ? 'none' : `${farm.warmUpMs.toFixed(0)} ms`}`);
const full = await cycle(false);
console.log(`documents: farm CPU ${full.cpu.toFixed(3)} s`);
for (let k = 1; k <= Number(values.cycles); k++) {
  const c = await cycle(true);
  console.log(`304 cycle ${k}: farm CPU ${c.cpu.toFixed(3)} s (${c.notModified} × 304)`);
}
await agent.close();
await farm.close();
