// Loads the analysis data files (data/gazetteer.yaml, data/framing-lexicon.yaml,
// data/speakers.yaml) and builds the analyzer (which derives attribution's country words from
// the gazetteer: src/core/geo/country-words.ts). The package root is found by walking up from this file to package.json, so
// the same code works from src/adapters (tsx, tests) and dist/src/adapters (the build).
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { z } from 'zod';
import { createAnalyzer, type Analyzer, type AnalyzerData } from '../core/analyse.js';
import type { GazetteerData } from '../core/geo/gazetteer.js';
import type { LexiconData } from '../core/framing/lexicon.js';
import type { SpeakerLexicon } from '../core/framing/attribution/index.js';
import { parseDocFreqTable, type DocFreq } from '../core/story/similarity.js';
import { compileNames, type CrossScriptNames } from '../core/story/names.js';

export function packageRoot(from = dirname(fileURLToPath(import.meta.url))): string {
  let dir = from;
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'data'))) return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error(`steppewatch: no package root (package.json with data/) above ${from}`);
    dir = up;
  }
}

const phrases = z.array(z.string()).optional();
const entry = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(['country', 'place', 'person', 'org', 'region', 'block']),
  cc: z.enum(['KZ', 'KG', 'TJ', 'TM', 'UZ']).optional(),
  p: phrases,
  zh: phrases,
  w: z.number().min(0).max(2).optional(),
  ctx: z.boolean().optional(),
  head: z.boolean().optional(),
  demonym: z.boolean().optional(),
  voice: z.boolean().optional(),
  zh_short: z.string().regex(/^\p{Script=Han}$/u, 'expected one Chinese character').optional(),
  xs: phrases,
});
const gazetteerSchema = z.object({
  countries: z.record(z.enum(['KZ', 'KG', 'TJ', 'TM', 'UZ']), z.array(entry)),
  regional: z.array(entry),
  local_places: z.array(z.object({ cc: z.enum(['KZ', 'KG', 'TJ', 'TM', 'UZ']), p: z.array(z.string()) })).optional(),
  foreign_local: z.array(z.string()).optional(),
  others: z.record(z.string().regex(/^([A-Z]{2}|intl)$/, 'expected a country code or intl'), z.array(entry)).optional(),
});
const tagSchema = z.object({
  strong: phrases,
  more: phrases,
  medium: phrases,
  weak: phrases,
  cued: z.array(z.object({ when: z.array(z.array(z.string())), p: z.array(z.string()), timeless: z.boolean().optional() })).optional(),
  context: phrases,
  article_cues: phrases,
  block: phrases,
  history: z.boolean().optional(),
  near_miss: phrases,
});
const lexiconSchema = z.object({
  negation: z.object({
    before: z.array(z.string()),
    before_zh: phrases,
    before_speech: phrases,
    after: phrases,
    not_negation: phrases,
    rebut_before: z.array(z.string()),
    rebut_after: z.array(z.string()),
  }),
  history: z.object({ cues: z.array(z.string()) }),
  speech: z.object({
    en: z.array(z.string()),
    en_stance: phrases,
    en_participles: phrases,
    ru: z.array(z.string()),
    ru_stance: phrases,
    ru_participles: phrases,
    ru_prep: phrases,
    kk: phrases,
    uz: phrases,
    ky: phrases,
    postpositions: phrases,
    zh: z.array(z.string()),
    zh_prep: phrases,
  }),
  tags: z.record(z.string(), tagSchema),
});

const wordList = z.string().regex(/\S/, 'expected words separated by spaces');
const speakersSchema = z.object({
  version: z.literal(1),
  offices: z.record(z.string(), z.array(z.string()).min(1)),
  role_words: wordList,
  pronouns: z.array(z.string()),
  not_speakers: z.array(z.string()),
  speaker_nouns: z.array(z.string()).min(1),
  not_names: wordList,
  zh_roles: z.array(z.tuple([z.string().min(1), z.string()], z.string())),
  // Country words moved to data/gazetteer.yaml (their one source); an older file that still has
  // them gets told where they went rather than having them silently ignored.
  nationality: z.never({ error: 'country words are read from data/gazetteer.yaml now; remove this list' }).optional(),
  zh_nations: z.never({ error: 'country words are read from data/gazetteer.yaml now; remove this list' }).optional(),
});

/** The regular-expression fragments of the speaker lexicon must compile (a clear error naming
 * the file, not a SyntaxError from deep in the analyzer). */
function checkPatterns(file: string, s: z.infer<typeof speakersSchema>): void {
  const lists: [string, string[]][] = [
    ...Object.entries(s.offices).map(([k, v]): [string, string[]] => [`offices.${k}`, v]),
    ['not_speakers', s.not_speakers],
    ['speaker_nouns', s.speaker_nouns],
  ];
  for (const [where, list] of lists)
    for (const p of list) {
      try {
        new RegExp(`(?:${p})`, 'u');
      } catch (err) {
        throw new AnalysisDataError(`${file}: ${where}: ${JSON.stringify(p)}: ${(err as Error).message}`);
      }
    }
}

