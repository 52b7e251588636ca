// Pure renderers: platform-neutral Alert / Reply values → Discord message payloads.
// Every payload sets `allowed_mentions: {parse: []}`; feed text is escaped (./escape.ts) and
// clipped to Discord's limits (./limits.ts): 256 a title, 4096 a description, 25 fields of
// 256/1024, 6000 characters over all embeds, 2000 of content.
import { ButtonStyle, ComponentType, type APIActionRowComponent, type APIButtonComponent, type APIEmbed, type APIEmbedField } from 'discord.js';
import {
  affiliationBadge,
  clip,
  countryLine,
  followupText,
  formatDaySpan,
  formatWhen,
  framingGroups,
  framingRest,
  outletWithBadge,
  storyQuoteLines,
  tagName,
} from '../../core/alert/format.js';
import { mergeText } from '../../core/alert/merge.js';
import type { Alert, Reply, ReplySection, StoryCard } from '../../core/alert/values.js';
import type { Affiliation } from '../../core/types.js';
import { oneLine, plainText, safeText, safeUrl } from './escape.js';
import { LIMITS, NO_MENTIONS, totalEmbedChars, type DiscordMessage } from './limits.js';

/** Button custom ids: `sw_evidence:<storyId>`, `sw_mute_story:<storyId>` (./interactions handles them). */
export const EVIDENCE_PREFIX = 'sw_evidence:';
export const MUTE_STORY_PREFIX = 'sw_mute_story:';

/** Embed colours: state media red, public media blue, independent green, unknown grey. */
export const AFFILIATION_COLOURS = {
  state: 0xd64541,
  public: 0x3b82f6,
  independent: 0x2ecc71,
  unknown: 0x95a5a6,
} as const;

export function affiliationColour(a: Affiliation | string): number {
  if (a.startsWith('state:')) return AFFILIATION_COLOURS.state;
  if (a.startsWith('public:')) return AFFILIATION_COLOURS.public;
  if (a === 'independent') return AFFILIATION_COLOURS.independent;
  return AFFILIATION_COLOURS.unknown;
}

/** Clipped to `max` characters; never empty (Discord refuses empty field names and values). */
function fit(s: string, max: number, empty = '—'): string {
  const c = clip(s, max);
  return c.length > 0 ? c : empty;
}

type ButtonRow = APIActionRowComponent<APIButtonComponent>;

/**
 * The text of a masked link `[text](url)`: escaped, with `]` escaped too (so feed text cannot
 * close the label and start a link of its own) and bare URLs broken (Discord refuses or shows
 * raw a label that looks like a URL).
 */
function linkText(s: string): string {
  return safeText(oneLine(s)).replace(/\]/g, '\\]').replace(/:\/\//g, ':/\u200B/');
}

function linkButton(label: string, url: string | null): APIButtonComponent | null {
  const u = safeUrl(url, LIMITS.buttonUrl);
  return u ? { type: ComponentType.Button, style: ButtonStyle.Link, label, url: u } : null;
}

function actionButton(label: string, customId: string, style: ButtonStyle.Secondary | ButtonStyle.Danger = ButtonStyle.Secondary): APIButtonComponent | null {
  return customId.length <= LIMITS.customId ? { type: ComponentType.Button, style, label, custom_id: customId } : null;
}

function row(buttons: (APIButtonComponent | null)[]): ButtonRow[] {
  const components = buttons.filter((b): b is APIButtonComponent => b !== null);
  return components.length ? [{ type: ComponentType.ActionRow, components }] : [];
}

/**
 * Brings embeds under the 6000-character total: first the longest descriptions are shortened
 * (down to `minDescription`), then framing-style fields (`shrinkableFields` from the index given)
 * lose text, then such fields are dropped from the end, then descriptions go down to nothing.
 */
function fitTotal(embeds: APIEmbed[], firstShrinkableField = 0, minDescription = 300): void {
  const over = () => totalEmbedChars(embeds) - LIMITS.totalEmbedChars;
  const shrinkDescriptions = (floor: number) => {
    for (const e of [...embeds].sort((a, b) => (b.description?.length ?? 0) - (a.description?.length ?? 0))) {
      const excess = over();
      if (excess <= 0) return;
      const d = e.description ?? '';
      if (d.length <= floor) continue;
      const to = Math.max(floor, d.length - excess);
      if (to <= 0) delete e.description;
      else e.description = clip(d, to);
    }
  };
  shrinkDescriptions(minDescription);
  for (const e of embeds) {
    const fields = e.fields ?? [];
    const shrinkable = fields.slice(firstShrinkableField);
    while (over() > 0 && shrinkable.some((f) => f.value.length > 120)) {
      const per = Math.ceil(over() / shrinkable.length);
      for (const f of shrinkable) if (f.value.length > 120) f.value = fit(f.value, Math.max(120, f.value.length - per));
    }
    while (over() > 0 && fields.length > firstShrinkableField) fields.pop();
  }
  shrinkDescriptions(0);
}

