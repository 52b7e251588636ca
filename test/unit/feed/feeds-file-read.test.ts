// readFeedsFile parses an unchanged FEEDS_FILE once per process (a start reads it up to three
// times; a 20,000-feed YAML file takes seconds to parse), and reads it again once it changes.
import { mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readFeedsFile } from '../../../src/main/feeds-file.js';

describe('readFeedsFile', () => {
  it('hands out copies of one parse while the file is unchanged, and reads a changed file again', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'sw-ff-')), 'feeds.yaml');
    writeFileSync(file, '- {id: a-en, url: "https://a.example.org/rss", outlet: A, language: en, affiliation: independent}\n');
    const first = readFeedsFile(file);
    first[0]!.outlet = 'changed by a caller';
    const second = readFeedsFile(file);
    expect(second.map((f) => [f.id, f.outlet])).toEqual([['a-en', 'A']]);
    expect(second).not.toBe(first);
    writeFileSync(file, '- {id: b-en, url: "https://b.example.org/rss", outlet: B, language: en, affiliation: independent}\n');
    utimesSync(file, new Date(), new Date(Date.now() + 5000));
    expect(readFeedsFile(file).map((f) => f.id)).toEqual(['b-en']);
    writeFileSync(file, '- [not, a, feed\n');
    utimesSync(file, new Date(), new Date(Date.now() + 10_000));
    expect(() => readFeedsFile(file)).toThrow(/^FEEDS_FILE .*feeds\.yaml: /);
  });
});
