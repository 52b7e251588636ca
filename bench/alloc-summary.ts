// Sums a sampled allocation profile (.heapprofile: STEPPEWATCH_BENCH_COLD_ALLOC, cpu-profile.ts) by
// function: by default by the innermost frame of steppewatch's own code on each sample's stack
// (src/, jobs/, bench/ of the build; a sample with none of ours is named by its own frame), so a
// string that JSON.stringify or ioredis allocates for us counts against our caller; `--self` by
// the frame that allocated; `--both` as "ours <= self". MB per cycle, largest first.
//
//   npx tsx bench/alloc-summary.ts FILE.heapprofile [--top 40] [--self | --both] [--grep TEXT]
//   npx tsx bench/alloc-summary.ts --diff A.heapprofile B.heapprofile [--top 40]   (by our function, lines left out)
//
// Hand-written: the format is a call tree with per-node sample ids; no maintained package sums
// it outside DevTools. Bench-only instrumentation.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';

interface Frame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: Frame;
  children: ProfileNode[];
}
interface HeapProfile {
  head: ProfileNode;
  samples: { nodeId: number; size: number }[];
}

const MB = 1048576;
const ours = (f: Frame): boolean => /\/(src|jobs|bench)\//.test(f.url) && !f.url.includes('node_modules');
const label = (f: Frame): string => `${f.functionName || '(anonymous)'} ${f.url.replace(/^.*?\/(dist\/)?(?=(src|jobs|bench|node_modules)\/)/, '').replace(/^.*\/node_modules\//, '')}:${f.lineNumber + 1}`;

/** Bytes by key over a profile; `mode` picks the key of each sample's stack. */
export function sumProfile(p: HeapProfile, mode: 'ours' | 'self' | 'both'): { total: number; by: Map<string, number> } {
  const size = new Map<number, number>();
  for (const s of p.samples) size.set(s.nodeId, (size.get(s.nodeId) ?? 0) + s.size);
  const by = new Map<string, number>();
  let total = 0;
  const stack: Frame[] = [];
  const walk = (n: ProfileNode): void => {
    stack.push(n.callFrame);
    const bytes = size.get(n.id) ?? 0;
    if (bytes) {
      total += bytes;
      let i = stack.length - 1;
      while (i >= 0 && !ours(stack[i]!)) i--;
      const self = label(n.callFrame);
      const mine = i >= 0 ? label(stack[i]!) : `(none of ours) ${self}`;
      const key = mode === 'self' ? self : mode === 'both' ? `${mine}  <=  ${self}` : mine;
      by.set(key, (by.get(key) ?? 0) + bytes);
    }
    for (const c of n.children) walk(c);
    stack.pop();
  };
  walk(p.head);
  return { total, by };
}

const read = (file: string): HeapProfile => JSON.parse(readFileSync(file, 'utf8')) as HeapProfile;

function main(): void {
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { top: { type: 'string', default: '40' }, self: { type: 'boolean' }, both: { type: 'boolean' }, grep: { type: 'string' }, diff: { type: 'boolean' } },
});
const top = Number(values.top);
const mb = (b: number): string => (b / MB).toFixed(1).padStart(7);
if (values.diff) {
  // By function and file, line numbers left out: two builds of one file number their lines apart.
  const byFunction = (f: string) => {
    const { total, by } = sumProfile(read(f), 'ours');
    const out = new Map<string, number>();
    for (const [k, v] of by) out.set(k.replace(/:\d+$/, ''), (out.get(k.replace(/:\d+$/, '')) ?? 0) + v);
    return { total, by: out };
  };
  const [a, b] = positionals.map(byFunction);
  if (!a || !b) throw new Error('--diff takes two files');
  console.log(`total ${mb(a.total)} -> ${mb(b.total)} MB`);
  const keys = new Set([...a.by.keys(), ...b.by.keys()]);
  const rows = [...keys].map((k) => ({ k, x: a.by.get(k) ?? 0, y: b.by.get(k) ?? 0 })).sort((p, q) => Math.abs(q.y - q.x) - Math.abs(p.y - p.x));
  for (const r of rows.slice(0, top)) console.log(`${mb(r.x)} ${mb(r.y)} ${mb(r.y - r.x)}  ${r.k}`);
} else {
  const file = positionals[0];
  if (!file) throw new Error('usage: alloc-summary.ts FILE.heapprofile [--top N] [--self | --both] [--grep TEXT]');
  const { total, by } = sumProfile(read(file), values.self ? 'self' : values.both ? 'both' : 'ours');
  console.log(`total ${mb(total)} MB`);
  const rows = [...by].filter(([k]) => !values.grep || k.includes(values.grep)).sort((p, q) => q[1] - p[1]);
  for (const [k, v] of rows.slice(0, top)) console.log(`${mb(v)}  ${k}`);
}
}

// Run as a command, not when fetch-parse.ts imports sumProfile.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
