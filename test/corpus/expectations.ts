// Which files of ../shared/corpus/feeds are feed documents, and what each says it should parse
// to, read from its source's own convention:
//   feedparser  `Header:` / `Expect:` comments (Python expressions; the title, link, date, item
//               count and feed title clauses are read)
//   gofeed      sibling `<name>.json` or `<name>_expected.json` (items/entries: title, link(s),
//               publishedParsed/pubDateParsed/updatedParsed; JSON Feed: title, url, date_published)
//   feed-rs     sibling `<name>.serde.json` (entries: title.content, links[0].href, published/updated)
//   feedsmith   sibling `<name>.json` (items/entries: title, link(s), pubDate/published/updated)
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

export type CheckKind = 'title' | 'link' | 'date' | 'count' | 'feedTitle';

export interface Check {
  kind: CheckKind;
  /** Item index for title/link/date. */
  index?: number;
  /** Expected value: text, URL, ISO instant, or a count. */
  expected: string | number | null;
  /** For dates: compare with the item's update date (feedparser updated_parsed) rather than its publication date. */
  dateField?: 'published' | 'updated';
}

export interface CorpusDoc {
  path: string;
  /** Path under the corpus feeds folder. */
  rel: string;
  source: string;
  /** Content-Type the document's test served it with (feedparser `Header:`), if any. */
  contentType: string | null;
  /** URL the document is taken to live at (base of relative links). */
  url: string;
  checks: Check[];
}

const SKIP_FILE = /(^|\/)(LICENSE[^/]*|[^/]*\.txt|[^/]*\.output|[^/]*\.md)$/i;

/** True for a JSON file that is another file's expected output rather than a JSON Feed. */
function isExpectedJson(path: string): boolean {
  if (!path.endsWith('.json')) return false;
  if (/\.serde\.json$|_expected\.json$/.test(path)) return true;
  const stem = path.slice(0, -'.json'.length);
  return ['.xml', '.rss', '.atom'].some((ext) => existsSync(stem + ext));
}

export function listCorpusDocuments(root: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const f of readdirSync(d).sort()) {
      const p = join(d, f);
      if (statSync(p).isDirectory()) walk(p);
      else if (!SKIP_FILE.test(p) && !isExpectedJson(p)) out.push(p);
    }
  };
  walk(root);
  return out;
}

/** Decodes a Python string literal ('…', "…", u'…') as feedparser's Expect lines write them. */
export function pythonString(lit: string): string {
  const body = lit.replace(/^[uUbB]?(['"])/, '').slice(0, -1);
  return body.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[\\'"nrt0]|\n)/g, (_, e: string) => {
    switch (e[0]) {
      case 'x':
      case 'u':
      case 'U':
        return String.fromCodePoint(Number.parseInt(e.slice(1), 16));
      case 'n':
        return '\n';
      case 'r':
        return '\r';
      case 't':
        return '\t';
      case '0':
        return '\0';
      case '\n':
        return '';
      default:
        return e;
    }
  });
}

const PY_STR = String.raw`[uU]?'(?:[^'\\]|\\.)*'|[uU]?"(?:[^"\\]|\\.)*"`;
const TUPLE = String.raw`\((?:\s*\d+\s*,){5,8}\s*\d+\s*\)`;
const CLAUSE = new RegExp(
  String.raw`(entries\[(\d+)\](?:\['(\w+)'\]|\.(\w+))(?:\['(\w+)'\])?|feed(?:\['(\w+)'\]|\.(\w+))(?:\['(\w+)'\])?)\s*==\s*(${PY_STR}|${TUPLE})|len\(entries\)\s*==\s*(\d+)`,
  'g',
);

function tupleToIso(t: string): string {
  const [y, mo, d, h, mi, s] = t.replace(/[()\s]/g, '').split(',').map(Number) as number[];
  return new Date(Date.UTC(y!, mo! - 1, d!, h!, mi!, s!)).toISOString();
}

function feedparserChecks(text: string): { contentType: string | null; checks: Check[] } | null {
  const comment = /<!--([\s\S]*?)-->/.exec(text.slice(0, 4000));
  const jsonTest = /"__TEST__"\s*:\s*"([^"]*)"/.exec(text.slice(0, 4000));
  const head = comment?.[1] ?? jsonTest?.[1];
  if (!head) return null;
  const header = /Header:\s*Content-type:\s*(.+)/i.exec(head)?.[1]?.trim() ?? null;
  const expect = /Expect:\s*([\s\S]*?)(?:\n\s*\w+:|-->|$)/.exec(head)?.[1]?.replace(/\s+/g, ' ').trim();
  const checks: Check[] = [];
  if (expect) {
    for (const m of expect.matchAll(CLAUSE)) {
      if (m[10]) {
        checks.push({ kind: 'count', expected: Number(m[10]) });
        continue;
      }
      const value = m[9]!;
      const isTuple = value.startsWith('(');
      if (m[2] !== undefined) {
        const field = m[3] ?? m[4];
        const sub = m[5];
        const index = Number(m[2]);
        if ((field === 'title' && !sub) || (field === 'title_detail' && sub === 'value')) {
          if (!isTuple) checks.push({ kind: 'title', index, expected: pythonString(value) });
        } else if (field === 'link' && !sub && !isTuple) {
          checks.push({ kind: 'link', index, expected: pythonString(value) });
        } else if (isTuple && !sub && (field === 'published_parsed' || field === 'created_parsed' || field === 'updated_parsed')) {
          checks.push({ kind: 'date', index, expected: tupleToIso(value), dateField: field === 'updated_parsed' ? 'updated' : 'published' });
        }
      } else {
        const field = m[6] ?? m[7];
        const sub = m[8];
        if (!isTuple && ((field === 'title' && !sub) || (field === 'title_detail' && sub === 'value'))) {
          checks.push({ kind: 'feedTitle', expected: pythonString(value) });
        }
      }
    }
  }
  return { contentType: header, checks };
}

