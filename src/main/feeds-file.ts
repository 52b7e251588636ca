// Reading FEEDS_FILE: one line per problem, naming the file.
import { readFileSync } from 'node:fs';
import { parseFeedsFile } from '../core/feed/feeds-file.js';
import type { FeedConfig } from '../core/types.js';

export function readFeedsFile(path: string): FeedConfig[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new Error(`FEEDS_FILE ${path}: cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const r = parseFeedsFile(text, 'file');
  if (!r.ok) throw new Error(`FEEDS_FILE ${path}: ${r.errors.join('; ')}`);
  return r.feeds;
}
