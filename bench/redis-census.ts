// A census of the Redis commands this process sends, by the part of the key space they touch
// (`article`, `seen`, `story…`, `queue:analyse` …), with the bytes of their arguments. Client-side
// cost (building, encoding and writing each command) is what the pipeline's one thread pays per
// command; Redis's own INFO counts the commands run inside scripts as well, this does not.
//
// It wraps ioredis's Redis.prototype.sendCommand for the whole process (every client, BullMQ's
// included); pipelines and MULTI go through it command by command. Bench-only instrumentation.
import { Redis } from 'ioredis';
import { scriptNames } from './redis-slowlog.js';

export interface CensusEntry {
  commands: number;
  /** UTF-8 bytes of the arguments (keys and values), approximately what is written. */
  argBytes: number;
  /** Time spent sending (building, encoding and writing the command; replies not included), ms. */
  sendMs: number;
  /** Bytes of the replies (strings and buffers, nested arrays and objects summed): what the decoder reads. */
  replyBytes: number;
}

interface CommandLike {
  name: string;
  args: unknown[];
  promise?: Promise<unknown>;
}

let installed = false;
let active = false;
let prefix = '';
let counts = new Map<string, CensusEntry>();
let scripts: Map<string, string> | null = null;

const argSize = (a: unknown): number => (typeof a === 'string' ? Buffer.byteLength(a) : Buffer.isBuffer(a) ? a.length : typeof a === 'number' ? 8 : 0);

/** A reply's bytes, roughly: strings and buffers by length, arrays and objects (HGETALL) summed. */
function replySize(r: unknown): number {
  if (typeof r === 'string') return r.length;
  if (Buffer.isBuffer(r)) return r.length;
  if (Array.isArray(r)) return r.reduce((n: number, x) => n + replySize(x), 0);
  if (r && typeof r === 'object') return Object.entries(r).reduce((n, [k, v]) => n + k.length + replySize(v), 0);
  return typeof r === 'number' ? 8 : 0;
}

/** The group of a key under the session prefix: its first segment, queues by name. */
export function keyGroup(key: string, keyPrefix: string): string {
  if (!keyPrefix || !key.startsWith(`${keyPrefix}:`)) return 'other';
  const rest = key.slice(keyPrefix.length + 1);
  const q = /^q:\{?([\w-]+)\}?/.exec(rest);
  if (q) return `queue:${q[1]}`;
  const m = /^[\w-]+/.exec(rest);
  return m ? m[0] : 'other';
}

function firstKey(c: CommandLike): string | null {
  const a = c.args;
  // EVALSHA/EVAL: sha, numkeys, key…
  if (c.name === 'evalsha' || c.name === 'eval') return Number(a[1]) > 0 && typeof a[2] === 'string' ? a[2] : null;
  return typeof a[0] === 'string' ? a[0] : Buffer.isBuffer(a[0]) ? a[0].toString() : null;
}

/** Starts counting commands whose keys start with `keyPrefix` (idempotent; resets the counts). */
export function startCensus(keyPrefix: string): void {
  prefix = keyPrefix;
  counts = new Map();
  active = true;
  scripts ??= scriptNames();
  if (installed) return;
  installed = true;
  const proto = Redis.prototype as unknown as { sendCommand(this: Redis, c: CommandLike, ...rest: unknown[]): unknown };
  const original = proto.sendCommand;
  proto.sendCommand = function (this: Redis, command: CommandLike, ...rest: unknown[]) {
    if (!active) return original.call(this, command, ...rest);
    const key = firstKey(command);
    // A script is named (ours by file, BullMQ's by its name), not just "evalsha".
    const name = command.name === 'evalsha' ? (scripts!.get(String(command.args[0])) ?? 'evalsha') : command.name;
    const g = `${key ? keyGroup(key, prefix) : 'other'} ${name}`;
    const e = counts.get(g) ?? { commands: 0, argBytes: 0, sendMs: 0, replyBytes: 0 };
    e.commands += 1;
    for (const a of command.args) e.argBytes += argSize(a);
    counts.set(g, e);
    const t0 = performance.now();
    try {
      const out = original.call(this, command, ...rest);
      command.promise?.then(
        (r) => (e.replyBytes += replySize(r)),
        () => undefined,
      );
      return out;
    } finally {
      e.sendMs += performance.now() - t0;
    }
  };
}

/** Stops counting (the wrapper stays, and passes commands straight through). */
export function stopCensus(): void {
  active = false;
}

/** The counts since startCensus/takeCensus, by "group command", and resets them (empty when not counting). */
export function takeCensus(): Map<string, CensusEntry> {
  const out = counts;
  counts = new Map();
  return out;
}

/** Totals by group (commands of every name added up). */
export function byGroup(m: Map<string, CensusEntry>): Record<string, CensusEntry> {
  const out: Record<string, CensusEntry> = {};
  for (const [k, v] of m) {
    const g = k.split(' ')[0]!;
    const e = (out[g] ??= { commands: 0, argBytes: 0, sendMs: 0, replyBytes: 0 });
    e.commands += v.commands;
    e.replyBytes += v.replyBytes;
    e.argBytes += v.argBytes;
    e.sendMs += v.sendMs;
  }
  return out;
}
