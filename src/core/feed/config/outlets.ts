// A directory of outlets known by name: to credit an aggregator item to its real outlet (and
// its affiliation), and to recognise outlets an article cites.
import type { Affiliation } from '../../types.js';
import { slugify } from './feeds-file.js';

export interface OutletInfo {
  id: string;
  names: string[];
  affiliation: Affiliation;
}

export interface OutletDirectory {
  /** The outlet a name (any listed spelling, or its id) stands for, or null. */
  byName(name: string): OutletInfo | null;
  all(): readonly OutletInfo[];
}

const fold = (s: string) => s.normalize('NFKC').toLowerCase().replace(/[’'`"«»“”]/g, '').replace(/\s+/g, ' ').trim();

/** Later entries win over earlier ones with the same id (the feeds file over the built-in list). */
export function outletDirectory(entries: readonly OutletInfo[]): OutletDirectory {
  const byId = new Map<string, OutletInfo>();
  for (const e of entries) {
    const prior = byId.get(e.id);
    byId.set(e.id, prior ? { id: e.id, names: [...new Set([...e.names, ...prior.names])], affiliation: e.affiliation } : { ...e, names: [...e.names] });
  }
  const names = new Map<string, OutletInfo>();
  for (const o of byId.values()) {
    names.set(fold(o.id), o);
    for (const n of o.names) if (!names.has(fold(n))) names.set(fold(n), o);
  }
  return {
    byName: (name) => names.get(fold(name)) ?? names.get(slugify(name)) ?? null,
    all: () => [...byId.values()],
  };
}
