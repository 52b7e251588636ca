// `steppewatch eval` (npm run eval): measures the analysis on the development corpus in
// ../shared/corpus/labelled and on the seeds, and prints a table.
//
// Gold labels, decided here and independent of data/gazetteer.yaml (so the gazetteer is not
// graded against itself):
// - NEREL (Russian Wikinews): a document is about country C when a span of type COUNTRY, CITY,
//   STATE_OR_PROVINCE, NATIONALITY or LOCATION names C, its people or one of its places
//   (NEREL_GOLD below: names of the countries and peoples, capitals with former names, major
//   cities and regions). Scores are over (document, country) pairs, micro-averaged.
// - KazNERD (Kazakh sentences): a sentence is positive when it has a GPE span that is not a
//   foreign place (KAZNERD_FOREIGN: other countries and their cities and regions); KazNERD is
//   Kazakhstani news, so any other GPE — down to villages and districts — is in the region.
//   Recall: positive sentences where the analyzer names any of the five countries; false
//   positives: sentences without such a GPE where it names one.
// - EUvsDisinfo: a case carries a frame when the analysts' keywords include its keyword
//   (KEYWORD_TAGS); the analyzer reads the case's summary (the claim). The fire rate of a tag is
//   over the cases that carry none of these keywords.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { COUNTRY_CODES, type AnalysisResult, type CountryCode, type TagId, TAG_IDS } from '../../src/core/types.js';
import type { Analyzer } from '../../src/core/analyse.js';
import { defaultAnalyzer, packageRoot } from '../../src/adapters/analysis-data.js';

export interface Io {
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

export const KEYWORD_TAGS: Record<string, TagId> = {
  'Colour revolutions': 'color-revolution',
  Coup: 'attempted-coup',
  Russophobia: 'russophobia-compatriots',
  'George Soros': 'foreign-agent-ngo',
  'Biological weapons': 'us-biolabs',
  'Encircling Russia': 'anti-russia-front',
};

const NEREL_GOLD: Record<CountryCode, RegExp> = {
  KZ: new RegExp(
    String.raw`(?<!\p{L})(` +
      [
        String.raw`казах|қазақ|астан|нур-султан|акмол|целиноград|алма-ат|алмат|караганд|шымкент|чимкент|актоб|актюб|атырау|актау`,
        String.raw`павлодар|семипалат|семей|костана|кустана|кызылорд|уральск|тараз|экибастуз|байконур|жанаозен|темиртау|туркестан`,
        String.raw`кокшетау|талдыкорган|жезказган|балхаш|мангист|усть-каменогорск`,
      ].join('|') +
      ')',
    'iu',
  ),
  KG: /(?<!\p{L})(кирги|кыргыз|бишкек|ош(?!\p{L})|оше(?!\p{L})|оша(?!\p{L})|джалал-абад|каракол|нарын|баткен|иссык|токмок|чуйск)/iu,
  TJ: /(?<!\p{L})(таджик|душанбе|худжанд|ходжент|куляб|хорог|горно-бадахш|согд|хатлон|пенджикент|истаравшан|курган-тюбе)/iu,
  TM: /(?<!\p{L})(туркмен|ашхабад|туркменбаши|красноводск|дашогуз|ташауз|балканабат)/iu,
  UZ: /(?<!\p{L})(узбек|ташкент|самарканд|бухар|наманган|андижан|ферган|нукус|каракалпак|термез|карши|хорезм|ургенч|хив[аеуы](?!\p{L}))/iu,
};
const NEREL_TYPES = new Set(['COUNTRY', 'CITY', 'STATE_OR_PROVINCE', 'NATIONALITY', 'LOCATION']);

const KAZNERD_FOREIGN = new RegExp(
  String.raw`(?<!\p{L})(` +
    [
      String.raw`ресей|россия|ресейлер|қытай|аққ?ш|америка|құрама|штат|беларусь|белорус|иран|герман|итали|франци|испан|корея`,
      String.raw`жапон|түркия|түрік|украин|польш|армени|әзірбайжан|грузи|моңғол|монғол|ұлыбритани|англи|шотланди|швейцари`,
      String.raw`сингапур|серби|нью-йорк|сан-франциско|мәскеу|киев|омбы|челябі|ленинград|санкт-петербур|екатеринбург|уфа|барнау`,
      String.raw`астрахан|краснодар|сахалин|ростов|қазан(?!\p{L})|бельги|кипр|сан-марино|венгри|мажарстан|хорвати|босни|аустри`,
      String.raw`австри|сири|ирак|ыстамбұл|баку|трабзон|иордани|хубэй|ухань|тайланд|токио|греки|нидерланд|голланди|молдова`,
      String.raw`конго|милан|мадрид|аустрали|австрали|индонези|хэфэй|бендер-аббас|швеци|дани(?!\p{L})|аргентина|каталони|кония`,
      String.raw`кастамону|карабук|кайсери|эскишехир|самсун|гиресун|лиссабон|португали|брюссель|лондон|мюнхен|мексика|үндістан`,
      String.raw`литва|ахыска|париж|бразили|нигерия|африка|чили|канада|филиппин|гренланди|ереван|сеул|египет|израиль|ауғанстан`,
      String.raw`пәкістан|сауд|араб|біріккен|әмірлі|гливице|сербия|глубокое|бегуницы|кантемировское|шаховское|меновное|лесная`,
      String.raw`жданов|красин|үлбі|шідерті`,
    ].join('|') +
    ')',
  'iu',
);

function ratio(a: number, b: number): number {
  return b === 0 ? 0 : a / b;
}

export interface PRF {
  tp: number;
  fp: number;
  fn: number;
  precision: number;
  recall: number;
  f1: number;
}
function prf(tp: number, fp: number, fn: number): PRF {
  const precision = ratio(tp, tp + fp);
  const recall = ratio(tp, tp + fn);
  return { tp, fp, fn, precision, recall, f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall) };
}

