// The slash-command grammar of ../shared/design.md ("Slash commands"), one for both platforms.
// Slack sends the command's text: `name:value` pairs separated by spaces, values comma-separated,
// double or single quotes (straight or curly) around values with spaces, a bare word is the main
// option. Discord sends typed options with the same names. Both become one ParsedCommand, checked
// against COMMAND_SPECS; a mistake comes back as a usage Reply (ephemeral), never an exception.
import type { Reply } from '../core/alert/values.js';
import { editDistance } from './fold.js';
import { usageReply } from './replies.js';
import { COMMAND_NAMES, type CommandName, type ParsedCommand } from './types.js';

export interface OptionSpec {
  /** Comma-separated list (`countries:KZ,UZ`); otherwise the whole value is one string. */
  list?: boolean;
}

export interface CommandSpec {
  options: Record<string, OptionSpec>;
  /** Other names people use for an option (singular/plural, dashes): accepted as the canonical name. */
  synonyms?: Record<string, string>;
  usage: string;
  /** One example, for help and usage hints. */
  example: string;
  /** What the command does, in a few words (help). */
  summary: string;
  /** Bare words are free text (not comma-split); option-like words that are not options stay text. */
  freeText?: boolean;
  /**
   * Options that are fields of the query language: Discord types them one by one; in Slack's text
   * they stay where they were typed, inside the free text (order and parentheses matter there).
   */
  queryFields?: readonly string[];
}

export const FEEDS_SUBS = ['add', 'remove', 'list', 'check', 'pause', 'resume'] as const;
export type FeedsSub = (typeof FEEDS_SUBS)[number];