type J = Record<string, unknown>;
const s = (v: unknown): string | null => (typeof v === 'string' ? v : null);

function linkFromLinks(links: unknown): string | null {
  if (!Array.isArray(links)) return null;
  for (const l of links) {
    if (typeof l === 'string') return l;
    const o = l as J;
    const rel = s(o.rel) ?? 'alternate';
    if (rel === 'alternate' && s(o.href)) return s(o.href);
  }
  return null;
}

function siblingChecks(path: string, source: string): Check[] | null {
  const stem = path.replace(/\.(xml|rss|atom|json)$/, '');
  const candidates =
    source === 'feed-rs'
      ? [`${stem}.serde.json`]
      : source === 'gofeed'
        ? [`${stem}_expected.json`, `${stem}.json`]
        : source === 'feedsmith'
          ? [`${stem}.json`]
          : [];
  const file = candidates.find((c) => c !== path && existsSync(c));
  if (!file) return null;
  let doc: J;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8')) as J;
  } catch {
    return null;
  }
  const list = (doc.items ?? doc.entries) as J[] | undefined;
  const checks: Check[] = [];
  if (Array.isArray(list)) {
    checks.push({ kind: 'count', expected: list.length });
    list.forEach((it, index) => {
      let title: string | null;
      let link: string | null;
      let date: string | null;
      if (source === 'feed-rs') {
        title = s((it.title as J | null)?.content);
        link = s(((it.links as J[] | undefined) ?? [])[0]?.href);
        date = s(it.published) ?? s(it.updated);
      } else if (source === 'gofeed') {
        title = s(it.title);
        link = s(it.link) ?? s(it.url) ?? linkFromLinks(it.links);
        date = s(it.publishedParsed) ?? s(it.pubDateParsed) ?? s(it.date_published) ?? (it.published ? null : s(it.updatedParsed));
      } else {
        title = s(it.title) ?? s((it.title as J | null)?.value);
        link = s(it.link) ?? linkFromLinks(it.links);
        date = s(it.pubDate) ?? s(it.published) ?? s(it.updated) ?? s((it.dc as J | undefined)?.date) ?? s((it.dc as J | undefined)?.dates && ((it.dc as J).dates as unknown[])[0]);
      }
      if (title !== null) checks.push({ kind: 'title', index, expected: title });
      if (link !== null) checks.push({ kind: 'link', index, expected: link });
      if (date !== null) checks.push({ kind: 'date', index, expected: date, dateField: 'published' });
    });
  }
  const ft = doc.title;
  const feedTitle = s(ft) ?? s((ft as J | null)?.content);
  if (feedTitle !== null) checks.push({ kind: 'feedTitle', expected: feedTitle });
  return checks;
}

export function describeDocument(root: string, path: string): CorpusDoc {
  const rel = relative(root, path);
  const source = rel.split('/')[0]!;
  let contentType: string | null = null;
  let checks: Check[] = [];
  // feedparser's tests are served from a local web server; relative links resolve against it.
  let url = `http://feeds.test/${rel}`;
  if (source === 'feedparser') {
    url = `http://127.0.0.1:8097/${relative(join(root, 'feedparser'), path)}`;
    const head = readFileSync(path).subarray(0, 4000).toString('latin1');
    const r = feedparserChecks(head);
    if (r) {
      contentType = r.contentType;
      checks = r.checks;
    }
  } else if (source === 'gofeed' || source === 'feed-rs' || source === 'feedsmith') {
    checks = siblingChecks(path, source) ?? [];
  }
  return { path, rel, source, contentType, url, checks };
}
