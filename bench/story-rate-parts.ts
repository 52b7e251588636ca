// Where an assignment's client CPU goes (bench/story-rate.ts `--parts`): a CPU profile of the timed
// part, each sample given to the part of the nearest frame (from the leaf up) whose source says
// which part it is. Native frames (a JSON.parse, a socket write, a Map lookup) count for the code
// that called them. The figures are shares of the busy samples, and µs an article as those shares
// of the run's client CPU; the profiler itself costs CPU, so `--parts` runs are for the split, not
// for the rate (run story-rate without it for that).

/** The parts, in report order. */
export const PARTS = ['engine', 'mirror', 'vectors', 'records', 'redisClient', 'assigner', 'gc', 'other'] as const;
export type Part = (typeof PARTS)[number];

// by source path: the first rule that matches a frame's url wins
const RULES: [RegExp, Part][] = [
  // the candidate index in memory: the sets, their upkeep and the log's apply
  [/src\/core\/story\/(candidate-sets|memory-index)\.ts|src\/adapters\/redis\/story-mirror\.ts/u, 'mirror'],
  // vectors as stored: pack on commit, unpack on read, and their cache
  [/src\/core\/story\/vector-pack\.ts|src\/adapters\/redis\/story-vector-cache\.ts/u, 'vectors'],
  // story records: the merge into a record, its JSON (stringify on commit, parse on read), the caches
  [/src\/adapters\/redis\/story-(commit|read-cache)\.ts|src\/core\/story\/record\.ts|src\/adapters\/byte-lru\.ts|node_modules\/lru-cache\//u, 'records'],
  // the Redis client: ioredis (commands, scripts, reply parsing) and the socket
  [/node_modules\/(ioredis|redis-parser|@ioredis|denque|standard-as-callback|cluster-key-slot)\/|node:net|node:internal\/(stream|net)|node:stream/u, 'redisClient'],
  // the pure engine (features, text, similarity, decisions, citations)
  [/src\/core\//u, 'engine'],
  // the assigner's own steps (batching, document frequencies, the read ahead, the lock)
  [/src\/adapters\/redis\/story-/u, 'assigner'],
];

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}
export interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Per part, its share of the profile's busy samples (idle and the profiler's own left out). */
export function partShares(p: CpuProfile): Record<Part, number> {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const partOf = new Map<number, Part | null>();
  const classify = (id: number): Part | null => {
    const known = partOf.get(id);
    if (known !== undefined) return known;
    const n = byId.get(id)!;
    const name = n.callFrame.functionName;
    let part: Part | null;
    // idle, and the profiler's own work (the inspector session's dispatch)
    if (name === '(idle)' || name === '(program)' || n.callFrame.url.startsWith('node:inspector')) part = null;
    else if (name === '(root)') part = 'other';
    else if (name === '(garbage collector)') part = 'gc';
    else {
      const rule = RULES.find(([re]) => re.test(n.callFrame.url));
      const up = parent.get(id);
      part = rule ? rule[1] : up === undefined ? 'other' : classify(up);
    }
    partOf.set(id, part);
    return part;
  };
  const us = Object.fromEntries(PARTS.map((k) => [k, 0])) as Record<Part, number>;
  let total = 0;
  for (let i = 0; i < p.samples.length; i++) {
    const part = classify(p.samples[i]!);
    if (!part) continue;
    const dt = p.timeDeltas[i] ?? 0;
    us[part] += dt;
    total += dt;
  }
  for (const k of PARTS) us[k] = total ? us[k] / total : 0;
  return us;
}
