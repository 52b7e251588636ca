// Attributes a .cpuprofile's samples (STEPPEWATCH_BENCH_COLD_PROFILE, node --cpu-prof) to the
// pipeline's areas, as the cold-cycle table of bench/README.md does: each sample goes to the
// innermost frame of ours whose file (or function) names an area; a library's frames count for
// the area of ours that called them; with no frame of ours on the stack, to the library.
//   npx tsx bench/profile-areas.ts FILE.cpuprofile [--top 25] [--area NAME]
// `--area` lists that area's functions by self samples (the frame's own time) and by samples.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  hitCount?: number;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
}

/** Our files by path part (after dist/), first match wins; null: a helper that names no area (look further up). */
const FILE_AREAS: [RegExp, string | null][] = [
  [/\/bench\//, 'bench instrumentation'],
  [/src\/core\/story\/|src\/adapters\/redis\/story-|src\/adapters\/byte-lru/, 'story assignment'],
  [/src\/core\/(text|memo)\b/, null],
  [/src\/core\/(analyse|lang|framing|geo|summary)\b|src\/adapters\/analysis-data/, 'analysis'],
  [/src\/core\/feed\/parse\/(normalise|html-text|keys|dates|canonical-url|mojibake)/, 'normalise'],
  [/src\/core\/feed\/parse\/|src\/adapters\/http-feed\/parse/, 'XML document'],
  [/src\/adapters\/http-feed\//, 'fetch'],
  [/src\/adapters\/redis\/seen-store/, 'seen claims'],
  [/src\/adapters\/redis\/article-store/, 'article store'],
  [/src\/adapters\/redis\/(feed-store)|src\/core\/feed\/policy\//, 'feed state and schedule'],
  [/src\/adapters\/redis\/(delivery-store|subscription-store)|src\/core\/(routing|alert)\/|jobs\/deliver/, 'delivery (plan, route, deliver jobs)'],
  [/src\/adapters\/redis\/trend|src\/core\/trends\//, 'trend counters'],
  [/src\/adapters\/redis\/batch-tracker/, 'batch tracker'],
  [/src\/ports\/queue-payloads/, 'zod payloads'],
  [/jobs\/analyse/, 'analyse job, rest'],
  [/jobs\/poll|src\/main\/(due-feeds|poll-failures)/, 'poll job and handoff, rest'],
  [/src\/main\/workers/, 'queueing jobs (handoff, addBulk)'],
  [/src\/adapters\/(metrics|log)/, 'metrics and logs'],
];
/** Functions whose frames name an area whatever file they are in (checked before the file). */
const FUNCTION_AREAS: [RegExp, string][] = [
  [/^(handOverToAnalysis|queueJobs)$/, 'queueing jobs (handoff, addBulk)'],
  [/^(routeTargets)$/, 'delivery (plan, route, deliver jobs)'],
  [/^(storeAnalysed)$/, 'article store'],
];

function libraryOf(url: string): string | null {
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1]!;
  if (url.startsWith('node:')) return 'node internals';
  if (url.startsWith('wasm:')) return 'wasm';
  return null;
}

function areaOfFrame(f: CallFrame): string | null | undefined {
  if (!f.url.startsWith('file://') || f.url.includes('node_modules')) return undefined;
  for (const [re, area] of FUNCTION_AREAS) if (re.test(f.functionName)) return area;
  for (const [re, area] of FILE_AREAS) if (re.test(f.url)) return area;
  return undefined;
}

const LIBRARY_AREA: Record<string, string> = {
  ioredis: 'ioredis, no caller of ours',
  bullmq: 'BullMQ, no caller of ours',
  msgpackr: 'BullMQ, no caller of ours',
  undici: 'fetch',
};

export function attribute(profile: Profile): { total: number; busy: number; areas: Map<string, number>; ioredisOnStack: number; byNode: Map<number, string> } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const areaOf = new Map<number, string>();
  const redisOf = new Map<number, boolean>();
  const resolve = (id: number): string => {
    const known = areaOf.get(id);
    if (known) return known;
    let lib: string | null = null;
    let area: string | null = null;
    let redis = false;
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const f = byId.get(cur)!.callFrame;
      if (f.url.includes('node_modules/ioredis')) redis = true;
      const a = areaOfFrame(f);
      if (a) {
        area = a;
        break;
      }
      if (lib === null) lib = libraryOf(f.url);
      if (lib === null && f.functionName === '(garbage collector)') area = 'garbage collection';
      if (lib === null && (f.functionName === '(program)' || f.functionName === '(idle)' || f.functionName === '(root)')) area = f.functionName;
      if (area) break;
    }
    const out = area ?? (lib ? (LIBRARY_AREA[lib] ?? `${lib}, no caller of ours`) : 'other');
    areaOf.set(id, out);
    redisOf.set(id, redis);
    return out;
  };
  const areas = new Map<string, number>();
  let busy = 0;
  let ioredisOnStack = 0;
  for (const s of profile.samples) {
    const a = resolve(s);
    areas.set(a, (areas.get(a) ?? 0) + 1);
    if (a !== '(idle)') busy += 1;
    if (redisOf.get(s)) ioredisOnStack += 1;
  }
  return { total: profile.samples.length, busy, areas, ioredisOnStack, byNode: areaOf };
}

function main(): void {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { top: { type: 'string', default: '25' }, area: { type: 'string' } } });
  const file = positionals[0];
  if (!file) throw new Error('usage: npx tsx bench/profile-areas.ts FILE.cpuprofile [--area NAME]');
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const r = attribute(profile);
  console.log(`samples ${r.total}, busy (not idle) ${r.busy}; ioredis frames on the stack of ${((100 * r.ioredisOnStack) / r.busy).toFixed(1)}% of busy samples`);
  for (const [a, n] of [...r.areas].sort((x, y) => y[1] - x[1])) {
    if (a === '(idle)') continue;
    console.log(`${((100 * n) / r.busy).toFixed(1).padStart(5)}%  ${a}`);
  }
  if (!values.area) return;
  // The area's samples by their leaf function (self) and by each frame of the area's stack part.
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<string, number>();
  const incl = new Map<string, number>();
  let n = 0;
  const name = (f: CallFrame) => `${f.functionName || '(anon)'} ${f.url.replace(/^.*\/(node_modules\/|dist\/)/, '')}:${f.lineNumber + 1}`;
  for (const s of profile.samples) {
    if (r.byNode.get(s) !== values.area) continue;
    n += 1;
    self.set(name(byId.get(s)!.callFrame), (self.get(name(byId.get(s)!.callFrame)) ?? 0) + 1);
    const seen = new Set<string>();
    for (let cur: number | undefined = s; cur !== undefined; cur = parent.get(cur)) {
      const k = name(byId.get(cur)!.callFrame);
      if (seen.has(k)) continue;
      seen.add(k);
      incl.set(k, (incl.get(k) ?? 0) + 1);
    }
  }
  const top = Number(values.top);
  console.log(`\n${values.area}: ${n} samples; self`);
  for (const [k, v] of [...self].sort((x, y) => y[1] - x[1]).slice(0, top)) console.log(`${((100 * v) / r.busy).toFixed(2).padStart(6)}%  ${k}`);
  console.log(`\n${values.area}: on the stack`);
  for (const [k, v] of [...incl].sort((x, y) => y[1] - x[1]).slice(0, top)) console.log(`${((100 * v) / r.busy).toFixed(2).padStart(6)}%  ${k}`);
}

main();
