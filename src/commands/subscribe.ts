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
import { formatQuery, parseQuery, QueryError, readStoredQuery, resolveQuery, storedQueryText, type QueryNode } from '../core/query/index.js';
import { COMMAND_SPECS, mainValue } from './grammar.js';
import { emptyReply, errorReply, okReply, orList, plural, usageReply } from './replies.js';
import type { CommandContext, ParsedCommand } from './types.js';
import { termLabel, type QueryVocabulary } from './vocabulary.js';

export interface SubscriptionDeps {
  subscriptions: SubscriptionStore;
  mutes: MuteStore;
  vocabulary: QueryVocabulary;
  defaultMinRelevance: number;
  newId?: () => string;
}

/** What /subscribe asked for, validated. */
export type SubscriptionDraft = Pick<Subscription, 'countries' | 'tags' | 'outlets' | 'affiliations' | 'keywords' | 'minRelevance' | 'mode'> &
  Partial<Pick<Subscription, 'every' | 'query'>>;

/** Options that Discord types one by one and Slack keeps inside the query text (see grammar.ts). */
export const SUBSCRIBE_QUERY_FIELDS = ['countries', 'tags', 'outlets', 'affiliations', 'keywords'] as const;

/** `s` + 6 hex characters: short enough to type, 16 million values per deployment. */
export function newSubscriptionId(): string {
  return `s${randomBytes(3).toString('hex')}`;
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

/** A field option's values back as query text: `keywords:"Rogun dam",Tokayev`. */
function fieldText(name: string, values: readonly string[]): string {
  return `${name}:${values.map((v) => (/[\s,()"]/u.test(v) ? `"${v.replace(/"/g, '')}"` : v)).join(',')}`;
}

/** The query text of a /subscribe: the query option, the words as typed, Discord's typed fields. */
export function subscriptionQueryText(cmd: ParsedCommand): string {
  const parts = [...(cmd.options.query ?? []), ...cmd.bare];
  for (const f of SUBSCRIBE_QUERY_FIELDS) if (cmd.options[f]?.length) parts.push(fieldText(f, cmd.options[f]!));
  return parts.join(' ').trim();
}

/**
 * The field lists of a query: values it asks for outside NOT (so /feeds notices reach the
 * channels that follow an outlet, and descriptions can name them), words and phrases as keywords.
 */
function positiveFields(root: QueryNode | null): Pick<SubscriptionDraft, 'countries' | 'tags' | 'outlets' | 'affiliations' | 'keywords'> {
  const f = { countries: new Set<CountryCode>(), tags: new Set<TagId>(), outlets: new Set<string>(), affiliations: new Set<string>(), keywords: new Set<string>() };
  const walk = (n: QueryNode) => {
    if (n.kind === 'and' || n.kind === 'or') n.children.forEach(walk);
    else if (n.kind === 'field') {
      if (n.field === 'countries') n.values.forEach((v) => f.countries.add(v as CountryCode));
      else if (n.field === 'tags') n.values.forEach((v) => f.tags.add(v as TagId));
      else if (n.field === 'outlets') n.values.forEach((v) => f.outlets.add(v));
      else if (n.field === 'affiliations') n.values.forEach((v) => f.affiliations.add(v));
    } else if (n.kind === 'text') f.keywords.add(n.words.map((w) => `${w.key}${w.prefix ? '*' : ''}`).join(' '));
  };
  if (root) walk(root);
  return { countries: [...f.countries].sort(), tags: [...f.tags], outlets: [...f.outlets], affiliations: [...f.affiliations], keywords: [...f.keywords] };
}

function queryErrorReply(e: QueryError): Reply {
  const spec = COMMAND_SPECS.subscribe!;
  return usageReply(e.message, spec.usage, `Example: ${spec.example} · /subscribe (kazakhstan OR uzbekistan) NOT outlet:rt · /subscribe "Rogun dam" OR Tokay*`);
}

/**
 * Reads /subscribe: the whole query parsed once by the query language (src/core/query: fields,
 * AND OR NOT ( ), "phrases", NEAR/n, prefix*), then mode, every and min_relevance. A query that
 * does not parse is one line pointing at the bad token; other problems are reported at once.
 */
