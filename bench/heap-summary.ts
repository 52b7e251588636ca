// Summarises a V8 heap snapshot (STEPPEWATCH_BENCH_HEAP_SNAPSHOT, node --heapsnapshot-signal,
// v8.writeHeapSnapshot): self size by constructor, and retained size (the bytes that would be freed
// with an object) of the biggest dominators with their retaining path, so that two snapshots
// (a base and a change, after the same cold cycle) can be compared by what holds the memory.
//
//   npx tsx bench/heap-summary.ts FILE.heapsnapshot [--top 40] [--min-mb 0.5] [--json OUT] [--expand PATH-PART] [--owners CLASS]
//   npx tsx bench/heap-summary.ts --diff A.json B.json     (two --json outputs: by constructor)
//
// Written by hand (no maintained npm package parses the snapshot format into dominators without a
// browser): the snapshot's flat node/edge arrays, weak edges left out, then the immediate
// dominators by the iterative algorithm of Cooper, Harvey and Kennedy ("A Simple, Fast Dominance
// Algorithm") over a depth-first postorder from the root, and retained sizes summed up the tree.
// A few seconds and a few hundred MB for a 150 MB heap. Bench-only instrumentation.
import { readFileSync, writeFileSync } from 'node:fs';

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[]]; edge_fields: string[]; edge_types: [string[]] }; node_count: number };
  nodes: number[];
  edges: number[];
  strings: string[];
}

interface Summary {
  totalMB: number;
  byClass: Record<string, { count: number; selfMB: number }>;
  top: { path: string; cls: string; retainedMB: number; selfMB: number }[];
}

const MB = 1048576;

