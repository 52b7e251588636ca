// /framing [tag:] [country:] [days:7]: how many stories carried each framing over the last N
// days, and which outlets carried it.
//
// Visibility: the counts are a shared picture of the coverage: in_channel; nothing found,
// errors and usage: ephemeral.
import type { Reply, ReplySection } from '../core/alert/values.js';
import { COUNTRY_NAMES, type CountryCode, type Story, type TagId } from '../core/types.js';
import type { StoryQuery, StoryStore } from '../ports/stores.js';
import { COMMAND_SPECS } from './grammar.js';
import { emptyReply, okReply, orList, plural, usageReply } from './replies.js';
import type { CommandContext, ParsedCommand } from './types.js';
import { termLabel, type QueryVocabulary } from './vocabulary.js';

export interface FramingDeps {
  stories: StoryStore;
  vocabulary: QueryVocabulary;
}

export const DEFAULT_DAYS = 7;
export const MAX_DAYS = 90;
/** Stories counted at most (the most recently seen). */
export const FRAMING_LIMIT = 500;
/** Outlets named per tag line; the rest are counted. */
const OUTLETS_PER_LINE = 6;

export interface TagCount {
  tag: TagId;
  /** Stories in which at least one outlet carried the tag. */
  stories: number;
  /** Per outlet (display name): stories in which that outlet carried the tag; most first. */
  outlets: { outletId: string; outlet: string; stories: number }[];
}

/** Counts per tag over stories, most stories first (ties by tag id). */
export function countFramings(stories: readonly Story[], onlyTag?: TagId): TagCount[] {
  const byTag = new Map<TagId, { stories: Set<string>; outlets: Map<string, { outlet: string; stories: Set<string> }> }>();
  for (const s of stories) {
    for (const o of s.outlets) {
      for (const f of o.framings) {
        if (onlyTag && f.tag !== onlyTag) continue;
        let t = byTag.get(f.tag);
        if (!t) byTag.set(f.tag, (t = { stories: new Set(), outlets: new Map() }));
        t.stories.add(s.id);
        let oc = t.outlets.get(o.outletId);
        if (!oc) t.outlets.set(o.outletId, (oc = { outlet: o.outlet, stories: new Set() }));
        oc.stories.add(s.id);
      }
    }
  }
  return [...byTag.entries()]
    .map(([tag, t]) => ({
      tag,
      stories: t.stories.size,
      outlets: [...t.outlets.entries()]
        .map(([outletId, x]) => ({ outletId, outlet: x.outlet, stories: x.stories.size }))
        .sort((a, b) => b.stories - a.stories || a.outlet.localeCompare(b.outlet)),
    }))
    .sort((a, b) => b.stories - a.stories || a.tag.localeCompare(b.tag));
}

/** `color-revolution: 4 stories — RT 3, Global Times 2, Sputnik Kazakhstan 1`. */
export function tagCountLine(c: TagCount): string {
  const shown = c.outlets.slice(0, OUTLETS_PER_LINE).map((o) => `${o.outlet} ${o.stories}`);
  const more = c.outlets.length > OUTLETS_PER_LINE ? `, +${c.outlets.length - OUTLETS_PER_LINE} more` : '';
  return `${c.tag}: ${plural(c.stories, 'story', 'stories')} — ${shown.join(', ')}${more}`;
}

interface FramingArgs {
  tag?: TagId;
  country?: CountryCode;
  days: number;
  clamped: boolean;
}

