// /subscribe, /unsubscribe, /subscriptions.
//
// Visibility: a new or removed subscription changes what the whole channel receives, so the
// confirmation is in_channel (people see who set up the alerts and how to stop them); the
// list (/subscriptions) is a personal look-up: ephemeral; errors and usage: ephemeral.
import { randomBytes } from 'node:crypto';
import { formatWhen } from '../core/alert/format.js';
import type { Reply, ReplySection } from '../core/alert/values.js';
import { COUNTRY_NAMES, type CountryCode, type TagId } from '../core/types.js';
import type { Subscription } from '../core/routing/subscription.js';
import type { SubscriptionStore, MuteStore } from '../ports/stores.js';
import { destinationKey } from '../core/types.js';
import { COMMAND_SPECS, mainValue } from './grammar.js';
import { emptyReply, errorReply, okReply, orList, plural, usageReply } from './replies.js';
import type { CommandContext, ParsedCommand } from './types.js';
import { termLabel, type QueryVocabulary, type TermKind } from './vocabulary.js';

export interface SubscriptionDeps {
  subscriptions: SubscriptionStore;
  mutes: MuteStore;
  vocabulary: QueryVocabulary;
  defaultMinRelevance: number;
  newId?: () => string;
}

/** What /subscribe asked for, validated. */
export type SubscriptionDraft = Pick<Subscription, 'countries' | 'tags' | 'outlets' | 'affiliations' | 'keywords' | 'minRelevance' | 'mode'>;

const MAX_KEYWORDS = 20;
const MAX_KEYWORD_LENGTH = 80;

/** `s` + 6 hex characters: short enough to type, 16 million values per deployment. */
export function newSubscriptionId(): string {
  return `s${randomBytes(3).toString('hex')}`;
}

function unknownTerm(v: QueryVocabulary, kinds: TermKind[], value: string, what: string): string {
  const near = v.suggest(value, kinds, 2);
  return `Unknown ${what} “${value}”${near.length ? ` — did you mean ${orList(near.map(termLabel))}?` : '.'}`;
}

/**
 * An affiliation as subscriptions store it: `state:RU`, `public:US`, `state` (any state media),
 * `public`, `independent`, `unknown`; null when it is none of these.
 */
export function normaliseAffiliation(raw: string): string | null {
  const v = raw.trim();
  const m = /^(state|public)(?::([A-Za-z]{2}))?$/i.exec(v);
  if (m) return m[2] ? `${m[1]!.toLowerCase()}:${m[2].toUpperCase()}` : m[1]!.toLowerCase();
  if (/^(independent|unknown)$/i.test(v)) return v.toLowerCase();
  return null;
}

