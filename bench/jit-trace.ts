// Tallies a V8 optimisation trace of a bench run: how many TurboFan compiles, how much compile time,
// which functions are compiled more than once and why (the deoptimisation or code invalidation
// before each recompile), and where the eager deoptimisations happen.
//   node --trace-opt --trace-deopt-verbose bin/steppewatch.js bench … --json > trace.txt 2>&1
//   npx tsx bench/jit-trace.ts trace.txt [--top 30]
// (--trace-deopt is enough for the counts; -verbose adds the source position of each deoptimisation.)
// The trace has no times, so it covers the whole process (start-up, the cycles, the analysis thread:
// one isolate each, a function compiled in both shows twice). Compile times are the compiler's own
// (`took a, b, c ms`), wall time on a background thread: proportions, not CPU, on a loaded machine.
// Hand-written: no library reads V8's trace lines.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { top: { type: 'string' } } });
if (positionals.length !== 1) throw new Error('usage: npx tsx bench/jit-trace.ts <trace file> [--top N]');
const top = Number(values.top ?? 25);

const COMPILED = /^\[completed compiling 0x[0-9a-f]+ <JSFunction (\S*) ?\(sfi = (0x[0-9a-f]+)\)> \(target \w+\)( OSR)? - took ([\d.]+), ([\d.]+), ([\d.]+) ms/;
const BAILOUT = /^\[bailout \(kind: ([\w-]+), reason: ([^)]*)\): begin\. deoptimizing 0x[0-9a-f]+ <JSFunction (\S*) ?\(sfi = (0x[0-9a-f]+)\)>/;
const INVALIDATED = /^\[marking dependent code 0x[0-9a-f]+ <Code \w+> \((0x[0-9a-f]+) <SharedFunctionInfo ?([^>]*)>\).*reason: ([^\]]*)\]/;
const AT = /;;; deoptimize at <([^>]*)>/;

interface Fn { name: string; compiles: number; ms: number; deopts: number }
const fns = new Map<string, Fn>();
const fn = (sfi: string, name: string): Fn => {
  let f = fns.get(sfi);
  if (!f) fns.set(sfi, (f = { name: name || '(anonymous)', compiles: 0, ms: 0, deopts: 0 }));
  return f;
};
/** What happened to a function's code since its last compile (the cause of the next one). */
const pending = new Map<string, string>();
const causes = new Map<string, { n: number; ms: number; by: Map<string, number> }>();
const sites = new Map<string, number>();
let first = { n: 0, ms: 0 };
let deopts = 0;
let invalidations = 0;
let lastBailout: string | null = null;

const bump = <K>(m: Map<K, number>, k: K, by = 1) => m.set(k, (m.get(k) ?? 0) + by);

for (const line of readFileSync(positionals[0]!, 'utf8').split('\n')) {
  let m = COMPILED.exec(line);
  if (m) {
    const [, name, sfi, osr, a, b, c] = m;
    const ms = Number(a) + Number(b) + Number(c);
    const f = fn(sfi!, name!);
    f.ms += ms;
    if (f.compiles === 0 && !osr) first = { n: first.n + 1, ms: first.ms + ms };
    else {
      const cause = `${osr ? 'OSR after ' : ''}${pending.get(sfi!) ?? 'nothing traced (another closure, or flushed code)'}`;
      const e = causes.get(cause) ?? { n: 0, ms: 0, by: new Map<string, number>() };
      causes.set(cause, e);
      e.n += 1;
      e.ms += ms;
      bump(e.by, f.name, ms);
    }
    if (!osr) f.compiles += 1;
    pending.delete(sfi!);
    continue;
  }
  m = BAILOUT.exec(line);
  if (m) {
    const [, , reason, name, sfi] = m;
    deopts += 1;
    fn(sfi!, name!).deopts += 1;
    pending.set(sfi!, `deopt: ${reason}`);
    lastBailout = `${name || '(anonymous)'} | ${reason}`;
    continue;
  }
  m = AT.exec(line);
  if (m && lastBailout) {
    bump(sites, `${lastBailout} | ${m[1]!.replace(/^file:\/\/\/\S*?\/(dist|node_modules)\//, '$1/')}`);
    lastBailout = null;
    continue;
  }
  m = INVALIDATED.exec(line);
  if (m) {
    invalidations += 1;
    pending.set(m[1]!, `invalidated: ${m[3]}`);
  }
}

const all = [...fns.values()];
const total = all.reduce((s, f) => s + f.ms, 0);
const fmt = (ms: number) => `${ms.toFixed(0).padStart(6)} ms`;
console.log(`compiles ${all.reduce((s, f) => s + f.compiles, 0)} (${all.length} functions), compile time ${total.toFixed(0)} ms; eager deopts ${deopts}; code invalidations ${invalidations}`);
console.log(`first compiles ${first.n}: ${fmt(first.ms)} (${((100 * first.ms) / total).toFixed(0)} %)`);
console.log('\nrecompiles by cause (count, compile time, top functions):');
for (const [cause, e] of [...causes].sort((x, y) => y[1].ms - x[1].ms)) {
  const by = [...e.by].sort((x, y) => y[1] - x[1]).slice(0, 5).map(([n, ms]) => `${n} ${ms.toFixed(0)}`).join(', ');
  console.log(`${String(e.n).padStart(5)} ${fmt(e.ms)}  ${cause}  [${by}]`);
}
console.log(`\nfunctions by compile time (top ${top}):`);
for (const f of all.sort((x, y) => y.ms - x.ms).slice(0, top)) console.log(`${fmt(f.ms)}  ${String(f.compiles).padStart(2)} compiles ${String(f.deopts).padStart(2)} deopts  ${f.name}`);
if (sites.size > 0) {
  console.log(`\neager deoptimisations by site (top ${top}):`);
  for (const [s, n] of [...sites].sort((x, y) => y[1] - x[1]).slice(0, top)) console.log(`${String(n).padStart(4)}  ${s}`);
}
