// Pure renderers: platform-neutral Alert / Reply values → Slack Block Kit payloads. No I/O.
// Every string that did not originate here goes through escape.ts (see the rules there): hostile
// text lands in plain_text objects where no formatting is needed, and in mrkdwn only escaped and
// with formatting neutralised; mrkdwn objects are `verbatim: true` so Slack does not auto-link
// channel names, bare URLs or mentions in them.
import type { types } from '@slack/bolt';
import { affiliationBadge, clip, countryLine, followupText, formatDaySpan, formatWhen, framingGroups, framingRest, storyQuoteLines, tagName } from '../../core/alert/format.js';
import { mergeText } from '../../core/alert/merge.js';
import type { Alert, Reply, ReplySection, StoryCard } from '../../core/alert/values.js';
import type { CountryCode, Framing } from '../../core/types.js';
import { fit, mrkdwn, mrkdwnLink, safeUrl } from './escape.js';

export type KnownBlock = types.KnownBlock;

/** Slack's documented limits (characters unless stated) and the ones we choose. */
export const SLACK_LIMITS = {
  /** Blocks in one message. */
  blocks: 50,
  sectionText: 3000,
  headerText: 150,
  /** Fields in one section, and characters in each. */
  fields: 10,
  fieldText: 2000,
  /** Elements in a context block. */
  contextElements: 10,
  contextText: 2000,
  buttonText: 75,
  buttonValue: 2000,
  buttonUrl: 3000,
  /** Our cap for the fallback `text` (Slack truncates at 40 000; notifications show far less). */
  fallbackText: 3000,
  /** Our cap for a summary: an analyst reads it in five seconds. */
  summary: 1200,
  /** Our cap for a quote in a framing line. */
  quote: 240,
  /** Our cap for stories in one message (2 blocks each), leaving room for heading and hints. */
  stories: 20,
} as const;

/** Action ids of the alert buttons; app.ts listens to them. */
export const ACTION_IDS = {
  evidence: 'sw_evidence',
  muteStory: 'sw_mute_story',
  /** URL buttons still send an interaction, which must be acknowledged. */
  openArticle: 'sw_open_article',
  /** The story's page in the web view (PUBLIC_URL set). */
  openStory: 'sw_open_story',
} as const;

/** What a button carries back (JSON in the button's value). */
export interface ButtonValue {
  storyId: string;
  articleId?: string;
}

/** A message for chat.postMessage / chat.update (channel and thread are added by the notifier). */
export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
  unfurl_links: false;
  unfurl_media: false;
}

/** A command answer for the ack body or response_url. */
export interface SlackResponse {
  response_type: 'ephemeral' | 'in_channel';
  text: string;
  blocks: KnownBlock[];
}

// ── block builders (every text argument is already escaped) ────────────────────────────────

function plainObj(escaped: string): types.PlainTextElement {
  return { type: 'plain_text', text: escaped, emoji: true };
}
function mrkdwnObj(escaped: string): types.MrkdwnElement {
  return { type: 'mrkdwn', text: escaped, verbatim: true };
}
function header(raw: string): types.HeaderBlock {
  return { type: 'header', text: plainObj(fit(raw, SLACK_LIMITS.headerText)) };
}
function plainSection(raw: string, max: number = SLACK_LIMITS.sectionText): types.SectionBlock {
  return { type: 'section', text: plainObj(fit(raw, Math.min(max, SLACK_LIMITS.sectionText))) };
}
function mrkdwnSection(escaped: string): types.SectionBlock {
  return { type: 'section', text: mrkdwnObj(escaped) };
}
function context(rawParts: string[]): types.ContextBlock {
  return {
    type: 'context',
    elements: rawParts
      .filter((p) => p.trim() !== '')
      .slice(0, SLACK_LIMITS.contextElements)
      .map((p) => plainObj(fit(p, SLACK_LIMITS.contextText))),
  };
}

/**
 * Joins already-escaped lines into as few mrkdwn sections as fit (3000 characters each); a line
 * longer than a section on its own is cut (callers keep lines short, so this is a guard).
 */
