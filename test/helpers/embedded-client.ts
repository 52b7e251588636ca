// A process that holds the embedded Redis the way a steppewatch command does: it acquires it,
// prints a JSON line {url, startedHere}, and releases it when told ("release" on stdin) or exits.
import { createInterface } from 'node:readline';
import { acquireRedis } from '../../src/adapters/redis/embedded.js';

const varDir = process.argv[2]!;
const h = await acquireRedis({ varDir });
process.stdout.write(`${JSON.stringify({ url: h.url, startedHere: h.startedHere, pid: process.pid })}\n`);
const rl = createInterface({ input: process.stdin });
for await (const line of rl) {
  if (line.trim() === 'release') {
    await h.release();
    process.stdout.write('released\n');
    process.exit(0);
  }
}