export function summarise(file: string, top = 40, minMB = 0.5, expand?: string, ownersOf?: string): Summary {
  const s = JSON.parse(readFileSync(file, 'utf8')) as Snapshot;
  const nf = s.snapshot.meta.node_fields;
  const ef = s.snapshot.meta.edge_fields;
  const NF = nf.length;
  const EF = ef.length;
  const nTypes = s.snapshot.meta.node_types[0];
  const eTypes = s.snapshot.meta.edge_types[0];
  const [iType, iName, iSelf, iEdges] = ['type', 'name', 'self_size', 'edge_count'].map((f) => nf.indexOf(f)) as [number, number, number, number];
  const [eType, eName, eTo] = ['type', 'name_or_index', 'to_node'].map((f) => ef.indexOf(f)) as [number, number, number];
  const weak = eTypes.indexOf('weak');
  const shortcut = eTypes.indexOf('shortcut');
  const N = s.nodes.length / NF;
  const firstEdge = new Uint32Array(N + 1);
  for (let i = 0, e = 0; i < N; i++) {
    firstEdge[i] = e;
    e += s.nodes[i * NF + iEdges]! * EF;
    firstEdge[i + 1] = e;
  }
  const strongEdge = (e: number) => s.edges[e + eType] !== weak && s.edges[e + eType] !== shortcut;
  // depth-first postorder from the root (node 0)
  const post = new Int32Array(N).fill(-1);
  const order = new Uint32Array(N);
  let count = 0;
  const stack = new Uint32Array(N);
  const next = new Uint32Array(N);
  const seen = new Uint8Array(N);
  let sp = 0;
  stack[sp++] = 0;
  seen[0] = 1;
  next[0] = firstEdge[0]!;
  while (sp > 0) {
    const n = stack[sp - 1]!;
    let pushed = false;
    while (next[n]! < firstEdge[n + 1]!) {
      const e = next[n]!;
      next[n] = e + EF;
      if (!strongEdge(e)) continue;
      const to = s.edges[e + eTo]! / NF;
      if (seen[to]) continue;
      seen[to] = 1;
      next[to] = firstEdge[to]!;
      stack[sp++] = to;
      pushed = true;
      break;
    }
    if (!pushed) {
      sp--;
      post[n] = count;
      order[count++] = n;
    }
  }
  // predecessors (reachable ones), CSR
  const predCount = new Uint32Array(N + 1);
  for (let n = 0; n < N; n++) {
    if (post[n]! < 0) continue;
    for (let e = firstEdge[n]!; e < firstEdge[n + 1]!; e += EF) if (strongEdge(e)) predCount[s.edges[e + eTo]! / NF + 1]! += 1;
  }
  for (let n = 0; n < N; n++) predCount[n + 1]! += predCount[n]!;
  const preds = new Uint32Array(predCount[N]!);
  const fill = predCount.slice();
  for (let n = 0; n < N; n++) {
    if (post[n]! < 0) continue;
    for (let e = firstEdge[n]!; e < firstEdge[n + 1]!; e += EF) if (strongEdge(e)) preds[fill[s.edges[e + eTo]! / NF]!++] = n;
  }
  // immediate dominators by postorder number (Cooper, Harvey, Kennedy)
  const UNDEF = -1;
  const idom = new Int32Array(count).fill(UNDEF);
  const rootPo = post[0]!;
  idom[rootPo] = rootPo;
  const intersect = (a: number, b: number) => {
    while (a !== b) {
      while (a < b) a = idom[a]!;
      while (b < a) b = idom[b]!;
    }
    return a;
  };
  for (let changed = true; changed; ) {
    changed = false;
    for (let po = count - 1; po >= 0; po--) {
      if (po === rootPo) continue;
      const n = order[po]!;
      let nd = UNDEF;
      for (let p = predCount[n]!; p < predCount[n + 1]!; p++) {
        const q = post[preds[p]!]!;
        if (idom[q] === UNDEF) continue;
        nd = nd === UNDEF ? q : intersect(q, nd);
      }
      if (nd !== UNDEF && idom[po] !== nd) {
        idom[po] = nd;
        changed = true;
      }
    }
  }
  const self = (n: number) => s.nodes[n * NF + iSelf]!;
  const retained = new Float64Array(count);
  for (let po = 0; po < count; po++) retained[po] = self(order[po]!);
  for (let po = 0; po < count; po++) if (po !== rootPo) retained[idom[po]!]! += retained[po]!;
  const cls = (n: number) => {
    const t = nTypes[s.nodes[n * NF + iType]!]!;
    const name = s.strings[s.nodes[n * NF + iName]!]!;
    if (t === 'object' || t === 'closure' || t === 'native' || t === 'synthetic') return t === 'closure' ? `${name}()` : name.slice(0, 80);
    if (t === 'hidden' || t === 'code') return `(${t}) ${name.slice(0, 40)}`;
    return `(${t})`;
  };
  const byClass: Summary['byClass'] = {};
  let total = 0;
  for (let po = 0; po < count; po++) {
    const n = order[po]!;
    const c = cls(n);
    const b = (byClass[c] ??= { count: 0, selfMB: 0 });
    b.count += 1;
    b.selfMB += self(n) / MB;
    total += self(n);
  }
  // the edge name from a node's dominator down the way to it (a dominator's own edge when it has one)
  const edgeName = (from: number, to: number) => {
    for (let e = firstEdge[from]!; e < firstEdge[from + 1]!; e += EF) {
      if (s.edges[e + eTo]! / NF !== to) continue;
      const t = eTypes[s.edges[e + eType]!];
      const x = s.edges[e + eName]!;
      return t === 'element' || t === 'hidden' ? `[${x}]` : s.strings[x]!;
    }
    return '~';
  };
  const pathOf = (po: number) => {
    const parts: string[] = [];
    for (let p = po, k = 0; p !== rootPo && k < 8; p = idom[p]!, k++) {
      // a retainer of p (every one is below p's dominator, or it) and its edge's name
      const n = order[p]!;
      const d = order[idom[p]!]!;
      let q = d;
      for (let i = predCount[n]!; i < predCount[n + 1]!; i++) {
        q = preds[i]!;
        if (q === d) break;
      }
      parts.unshift(`${q === d ? '' : '..'}${q === 0 ? '' : cls(q)}.${edgeName(q, n)}`);
    }
    return parts.join(' > ');
  };
  // the biggest dominators that are not just a chain link of a bigger one (a child holding ~all of it)
  const cand: number[] = [];
  for (let po = 0; po < count; po++) if (retained[po]! >= minMB * MB && po !== rootPo) cand.push(po);
  cand.sort((a, b) => retained[b]! - retained[a]!);
  const out: Summary['top'] = [];
  for (const po of cand) {
    const d = idom[po]!;
    if (d !== rootPo && retained[po]! > 0.9 * retained[d]! && out.some((o) => o.path === pathOf(d))) continue;
    out.push({ path: pathOf(po), cls: cls(order[po]!), retainedMB: retained[po]! / MB, selfMB: self(order[po]!) / MB });
    if (out.length >= top) break;
  }
  if (ownersOf) {
    // the nodes of one class (e.g. '(string)') by their nearest dominator of at least minMB: who holds them
    const big = new Set(cand);
    const by = new Map<number, number>();
    for (let po = 0; po < count; po++) {
      if (cls(order[po]!) !== ownersOf) continue;
      let p = idom[po]!;
      while (p !== rootPo && !big.has(p)) p = idom[p]!;
      by.set(p, (by.get(p) ?? 0) + self(order[po]!));
    }
    console.log(`${ownersOf} by the nearest dominator of ${minMB} MB or more (MB):`);
    for (const [p, b] of [...by].sort((x, y) => y[1] - x[1]).slice(0, 15)) console.log(`  ${(b / MB).toFixed(2).padStart(8)}  ${p === rootPo ? '(root)' : pathOf(p)}`);
  }
  if (expand) {
    // what the first big node whose path holds `expand` holds (all it dominates), by class: self sizes
    const at = cand.find((po) => pathOf(po).includes(expand));
    if (at !== undefined) {
      const under = new Map<string, { n: number; mb: number }>();
      for (let po = 0; po < count; po++) {
        let p = po;
        while (p !== at && p !== rootPo) p = idom[p]!;
        if (p !== at) continue;
        const k = cls(order[po]!);
        const b = under.get(k) ?? { n: 0, mb: 0 };
        b.n += 1;
        b.mb += self(order[po]!) / MB;
        under.set(k, b);
      }
      console.log(`under ${pathOf(at)} (${(retained[at]! / MB).toFixed(2)} MB): what it holds by class (self sizes)`);
      const kids: number[] = [];
      for (let po = 0; po < count; po++) if (idom[po] === at) kids.push(po);
      kids.sort((a, b) => retained[b]! - retained[a]!);
      for (const po of kids.slice(0, 8)) console.log(`  child ${(retained[po]! / MB).toFixed(2).padStart(8)} MB  ${cls(order[po]!)} .${edgeName(order[at]!, order[po]!)}`);
      for (const [k, v] of [...under].sort((x, y) => y[1].mb - x[1].mb).slice(0, 15)) console.log(`  ${v.mb.toFixed(2).padStart(8)} MB  ${String(v.n).padStart(8)}  ${k}`);
    }
  }
  return { totalMB: total / MB, byClass, top: out };
}