function parseArgs(cmd: ParsedCommand, v: QueryVocabulary): { ok: true; args: FramingArgs } | { ok: false; reply: Reply } {
  const spec = COMMAND_SPECS.framing!;
  const problems: string[] = [];
  const args: FramingArgs = { days: DEFAULT_DAYS, clamped: false };
  const setDays = (raw: string): boolean => {
    const m = /^(\d{1,4})\s*(d|days?)?$/i.exec(raw.trim());
    if (!m) return false;
    const n = Number(m[1]);
    if (n < 1) return false;
    args.days = Math.min(n, MAX_DAYS);
    args.clamped = n > MAX_DAYS;
    return true;
  };
  const tagValue = cmd.options.tag?.[0];
  if (tagValue !== undefined) {
    const t = v.resolve(tagValue, ['tag']);
    if (t) args.tag = t.id as TagId;
    else {
      const near = v.suggest(tagValue, ['tag'], 2);
      problems.push(`Unknown framing tag “${tagValue}”${near.length ? ` — did you mean ${orList(near.map(termLabel))}?` : '.'}`);
    }
  }
  const countryValue = cmd.options.country?.[0];
  if (countryValue !== undefined) {
    const t = v.resolve(countryValue, ['country']);
    if (t) args.country = t.id as CountryCode;
    else {
      const near = v.suggest(countryValue, ['country'], 2);
      problems.push(`Unknown country “${countryValue}”${near.length ? ` — did you mean ${orList(near.map(termLabel))}?` : '.'}`);
    }
  }
  const daysValue = cmd.options.days?.[0];
  if (daysValue !== undefined && !setDays(daysValue)) problems.push(`days is a whole number from 1 to ${MAX_DAYS} (got “${daysValue}”).`);
  // Bare words: a number of days, a country or a tag ("/framing kazakhstan 30").
  const rest: string[] = [];
  for (const b of cmd.bare) if (!setDays(b)) rest.push(b);
  if (rest.length) {
    const scan = v.scan(rest.join(' '), ['country', 'tag']);
    for (const t of scan.terms) {
      if (t.kind === 'country' && !args.country) args.country = t.id as CountryCode;
      else if (t.kind === 'tag' && !args.tag) args.tag = t.id as TagId;
      else problems.push(`/framing takes one country and one tag (got ${t.name} as well).`);
    }
    if (scan.rest.length) {
      const near = v.suggest(scan.rest.join(' '), ['country', 'tag'], 2);
      problems.push(`“${scan.rest.join(' ')}” is not a country, framing tag or number of days${near.length ? ` — did you mean ${orList(near.map(termLabel))}?` : '.'}`);
    }
  }
  if (problems.length) return { ok: false, reply: usageReply(problems.join(' '), spec.usage, `Example: ${spec.example}`) };
  return { ok: true, args };
}

export async function handleFraming(cmd: ParsedCommand, ctx: CommandContext, deps: FramingDeps): Promise<Reply> {
  const parsed = parseArgs(cmd, deps.vocabulary);
  if (!parsed.ok) return parsed.reply;
  const { tag, country, days, clamped } = parsed.args;
  const q: StoryQuery = { since: new Date(ctx.now.getTime() - days * 86_400_000), limit: FRAMING_LIMIT };
  if (country) q.countries = [country];
  if (tag) q.tags = [tag];
  const stories = await deps.stories.recent(q);
  const where = country ? COUNTRY_NAMES[country] : 'Central Asia';
  const period = `the last ${plural(days, 'day')}`;
  if (stories.length === 0) {
    const text = `No ${where} stories${tag ? ` framed as ${tag}` : ''} in ${period}.`;
    const hint = days < MAX_DAYS ? `Try a longer window: /framing${country ? ` country:${country}` : ''}${tag ? ` tag:${tag}` : ''} days:${MAX_DAYS}` : undefined;
    return emptyReply(text, [{ type: 'paragraph', text }, ...(hint ? [{ type: 'hint' as const, text: hint }] : [])]);
  }
  const counts = countFramings(stories, tag);
  const framed = new Set(stories.filter((s) => s.outlets.some((o) => o.framings.some((f) => !tag || f.tag === tag))).map((s) => s.id)).size;
  const many = stories.length >= FRAMING_LIMIT ? `${FRAMING_LIMIT}+` : String(stories.length);
  const heading = `Framing in ${where} stories over ${period}: ${many} ${stories.length === 1 ? 'story' : 'stories'}, ${framed} with ${tag ? tag : 'a framing'}`;
  const sections: ReplySection[] = [{ type: 'heading', text: heading }];
  if (counts.length) sections.push({ type: 'list', items: counts.map(tagCountLine) });
  else sections.push({ type: 'paragraph', text: 'None of them carried a framing tag.' });
  const notes: string[] = [];
  if (clamped) notes.push(`Stories are kept ${MAX_DAYS} days, so that is the longest window.`);
  if (stories.length >= FRAMING_LIMIT) notes.push(`Counted the ${FRAMING_LIMIT} most recent stories.`);
  if (notes.length) sections.push({ type: 'paragraph', text: notes.join(' ') });
  sections.push({ type: 'hint', text: 'An outlet counts once per story. /story <tag> shows the stories, e.g. /story color revolution' });
  return okReply('in_channel', heading, sections);
}