export interface EvalMetrics {
  nerel: (PRF & { docs: number; docsWithGold: number; perCountry: Record<CountryCode, PRF>; errors: string[] }) | null;
  kaznerd:
    | { sentences: number; positives: number; recall: number; negatives: number; falsePositives: number; fpRate: number; foreignOnly: number; foreignOnlyFp: number; misses: string[]; fps: string[] }
    | null;
  euvsdisinfo:
    | {
        cases: number;
        unrelated: number;
        recall: { keyword: string; tag: TagId; cases: number; hits: number; recall: number }[];
        fireRate: { tag: TagId; fires: number; rate: number }[];
        misses: Record<string, string[]>;
        falseFires: Record<string, string[]>;
      }
    | null;
  seeds: { check: string; pass: boolean; detail?: string }[] | null;
}

function nerelGold(ann: string): Set<CountryCode> {
  const gold = new Set<CountryCode>();
  for (const line of ann.split('\n')) {
    const m = /^T\d+\t(\S+) [\d; ]+\t(.+)$/.exec(line);
    if (!m || !NEREL_TYPES.has(m[1]!)) continue;
    for (const cc of COUNTRY_CODES) if (NEREL_GOLD[cc].test(m[2]!)) gold.add(cc);
  }
  return gold;
}

function evalNerel(dir: string, an: Analyzer, now: Date): EvalMetrics['nerel'] {
  if (!existsSync(dir)) return null;
  const ids = readdirSync(dir).filter((f) => f.endsWith('.txt')).map((f) => f.slice(0, -4)).sort();
  let tp = 0, fp = 0, fn = 0, withGold = 0;
  const per = Object.fromEntries(COUNTRY_CODES.map((c) => [c, { tp: 0, fp: 0, fn: 0 }])) as Record<CountryCode, { tp: number; fp: number; fn: number }>;
  const errors: string[] = [];
  for (const id of ids) {
    const annFile = join(dir, `${id}.ann`);
    if (!existsSync(annFile)) continue;
    const gold = nerelGold(readFileSync(annFile, 'utf8'));
    const r = an.analyze({ id, text: readFileSync(join(dir, `${id}.txt`), 'utf8') }, now);
    const pred = new Set(r.countries);
    if (gold.size) withGold++;
    for (const cc of COUNTRY_CODES) {
      const g = gold.has(cc), p = pred.has(cc);
      if (g && p) { tp++; per[cc].tp++; }
      else if (p) { fp++; per[cc].fp++; errors.push(`FP ${id} ${cc}`); }
      else if (g) { fn++; per[cc].fn++; errors.push(`FN ${id} ${cc}`); }
    }
  }
  const perCountry = Object.fromEntries(COUNTRY_CODES.map((c) => [c, prf(per[c].tp, per[c].fp, per[c].fn)])) as Record<CountryCode, PRF>;
  return { ...prf(tp, fp, fn), docs: ids.length, docsWithGold: withGold, perCountry, errors };
}