function mrkdwnSections(lines: string[], heading?: string): types.SectionBlock[] {
  const out: types.SectionBlock[] = [];
  let cur = heading ?? '';
  for (const raw of lines) {
    const line = raw.length > SLACK_LIMITS.sectionText - 1 ? `${raw.slice(0, SLACK_LIMITS.sectionText - 2).replace(/&[a-z]*$/, '')}…` : raw;
    const next = cur ? `${cur}\n${line}` : line;
    if (next.length > SLACK_LIMITS.sectionText) {
      if (cur) out.push(mrkdwnSection(cur));
      cur = line;
    } else {
      cur = next;
    }
  }
  if (cur) out.push(mrkdwnSection(cur));
  return out;
}

/** Keeps a message within 50 blocks, saying what was left out. */
function capBlocks(blocks: KnownBlock[]): KnownBlock[] {
  if (blocks.length <= SLACK_LIMITS.blocks) return blocks;
  const kept = blocks.slice(0, SLACK_LIMITS.blocks - 1);
  // Do not end on a divider.
  while (kept.length && kept[kept.length - 1]!.type === 'divider') kept.pop();
  kept.push(context([`… ${blocks.length - kept.length} more parts not shown (Slack shows at most ${SLACK_LIMITS.blocks} blocks).`]));
  return kept;
}

export function encodeButtonValue(v: ButtonValue): string {
  const full = JSON.stringify(v.articleId ? { s: v.storyId, a: v.articleId } : { s: v.storyId });
  return full.length <= SLACK_LIMITS.buttonValue ? full : JSON.stringify({ s: v.storyId.slice(0, 1900) });
}

/** Reads a button value back; null when it is not one of ours. */
export function decodeButtonValue(value: string | undefined): ButtonValue | null {
  if (!value) return null;
  try {
    const v = JSON.parse(value) as { s?: unknown; a?: unknown };
    if (typeof v.s !== 'string' || v.s === '') return null;
    return typeof v.a === 'string' && v.a !== '' ? { storyId: v.s, articleId: v.a } : { storyId: v.s };
  } catch {
    return null;
  }
}

function button(label: string, actionId: string, extra: { value?: string; url?: string; style?: 'primary' | 'danger' }): types.Button {
  return { type: 'button', text: plainObj(fit(label, SLACK_LIMITS.buttonText)), action_id: actionId, ...extra };
}

function alertButtons(a: Alert): types.ActionsBlock {
  const elements: types.Button[] = [];
  const url = safeUrl(a.url);
  if (url && url.length <= SLACK_LIMITS.buttonUrl) elements.push(button('Open article', ACTION_IDS.openArticle, { url }));
  const story = safeUrl(a.storyUrl);
  if (story && story.length <= SLACK_LIMITS.buttonUrl) elements.push(button('Open story', ACTION_IDS.openStory, { url: story }));
  elements.push(button('All evidence', ACTION_IDS.evidence, { value: encodeButtonValue({ storyId: a.storyId, articleId: a.articleId }) }));
  if (a.kind === 'alert') elements.push(button('Mute this story', ACTION_IDS.muteStory, { value: encodeButtonValue({ storyId: a.storyId }) }));
  return { type: 'actions', elements };
}

// ── alerts ─────────────────────────────────────────────────────────────────────────────────

/** `🇰🇿 Kazakhstan`, `🇰🇿 Kazakhstan, 🇺🇿 Uzbekistan`, `🇰🇿 Kazakhstan +2`, `Central Asia`. */
function countryHead(countries: CountryCode[]): string {
  if (countries.length <= 2) return countryLine(countries);
  return `${countryLine(countries.slice(0, 1))} +${countries.length - 1}`;
}

/**
 * `• *color revolution · external interference* — “quote” — Wei Fenghe`: one line per distinct
 * quote, the headline's own tags first; a background quote says so in italics.
 */
function framingMrkdwnLines(framings: Framing[], headline: string): string[] {
  return framingGroups(framings, headline, SLACK_LIMITS.quote).map((l) => {
    const rest = mrkdwn(framingRest({ ...l, background: false }));
    return `• *${mrkdwn(l.names)}*${rest}${l.background ? ' · _background_' : ''}`;
  });
}

