// /feeds add|remove|list|check|pause|resume over the FeedAdmin port.
//
// Who: add, remove, pause and resume are for admins (ctx.user.isAdmin); anyone else gets a polite
// ephemeral refusal. list and check are for everyone.
// Visibility: add, remove, pause and resume change what every channel may receive, so their
// confirmations are in_channel; list and check are look-ups (ephemeral); errors ephemeral.
import { affiliationBadge, clip, formatWhen } from '../core/alert/format.js';
import type { Reply, ReplySection } from '../core/alert/values.js';
import type { Affiliation } from '../core/types.js';
import type { FeedAdmin, FeedCheckResult, FeedStatus } from '../ports/feed-admin.js';
import { COMMAND_SPECS, mainValue, type FeedsSub } from './grammar.js';
import { editDistance } from './fold.js';
import { emptyReply, errorReply, okReply, plural, usageReply } from './replies.js';
import type { CommandContext, ParsedCommand } from './types.js';

export interface FeedsDeps {
  feedAdmin: FeedAdmin;
}

export const NOT_A_URL = 'That is not a web address. Try /feeds add https://example.org/feed.xml';
export const PRIVATE_ADDRESS = 'steppewatch does not fetch private or internal addresses.';
/** Feeds per list section: keeps a section under Slack's 3000 characters. */
const LIST_CHUNK = 20;
/** Feeds listed at most (the rest are counted). */
const LIST_MAX = 100;

/**
 * A web address as people type it: `https://…`, Slack's `<https://…>` or `<https://…|label>`,
 * or a bare host with a dot (`example.org/feed.xml` → https). Only http and https.
 */
export function parseWebAddress(raw: string): string | null {
  let v = raw.trim().replace(/^<([^|>]+)(?:\|[^>]*)?>$/, '$1');
  if (!v || /\s/.test(v)) return null;
  if (!/^[a-z][a-z0-9+.-]*:/i.test(v)) {
    if (!/^[\p{L}\p{N}-]+(\.[\p{L}\p{N}-]+)+(:\d+)?(\/|$)/u.test(v)) return null;
    v = `https://${v}`;
  }
  try {
    const u = new URL(v);
    if ((u.protocol !== 'http:' && u.protocol !== 'https:') || !u.hostname) return null;
    return u.toString();
  } catch {
    return null;
  }
}

function normaliseAffiliation(raw: string): Affiliation | null {
  const m = /^(state|public):([A-Za-z]{2})$/i.exec(raw.trim());
  if (m) return `${m[1]!.toLowerCase() as 'state' | 'public'}:${m[2]!.toUpperCase()}`;
  const v = raw.trim().toLowerCase();
  if (v === 'independent' || v === 'unknown') return v;
  return null;
}

function refuse(sub: FeedsSub): Reply {
  return errorReply(`Sorry — /feeds ${sub} is for steppewatch admins. Ask one of them, or use /feeds list and /feeds check, which anyone can.`);
}

/** The message for a failed fetch, by the contract's error codes (`"<code>: <message>"`). */
export function fetchErrorText(error: string | undefined): string {
  const code = (error ?? '').split(':')[0]!.trim();
  if (code === 'blocked_address') return PRIVATE_ADDRESS;
  if (code === 'bad_url') return NOT_A_URL;
  if (code === 'not_a_feed') return 'That address is not a feed, and no feed link was found on the page.';
  if (code === 'timeout') return 'That address did not answer in time.';
  if (code === 'dns') return 'That host name does not resolve.';
  return `Could not read that address (${error ?? 'unknown error'}).`;
}

function checkSections(c: FeedCheckResult): ReplySection[] {
  const sections: ReplySection[] = [];
  const fields = [
    { label: 'Feed', value: c.feedUrl ?? c.url },
    { label: 'Title', value: c.title ?? '(none)' },
    { label: 'Items', value: String(c.items) },
  ];
  sections.push({ type: 'fields', fields });
  if (c.sample.length) sections.push({ type: 'list', items: c.sample.slice(0, 5).map((s) => `${clip(s.title, 120)} — ${formatWhen(s.published)}`) });
  return sections;
}

async function nearFeedIds(admin: FeedAdmin, id: string): Promise<string[]> {
  try {
    const feeds = await admin.list();
    return feeds
      .map((f) => ({ id: f.feed.id, d: editDistance(id.toLowerCase(), f.feed.id.toLowerCase(), 3) }))
      .filter((x) => x.d <= 3)
      .sort((a, b) => a.d - b.d)
      .slice(0, 2)
      .map((x) => x.id);
  } catch {
    return [];
  }
}