/** Keyed by command name, or `name sub` for commands with subcommands. */
export const COMMAND_SPECS: Record<string, CommandSpec> = {
  story: {
    options: { query: {} },
    usage: '/story <query> — countries, people, framing tags, outlets, a window such as 30d; fields (outlet:rt, tag:<id>, affiliation:state:RU), AND OR NOT ( ), "phrases", NEAR/5, Tokay*',
    example: '/story kazakhstan 30d',
    summary: 'top stories for a country, person, framing or outlet',
    freeText: true,
  },
  subscribe: {
    options: { query: {}, countries: { list: true }, tags: { list: true }, outlets: { list: true }, affiliations: { list: true }, keywords: { list: true }, min_relevance: {}, mode: {}, every: {} },
    synonyms: { country: 'countries', tag: 'tags', outlet: 'outlets', affiliation: 'affiliations', keyword: 'keywords', relevance: 'min_relevance', minrelevance: 'min_relevance' },
    usage:
      '/subscribe <query> [mode:alerts|digest|spikes] [every:day|week] [min_relevance:0.5] — query: countries, tags, outlets as words or fields (countries:KZ,UZ tags:<ids> outlets:<ids> affiliations:state:RU keywords:"Rogun dam"), AND OR NOT ( ), "phrases", NEAR/5, Tokay*',
    example: '/subscribe countries:KZ tags:color-revolution mode:digest every:week',
    summary: 'send matching stories to this channel',
    freeText: true,
    queryFields: ['countries', 'tags', 'outlets', 'affiliations', 'keywords'],
  },
  export: {
    options: { query: {}, since: {}, format: {} },
    usage: '/export [query] [since:2026-11-01|30d] [format:csv|jsonl] — the stored articles the query matches, one row each, as a file (admins; at most 50,000 rows)',
    example: '/export tags:color-revolution since:30d',
    summary: 'the matching articles as a CSV file (admins)',
    freeText: true,
  },
  unsubscribe: {
    options: { id: {} },
    usage: '/unsubscribe id:<id> | /unsubscribe all',
    example: '/unsubscribe s1a2b3c',
    summary: 'stop a subscription of this channel',
  },
  subscriptions: {
    options: {},
    usage: '/subscriptions',
    example: '/subscriptions',
    summary: "this channel's subscriptions and mutes",
  },
  mute: {
    options: { story: {}, outlet: {} },
    synonyms: { stories: 'story', outlets: 'outlet' },
    usage: '/mute story:<id> | /mute outlet:<id>',
    example: '/mute outlet:rt',
    summary: 'stop alerts of one story or one outlet here',
  },
  unmute: {
    options: { story: {}, outlet: {} },
    synonyms: { stories: 'story', outlets: 'outlet' },
    usage: '/unmute story:<id> | /unmute outlet:<id>',
    example: '/unmute outlet:rt',
    summary: 'undo a mute',
  },
  'feeds add': {
    options: { url: {}, outlet: {}, affiliation: {}, language: {} },
    synonyms: { lang: 'language', affiliations: 'affiliation' },
    usage: '/feeds add url:<url> [outlet:<name>] [affiliation:state:RU|public:US|independent|unknown] [language:en]',
    example: '/feeds add https://example.org/feed.xml outlet:"Example News" affiliation:independent',
    summary: 'add a feed (admins)',
  },
  'feeds remove': { options: { id: {} }, usage: '/feeds remove id:<feed id>', example: '/feeds remove rt-en', summary: 'remove a feed (admins)' },
  'feeds list': { options: {}, usage: '/feeds list', example: '/feeds list', summary: 'feeds and their health' },
  'feeds check': { options: { url: {} }, usage: '/feeds check url:<url>', example: '/feeds check https://example.org/feed.xml', summary: 'try a feed without adding it' },
  'feeds pause': { options: { id: {} }, usage: '/feeds pause id:<feed id>', example: '/feeds pause rt-en', summary: 'stop polling a feed (admins)' },
  'feeds resume': { options: { id: {} }, usage: '/feeds resume id:<feed id>', example: '/feeds resume rt-en', summary: 'poll a paused feed again (admins)' },
  framing: {
    options: { tag: {}, country: {}, days: {} },
    synonyms: { tags: 'tag', countries: 'country', day: 'days' },
    usage: '/framing [tag:<id>] [country:<CC>] [days:7]',
    example: '/framing country:KZ days:30',
    summary: 'how often each framing appeared, by outlet',
  },
  trends: {
    options: { query: {}, days: {}, by: {} },
    synonyms: { day: 'days' },
    usage: '/trends [query] [days:30] [by:tag|country] — a chart of articles per day; the query as for /story (fields, AND OR NOT, "phrases", NEAR/5, Tokay*)',
    example: '/trends kazakhstan days:30',
    summary: 'a chart of daily articles per framing or country, with spikes',
    freeText: true,
  },
  'steppewatch help': { options: {}, usage: '/steppewatch help', example: '/steppewatch help', summary: 'this list' },
};

export type ParseResult = { ok: true; cmd: ParsedCommand } | { ok: false; reply: Reply };

/** The spec key of a command: `story`, `feeds add`, `steppewatch help`. */
export function specKey(name: CommandName, sub?: string): string {
  return name === 'feeds' || name === 'steppewatch' ? `${name} ${sub ?? ''}`.trim() : name;
}

const SUBS: Partial<Record<CommandName, readonly string[]>> = { feeds: FEEDS_SUBS, steppewatch: ['help'] };
/** What a command with subcommands does when none is given. */
const DEFAULT_SUB: Partial<Record<CommandName, string>> = { feeds: 'list', steppewatch: 'help' };

// ── Slack text ──

interface Segment {
  text: string;
  quoted: boolean;
}
type Word = Segment[];

/** Closing quotes accepted for each opening one (Slack turns "…" into “…” on some clients). */
const QUOTES: Record<string, string> = { '"': '"”', '“': '”"', '”': '”"', "'": "'’", '‘': "’'", '’': "’'" };
const DOUBLE = new Set(['"', '“', '”']);

/**
 * Slack's command text: links come as `<https://…>` or `<https://…|label>`, and `&`, `<`, `>`
 * typed by the user as entities. Turns both back into what was typed.
 */