/** Reads /subscribe's options and bare words; every problem is reported at once. */
export function parseSubscription(cmd: ParsedCommand, v: QueryVocabulary): { ok: true; draft: SubscriptionDraft } | { ok: false; reply: Reply } {
  const problems: string[] = [];
  const countries = new Set<CountryCode>();
  const tags = new Set<TagId>();
  const outlets = new Set<string>();
  const affiliations = new Set<string>();
  const keywords: string[] = [];

  const take = (kind: TermKind, what: string, values: string[] | undefined) => {
    for (const value of values ?? []) {
      const t = v.resolve(value, [kind]);
      if (!t) problems.push(unknownTerm(v, [kind], value, what));
      else if (kind === 'country') countries.add(t.id as CountryCode);
      else if (kind === 'tag') tags.add(t.id as TagId);
      else outlets.add(t.id);
    }
  };
  take('country', 'country', cmd.options.countries);
  take('tag', 'framing tag', cmd.options.tags);
  take('outlet', 'outlet', cmd.options.outlets);

  for (const a of cmd.options.affiliations ?? []) {
    const n = normaliseAffiliation(a);
    if (n) affiliations.add(n);
    else problems.push(`Unknown affiliation “${a}” — use state:RU, public:US, state (any state media), independent or unknown.`);
  }
  for (const k of cmd.options.keywords ?? []) {
    const kw = k.trim().replace(/\s+/g, ' ');
    if (!kw) continue;
    if (kw.length > MAX_KEYWORD_LENGTH) problems.push(`Keyword “${kw.slice(0, 30)}…” is too long (at most ${MAX_KEYWORD_LENGTH} characters).`);
    else if (!keywords.some((x) => x.toLowerCase() === kw.toLowerCase())) keywords.push(kw);
  }
  if (keywords.length > MAX_KEYWORDS) problems.push(`At most ${MAX_KEYWORDS} keywords in one subscription.`);

  // Bare words: countries, tags or outlets ("/subscribe kazakhstan color revolution").
  if (cmd.bare.length) {
    const scan = v.scan(cmd.bare.join(' '), ['country', 'tag', 'outlet']);
    for (const t of scan.terms) {
      if (t.kind === 'country') countries.add(t.id as CountryCode);
      else if (t.kind === 'tag') tags.add(t.id as TagId);
      else outlets.add(t.id);
    }
    if (scan.rest.length) {
      const phrase = scan.rest.join(' ');
      const near = v.suggest(phrase, ['country', 'tag', 'outlet'], 2);
      const perWord = near.length ? near : scan.rest.flatMap((w) => v.suggest(w, ['country', 'tag', 'outlet'], 1));
      problems.push(
        `“${phrase}” is not a country, framing tag or outlet${perWord.length ? ` — did you mean ${orList(perWord.map(termLabel))}?` : '.'} For a watchlist word use keywords:"${phrase}".`,
      );
    }
  }

  let minRelevance: number | null = null;
  const mr = cmd.options.min_relevance?.[0];
  if (mr !== undefined) {
    const pct = /^(\d+(?:\.\d+)?)%$/.exec(mr.trim());
    const n = pct ? Number(pct[1]) / 100 : Number(mr.trim().replace(',', '.'));
    if (!mr.trim() || !Number.isFinite(n) || n < 0 || n > 1) problems.push(`min_relevance must be a number from 0 to 1 (got “${mr}”), e.g. min_relevance:0.5.`);
    else minRelevance = n;
  }
  let mode: Subscription['mode'] = 'alerts';
  const m = cmd.options.mode?.[0]?.trim().toLowerCase();
  if (m !== undefined) {
    if (m === 'alerts' || m === 'alert') mode = 'alerts';
    else if (m === 'digest' || m === 'daily') mode = 'digest';
    else problems.push(`mode is alerts (every story as it comes) or digest (one message a day), not “${cmd.options.mode![0]}”.`);
  }

  if (problems.length) {
    const spec = COMMAND_SPECS.subscribe!;
    return { ok: false, reply: usageReply(problems.join(' '), spec.usage, `Example: ${spec.example}`) };
  }
  return {
    ok: true,
    draft: { countries: [...countries].sort(), tags: [...tags], outlets: [...outlets], affiliations: [...affiliations], keywords, minRelevance, mode },
  };
}

function affiliationWords(a: string): string {
  const m = /^(state|public):([A-Z]{2})$/.exec(a);
  if (m) return `${m[1]} media (${m[2]})`;
  if (a === 'state') return 'any state media';
  if (a === 'public') return 'any public media';
  if (a === 'independent') return 'independent outlets';
  return 'outlets of unknown affiliation';
}

/**
 * One line saying what a subscription receives: "Alerts for every story about Kazakhstan or
 * Uzbekistan, framed as color-revolution, mentioning “Rogun dam”, relevance ≥ 0.5." Conditions are
 * all required; the values within one are alternatives.
 */
