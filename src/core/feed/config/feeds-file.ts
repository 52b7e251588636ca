// The feeds file (FEEDS_FILE, YAML or JSON): a list of
// {id?, url, outlet, language, country?, affiliation, interval?, verified?} → FeedConfig[].
// Errors name the entry (index, and id or outlet when known) and the field.
import YAML from 'yaml';
import { z } from 'zod';
import type { Affiliation, FeedConfig } from '../../types.js';

// Cyrillic letters of Russian, Kazakh, Kyrgyz, Tajik and Uzbek (Cyrillic) outlet names, for slugs.
const CYRILLIC: Record<string, string> = {
  а: 'a', б: 'b', в: 'v', г: 'g', д: 'd', е: 'e', ё: 'e', ж: 'zh', з: 'z', и: 'i', й: 'y', к: 'k',
  л: 'l', м: 'm', н: 'n', о: 'o', п: 'p', р: 'r', с: 's', т: 't', у: 'u', ф: 'f', х: 'kh', ц: 'ts',
  ч: 'ch', ш: 'sh', щ: 'shch', ъ: '', ы: 'y', ь: '', э: 'e', ю: 'yu', я: 'ya', ә: 'a', ғ: 'g',
  қ: 'q', ң: 'ng', ө: 'o', ұ: 'u', ү: 'u', һ: 'h', і: 'i', ӣ: 'i', ӯ: 'u', ҳ: 'h', ҷ: 'j', ў: 'o',
};

/**
 * URL- and key-safe slug of a name: `RT` → `rt`, `Global Times` → `global-times`,
 * `Хабар` → `khabar`, `24.kg` → `24-kg`. Empty when nothing Latin or Cyrillic is left (Chinese
 * names): callers then need an explicit id.
 */
export function slugify(name: string): string {
  return name
    .toLowerCase()
    .replace(/[\u0400-\u04ff]/g, (c) => CYRILLIC[c] ?? '')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/['’]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const LANGUAGE = /^[a-z]{2,3}(?:-[a-z0-9]{2,8})*$/i;

const httpUrl = z.string().trim().refine(
  (u) => {
    try {
      const p = new URL(u).protocol;
      return p === 'http:' || p === 'https:';
    } catch {
      return false;
    }
  },
  { message: 'must be an http(s) URL' },
);

export const AFFILIATION_PATTERN = /^(?:(?:state|public):[A-Z]{2}|independent|unknown)$/;

const Entry = z
  .object({
    id: z.string().trim().regex(SLUG, { message: 'must be a slug (lower-case letters, digits and dashes)' }).optional(),
    url: httpUrl,
    outlet: z.string().trim().min(1, { message: 'must not be empty' }),
    language: z.union([
      z.string().trim().regex(LANGUAGE, { message: 'must be a language code such as en, ru, zh' }),
      z.array(z.string().trim().regex(LANGUAGE, { message: 'must be a language code such as en, ru, zh' })).min(1, { message: 'must list at least one language' }),
    ]),
    country: z
      .string()
      .trim()
      .regex(/^[A-Za-z]{2}$/, { message: 'must be an ISO 3166 alpha-2 code such as RU, KZ' })
      .transform((c) => c.toUpperCase())
      .optional(),
    affiliation: z
      .string()
      .trim()
      .regex(AFFILIATION_PATTERN, { message: 'must be state:<CC>, public:<CC>, independent or unknown' }),
    interval: z.number().int({ message: 'must be a whole number of seconds' }).positive({ message: 'must be positive' }).optional(),
    verified: z.union([z.boolean(), z.string().trim().min(1)]).optional(),
  })
  .strict();

export type FeedsFileResult = { ok: true; feeds: FeedConfig[] } | { ok: false; errors: string[] };

function label(index: number, raw: unknown): string {
  const r = raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  const name = typeof r.id === 'string' ? r.id : typeof r.outlet === 'string' ? r.outlet : null;
  return `entry ${index + 1}${name ? ` (${name})` : ''}`;
}

/**
 * Parses and validates a feeds file. `text` is YAML or JSON (JSON is YAML); the top level is a
 * list (a `{feeds: [...]}` mapping is accepted too). Every entry is checked; all errors are
 * returned, one line each: `entry 3 (rt-en): url: must be an http(s) URL`.
 */
export function parseFeedsFile(text: string, source: FeedConfig['source'] = 'file'): FeedsFileResult {
  let doc: unknown;
  try {
    doc = YAML.parse(text);
  } catch (e) {
    return { ok: false, errors: [`not valid YAML or JSON: ${(e as Error).message.split('\n')[0]}`] };
  }
  if (doc && typeof doc === 'object' && !Array.isArray(doc) && Array.isArray((doc as Record<string, unknown>).feeds)) {
    doc = (doc as Record<string, unknown>).feeds;
  }
  if (doc === null || doc === undefined) return { ok: true, feeds: [] };
  if (!Array.isArray(doc)) return { ok: false, errors: ['the feeds file must be a list of feeds'] };

  const errors: string[] = [];
  const feeds: FeedConfig[] = [];
  const ids = new Map<string, number>();
  doc.forEach((raw, index) => {
    const r = Entry.safeParse(raw);
    if (!r.success) {
      for (const issue of r.error.issues) {
        const field = issue.path.length ? issue.path.join('.') : null;
        const msg = issue.code === 'unrecognized_keys' ? `unknown field(s): ${issue.keys.join(', ')}` : issue.message;
        errors.push(`${label(index, raw)}: ${field ? `${field}: ` : ''}${msg}`);
      }
      return;
    }
    const e = r.data;
    const language = (Array.isArray(e.language) ? e.language : [e.language]).map((l) => l.toLowerCase());
    const outletId = slugify(e.outlet);
    if (!outletId && !e.id) {
      errors.push(`${label(index, raw)}: outlet: "${e.outlet}" gives no slug; set an id`);
      return;
    }
    const id = e.id ?? `${outletId}-${language[0]}`;
    const prev = ids.get(id);
    if (prev !== undefined) {
      errors.push(`${label(index, raw)}: id: "${id}" is already used by entry ${prev + 1}${e.id ? '' : ' (set an id: the default is outlet slug + first language)'}`);
      return;
    }
    ids.set(id, index);
    const feed: FeedConfig = {
      id,
      url: e.url,
      outlet: e.outlet,
      outletId: outletId || id,
      language,
      affiliation: e.affiliation as Affiliation,
      source,
    };
    if (e.country) feed.country = e.country;
    if (e.interval !== undefined) feed.interval = e.interval;
    if (e.verified !== undefined) feed.verified = e.verified;
    feeds.push(feed);
  });
  return errors.length ? { ok: false, errors } : { ok: true, feeds };
}