/**
 * The framing of an alert as embed fields, one per distinct quote: the name lists the tags that
 * share it (readable names, the headline's own first), the value is the quote and its speaker.
 */
function framingFields(a: Alert, max: number): APIEmbedField[] {
  const groups = framingGroups(a.framings, a.headline);
  const fields = groups.map((l): APIEmbedField => {
    const rest = l.quote === null ? 'no quote kept' : framingRest(l).slice(3);
    return { name: fit(safeText(l.names), LIMITS.fieldName), value: fit(safeText(rest), LIMITS.fieldValue) };
  });
  if (fields.length <= max) return fields;
  const kept = fields.slice(0, max - 1);
  const others = groups.slice(max - 1).map((l) => l.names);
  kept.push({ name: 'More framing', value: fit(safeText(others.join(' · ')), LIMITS.fieldValue) });
  return kept;
}

/** A story's first alert in a channel: one embed (colour by affiliation) and its buttons. */
export function alertToDiscord(a: Alert): DiscordMessage {
  if (a.kind === 'followup') return followupToDiscord(a);
  if (a.kind === 'merge') return mergeToDiscord(a);
  const meta: APIEmbedField[] = [
    { name: 'Outlet', value: fit(`${safeText(a.outlet.name)}\n${affiliationBadge(a.outlet.affiliation)}`, LIMITS.fieldValue), inline: true },
    { name: 'Countries', value: fit(countryLine(a.countries), LIMITS.fieldValue), inline: true },
    { name: 'Published', value: fit(formatWhen(a.published), LIMITS.fieldValue), inline: true },
  ];
  const embed: APIEmbed = {
    color: affiliationColour(a.outlet.affiliation),
    author: { name: fit(plainText(countryLine(a.countries)), LIMITS.author) },
    title: fit(safeText(oneLine(a.headline)), LIMITS.title, '(untitled)'),
    fields: [...meta, ...framingFields(a, LIMITS.fields - meta.length)],
    footer: {
      text: fit(plainText(`Story ${a.storyId} · relevance ${a.relevance.toFixed(2)} · ${a.outletCount} outlet${a.outletCount === 1 ? '' : 's'}`), LIMITS.footer),
    },
  };
  const url = safeUrl(a.url);
  if (url) embed.url = url;
  const summary = safeText(a.summary.trim());
  if (summary) embed.description = clip(summary, LIMITS.description);
  const embeds = [embed];
  fitTotal(embeds, meta.length);
  return {
    embeds,
    components: row([
      linkButton('Open article', a.url),
      linkButton('Open story', a.storyUrl ?? null),
      actionButton('All evidence', `${EVIDENCE_PREFIX}${a.storyId}`),
      actionButton('Mute this story', `${MUTE_STORY_PREFIX}${a.storyId}`),
    ]),
    allowed_mentions: NO_MENTIONS,
  };
}

export interface FollowupRenderOptions {
  /** Posted on its own in the channel (its thread could not be used): lead with the headline. */
  standalone?: boolean;
}

/**
 * A later outlet of a story, for the story's thread, with the same parts as Slack's: the
 * follow-up sentence (ux.md), the article's headline (linked, without a preview), and the
 * framings this article adds, each with its quote and speaker; and a link button.
 */
export function followupToDiscord(a: Alert, o: FollowupRenderOptions = {}): DiscordMessage {
  const line = safeText(followupText(a));
  const title = linkText(clip(oneLine(a.headline), 300)) || '(untitled)';
  const url = safeUrl(a.url, 1000);
  // `<url>` keeps Discord from unfurling the link into a preview (the button is there).
  const headline = url ? `[${title}](<${url}>)` : title;
  const newTags = new Set(a.followup?.newTags ?? []);
  const added = framingGroups(
    a.framings.filter((f) => newTags.has(f.tag)),
    a.headline,
  ).map((l) => `• **${safeText(l.names)}**${safeText(framingRest(l))}`);
  // Budget: the sentence and headline first; new framings as far as they fit in 2000.
  let content = o.standalone ? `**${headline}**\n↳ ${clip(line, 900)}` : `↳ ${clip(line, 900)}\n${headline}`;
  if (added.length) {
    const block = ['**New framing here**', ...added];
    for (let n = block.length; n > 1; n--) {
      const withBlock = `${content}\n${block.slice(0, n).join('\n')}`;
      if (withBlock.length <= LIMITS.content) {
        content = withBlock;
        break;
      }
    }
  }
  return {
    content: clip(content, LIMITS.content),
    components: row([linkButton('Open article', a.url), linkButton('Open story', a.storyUrl ?? null)]),
    allowed_mentions: NO_MENTIONS,
  };
}