export function describeSubscription(s: SubscriptionDraft & Partial<Pick<Subscription, 'isDefault'>>, defaultMinRelevance: number, v?: QueryVocabulary): string {
  const head = s.mode === 'digest' ? 'A daily digest of' : 'Alerts for';
  if (s.isDefault) return `${head} every Central Asia story (this is the platform's default channel).`;
  const conds: string[] = [];
  if (s.countries.length) conds.push(`about ${orList(s.countries.map((c) => COUNTRY_NAMES[c] ?? c))}`);
  if (s.tags.length) conds.push(`framed as ${orList(s.tags)}`);
  if (s.outlets.length) conds.push(`carried by ${orList(s.outlets.map((o) => v?.get('outlet', o)?.name ?? o))}`);
  if (s.affiliations.length) conds.push(`from ${orList(s.affiliations.map(affiliationWords))}`);
  if (s.keywords.length) conds.push(`mentioning ${orList(s.keywords.map((k) => `“${k}”`))}`);
  const what = conds.length ? `stories ${conds.join(', ')}` : 'every Central Asia story';
  const rel = s.minRelevance === null ? `relevance ≥ ${defaultMinRelevance} (the default)` : `relevance ≥ ${s.minRelevance}`;
  return `${head} ${what}, ${rel}.`;
}

function sameDraft(a: SubscriptionDraft, b: SubscriptionDraft): boolean {
  const eq = (x: readonly string[], y: readonly string[]) => x.length === y.length && [...x].sort().every((e, i) => e === [...y].sort()[i]);
  return (
    eq(a.countries, b.countries) &&
    eq(a.tags, b.tags) &&
    eq(a.outlets, b.outlets) &&
    eq(a.affiliations, b.affiliations) &&
    eq(a.keywords.map((k) => k.toLowerCase()), b.keywords.map((k) => k.toLowerCase())) &&
    a.minRelevance === b.minRelevance &&
    a.mode === b.mode
  );
}

export async function handleSubscribe(cmd: ParsedCommand, ctx: CommandContext, deps: SubscriptionDeps): Promise<Reply> {
  const parsed = parseSubscription(cmd, deps.vocabulary);
  if (!parsed.ok) return parsed.reply;
  const destination = destinationKey(ctx.destination);
  const existing = await deps.subscriptions.list(destination);
  const same = existing.find((s) => !s.isDefault && sameDraft(s, parsed.draft));
  if (same?.paused) {
    // The platform refused this channel before (bot removed, archived …); asking again from it
    // after the fix resumes every paused subscription of the channel, as the pause took them all.
    const n = await deps.subscriptions.setPaused(destination, null);
    const text = `Resumed ${plural(n, 'subscription')} of this channel (paused since ${formatWhen(same.paused.at)}: ${same.paused.reason}).`;
    return okReply('in_channel', text, [
      { type: 'paragraph', text },
      { type: 'hint', text: 'If the cause is not fixed (the bot still not in the channel), they pause again at the next alert.' },
    ]);
  }
  if (same) {
    return okReply('ephemeral', `This channel already has that subscription: ${same.id}.`, [
      { type: 'paragraph', text: `This channel already has that subscription: ${same.id}. ${describeSubscription(same, deps.defaultMinRelevance, deps.vocabulary)}` },
      { type: 'hint', text: '/subscriptions lists them all.' },
    ]);
  }
  const makeId = deps.newId ?? newSubscriptionId;
  let id = makeId();
  for (let i = 0; i < 5 && (await deps.subscriptions.get(id)); i++) id = makeId();
  const sub: Subscription = {
    id,
    destination,
    ...parsed.draft,
    isDefault: false,
    createdBy: ctx.user.id,
    createdAt: ctx.now.toISOString(),
    paused: null,
  };
  await deps.subscriptions.add(sub);
  const desc = describeSubscription(sub, deps.defaultMinRelevance, deps.vocabulary);
  const text = `Subscribed this channel (${id}): ${desc}`;
  return okReply('in_channel', text, [
    { type: 'paragraph', text },
    { type: 'hint', text: `Stop it with /unsubscribe ${id} · see all with /subscriptions` },
  ]);
}

function defaultNote(ctx: CommandContext): string {
  // The console gets every story by default while no chat platform is configured.
  if (ctx.destination.platform === 'console') return 'It returns at the next start while no Slack or Discord is configured; mute outlets or stories instead to quiet the console.';
  return `It returns at the next start while ${ctx.destination.platform.toUpperCase()}_DEFAULT_CHANNEL names this channel.`;
}

