// The web view's pages as pure functions: values in (the story view, story cards, feed statuses,
// an SVG chart), an HTML document out. No I/O, no clock: tests build them without a server.
import { affiliationBadge, countryLine, formatDaySpan, formatWhen, storyQuoteLines, tagName } from '../../core/alert/format.js';
import type { StoryCard } from '../../core/alert/values.js';
import type { StoryView } from '../../core/story/view.js';
import type { Affiliation } from '../../core/types.js';
import type { FeedStatus } from '../../ports/feed-admin.js';
import { externalLink, html, layout, raw, text, type Html } from './html.js';

/** Builds a link to a page of the view (with its own token when tokens are in use). */
export type Linker = (path: string, query?: Record<string, string | number | undefined>) => string;

export interface PageContext {
  link: Linker;
  /** Which nav entry is the current page. */
  current?: 'search' | 'trends' | 'feeds';
}

export const CSS_PATH = '/web/style.css';

export function storyPath(id: string): string {
  return `/stories/${encodeURIComponent(id)}`;
}

function doc(ctx: PageContext, title: string, body: Html): string {
  const nav = [
    { href: ctx.link('/search'), label: 'Search', current: ctx.current === 'search' },
    { href: ctx.link('/trends'), label: 'Trends', current: ctx.current === 'trends' },
    { href: ctx.link('/feeds'), label: 'Feeds', current: ctx.current === 'feeds' },
  ];
  return layout({ title, nav, body, cssHref: CSS_PATH });
}

function badgeClass(a: Affiliation | string): string {
  if (a.startsWith('state:')) return 'state';
  if (a.startsWith('public:')) return 'public';
  return a === 'independent' ? 'independent' : 'unknown';
}

function badge(a: Affiliation | string): Html {
  return html`<span class="badge ${badgeClass(a)}">${affiliationBadge(a)}</span>`;
}

function time(iso: string): Html {
  return html`<time datetime="${iso}">${formatWhen(iso)}</time>`;
}

// ── story ──

export function storyPage(v: StoryView, ctx: PageContext): string {
  const c = v.card;
  const outlets = v.trail.map(
    (s) => html`<li>${externalLink(s.url, s.outlet)} ${badge(s.affiliation)} · ${time(s.published)} <span class="who">(${s.after})</span>${
      s.title && s.title !== c.headline ? html`<br><span class="who">${text(s.title)}</span>` : ''
    }</li>`,
  );
  const trail = v.trailLines.length ? html`<ul class="trail">${v.trailLines.map((l) => html`<li>${text(l)}</li>`)}</ul>` : html`<p class="meta">Only one outlet so far.</p>`;
  const framings = v.framings.map(
    (f) => html`<section aria-labelledby="tag-${f.tag}"><h3 id="tag-${f.tag}">${f.name} <span class="who">(confidence ${f.confidence.toFixed(2)})</span></h3>${
      f.evidence.length
        ? html`<ul class="evidence">${f.evidence.map(
            (e) => html`<li><blockquote${e.background ? raw(' class="background"') : ''}>“${text(e.quote)}”</blockquote><span class="who">— ${e.speaker ? text(e.speaker) : html`${text(e.outlet)}’s own voice`} · ${text(e.outlet)}</span>${
              e.background ? html` <span class="badge bg">background</span>` : ''
            }</li>`,
          )}</ul>`
        : html`<p class="meta">No quote kept.</p>`
    }</section>`,
  );
  const body = html`<article><p class="meta">${countryLine(c.countries)} · ${formatDaySpan(c.firstSeen, c.lastSeen)} · ${c.outlets.length} outlet${c.outlets.length === 1 ? '' : 's'}</p>
<h1>${text(c.headline)}</h1>
${c.summary.trim() ? html`<p class="summary">${text(c.summary)}</p>` : ''}
${c.framings.length ? html`<ul class="tags" aria-label="Framing tags">${c.framings.map((f) => html`<li>${tagName(f.tag)}</li>`)}</ul>` : ''}
<div class="cols"><section aria-labelledby="h-outlets"><h2 id="h-outlets">Outlets, in order of publication</h2><ol class="outlets">${outlets}</ol></section>
<section aria-labelledby="h-trail"><h2 id="h-trail">Citation trail</h2>${trail}</section></div>
<section aria-labelledby="h-framing"><h2 id="h-framing">Framing and evidence</h2>${framings.length ? framings : html`<p class="meta">No framing found.</p>`}</section>
<p class="meta">Story ${c.id}</p></article>`;
  return doc(ctx, c.headline, body);
}