/** The root alert of a story in a channel: Block Kit with a plain-text fallback. */
export function alertToSlack(a: Alert): SlackMessage {
  if (a.kind === 'followup') return followupToSlack(a);
  if (a.kind === 'merge') return mergeToSlack(a);
  const head = `${countryHead(a.countries)} · ${a.headline}`;
  const meta = [`${a.outlet.name}  [${affiliationBadge(a.outlet.affiliation)}]`];
  if (a.countries.length > 2) meta.push(countryLine(a.countries));
  meta.push(formatWhen(a.published), `relevance ${a.relevance.toFixed(2)}`);
  if (a.outletCount > 1) meta.push(`Carried by ${a.outletCount} outlets`);

  const blocks: KnownBlock[] = [header(head), context(meta)];
  if (a.summary.trim()) blocks.push(plainSection(a.summary, SLACK_LIMITS.summary));
  if (a.framings.length) blocks.push(...mrkdwnSections(framingMrkdwnLines(a.framings, a.headline), '*Framing*'));
  blocks.push(alertButtons(a));
  blocks.push(context([`Story ${a.storyId}`]));

  const fallback = `${head} — ${a.outlet.name} [${affiliationBadge(a.outlet.affiliation)}], ${formatWhen(a.published)}`;
  return { text: fit(fallback, SLACK_LIMITS.fallbackText, mrkdwn), blocks: capBlocks(blocks), unfurl_links: false, unfurl_media: false };
}

/**
 * A later outlet of a story, for the thread of the story's first message: the follow-up sentence,
 * the article as a link, and the framings this article adds, each with its quote and speaker.
 */
export function followupToSlack(a: Alert): SlackMessage {
  const sentence = followupText(a);
  const first = `↳ ${fit(sentence, 1500, mrkdwn)}\n${mrkdwnLink(a.url, clip(a.headline, 300))}`;
  const blocks: KnownBlock[] = [mrkdwnSection(first)];
  const newTags = new Set(a.followup?.newTags ?? []);
  const added = a.framings.filter((f) => newTags.has(f.tag));
  if (added.length) blocks.push(...mrkdwnSections(framingMrkdwnLines(added, a.headline), '*New framing here*'));
  blocks.push(alertButtons(a));
  return { text: fit(sentence, SLACK_LIMITS.fallbackText, mrkdwn), blocks: capBlocks(blocks), unfurl_links: false, unfurl_media: false };
}

/**
 * The "merged with …" notice (core/alert/merge.ts) for the surviving story's thread: one escaped
 * mrkdwn line (no mentions, no links from feed text), and "Open story" when there is a page.
 */
export function mergeToSlack(a: Alert): SlackMessage {
  const sentence = mergeText(a);
  const blocks: KnownBlock[] = [mrkdwnSection(`⇄ ${fit(sentence, 1500, mrkdwn)}`)];
  const story = safeUrl(a.storyUrl);
  if (story && story.length <= SLACK_LIMITS.buttonUrl) blocks.push({ type: 'actions', elements: [button('Open story', ACTION_IDS.openStory, { url: story })] });
  return { text: fit(sentence, SLACK_LIMITS.fallbackText, mrkdwn), blocks, unfurl_links: false, unfurl_media: false };
}

// ── replies (command answers, digests, notices) ───────────────────────────────────────────

/** `state: CN, RU · independent` from a story's outlets, in order of first appearance. */
function affiliationSummary(s: StoryCard): string {
  const states: string[] = [];
  const others: string[] = [];
  for (const o of s.outlets) {
    const m = /^state:(.+)$/.exec(o.affiliation);
    if (m) {
      if (!states.includes(m[1]!)) states.push(m[1]!);
    } else if (!others.includes(o.affiliation)) {
      others.push(o.affiliation);
    }
  }
  return [...(states.length ? [`state: ${states.join(', ')}`] : []), ...others].join(' · ');
}

