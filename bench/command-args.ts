// CPU of building one ioredis Command by its number of arguments, with ioredis's own constructor
// (`args.flat()`: V8's Array.prototype.flat, ~110 ns an element on Node 20) and with the subclass
// src/adapters/redis/command-args.ts installs (a loop), flat and as one nested array (how the
// story commit and BullMQ pass theirs). No Redis: the constructor alone, best of 7 rounds.
//
//   npx tsx bench/command-args.ts [--sizes 3,30,120,1000,5000]
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { sizes: { type: 'string', default: '3,30,120,1000,5000' } } });
const sizes = values.sizes.split(',').map(Number);
type Ctor = new (name: string, args: unknown[], options: object) => { promise: Promise<unknown> };
const mod = createRequire(import.meta.url)('ioredis/built/Command.js') as { default: Ctor };
const native = mod.default;
await import('../src/adapters/redis/command-args.js');
const installed = mod.default;
if (installed === native) throw new Error('command-args.ts did not install its Command');

function usPerCommand(C: Ctor, args: unknown[]): number {
  const reps = Math.max(200, Math.floor(200_000 / Math.max(1, args.length)));
  let best = Infinity;
  for (let r = 0; r < 7; r++) {
    const t0 = process.cpuUsage();
    for (let i = 0; i < reps; i++) new C('evalsha', args, { replyEncoding: 'utf8' }).promise.catch(() => {});
    const c = process.cpuUsage(t0);
    best = Math.min(best, (c.user + c.system) / reps);
  }
  return best;
}

console.log('arguments  ioredis (flat)       installed  nested: ioredis       installed   µs a command');
for (const n of sizes) {
  const args = Array.from({ length: n }, (_, i) => `sw:seen:{o1}:guid:${i}`);
  const nested = ['0123456789abcdef0123456789abcdef01234567', String(n), args];
  const cells = [usPerCommand(native, args), usPerCommand(installed, args), usPerCommand(native, nested), usPerCommand(installed, nested)];
  console.log(`${String(n).padStart(9)}  ${cells.map((c) => c.toFixed(2).padStart(14)).join('  ')}`);
}