// ── search ──

export interface SearchPageInput {
  query: string;
  /** The heading the /story answer would give (what was searched, the window). */
  heading: string;
  notes: string[];
  cards: StoryCard[];
  page: number;
  pages: number;
  total: number;
  /** A query error or "nothing found" text, with hints. */
  message?: string;
  hints?: string[];
}

// A search page is mostly its ten cards, and a card's markup is the same for the same card value
// but for its link (a token carries the time): the rest is built once per card value when the
// value is frozen (the search path's shared cards, commands/story.ts storyToCard). Building it was
// most of a search page's allocation (bench/web.ts at 40,000 articles).
const cardTails = new WeakMap<StoryCard, string>();

function storyCardHtml(s: StoryCard, ctx: PageContext): Html {
  let tail = cardTails.get(s);
  if (tail === undefined) {
    tail = storyCardTail(s);
    if (Object.isFrozen(s)) cardTails.set(s, tail);
  }
  return raw(`${html`<li><h3><a href="${ctx.link(storyPath(s.id))}">`.__html}${tail}`);
}

/** A card's markup after its link's opening tag. */
function storyCardTail(s: StoryCard): string {
  const quotes = storyQuoteLines(s, 200, 3);
  return html`${text(s.headline)}</a></h3><p class="meta">${countryLine(s.countries)} · ${formatDaySpan(s.firstSeen, s.lastSeen)} · ${s.outlets.map(
    (o, i) => html`${i ? ', ' : ''}${text(o.outlet)} ${badge(o.affiliation)}`,
  )}</p>${s.framings.length ? html`<ul class="tags" aria-label="Framing tags">${s.framings.map((f) => html`<li>${tagName(f.tag)}</li>`)}</ul>` : ''}${
    s.summary.trim() ? html`<p>${text(s.summary)}</p>` : ''
  }${quotes.map((q) => html`<p class="who">${q.names}: ${text(q.rest)}</p>`)}</li>`.__html;
}

export function searchForm(action: string, query: string, tokenField: { name: string; value: string } | null, label: string): Html {
  return html`<form class="search" method="get" action="${action}" role="search"><label for="q">${label}</label><input type="search" id="q" name="q" value="${query}" placeholder="kazakhstan color revolution 30d">${
    tokenField ? html`<input type="hidden" name="${tokenField.name}" value="${tokenField.value}">` : ''
  }<button type="submit">Search</button></form>`;
}

export function searchPage(r: SearchPageInput, ctx: PageContext & { tokenField: { name: string; value: string } | null }): string {
  const pager =
    r.pages > 1
      ? html`<nav class="pager" aria-label="Result pages">${r.page > 1 ? html`<a href="${ctx.link('/search', { q: r.query, page: r.page - 1 })}" rel="prev">← Newer results</a>` : ''}<span>Page ${r.page} of ${r.pages}</span>${
          r.page < r.pages ? html`<a href="${ctx.link('/search', { q: r.query, page: r.page + 1 })}" rel="next">More results →</a>` : ''
        }</nav>`
      : '';
  const body = html`<h1>Search stories</h1>
${searchForm('/search', r.query, ctx.tokenField, 'Query (countries, people, framing, outlet:rt, AND OR NOT, "phrases", 30d)')}
${r.query ? html`<h2>${text(r.heading)}</h2>` : html`<p class="meta">Same query language as /story in chat: <code>kazakhstan</code>, <code>color revolution</code>, <code>outlet:rt</code>, <code>(kazakhstan OR uzbekistan) NOT outlet:rt</code>, <code>"Rogun dam" 30d</code>.</p>`}
${r.notes.map((n) => html`<p class="meta">${text(n)}</p>`)}
${r.message ? html`<p class="notice">${text(r.message)}</p>` : ''}
${(r.hints ?? []).map((h) => html`<p class="meta">${text(h)}</p>`)}
${r.cards.length ? html`<ol class="cards" start="${(r.page - 1) * 10 + 1}">${r.cards.map((c) => storyCardHtml(c, ctx))}</ol>` : ''}
${pager}`;
  return doc({ ...ctx, current: 'search' }, r.query ? `Search: ${r.query}` : 'Search', body);
}

// ── feeds ──

export interface FeedRow {
  status: FeedStatus;
  /** Next poll, ISO, or null (paused, not scheduled). */
  nextPoll: string | null;
}

const HEADS = ['Feed', 'Last success', 'Last error', 'Paused', 'Items per day', 'Next poll'];

