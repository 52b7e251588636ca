// Document frequencies: idf, two sources added up, and the text form of data/story-background.tsv.
// Split from similarity.ts for size; no change in behaviour (similarity.ts re-exports them).

/** Document frequencies the weights come from: a batch's own counts, or counts kept in the store. */
export interface DocFreq {
  /** Documents counted. */
  readonly n: number;
  df(key: string): number;
}

/** Smoothed inverse document frequency; 1 for a key no other document has when n is small. */
export function idf(d: DocFreq, key: string): number {
  return Math.log((1 + d.n) / (1 + d.df(key))) + 1;
}

/** Frequencies of two sources added up (a built-in background and what a batch or store counted). */
export function combineDocFreq(a: DocFreq, b: DocFreq): DocFreq {
  return { n: a.n + b.n, df: (k) => a.df(k) + b.df(k) };
}

/**
 * A frequency table as text (data/story-background.tsv): `# ` comment lines, a line `n<TAB>count`
 * with the number of documents, then one `key<TAB>df` line per key. Throws on a malformed line.
 */
export function parseDocFreqTable(table: string): DocFreq {
  let n = NaN;
  const m = new Map<string, number>();
  let lineNo = 0;
  for (const line of table.split('\n')) {
    lineNo++;
    if (!line || line.startsWith('# ')) continue; // keys never hold a space; number keys start with '#:'
    const tab = line.lastIndexOf('\t');
    const key = line.slice(0, tab);
    const count = Number(line.slice(tab + 1));
    if (tab <= 0 || !Number.isInteger(count) || count < 0) throw new Error(`line ${lineNo}: expected "key<TAB>count", got ${JSON.stringify(line.slice(0, 60))}`);
    if (key === 'n' && Number.isNaN(n)) n = count;
    else m.set(key, count);
  }
  if (Number.isNaN(n)) throw new Error('no "n<TAB>count" line (the number of documents)');
  return { n, df: (k) => m.get(k) ?? 0 };
}

/** The table's text (see parseDocFreqTable): keys seen in fewer than `minDf` documents left out, sorted. */
export function formatDocFreqTable(n: number, counts: ReadonlyMap<string, number>, minDf: number, header: readonly string[] = []): string {
  const rows = [...counts.entries()].filter(([k, c]) => c >= minDf && k !== 'n' && !k.includes('\t') && !k.includes('\n')).sort((x, y) => (x[0] < y[0] ? -1 : 1));
  return [...header.map((h) => `# ${h}`), `n\t${n}`, ...rows.map(([k, c]) => `${k}\t${c}`), ''].join('\n');
}