/** One story of a /story answer or digest as a mrkdwn section (links to each outlet's article). */
export function storyCardToSlack(s: StoryCard, n?: number): types.SectionBlock {
  const firstUrl = s.outlets.find((o) => safeUrl(o.url))?.url ?? null;
  const count = `${s.outlets.length} outlet${s.outlets.length === 1 ? '' : 's'}`;
  const aff = affiliationSummary(s);
  const lines = [
    `*${n !== undefined ? `${n}. ` : ''}${mrkdwnLink(firstUrl, clip(s.headline, 250))}* — ${mrkdwn(`${count}${aff ? ` (${aff})` : ''}, ${formatDaySpan(s.firstSeen, s.lastSeen)}`)}`,
  ];
  if (s.framings.length) lines.push(s.framings.map((f) => `\`${mrkdwn(tagName(f.tag))}\``).join(' · '));
  if (safeUrl(s.storyUrl)) lines.push(mrkdwnLink(s.storyUrl!, 'Open story: all outlets, the trail and every quote'));
  if (s.summary.trim()) lines.push(mrkdwn(clip(s.summary, 400)));
  if (s.outlets.length > 1) lines.push(mrkdwn(`${s.outlets[0]!.outlet} first, then ${s.outlets.slice(1, 6).map((o) => o.outlet).join(', ')}${s.outlets.length > 6 ? ', …' : ''}.`));
  for (const q of storyQuoteLines(s, 200, 5)) lines.push(`– *${mrkdwn(q.names)}*: ${mrkdwn(q.rest)}`);
  const links = s.outlets
    .slice(0, 10)
    .filter((o) => safeUrl(o.url))
    .map((o) => mrkdwnLink(o.url, clip(o.outlet, 60)));
  if (links.length) lines.push(links.join(' · '));
  // Lines are short; join and guard the section limit by dropping trailing lines.
  let text = lines.join('\n');
  while (text.length > SLACK_LIMITS.sectionText && lines.length > 1) {
    lines.pop();
    text = lines.join('\n');
  }
  return mrkdwnSection(text.length > SLACK_LIMITS.sectionText ? text.slice(0, SLACK_LIMITS.sectionText) : text);
}

function sectionToBlocks(sec: ReplySection): KnownBlock[] {
  switch (sec.type) {
    case 'heading':
      return sec.text.trim() ? [header(sec.text)] : [];
    case 'paragraph':
      return sec.text.trim() ? [plainSection(sec.text)] : [];
    case 'hint':
      return sec.text.trim() ? [context([sec.text])] : [];
    case 'chart':
      // The image is uploaded by the notifier; the text summary stands in the message.
      return sec.alt.trim() ? [plainSection(sec.alt)] : [];
    case 'list':
      return mrkdwnSections(sec.items.map((i) => `• ${mrkdwn(clip(i, 1000))}`));
    case 'fields': {
      const out: KnownBlock[] = [];
      for (let i = 0; i < sec.fields.length; i += SLACK_LIMITS.fields) {
        out.push({
          type: 'section',
          fields: sec.fields.slice(i, i + SLACK_LIMITS.fields).map((f) => mrkdwnObj(`*${fit(f.label, 100, mrkdwn)}*\n${fit(f.value, SLACK_LIMITS.fieldText - 110, mrkdwn)}`)),
        });
      }
      return out;
    }
    case 'stories': {
      const out: KnownBlock[] = [];
      sec.stories.slice(0, SLACK_LIMITS.stories).forEach((s, i) => {
        if (i > 0) out.push({ type: 'divider' });
        out.push(storyCardToSlack(s, i + 1));
      });
      const more = sec.stories.length - SLACK_LIMITS.stories;
      if (more > 0) out.push(context([`… and ${more} more ${more === 1 ? 'story' : 'stories'} not shown here.`]));
      return out;
    }
  }
}

/** A reply as a message (postReply: digests, notices) — Block Kit with the reply's one-line text as fallback. */
export function replyToSlack(r: Reply): SlackMessage {
  const blocks = r.sections.flatMap(sectionToBlocks);
  if (blocks.length === 0 && r.text.trim()) blocks.push(plainSection(r.text));
  return { text: fit(r.text || ' ', SLACK_LIMITS.fallbackText, mrkdwn), blocks: capBlocks(blocks), unfurl_links: false, unfurl_media: false };
}

/** Errors and usage are always ephemeral, whatever the handler asked for. */
export function responseType(r: Reply): 'ephemeral' | 'in_channel' {
  return r.kind === 'error' || r.kind === 'usage' ? 'ephemeral' : r.visibility;
}

/** A reply as a slash-command / interaction response (ack body or response_url POST). */
export function replyToResponse(r: Reply): SlackResponse {
  const { text, blocks } = replyToSlack(r);
  return { response_type: responseType(r), text, blocks };
}