export async function handleUnsubscribe(cmd: ParsedCommand, ctx: CommandContext, deps: SubscriptionDeps): Promise<Reply> {
  const spec = COMMAND_SPECS.unsubscribe!;
  const raw = mainValue(cmd, 'id')?.trim();
  if (!raw) return usageReply('Which subscription? Give its id, or all.', spec.usage, '/subscriptions lists this channel’s subscriptions and their ids.');
  const destination = destinationKey(ctx.destination);
  if (raw.toLowerCase() === 'all') {
    const subs = await deps.subscriptions.list(destination);
    const n = await deps.subscriptions.removeAll(destination);
    if (n === 0) return emptyReply('This channel has no subscriptions.');
    const text = `Removed all ${plural(n, 'subscription')} of this channel; it gets no more alerts or digests.`;
    return okReply('in_channel', subs.some((s) => s.isDefault) ? `${text} The default subscription was among them. ${defaultNote(ctx)}` : text);
  }
  const id = raw.replace(/^id:/i, '');
  const sub = (await deps.subscriptions.get(id)) ?? (await deps.subscriptions.get(id.toLowerCase()));
  if (!sub || sub.destination !== destination || !(await deps.subscriptions.remove(destination, sub.id))) {
    return errorReply(`No subscription “${id}” in this channel.`, '/subscriptions lists this channel’s subscriptions and their ids.');
  }
  const text = `Removed subscription ${sub.id}: ${describeSubscription(sub, deps.defaultMinRelevance, deps.vocabulary)}`;
  return okReply('in_channel', sub.isDefault ? `${text} ${defaultNote(ctx)}` : text);
}

function subscriptionLine(s: Subscription, deps: SubscriptionDeps): string {
  let line = `${s.id} — ${describeSubscription(s, deps.defaultMinRelevance, deps.vocabulary)}`;
  if (s.paused) line += ` PAUSED since ${formatWhen(s.paused.at)}: ${s.paused.reason}.`;
  else line += ` Since ${formatWhen(s.createdAt).replace(/, \d\d:\d\d UTC$/, '')}.`;
  return line;
}

export async function handleSubscriptions(_cmd: ParsedCommand, ctx: CommandContext, deps: SubscriptionDeps): Promise<Reply> {
  const destination = destinationKey(ctx.destination);
  const [subs, mutes] = await Promise.all([deps.subscriptions.list(destination), deps.mutes.get(destination)]);
  const sections: ReplySection[] = [];
  const muted: { label: string; value: string }[] = [];
  if (mutes.outlets.size) muted.push({ label: 'Muted outlets', value: [...mutes.outlets].sort().map((o) => deps.vocabulary.get('outlet', o)?.name ?? o).join(', ') });
  if (mutes.stories.size) muted.push({ label: 'Muted stories', value: [...mutes.stories].sort().join(', ') });
  if (subs.length === 0) {
    const text = 'This channel has no subscriptions.';
    sections.push({ type: 'paragraph', text });
    if (muted.length) sections.push({ type: 'fields', fields: muted });
    sections.push({ type: 'hint', text: 'Try /subscribe kazakhstan or /subscribe tags:color-revolution mode:digest' });
    return emptyReply(text, sections);
  }
  // Default first, then by creation (the store's order).
  const ordered = [...subs.filter((s) => s.isDefault), ...subs.filter((s) => !s.isDefault)];
  const paused = subs.filter((s) => s.paused).length;
  const text = `This channel has ${plural(subs.length, 'subscription')}${paused ? `, ${paused} paused` : ''}.`;
  sections.push({ type: 'heading', text }, { type: 'list', items: ordered.map((s) => subscriptionLine(s, deps)) });
  if (muted.length) sections.push({ type: 'fields', fields: muted });
  if (paused) sections.push({ type: 'hint', text: 'Paused ones: fix the cause (invite the bot to the channel …), then repeat one of their /subscribe commands to resume them.' });
  sections.push({ type: 'hint', text: '/unsubscribe <id> stops one · /unsubscribe all stops them all' });
  return okReply('ephemeral', text, sections);
}
