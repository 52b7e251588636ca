// The XML document's simple path (src/core/feed/parse/xml-simple.ts) over every feed document of
// ../shared/corpus/feeds, decoded and cleaned as the fetcher does: wherever it answers, its DOM is
// htmlparser2's node for node; and it answers for most real feeds (the point of having it).
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { parseDocument } from 'htmlparser2';
import { describe, expect, it } from 'vitest';
import { decodeFeedBytes } from '../../src/core/feed/parse/charset.js';
import { nestsTooDeeply } from '../../src/core/feed/parse/nesting.js';
import { sniffDocument } from '../../src/core/feed/parse/sniff.js';
import { cleanXml } from '../../src/core/feed/parse/xml-clean.js';
import { simpleXmlDocument } from '../../src/core/feed/parse/xml-simple.js';
import { domDifference } from '../helpers/dom-compare.js';
import { listCorpusDocuments } from './expectations.js';

const ROOT = fileURLToPath(new URL('../../../shared/corpus/feeds', import.meta.url));
const present = existsSync(ROOT);
if (!present) console.warn(`SKIPPED: the feeds corpus is not at ${ROOT} (../shared/corpus/feeds beside the checkout)`);

describe.skipIf(!present)('the XML simple path over the feeds corpus', () => {
  it('builds htmlparser2 DOM wherever it answers, and answers for most documents', () => {
    let docs = 0;
    let simple = 0;
    const differ: string[] = [];
    for (const path of listCorpusDocuments(ROOT)) {
      let bytes: Uint8Array = readFileSync(path);
      if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
        try {
          bytes = gunzipSync(bytes, { finishFlush: 2 });
        } catch {
          continue;
        }
      }
      const text = decodeFeedBytes(bytes, null).text;
      if (sniffDocument(text).kind !== 'feed') continue;
      const xml = cleanXml(text);
      if (nestsTooDeeply(xml, 'xml')) continue;
      docs += 1;
      const fast = simpleXmlDocument(xml);
      if (!fast) continue;
      simple += 1;
      const diff = domDifference(fast, parseDocument(xml, { xmlMode: true, decodeEntities: true }));
      if (diff) differ.push(`${path}: ${diff}`);
    }
    console.log(`XML simple path: ${simple} of ${docs} corpus feed documents, ${differ.length} differ`);
    expect(differ).toEqual([]);
    expect(docs).toBeGreaterThan(4_000);
    expect(simple / docs).toBeGreaterThan(0.9);
  }, 120_000);
});