/**
 * The "merged with …" notice (core/alert/merge.ts) for the surviving story's thread: one line,
 * escaped, no mentions; standalone (no thread): the surviving story's headline first.
 */
export function mergeToDiscord(a: Alert, o: FollowupRenderOptions = {}): DiscordMessage {
  const line = `⇄ ${safeText(clip(mergeText(a), 1200))}`;
  const content = o.standalone ? `**${linkText(clip(oneLine(a.headline), 300)) || '(untitled)'}**\n${line}` : line;
  return { content: clip(content, LIMITS.content), components: row([linkButton('Open story', a.storyUrl ?? null)]), allowed_mentions: NO_MENTIONS };
}

/** A message for the story's thread: a follow-up or a merge notice. */
export function threadMessageToDiscord(a: Alert, o: FollowupRenderOptions = {}): DiscordMessage {
  return a.kind === 'merge' ? mergeToDiscord(a, o) : followupToDiscord(a, o);
}

/** The edit of a story's first message once more outlets carried it (content only; the embed stays). */
export function outletCountToDiscord(a: Alert): DiscordMessage {
  const n = a.followup?.outletCount ?? a.outletCount;
  return {
    content: clip(safeText(`Carried by ${n} outlets so far; latest: ${outletWithBadge(a.outlet)}. Follow-ups in the thread.`), LIMITS.content),
    allowed_mentions: NO_MENTIONS,
  };
}

/** A thread name (plain text, 1–100 characters) from a headline. */
export function threadName(headline: string, storyId: string): string {
  return fit(plainText(oneLine(headline)), LIMITS.threadName, `Story ${storyId}`.slice(0, LIMITS.threadName));
}

// ---- replies (command answers, digests, notices) ----

/** `state: CN, RU · independent`, from a story's outlets. */
function affiliationSummary(s: StoryCard): string {
  const state = [...new Set(s.outlets.filter((o) => o.affiliation.startsWith('state:')).map((o) => o.affiliation.slice(6)))];
  const others = [...new Set(s.outlets.filter((o) => !o.affiliation.startsWith('state:')).map((o) => affiliationBadge(o.affiliation)))];
  return [...(state.length ? [`state: ${state.join(', ')}`] : []), ...others].join(' · ');
}

function storyEmbed(s: StoryCard, n: number): APIEmbed {
  const lines: string[] = [];
  const outlets = `${s.outlets.length} outlet${s.outlets.length === 1 ? '' : 's'}`;
  lines.push(safeText(`${outlets} (${affiliationSummary(s)}) · ${formatDaySpan(s.firstSeen, s.lastSeen)} · ${countryLine(s.countries)}`));
  if (s.framings.length) lines.push(safeText(s.framings.map((f) => tagName(f.tag)).join(' · ')));
  const page = safeUrl(s.storyUrl);
  if (page) lines.push(`[Open story](<${page}>)`);
  if (s.summary) lines.push('', safeText(clip(s.summary, 400)));
  if (s.outlets.length > 1) lines.push('', safeText(`${s.outlets[0]!.outlet} first, then ${s.outlets.slice(1).map((o) => o.outlet).join(', ')}.`));
  const quotes = storyQuoteLines(s, 160);
  if (quotes.length) lines.push('');
  for (const q of quotes) lines.push(`• **${safeText(q.names)}**: ${safeText(q.rest)}`);
  const links = s.outlets
    .map((o) => {
      const u = safeUrl(o.url);
      return u ? `[${linkText(o.outlet)}](${u})` : null;
    })
    .filter(Boolean);
  if (links.length) lines.push('', links.join(' · '));
  const first = s.outlets[0];
  const e: APIEmbed = {
    color: affiliationColour(first?.affiliation ?? 'unknown'),
    title: fit(`${n}. ${safeText(oneLine(s.headline))}`, LIMITS.title),
    description: fit(lines.join('\n'), LIMITS.description),
    footer: { text: fit(plainText(`Story ${s.id}`), LIMITS.footer) },
  };
  const url = safeUrl(first?.url);
  if (url) e.url = url;
  return e;
}