export function feedsPage(rows: FeedRow[], ctx: PageContext): string {
  const failing = rows.filter((r) => r.status.health.lastError && r.status.health.consecutiveFailures > 0).length;
  const paused = rows.filter((r) => r.status.paused).length;
  const tr = rows.map(({ status: s, nextPoll }) => {
    const e = s.health.lastError;
    const failing = s.health.consecutiveFailures;
    const error = e
      ? html`<span class="${failing > 0 ? 'bad' : ''}">${text(e.code)}</span>: ${text(e.message)}<br><span class="who">since ${time(e.since)}${failing ? ` · ${failing} failed in a row` : ''}</span>`
      : html`<span class="ok">none</span>`;
    return html`<tr><td data-label="Feed"><strong>${text(s.feed.outlet)}</strong> ${badge(s.feed.affiliation)}<br><span class="who">${text(s.feed.id)} · ${text(s.feed.url)}</span></td>
<td data-label="Last success">${s.health.lastSuccess ? time(s.health.lastSuccess) : 'never'}</td>
<td data-label="Last error">${error}</td>
<td data-label="Paused">${s.paused ? html`<span class="bad">paused</span> (${s.paused.by === 'admin' ? 'by an admin' : 'after failures'}: ${text(s.paused.reason)})` : 'no'}</td>
<td data-label="Items per day">${s.health.itemsPerDay === null ? 'not known yet' : s.health.itemsPerDay.toFixed(1)}</td>
<td data-label="Next poll">${nextPoll ? time(nextPoll) : s.paused ? '—' : 'not scheduled'}</td></tr>`;
  });
  const body = html`<h1>Feeds</h1><p class="meta">${rows.length} feed${rows.length === 1 ? '' : 's'} · ${failing} failing · ${paused} paused. Resume a paused feed with <code>/feeds resume &lt;id&gt;</code> in chat or <code>steppewatch feeds resume &lt;id&gt;</code>.</p>
${rows.length ? html`<table><caption class="meta">Health of every feed</caption><thead><tr>${HEADS.map((h) => html`<th scope="col">${h}</th>`)}</tr></thead><tbody>${tr}</tbody></table>` : html`<p class="notice">No feeds yet: add one with /feeds add in chat or put them in the feeds file.</p>`}`;
  return doc({ ...ctx, current: 'feeds' }, 'Feeds', body);
}

// ── trends ──

export interface TrendsPageInput {
  query: string;
  /** The chart's SVG (from the ChartRenderer), trusted: drawn here from our own values. */
  svg: string | null;
  /** Text alternative of the chart (series totals). */
  alt: string;
  spikes: { key: string; at: string; count: number; baseline: number; z: number; stories: StoryCard[] }[];
  message?: string;
  notSetUp?: boolean;
}

export function trendsPage(r: TrendsPageInput, ctx: PageContext & { tokenField: { name: string; value: string } | null }): string {
  const body = r.notSetUp
    ? html`<h1>Trends</h1><p class="notice">Trends are not set up in this server: the counters and the chart renderer are not running here. Stories, search and feeds work.</p>`
    : html`<h1>Trends</h1>${searchForm('/trends', r.query, ctx.tokenField, 'Query (empty: all of Central Asia)')}
${r.message ? html`<p class="notice">${text(r.message)}</p>` : ''}
${r.svg ? html`<figure class="chart" role="group" aria-label="${r.alt}">${raw(r.svg)}<figcaption class="meta">${text(r.alt)}</figcaption></figure>` : ''}
${r.spikes.length ? html`<h2>Spikes</h2><ul>${r.spikes.map((s) => html`<li>${text(s.key)} · ${time(s.at)} · ${s.count} against ${s.baseline.toFixed(1)} a day (z ${s.z.toFixed(1)})${
          s.stories.length ? html`<ul>${s.stories.map((c) => html`<li><a href="${ctx.link(storyPath(c.id))}">${text(c.headline)}</a></li>`)}</ul>` : ''
        }</li>`)}</ul>` : ''}`;
  return doc({ ...ctx, current: 'trends' }, 'Trends', body);
}

// ── errors ──

/** A short page for 401/403/404 and failures: a sentence, never a stack. */
export function messagePage(title: string, message: string, ctx: PageContext | null): string {
  const body = html`<h1>${title}</h1><p class="notice">${text(message)}</p>`;
  return ctx ? doc(ctx, title, body) : layout({ title, nav: [], body, cssHref: CSS_PATH });
}