function evalKaznerd(file: string, an: Analyzer, now: Date): EvalMetrics['kaznerd'] {
  if (!existsSync(file)) return null;
  const sentences: { words: string[]; tags: string[] }[] = [];
  let cur = { words: [] as string[], tags: [] as string[] };
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const t = line.trim();
    if (!t) {
      if (cur.words.length) sentences.push(cur);
      cur = { words: [], tags: [] };
      continue;
    }
    const parts = t.split(/\s+/);
    cur.words.push(parts[0]!);
    cur.tags.push(parts[parts.length - 1]!);
  }
  if (cur.words.length) sentences.push(cur);
  let positives = 0, hits = 0, negatives = 0, fps = 0, foreignOnly = 0, foreignOnlyFp = 0;
  const misses: string[] = [];
  const fpList: string[] = [];
  sentences.forEach((s, i) => {
    const spans: string[] = [];
    s.tags.forEach((tag, k) => {
      if (tag === 'B-GPE') spans.push(s.words[k]!);
      else if (tag === 'I-GPE' && spans.length) spans[spans.length - 1] += ` ${s.words[k]}`;
    });
    const ca = spans.filter((sp) => !KAZNERD_FOREIGN.test(sp));
    const text = s.words.join(' ').replace(/ ([.,;:!?»)])/g, '$1').replace(/([«(]) /g, '$1');
    const r = an.analyze({ id: `kaznerd-${i}`, text, language: 'kk' }, now);
    const predicted = r.countries.length > 0;
    if (ca.length) {
      positives++;
      if (predicted) hits++;
      else if (misses.length < 40) misses.push(`${ca.join(' | ')} :: ${text.slice(0, 120)}`);
    } else {
      negatives++;
      if (spans.length) foreignOnly++;
      if (predicted) {
        fps++;
        if (spans.length) foreignOnlyFp++;
        if (fpList.length < 40) fpList.push(`${r.countries.join(',')} :: ${text.slice(0, 120)}`);
      }
    }
  });
  return { sentences: sentences.length, positives, recall: ratio(hits, positives), negatives, falsePositives: fps, fpRate: ratio(fps, negatives), foreignOnly, foreignOnlyFp, misses, fps: fpList };
}

function caseDate(d: string | undefined): string | undefined {
  const m = /^(\d{2})\/(\d{2})\/(\d{2})$/.exec(d ?? '');
  return m ? `20${m[3]}-${m[1]}-${m[2]}T12:00:00Z` : undefined;
}

function evalEuvsdisinfo(file: string, an: Analyzer, now: Date): EvalMetrics['euvsdisinfo'] {
  if (!existsSync(file)) return null;
  const rows = readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { id: string; date?: string; title?: string; summary?: string; keywords?: string[] });
  const keywords = Object.keys(KEYWORD_TAGS);
  const recall = keywords.map((k) => ({ keyword: k, tag: KEYWORD_TAGS[k]!, cases: 0, hits: 0, recall: 0 }));
  const fires = new Map<TagId, number>(TAG_IDS.map((t) => [t, 0]));
  const misses: Record<string, string[]> = {};
  const falseFires: Record<string, string[]> = {};
  let unrelated = 0;
  let cases = 0;
  for (const row of rows) {
    const text = (row.summary ?? '').trim();
    if (!text) continue;
    cases++;
    const published = caseDate(row.date);
    const r = an.analyze({ id: row.id, text, ...(published ? { published } : {}) }, now);
    const tags = new Set(r.framings.map((f) => f.tag));
    const kws = row.keywords ?? [];
    for (const rec of recall) {
      if (!kws.includes(rec.keyword)) continue;
      rec.cases++;
      if (tags.has(rec.tag)) rec.hits++;
      else (misses[rec.tag] ??= []).push(text.slice(0, 160));
    }
    if (!kws.some((k) => keywords.includes(k))) {
      unrelated++;
      for (const t of tags) {
        fires.set(t, fires.get(t)! + 1);
        (falseFires[t] ??= []).push(`${text.slice(0, 160)} [${kws.join(', ')}]`);
      }
    }
  }
  for (const rec of recall) rec.recall = ratio(rec.hits, rec.cases);
  return {
    cases,
    unrelated,
    recall,
    fireRate: TAG_IDS.map((tag) => ({ tag, fires: fires.get(tag)!, rate: ratio(fires.get(tag)!, unrelated) })),
    misses,
    falseFires,
  };
}

