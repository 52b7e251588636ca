// Deterministic pseudo-randomness for the farm: the same (seed, feed, item) always gives the same
// item, so the bench process can know the farm's ground truth without asking the farm.

/** FNV-1a, 32 bits. */
export function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** mulberry32: a small, fast generator of floats in [0, 1). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Pick {
  <T>(xs: readonly T[]): T;
}

/** Helpers over one generator. */
export function chooser(r: () => number): { pick: Pick; int(min: number, max: number): number } {
  return {
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!,
    int: (min: number, max: number) => min + Math.floor(r() * (max - min + 1)),
  };
}