export function unescapeSlackText(text: string): string {
  return text
    .replace(/<((?:https?|mailto):[^|>\s]+)(?:\|[^>]*)?>/g, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/**
 * Words separated by unquoted white space. A quote opens only where a value starts (at the
 * start of a word, after `:` or `,`), so apostrophes inside words ("Qozog'iston", "China’s")
 * stay letters, and it closes only before white space, a comma or the end. An unclosed double
 * quote is an error (the rest of the line would silently change meaning); an unclosed single
 * quote is a letter.
 */
function splitWords(text: string): { ok: true; words: Word[] } | { ok: false; error: string } {
  const words: Word[] = [];
  let word: Word = [];
  let buf = '';
  const flush = () => {
    if (buf) word.push({ text: buf, quoted: false });
    buf = '';
  };
  const endWord = () => {
    flush();
    if (word.length) words.push(word);
    word = [];
  };
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (/\s/.test(ch)) {
      endWord();
      i++;
      continue;
    }
    const atValueStart = (buf === '' && word.length === 0) || buf.endsWith(':') || buf.endsWith(',') || (buf === '' && word.length > 0);
    const closers = QUOTES[ch];
    if (closers && atValueStart) {
      let j = i + 1;
      let close = -1;
      for (; j < text.length; j++) {
        if (closers.includes(text[j]!) && (j + 1 === text.length || /[\s,]/.test(text[j + 1]!))) {
          close = j;
          break;
        }
      }
      if (close >= 0) {
        flush();
        word.push({ text: text.slice(i + 1, close), quoted: true });
        i = close + 1;
        continue;
      }
      if (DOUBLE.has(ch)) return { ok: false, error: `A quote is not closed: ${text.slice(i, i + 40)}` };
    }
    buf += ch;
    i++;
  }
  endWord();
  return { ok: true, words };
}

/** Splits a word's text on unquoted commas; quoted parts are kept whole. */
function splitCommas(segs: Segment[]): string[] {
  const out: string[] = [];
  let cur = '';
  let any = false;
  for (const s of segs) {
    if (s.quoted) {
      cur += s.text;
      any = true;
      continue;
    }
    const parts = s.text.split(',');
    parts.forEach((p, k) => {
      if (k > 0) {
        out.push(cur);
        cur = '';
        any = false;
      }
      cur += p;
      if (p) any = true;
    });
  }
  if (any || cur) out.push(cur);
  return out.map((x) => x.trim()).filter((x) => x.length > 0);
}

function joinSegments(segs: Segment[]): string {
  return segs.map((s) => s.text).join('');
}

/** A free-text word as typed, quotes kept (`keywords:"Rogun dam"`, `"Global Times"`): the query
 * language (src/core/query) reads quotes as phrases, so they must reach it. */
function joinQuoted(segs: Segment[]): string {
  return segs.map((s) => (s.quoted ? `"${s.text}"` : s.text)).join('');
}

const OPTION_RE = /^([A-Za-z][A-Za-z0-9_-]*):(.*)$/s;
const URL_SCHEMES = new Set(['http', 'https', 'ftp', 'mailto']);

/** `name:value` of a word, or null when the word is a bare value (a URL is bare). */
function optionOf(word: Word): { name: string; value: Segment[] } | null {
  const first = word[0];
  if (!first || first.quoted) return null;
  const m = OPTION_RE.exec(first.text);
  if (!m) return null;
  const rest: Segment[] = [...(m[2] ? [{ text: m[2], quoted: false }] : []), ...word.slice(1)];
  if (rest.length === 0) return null;
  if (URL_SCHEMES.has(m[1]!.toLowerCase()) && (m[2] ?? '').startsWith('//')) return null;
  return { name: m[1]!, value: rest };
}

function normaliseName(spec: CommandSpec, raw: string): string {
  const n = raw.toLowerCase().replace(/-/g, '_');
  return spec.synonyms?.[n] ?? spec.synonyms?.[n.replace(/_/g, '')] ?? n;
}

function unknownCommand(name: string): Reply {
  return usageReply(`steppewatch has no /${name} command.`, COMMAND_NAMES.map((n) => `/${n}`).join(' · '), 'Try /steppewatch help');
}

function badSub(name: CommandName, sub: string): Reply {
  const subs = SUBS[name] ?? [];
  const near = subs.filter((s) => editDistance(sub.toLowerCase(), s, 2) <= 2);
  let dym = near.length ? ` Did you mean /${name} ${near[0]}?` : '';
  if (name === 'feeds' && /^(https?:\/\/|www\.)/i.test(sub)) dym = ` Did you mean /feeds add ${sub} or /feeds check ${sub}?`;
  return usageReply(`/${name} has no “${sub}”.${dym}`, subs.map((s) => `/${name} ${s}`).join(' · '), `Try /${name} ${DEFAULT_SUB[name] ?? subs[0]}`);
}

/** A near miss among the valid option names, if any ("contries" → countries). */
function nearOption(spec: CommandSpec, name: string): string | null {
  let best: string | null = null;
  let bestD = Number.POSITIVE_INFINITY;
  const budget = name.length <= 4 ? 1 : 2;
  for (const o of Object.keys(spec.options)) {
    const d = editDistance(name, o, budget);
    if (d <= budget && d < bestD) {
      best = o;
      bestD = d;
    }
  }
  return best;
}

function unknownOption(name: CommandName, sub: string | undefined, spec: CommandSpec, opt: string): Reply {
  const valid = Object.keys(spec.options);
  const near = nearOption(spec, opt);
  const cmd = `/${specKey(name, sub)}`;
  const problem =
    valid.length === 0
      ? `${cmd} takes no options (got “${opt}:”).`
      : `${cmd} has no option “${opt}”.${near ? ` Did you mean ${near}:?` : ''} Options: ${valid.join(', ')}.`;
  return usageReply(problem, spec.usage, `Example: ${spec.example}`);
}

/**
 * Checks a command against its spec: a known name and subcommand, known option names. Also
 * fills in the default subcommand. Returns the command with canonical option names.
 */
export function validateCommand(cmd: ParsedCommand): ParseResult {
  if (!(COMMAND_NAMES as readonly string[]).includes(cmd.name)) return { ok: false, reply: unknownCommand(cmd.name) };
  const subs = SUBS[cmd.name];
  let sub = cmd.sub?.toLowerCase();
  if (subs) {
    sub ??= DEFAULT_SUB[cmd.name];
    if (!sub || !subs.includes(sub)) return { ok: false, reply: badSub(cmd.name, cmd.sub ?? '') };
  } else if (sub) {
    return { ok: false, reply: usageReply(`/${cmd.name} has no subcommands.`, COMMAND_SPECS[cmd.name]!.usage) };
  }
  const spec = COMMAND_SPECS[specKey(cmd.name, sub)]!;
  const options: Record<string, string[]> = {};
  for (const [raw, values] of Object.entries(cmd.options)) {
    const name = normaliseName(spec, raw);
    if (!spec.options[name]) return { ok: false, reply: unknownOption(cmd.name, sub, spec, raw) };
    options[name] = [...(options[name] ?? []), ...values];
  }
  const out: ParsedCommand = { name: cmd.name, options, bare: cmd.bare };
  if (sub) out.sub = sub;
  return { ok: true, cmd: out };
}

/** Parses Slack's command text for `/name`. */
export function parseCommandText(name: CommandName, text: string): ParseResult {
  if (!(COMMAND_NAMES as readonly string[]).includes(name)) return { ok: false, reply: unknownCommand(name) };
  const split = splitWords(unescapeSlackText(text ?? ''));
  const example = (key: string) => COMMAND_SPECS[key]?.example;
  if (!split.ok) {
    const key = specKey(name, SUBS[name] ? DEFAULT_SUB[name] : undefined);
    return { ok: false, reply: usageReply(`${split.error}`, COMMAND_SPECS[key]?.usage ?? `/${name}`, `Example: ${example(key)}`) };
  }
  const words = [...split.words];
  let sub: string | undefined;
  if (SUBS[name] && words.length > 0) {
    const first = words[0]!;
    if (optionOf(first) !== null) {
      const subs = SUBS[name]!;
      return { ok: false, reply: usageReply(`Say what /${name} should do first.`, subs.map((s) => `/${name} ${s}`).join(' · '), `Example: ${example(specKey(name, subs[0]))}`) };
    }
    sub = joinSegments(first);
    words.shift();
  }
  const key = specKey(name, sub?.toLowerCase() ?? DEFAULT_SUB[name]);
  const spec = COMMAND_SPECS[key];
  if (!spec) return validateCommand({ name, sub: sub ?? '', options: {}, bare: [] });

  const options: Record<string, string[]> = {};
  const bare: string[] = [];
  const single = new Map<string, string>();
  for (let wi = 0; wi < words.length; wi++) {
    const w = words[wi]!;
    // `name: value` with a space after the colon: the next word is the value.
    const dangling = w.length === 1 && !w[0]!.quoted ? /^([A-Za-z][A-Za-z0-9_-]*):$/.exec(w[0]!.text) : null;
    if (dangling && spec.options[normaliseName(spec, dangling[1]!)]) {
      const next = words[wi + 1];
      if (!next || optionOf(next)) {
        return { ok: false, reply: usageReply(`${dangling[1]}: needs a value.`, spec.usage, `Example: ${spec.example}`) };
      }
      words[wi + 1] = [{ text: w[0]!.text, quoted: false }, ...next];
      continue;
    }
    const opt = optionOf(w);
    if (opt) {
      const canonical = normaliseName(spec, opt.name);
      const os = spec.options[canonical];
      if ((!os || spec.queryFields?.includes(canonical)) && spec.freeText) {
        bare.push(joinQuoted(w));
        continue;
      }
      if (!os) return { ok: false, reply: unknownOption(name, sub, spec, opt.name) };
      if (os.list) {
        options[canonical] = [...(options[canonical] ?? []), ...splitCommas(opt.value)];
      } else {
        const v = joinSegments(opt.value).trim();
        if (single.has(canonical) && single.get(canonical) !== v && (!spec.freeText || spec.queryFields !== undefined)) {
          return { ok: false, reply: usageReply(`${canonical}: is given twice (“${single.get(canonical)}” and “${v}”).`, spec.usage, `Example: ${spec.example}`) };
        }
        single.set(canonical, v);
        options[canonical] = spec.freeText ? [...(options[canonical] ?? []), v] : [v];
      }
      continue;
    }
    if (spec.freeText) bare.push(joinQuoted(w));
    else bare.push(...splitCommas(w));
  }
  return validateCommand({ name, ...(sub !== undefined ? { sub } : {}), options, bare });
}

/**
 * Discord's typed options (same names as Slack's): a list option's value is split on commas
 * (quotes kept whole), numbers and booleans become strings.
 */
export function fromOptions(name: CommandName, sub: string | undefined, options: Record<string, string | number | boolean>): ParseResult {
  if (!(COMMAND_NAMES as readonly string[]).includes(name)) return { ok: false, reply: unknownCommand(name) };
  const key = specKey(name, sub?.toLowerCase() ?? DEFAULT_SUB[name]);
  const spec = COMMAND_SPECS[key];
  if (!spec) return validateCommand({ name, sub: sub ?? '', options: {}, bare: [] });
  const out: Record<string, string[]> = {};
  for (const [raw, value] of Object.entries(options)) {
    const text = typeof value === 'string' ? value : String(value);
    const canonical = normaliseName(spec, raw);
    if (spec.options[canonical]?.list) {
      const split = splitWords(text);
      const segs: Segment[] = split.ok ? split.words.flatMap((w, i) => (i > 0 ? [{ text: ' ', quoted: true }, ...w] : w)) : [{ text, quoted: false }];
      out[raw] = splitCommas(segs);
    } else {
      out[raw] = [text.trim()];
    }
  }
  return validateCommand({ name, ...(sub !== undefined ? { sub } : {}), options: out, bare: [] });
}

/** The first value of an option, else the first bare word (the main option). */
export function mainValue(cmd: ParsedCommand, option: string): string | undefined {
  return cmd.options[option]?.[0] ?? cmd.bare[0];
}