function evalSeeds(dir: string, an: Analyzer): EvalMetrics['seeds'] {
  const gtFile = join(dir, 'globaltimes-2022-04-26-china-opposes-color-revolution-kazakhstan.txt');
  const rtFile = join(dir, 'rt-2022-04-27-china-warns-color-revolution-kazakhstan.txt');
  if (!existsSync(gtFile) || !existsSync(rtFile)) return null;
  const gt = an.analyze({ id: 'gt', text: readFileSync(gtFile, 'utf8'), published: '2022-04-26T08:00:00Z' }, new Date('2022-04-28T00:00:00Z'));
  const rt = an.analyze({ id: 'rt', text: readFileSync(rtFile, 'utf8'), published: '2022-04-27T10:12:00Z' }, new Date('2022-04-28T00:00:00Z'));
  return seedChecks(gt, rt);
}

/** The seed bar of issue 5, as named checks (also used by the unit test). */
export function seedChecks(gt: AnalysisResult, rt: AnalysisResult): { check: string; pass: boolean; detail?: string }[] {
  const checks: { check: string; pass: boolean; detail?: string }[] = [];
  const has = (r: AnalysisResult, tag: TagId, speaker: RegExp | null, quote?: RegExp) => {
    const f = r.framings.find((x) => x.tag === tag);
    if (!f) return { pass: false, detail: 'tag missing' };
    const ok = f.evidence.some((e) => (speaker === null ? e.attributedTo === null : speaker.test(e.attributedTo ?? '')) && (!quote || quote.test(e.quote)));
    return { pass: ok, detail: ok ? undefined : JSON.stringify(f.evidence.map((e) => [e.quote.slice(0, 60), e.attributedTo])) };
  };
  const add = (check: string, r: { pass: boolean; detail?: string | undefined }) => checks.push({ check, pass: r.pass, ...(r.detail ? { detail: r.detail } : {}) });
  for (const [name, r] of [['GT', gt], ['RT', rt]] as const) {
    add(`${name}: countries = [KZ]`, { pass: r.countries.join(',') === 'KZ', detail: r.countries.join(',') });
    add(`${name}: color-revolution, quoted warning by Wei Fenghe`, has(r, 'color-revolution', /^Wei Fenghe$/, /firmly opposes external forces/));
    add(`${name}: external-interference by Wei Fenghe`, has(r, 'external-interference', /^Wei Fenghe$/));
    add(`${name}: major-power-hegemony ("major powers")`, has(r, 'major-power-hegemony', /.*/, /(certain|some) major powers/));
  }
  add('RT: foreign-trained-terrorists by Tokayev', has(rt, 'foreign-trained-terrorists', /Tokayev/, /foreign-trained terrorists/));
  add('RT: three-evil-forces by Wang Li', has(rt, 'three-evil-forces', /^Wang Li$/, /three evil forces/));
  add('RT: disinfo-debunk in its own voice', has(rt, 'disinfo-debunk', null, /did not provide any evidence/));
  add('RT: title is the first line', { pass: rt.title.startsWith('China warns of color revolution in Kazakhstan'), detail: rt.title });
  add('GT: title is the first sentence', { pass: gt.title.startsWith('Global Times (26 April 2022)'), detail: gt.title.slice(0, 60) });
  const clean = (s: string) => !/Source link|More on the subject|share them|donat/i.test(s);
  add('summaries without boilerplate, ≤ 500 chars', {
    pass: [gt, rt].every((r) => clean(r.summary) && r.summary.length > 0 && r.summary.length <= 500),
    detail: rt.summary.slice(0, 80),
  });
  add('no evidence from boilerplate', {
    pass: [gt, rt].every((r) => r.framings.every((f) => f.evidence.every((e) => clean(e.quote)))),
  });
  return checks;
}