async function noSuchFeed(admin: FeedAdmin, id: string): Promise<Reply> {
  const near = await nearFeedIds(admin, id);
  return errorReply(`No feed “${id}”.${near.length ? ` Did you mean ${near.join(' or ')}?` : ''}`, '/feeds list shows the feed ids.');
}

/** `ok`, `failing since 12 Mar 2024, 08:00 UTC (http_404)`, `paused (10 failed polls)`, `not polled yet`. */
export function feedStatusText(s: FeedStatus): string {
  if (s.paused) return `paused (${s.paused.reason}${s.paused.by === 'admin' ? ', by an admin' : ''})`;
  const e = s.health.lastError;
  if (e && s.health.consecutiveFailures > 0) return `failing since ${formatWhen(e.since)} (${e.code})`;
  if (!s.health.lastSuccess) return 'not polled yet';
  return 'ok';
}

/** One row of /feeds list: id · outlet · affiliation · status · last success · 304 ratio · items/day. */
export function feedRow(s: FeedStatus): string {
  const h = s.health;
  const parts = [
    s.feed.id,
    s.feed.outlet,
    s.feed.affiliation,
    feedStatusText(s),
    `last ok ${h.lastSuccess ? formatWhen(h.lastSuccess) : 'never'}`,
    `304 ${h.notModifiedRatio === null ? '–' : `${Math.round(h.notModifiedRatio * 100)}%`}`,
    `${h.itemsPerDay === null ? '–' : Math.round(h.itemsPerDay * 10) / 10}/day`,
  ];
  return parts.join(' · ');
}

async function list(deps: FeedsDeps): Promise<Reply> {
  const feeds = [...(await deps.feedAdmin.list())].sort((a, b) => a.feed.id.localeCompare(b.feed.id));
  if (feeds.length === 0) return emptyReply('No feeds yet.', [{ type: 'paragraph', text: 'No feeds yet.' }, { type: 'hint', text: 'An admin can add one: /feeds add https://example.org/feed.xml' }]);
  const paused = feeds.filter((f) => f.paused).length;
  const failing = feeds.filter((f) => !f.paused && f.health.lastError && f.health.consecutiveFailures > 0).length;
  const ok = feeds.length - paused - failing;
  const text = `${plural(feeds.length, 'feed')}: ${ok} ok, ${failing} failing, ${paused} paused.`;
  const sections: ReplySection[] = [{ type: 'heading', text }];
  const rows = feeds.slice(0, LIST_MAX).map(feedRow);
  for (let i = 0; i < rows.length; i += LIST_CHUNK) sections.push({ type: 'list', items: rows.slice(i, i + LIST_CHUNK) });
  if (feeds.length > LIST_MAX) sections.push({ type: 'paragraph', text: `… and ${feeds.length - LIST_MAX} more.` });
  sections.push({ type: 'hint', text: 'Columns: id · outlet · affiliation · status · last success · share of polls answered 304 · items per day' });
  return okReply('ephemeral', text, sections);
}