function main(argv: string[]): void {
  const opt = (k: string) => {
    const i = argv.indexOf(k);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  if (argv[0] === '--diff') {
    const a = JSON.parse(readFileSync(argv[1]!, 'utf8')) as Summary;
    const b = JSON.parse(readFileSync(argv[2]!, 'utf8')) as Summary;
    console.log(`total ${a.totalMB.toFixed(1)} -> ${b.totalMB.toFixed(1)} MB`);
    const names = new Set([...Object.keys(a.byClass), ...Object.keys(b.byClass)]);
    const rows = [...names].map((k) => ({ k, a: a.byClass[k] ?? { count: 0, selfMB: 0 }, b: b.byClass[k] ?? { count: 0, selfMB: 0 } }));
    rows.sort((x, y) => Math.abs(y.b.selfMB - y.a.selfMB) - Math.abs(x.b.selfMB - x.a.selfMB));
    for (const r of rows.slice(0, Number(opt('--top') ?? 30))) console.log(`${(r.b.selfMB - r.a.selfMB).toFixed(2).padStart(8)} MB  ${String(r.b.count - r.a.count).padStart(9)} objs  ${r.a.selfMB.toFixed(1).padStart(7)} -> ${r.b.selfMB.toFixed(1).padStart(7)} MB  ${r.k}`);
    return;
  }
  const sum = summarise(argv[0]!, Number(opt('--top') ?? 40), Number(opt('--min-mb') ?? 0.5), opt('--expand'), opt('--owners'));
  const json = opt('--json');
  if (json) writeFileSync(json, JSON.stringify(sum));
  if (opt('--expand') || opt('--owners')) return;
  console.log(`reachable self size ${sum.totalMB.toFixed(1)} MB`);
  console.log('by constructor (self MB, count):');
  const rows = Object.entries(sum.byClass).sort((x, y) => y[1].selfMB - x[1].selfMB);
  for (const [k, v] of rows.slice(0, 25)) console.log(`  ${v.selfMB.toFixed(2).padStart(8)}  ${String(v.count).padStart(9)}  ${k}`);
  console.log('biggest retainers (retained MB, self MB, class, path from the root):');
  for (const t of sum.top) console.log(`  ${t.retainedMB.toFixed(2).padStart(8)} ${t.selfMB.toFixed(2).padStart(6)}  ${t.cls}  ${t.path}`);
}

main(process.argv.slice(2));