/** All metrics; `shared` is the shared folder (default ../shared beside the package). */
export function computeEvalMetrics(shared: string, an: Analyzer = defaultAnalyzer(), now = new Date()): EvalMetrics {
  const lab = join(shared, 'corpus', 'labelled');
  return {
    nerel: evalNerel(join(lab, 'nerel-ru-train'), an, now),
    kaznerd: evalKaznerd(join(lab, 'kaznerd-kk', 'kaznerd-IOB2_valid.txt'), an, now),
    euvsdisinfo: evalEuvsdisinfo(join(lab, 'euvsdisinfo-cases-dev.jsonl'), an, now),
    seeds: evalSeeds(join(shared, 'seeds'), an),
  };
}

export function defaultSharedDir(): string {
  return resolve(packageRoot(), '..', 'shared');
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`.padStart(7);

export function formatEvalTable(m: EvalMetrics): string {
  const out: string[] = [];
  out.push('steppewatch eval — development corpus (../shared/corpus/labelled) and seeds', '');
  if (m.nerel) {
    const n = m.nerel;
    out.push(`Countries, Russian (NEREL, ${n.docs} docs, ${n.docsWithGold} with a Central Asian country)`);
    out.push('  country   precision  recall      F1    tp  fp  fn');
    for (const cc of COUNTRY_CODES) {
      const p = n.perCountry[cc];
      out.push(`  ${cc}        ${pct(p.precision)}  ${pct(p.recall)} ${pct(p.f1)}  ${String(p.tp).padStart(4)} ${String(p.fp).padStart(3)} ${String(p.fn).padStart(3)}`);
    }
    out.push(`  all       ${pct(n.precision)}  ${pct(n.recall)} ${pct(n.f1)}  ${String(n.tp).padStart(4)} ${String(n.fp).padStart(3)} ${String(n.fn).padStart(3)}`, '');
  } else out.push('Countries, Russian (NEREL): corpus not found', '');
  if (m.kaznerd) {
    const k = m.kaznerd;
    out.push(`Countries, Kazakh (KazNERD, ${k.sentences} sentences)`);
    out.push(`  recall on sentences with a Central Asian GPE   ${pct(k.recall)}  (${k.positives} sentences)`);
    out.push(`  false positives on sentences without one       ${pct(k.fpRate)}  (${k.falsePositives} of ${k.negatives}; ${k.foreignOnlyFp} of ${k.foreignOnly} with only foreign GPEs)`, '');
  } else out.push('Countries, Kazakh (KazNERD): corpus not found', '');
  if (m.euvsdisinfo) {
    const e = m.euvsdisinfo;
    out.push(`Framing, EUvsDisinfo summaries (${e.cases} cases; ${e.unrelated} carry none of the keywords below)`);
    out.push('  keyword               tag                          cases  recall');
    for (const r of e.recall) out.push(`  ${r.keyword.padEnd(21)} ${r.tag.padEnd(28)} ${String(r.cases).padStart(5)} ${pct(r.recall)}`);
    out.push('', '  fire rate on cases without those keywords');
    for (const f of e.fireRate) out.push(`  ${f.tag.padEnd(28)} ${pct(f.rate)}  (${f.fires})`);
    out.push('');
  } else out.push('Framing, EUvsDisinfo: corpus not found', '');
  if (m.seeds) {
    out.push('Seeds');
    for (const c of m.seeds) out.push(`  ${c.pass ? 'pass' : 'FAIL'}  ${c.check}${c.pass || !c.detail ? '' : `  — ${c.detail}`}`);
  } else out.push('Seeds: not found');
  return out.join('\n') + '\n';
}

import { buildStoryBackground, evalStoryPairs } from './eval-stories.js';
import { evalLabelledSet, STORIES_FIXTURE_DIR } from './labelled-set.js';
import { STORY_BACKGROUND_FILE } from '../../src/adapters/analysis-data.js';

export async function runEval(opts: { shared?: string; writeStoryBackground?: boolean }, io: Io): Promise<number> {
  const shared = opts.shared ?? defaultSharedDir();
  if (!existsSync(shared)) {
    io.stderr.write(`eval: the shared folder was not found at ${shared} (give --shared DIR)\n`);
    return 1;
  }
  if (opts.writeStoryBackground) {
    const file = join(packageRoot(), 'data', STORY_BACKGROUND_FILE);
    writeFileSync(file, buildStoryBackground(shared));
    io.stdout.write(`eval: wrote ${file}\n`);
  }
  const m = computeEvalMetrics(shared);
  io.stdout.write(formatEvalTable(m));
  io.stdout.write(formatStoryEval(shared));
  if (process.env.STEPPEWATCH_EVAL_DETAILS) io.stdout.write(JSON.stringify(m, null, 1) + '\n');
  return m.seeds && m.seeds.some((c) => !c.pass) ? 1 : 0;
}

/** The story part of `eval`: the dev pairs and the hand-labelled Central Asia set, cross-validated figures first. */
export function formatStoryEval(shared: string): string {
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
  const st = evalStoryPairs(shared);
  const out = [
    '',
    'Same-story pairs, development set (one analyze --cluster batch over all their articles)',
    `  pairs                                  ${st.pairs}`,
    `  5-fold cross-validated, one batch      ${pct(st.crossValidated)}  (weights fitted on the other folds only; mean of 4 shuffles)`,
    `  5-fold cross-validated, pair by pair   ${pct(st.pairwise.crossValidated)}`,
    `  plain TF-IDF cosine baseline           ${pct(st.baseline.accuracy)}  (best threshold, chosen on these pairs: optimistic)`,
    `  shipped weights on these pairs         ${pct(st.accuracy)}  (fitted on them: not a quality figure)`,
  ];
  const dir = join(packageRoot(), STORIES_FIXTURE_DIR);
  if (!existsSync(join(dir, 'pairs.jsonl'))) {
    out.push('', `Hand-labelled Central Asia set: not found at ${dir} (it ships with the source checkout)`, '');
    return out.join('\n');
  }
  const lab = evalLabelledSet(dir, shared);
  out.push(
    '',
    `Hand-labelled Central Asia set (${STORIES_FIXTURE_DIR}: ${lab.articles} articles in one stream, ${lab.pairs} pairs${lab.skippedSeeds ? `; ${lab.skippedSeeds} seed articles missing` : ''})`,
    `  shipped weights on this set                                       ${pct(lab.accuracy)}  (fitted on the dev pairs and this set: not a quality figure)`,
    `  5-fold cross-validated (dev pairs + the other folds)               ${pct(lab.crossValidated)}`,
    `  the same without the time penalty (shipped before 2026-12-06)     ${pct(lab.crossValidatedWithoutTime)}`,
    `  plain TF-IDF cosine baseline (best threshold, chosen on this set)  ${pct(lab.baseline)}`,
    '  by language pair',
    ...Object.entries(lab.byLanguage)
      .sort((x, y) => (x[0] < y[0] ? -1 : 1))
      .map(([k, e]) => `    ${k.padEnd(8)} ${String(e.pairs).padStart(4)} pairs  ${pct(e.accuracy)}`),
    '  by label',
    ...Object.entries(lab.byLabel).map(([k, e]) => `    ${k.padEnd(11)} ${String(e.pairs).padStart(4)} pairs  ${pct(e.accuracy)}  (${k === 'same-topic' ? 'kept apart' : 'put in one story'})`),
    `  copy level: ${lab.copies.recognised} of ${lab.copies.copies} copies recognised as copies; ${lab.copies.calledCopy} of ${lab.copies.others} other same-event pairs called copies`,
    '',
  );
  return out.join('\n');
}
