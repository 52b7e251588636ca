// Reading FEEDS_FILE: one line per problem, naming the file.
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseFeedsFile } from '../core/feed/config/feeds-file.js';
import type { FeedConfig } from '../core/types.js';

/**
 * The last file read, by path, modification time and size. A start reads FEEDS_FILE up to three
 * times (the CLI's check, the outlet directory, the scheduler role); parsing a 20,000-feed YAML
 * file takes seconds and ~140 MB of transient heap each time (issue 16), so an unchanged file is
 * parsed once. Callers get copies: they may change what they get.
 */
let memo: { key: string; feeds: FeedConfig[] } | null = null;

export function readFeedsFile(path: string): FeedConfig[] {
  let text: string;
  let key: string;
  try {
    const st = statSync(path);
    key = `${resolve(path)}\u0000${st.mtimeMs}\u0000${st.size}`;
    if (memo?.key === key) return structuredClone(memo.feeds);
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new Error(`FEEDS_FILE ${path}: cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const r = parseFeedsFile(text, 'file');
  if (!r.ok) throw new Error(`FEEDS_FILE ${path}: ${r.errors.join('; ')}`);
  memo = { key, feeds: r.feeds };
  return structuredClone(r.feeds);
}