export function parseSubscription(cmd: ParsedCommand, v: QueryVocabulary): { ok: true; draft: SubscriptionDraft } | { ok: false; reply: Reply } {
  const problems: string[] = [];
  const text = subscriptionQueryText(cmd);
  let resolved: ReturnType<typeof resolveQuery>;
  try {
    resolved = resolveQuery(parseQuery(text), v);
  } catch (e) {
    if (e instanceof QueryError) return { ok: false, reply: queryErrorReply(e) };
    throw e;
  }
  if (resolved.windowHours !== null) problems.push('A window such as 30d is for /story; a subscription takes every new story that matches.');
  // Plain words only (no operators, quotes or fields): a word that names nothing is most likely a
  // misspelt name ("kazakstan"), as /subscribe has always read bare words — say so rather than
  // watch for the misspelling. With operators, quotes or fields, words are keywords.
  if (resolved.plain && resolved.words.length) {
    const phrase = resolved.words.join(' ');
    const near = v.suggest(phrase, ['country', 'tag', 'outlet'], 2);
    const perWord = near.length ? near : resolved.words.flatMap((w) => v.suggest(w, ['country', 'tag', 'outlet'], 1));
    problems.push(
      `“${phrase}” is not a country, framing tag or outlet${perWord.length ? ` — did you mean ${orList(perWord.map(termLabel))}?` : '.'} For a watchlist word use keywords:"${phrase}" or "${phrase}".`,
    );
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
  let every: Subscription['every'];
  const m = cmd.options.mode?.[0]?.trim().toLowerCase();
  if (m !== undefined) {
    if (m === 'alerts' || m === 'alert') mode = 'alerts';
    else if (m === 'digest' || m === 'daily') (mode = 'digest'), (every = m === 'daily' ? 'day' : undefined);
    else if (m === 'weekly') (mode = 'digest'), (every = 'week');
    else if (m === 'spikes' || m === 'spike') mode = 'spikes';
    else problems.push(`mode is alerts (every story as it comes), digest (one message a day or a week) or spikes (when a framing surges), not “${cmd.options.mode![0]}”.`);
  }
  const e = cmd.options.every?.[0]?.trim().toLowerCase();
  if (e !== undefined) {
    const period = e === 'day' || e === 'daily' || e === '1d' ? 'day' : e === 'week' || e === 'weekly' || e === '7d' || e === '1w' ? 'week' : null;
    if (!period) problems.push(`every is day or week (how often a digest comes), not “${cmd.options.every![0]}”.`);
    else if (m !== undefined && mode !== 'digest') problems.push(`every: is for digests (mode:digest every:${period}), not mode:${mode}.`);
    else (mode = 'digest'), (every = period);
  }
  if (mode === 'digest') every ??= 'day';

  if (problems.length) {
    const spec = COMMAND_SPECS.subscribe!;
    return { ok: false, reply: usageReply(problems.join(' '), spec.usage, `Example: ${spec.example}`) };
  }
  const query = storedQueryText(resolved.root);
  return {
    ok: true,
    draft: { ...positiveFields(resolved.root), minRelevance, mode, ...(every ? { every } : {}), query },
  };
}

/** A subscription in the query language: its stored query, or (made before it) its fields as one. */
export function subscriptionQuery(s: Pick<Subscription, 'countries' | 'tags' | 'outlets' | 'affiliations' | 'keywords'> & { query?: string }): string {
  if (s.query !== undefined) return s.query;
  const parts: string[] = [];
  if (s.countries.length) parts.push(fieldText('countries', s.countries));
  if (s.tags.length) parts.push(fieldText('tags', s.tags));
  if (s.outlets.length) parts.push(fieldText('outlets', s.outlets));
  if (s.affiliations.length) parts.push(fieldText('affiliations', s.affiliations));
  if (s.keywords.length) parts.push(fieldText('keywords', s.keywords));
  return parts.join(' ');
}

function affiliationWords(a: string): string {
  const m = /^(state|public):([A-Z]{2})$/.exec(a);
  if (m) return `${m[1]} media (${m[2]})`;
  if (a === 'state') return 'any state media';
  if (a === 'public') return 'any public media';
  if (a === 'independent') return 'independent outlets';
  return 'outlets of unknown affiliation';
}

/** What a subscription sends, as the head of its description. */
function modeHead(s: Pick<SubscriptionDraft, 'mode' | 'every'>): string {
  if (s.mode === 'digest') return s.every === 'week' ? 'A weekly digest (Mondays) of' : 'A daily digest of';
  if (s.mode === 'spikes') return 'Spike alerts for';
  return 'Alerts for';
}

/**
 * A key equal for queries that differ only in the order of the parts ANDed at the top
 * (`kazakhstan tags:coup` = `tags:attempted-coup countries:KZ`), read the way routing reads them.
 */
export function queryKey(query: string): string {
  let root: QueryNode | null;
  try {
    // read, printed as stored (every word quoted), read again: one spelling per query
    root = readStoredQuery(storedQueryText(readStoredQuery(query).root)).root;
  } catch {
    return query;
  }
  if (!root) return '';
  const parts = root.kind === 'and' ? root.children.map((c) => formatQuery(c, 'and')) : [formatQuery(root)];
  return parts.sort().join(' ').toLowerCase();
}

/** A query is only fields side by side (no OR across fields, NOT, phrases or NEAR): the field lists say it all. */
function describedByFields(s: SubscriptionDraft): boolean {
  if (s.query === undefined) return true;
  return queryKey(subscriptionQuery({ ...s, query: undefined })) === queryKey(s.query);
}

/**
 * One line saying what a subscription receives: "Alerts for every story about Kazakhstan or
 * Uzbekistan, framed as color-revolution, mentioning “Rogun dam”, relevance ≥ 0.5." Conditions are
 * all required; the values within one are alternatives. A Boolean query is quoted as it is stored.
 */
export function describeSubscription(s: SubscriptionDraft & Partial<Pick<Subscription, 'isDefault'>>, defaultMinRelevance: number, v?: QueryVocabulary): string {
  const head = modeHead(s);
  if (s.isDefault) return `${head} every Central Asia story (this is the platform's default channel).`;
  const conds: string[] = [];
  if (s.countries.length) conds.push(`about ${orList(s.countries.map((c) => COUNTRY_NAMES[c] ?? c))}`);
  if (s.tags.length) conds.push(`framed as ${orList(s.tags)}`);
  if (s.outlets.length) conds.push(`carried by ${orList(s.outlets.map((o) => v?.get('outlet', o)?.name ?? o))}`);
  if (s.affiliations.length) conds.push(`from ${orList(s.affiliations.map(affiliationWords))}`);
  if (s.keywords.length) conds.push(`mentioning ${orList(s.keywords.map((k) => `“${k}”`))}`);
  const what = !describedByFields(s) ? `stories matching ${s.query}` : conds.length ? `stories ${conds.join(', ')}` : 'every Central Asia story';
  const rel = s.minRelevance === null ? `relevance ≥ ${defaultMinRelevance} (the default)` : `relevance ≥ ${s.minRelevance}`;
  return `${head} ${what}, ${rel}.`;
}

function sameDraft(a: SubscriptionDraft, b: SubscriptionDraft): boolean {
  return queryKey(subscriptionQuery(a)) === queryKey(subscriptionQuery(b)) && a.minRelevance === b.minRelevance && a.mode === b.mode && (a.every ?? 'day') === (b.every ?? 'day');
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

/** `s1a2b3c — countries:KZ tags:color-revolution · weekly digest · relevance ≥ 0.3 (default)`: the query syntax. */
function subscriptionLine(s: Subscription, deps: SubscriptionDeps): string {
  const q = s.isDefault ? 'every Central Asia story (default channel)' : subscriptionQuery(s) || 'every Central Asia story';
  const how = s.mode === 'digest' ? (s.every === 'week' ? 'weekly digest (Mondays)' : 'daily digest') : s.mode === 'spikes' ? 'spike alerts' : 'alerts';
  const rel = s.minRelevance === null ? `relevance ≥ ${deps.defaultMinRelevance} (default)` : `relevance ≥ ${s.minRelevance}`;
  let line = `${s.id} — ${q} · ${how} · ${rel}.`;
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