async function add(cmd: ParsedCommand, ctx: CommandContext, deps: FeedsDeps): Promise<Reply> {
  const spec = COMMAND_SPECS['feeds add']!;
  const raw = mainValue(cmd, 'url');
  if (!raw) return usageReply('Which feed? Give its address.', spec.usage, `Example: ${spec.example}`);
  const url = parseWebAddress(raw);
  if (!url) return errorReply(NOT_A_URL);
  const input: Parameters<FeedAdmin['add']>[0] = { url };
  const problems: string[] = [];
  const outlet = cmd.options.outlet?.[0]?.trim();
  if (outlet) input.outlet = outlet;
  const aff = cmd.options.affiliation?.[0];
  if (aff !== undefined) {
    const a = normaliseAffiliation(aff);
    if (a) input.affiliation = a;
    else problems.push(`affiliation is state:<CC>, public:<CC>, independent or unknown (got “${aff}”).`);
  }
  const lang = cmd.options.language?.[0]?.trim().toLowerCase();
  if (lang !== undefined) {
    if (/^[a-z]{2,3}$/.test(lang)) input.language = lang;
    else problems.push(`language is a two-letter code such as en, ru, kk (got “${cmd.options.language![0]}”).`);
  }
  if (problems.length) return usageReply(problems.join(' '), spec.usage, `Example: ${spec.example}`);

  const r = await deps.feedAdmin.add(input, `${ctx.destination.platform}:${ctx.user.id}`);
  if (!r.ok) {
    if (r.code === 'bad_url') return errorReply(NOT_A_URL);
    if (r.code === 'blocked_address') return errorReply(PRIVATE_ADDRESS);
    if (r.code === 'exists') return errorReply(r.message || 'That feed is already there.', '/feeds list shows the feeds.');
    if (r.code === 'fetch_failed') return errorReply(r.check?.error ? fetchErrorText(r.check.error) : `Could not fetch that address: ${r.message}`, `/feeds check ${url} shows what steppewatch sees there.`);
    return errorReply(r.message || 'That feed could not be added.', `Usage: ${spec.usage}`);
  }
  const f = r.feed;
  const verb = r.created ? 'Added' : 'Updated';
  const found = r.check.feedUrl && r.check.feedUrl !== url ? ` (found at ${r.check.feedUrl})` : '';
  const text = `${verb} feed ${f.id}: ${f.outlet} [${affiliationBadge(f.affiliation)}], ${plural(r.check.items, 'item')}${found}. Polling it now.`;
  const sections: ReplySection[] = [{ type: 'paragraph', text }];
  if (r.check.sample.length) sections.push({ type: 'list', items: r.check.sample.slice(0, 3).map((s) => clip(s.title, 120)) });
  if (f.affiliation === 'unknown') sections.push({ type: 'hint', text: `Its affiliation is unknown: /feeds add ${url} affiliation:state:RU (or public:US, independent) sets it.` });
  return okReply('in_channel', text, sections);
}

async function check(cmd: ParsedCommand, deps: FeedsDeps): Promise<Reply> {
  const spec = COMMAND_SPECS['feeds check']!;
  const raw = mainValue(cmd, 'url');
  if (!raw) return usageReply('Which address should be checked?', spec.usage, `Example: ${spec.example}`);
  const url = parseWebAddress(raw);
  if (!url) return errorReply(NOT_A_URL.replace('/feeds add', '/feeds check'));
  const c = await deps.feedAdmin.check(url);
  if (!c.ok) return errorReply(fetchErrorText(c.error));
  const text = `${c.title ?? 'That feed'} works: ${plural(c.items, 'item')}.`;
  return okReply('ephemeral', text, [{ type: 'paragraph', text }, ...checkSections(c), { type: 'hint', text: `An admin can add it: /feeds add ${c.feedUrl ?? url}` }]);
}

async function byId(sub: 'remove' | 'pause' | 'resume', cmd: ParsedCommand, ctx: CommandContext, deps: FeedsDeps): Promise<Reply> {
  const spec = COMMAND_SPECS[`feeds ${sub}`]!;
  const id = mainValue(cmd, 'id')?.trim();
  if (!id) return usageReply('Which feed? Give its id.', spec.usage, '/feeds list shows the feed ids.');
  const admin = deps.feedAdmin;
  if (sub === 'remove') {
    const r = await admin.remove(id);
    if (!r.removed) return noSuchFeed(admin, id);
    const text = r.inFile
      ? `Removed feed ${id}. It is in the feeds file, so it returns at the next start unless it is removed from the file too.`
      : `Removed feed ${id}.`;
    return okReply('in_channel', text);
  }
  if (sub === 'pause') {
    if (!(await admin.pause(id, `${ctx.destination.platform}:${ctx.user.id}`))) return noSuchFeed(admin, id);
    return okReply('in_channel', `Paused feed ${id}; it stays paused across restarts.`, [
      { type: 'paragraph', text: `Paused feed ${id}; it stays paused across restarts.` },
      { type: 'hint', text: `/feeds resume ${id} polls it again.` },
    ]);
  }
  if (!(await admin.resume(id))) return noSuchFeed(admin, id);
  return okReply('in_channel', `Resumed feed ${id}; polling it now.`);
}

export async function handleFeeds(cmd: ParsedCommand, ctx: CommandContext, deps: FeedsDeps): Promise<Reply> {
  const sub = (cmd.sub ?? 'list') as FeedsSub;
  if ((sub === 'add' || sub === 'remove' || sub === 'pause' || sub === 'resume') && !ctx.user.isAdmin) return refuse(sub);
  switch (sub) {
    case 'list':
      return list(deps);
    case 'check':
      return check(cmd, deps);
    case 'add':
      return add(cmd, ctx, deps);
    case 'remove':
    case 'pause':
    case 'resume':
      return byId(sub, cmd, ctx, deps);
    default:
      return usageReply(`/feeds has no “${String(sub)}”.`, 'add · remove · list · check · pause · resume');
  }
}