/** Markdown lines of the text sections of a reply. */
function sectionLines(sec: Exclude<ReplySection, { type: 'stories' } | { type: 'fields' }>, inEmbed: boolean): string[] {
  switch (sec.type) {
    case 'heading':
      return [`**${safeText(sec.text)}**`];
    case 'paragraph':
      return [safeText(sec.text)];
    case 'list':
      return sec.items.map((i) => `• ${safeText(i)}`);
    case 'hint':
      // Subtext in messages; italics in embeds.
      return [inEmbed ? `*${safeText(sec.text)}*` : `-# ${safeText(oneLine(sec.text))}`];
    case 'chart':
      // The image travels as an attachment (the notifier draws it); the text stands beside it.
      return [safeText(sec.alt)];
  }
}

function fieldsOf(sec: Extract<ReplySection, { type: 'fields' }>): APIEmbedField[] {
  return sec.fields.map((f) => ({
    name: fit(safeText(oneLine(f.label)), LIMITS.fieldName),
    value: fit(safeText(f.value), LIMITS.fieldValue),
    inline: f.value.length <= 40,
  }));
}

/**
 * A reply as a message. Short text-only replies (errors, usage, confirmations) are plain content;
 * replies with stories or fields, or too long for content, become embeds: one per run of text
 * sections (the first heading as its title), one per story, at most 10, 6000 characters in all.
 * Ephemerality is not part of the payload: the interaction layer adds the flag from `visibility`.
 */
export function replyToDiscord(r: Reply): DiscordMessage {
  const sections = r.sections.length ? r.sections : [{ type: 'paragraph' as const, text: r.text }];
  const simple = sections.every((s) => s.type !== 'stories' && s.type !== 'fields');
  if (simple) {
    const content = sections.flatMap((s) => sectionLines(s as Parameters<typeof sectionLines>[0], false)).join('\n').trim();
    if (content.length > 0 && content.length <= LIMITS.content) return { content, allowed_mentions: NO_MENTIONS };
  }

  const embeds: APIEmbed[] = [];
  let storyCount = 0;
  let current: { title?: string; lines: string[]; fields: APIEmbedField[] } | null = null;
  const flush = () => {
    if (!current) return;
    const e: APIEmbed = {};
    if (current.title) e.title = current.title;
    const d = current.lines.join('\n').trim();
    if (d) e.description = clip(d, LIMITS.description);
    if (current.fields.length) e.fields = current.fields.slice(0, LIMITS.fields);
    if (e.title || e.description || e.fields) embeds.push(e);
    current = null;
  };
  const storyEmbeds = new Set<APIEmbed>();
  for (const sec of sections) {
    if (sec.type === 'stories') {
      flush();
      for (const s of sec.stories) {
        const e = storyEmbed(s, ++storyCount);
        storyEmbeds.add(e);
        embeds.push(e);
      }
      continue;
    }
    current ??= { lines: [], fields: [] };
    if (sec.type === 'heading' && !current.title && current.lines.length === 0) current.title = fit(safeText(oneLine(sec.text)), LIMITS.title);
    else if (sec.type === 'fields') current.fields.push(...fieldsOf(sec));
    else current.lines.push(...sectionLines(sec, true));
  }
  flush();

  // At most 10 embeds and 6000 characters: later stories are folded into a closing note.
  const dropped: string[] = [];
  const isStory = (e: APIEmbed) => storyEmbeds.has(e);
  const dropLastStory = () => {
    const last = [...embeds].reverse().find(isStory);
    if (!last) return false;
    embeds.splice(embeds.indexOf(last), 1);
    dropped.unshift(last.title ?? '');
    return true;
  };
  const room = () => LIMITS.embeds - (dropped.length ? 1 : 0);
  while (embeds.length > room() || (totalEmbedChars(embeds) + (dropped.length ? 500 : 0) > LIMITS.totalEmbedChars && embeds.filter(isStory).length > 1)) {
    if (!dropLastStory()) break;
  }
  if (dropped.length) embeds.push({ description: fit(`…and ${dropped.length} more: ${dropped.join(' · ')}`, 500) });
  fitTotal(embeds, Number.MAX_SAFE_INTEGER, 200);
  // Still over (pathological field sizes): drop fields from the end.
  for (const e of [...embeds].reverse()) {
    while (totalEmbedChars(embeds) > LIMITS.totalEmbedChars && e.fields?.length) e.fields.pop();
  }
  if (embeds.length === 0) return { content: fit(safeText(r.text), LIMITS.content), allowed_mentions: NO_MENTIONS };
  return { embeds, allowed_mentions: NO_MENTIONS };
}