export class AnalysisDataError extends Error {
  override name = 'AnalysisDataError';
}

function read(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new AnalysisDataError(`cannot read ${file}: ${(err as Error).message}`);
  }
}

function parseChecked<T>(file: string, text: string, schema: z.ZodType<T>): T {
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (err) {
    throw new AnalysisDataError(`${file}: ${(err as Error).message}`);
  }
  const r = schema.safeParse(raw);
  if (!r.success) throw new AnalysisDataError(`${file}: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return r.data;
}

/** Part of the cache key: change it with the schemas above, so a cache written by a process
 * with other schemas (an older checkout, a process started before an edit) is not read. */
const DATA_FORMAT = 'steppewatch-analysis-data/6';

/**
 * The parsed, validated analysis data (default: the package's data/ folder). Parsing and
 * validating the YAML takes a few hundred milliseconds, which every `analyze` process and
 * worker would pay, so the result is cached as JSON in the temp folder under a hash of the
 * files' contents (a changed file is a new key; a cache that cannot be written is skipped).
 */
export function loadAnalyzerData(dataDir?: string): AnalyzerData {
  const dir = dataDir ?? join(packageRoot(), 'data');
  const gFile = join(dir, 'gazetteer.yaml');
  const lFile = join(dir, 'framing-lexicon.yaml');
  const sFile = join(dir, 'speakers.yaml');
  const gText = read(gFile);
  const lText = read(lFile);
  const sText = read(sFile);
  const key = createHash('sha256')
    .update(DATA_FORMAT)
    .update('\0')
    .update(gText)
    .update('\0')
    .update(lText)
    .update('\0')
    .update(sText)
    .digest('hex')
    .slice(0, 24);
  const cacheFile = join(tmpdir(), `steppewatch-analysis-data-${key}.json`);
  try {
    if (existsSync(cacheFile)) return JSON.parse(readFileSync(cacheFile, 'utf8')) as AnalyzerData;
  } catch {
    // An unreadable or torn cache is rebuilt below.
  }
  const speakers = parseChecked(sFile, sText, speakersSchema);
  checkPatterns(sFile, speakers);
  const data: AnalyzerData = {
    gazetteer: parseChecked(gFile, gText, gazetteerSchema) as GazetteerData,
    lexicon: parseChecked(lFile, lText, lexiconSchema) as LexiconData,
    speakers: speakers as SpeakerLexicon,
  };
  try {
    const tmp = `${cacheFile}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(data));
    renameSync(tmp, cacheFile);
  } catch {
    // Read-only temp folder: no cache.
  }
  return data;
}

let cached: Analyzer | undefined;

/** One analyzer for the process, built on first use from the package's data. */
export function defaultAnalyzer(): Analyzer {
  cached ??= createAnalyzer(loadAnalyzerData());
  return cached;
}

// ── story names (cross-script names for story matching) ──

let cachedNames: CrossScriptNames | undefined;

/**
 * The story engine's cross-script names (src/core/story/names.ts): the `xs` forms of the
 * gazetteer's entries — the five countries', `others` (foreign leaders, organisations, places)
 * and `regional`, in the file's order — compiled once per process. Passed into the story engine
 * (`clusterBatch`, `storyFeatures`, the story store) with the background below.
 */
export function storyNames(dataDir?: string): CrossScriptNames {
  if (dataDir) return namesOf(loadAnalyzerData(dataDir).gazetteer);
  cachedNames ??= namesOf(loadAnalyzerData().gazetteer);
  return cachedNames;
}

function namesOf(g: GazetteerData): CrossScriptNames {
  const sections = [...Object.values(g.countries), ...Object.values(g.others ?? {}), g.regional];
  return compileNames(sections.flatMap((entries) => (entries ?? []).flatMap((e) => (e.xs?.length ? [{ id: e.id, forms: e.xs }] : []))));
}

// ── story background (document frequencies for story matching) ──

let cachedBackground: DocFreq | undefined;

/**
 * Document frequencies of story-matching keys over background news text
 * (data/story-background.tsv, built by `buildStoryBackground` in tools/eval/eval-stories.ts),
 * parsed once per process. Passed into the story engine (`clusterBatch`, the story store).
 */
export function storyBackground(dataDir?: string): DocFreq {
  if (dataDir) return loadStoryBackground(dataDir);
  cachedBackground ??= loadStoryBackground(join(packageRoot(), 'data'));
  return cachedBackground;
}

export function loadStoryBackground(dataDir: string): DocFreq {
  const file = join(dataDir, STORY_BACKGROUND_FILE);
  try {
    return parseDocFreqTable(read(file));
  } catch (err) {
    if (err instanceof AnalysisDataError) throw err;
    throw new AnalysisDataError(`${file}: ${(err as Error).message}`);
  }
}

export const STORY_BACKGROUND_FILE = 'story-background.tsv';
