// The web view's routes on the product's one HTTP server (express): /stories/<id>, /search,
// /trends, /feeds and the stylesheet. Read-only. Every answer carries a strict CSP (no script at
// all, styles only from this server), no referrer (links carry tokens), and no caching.
import type { Express, NextFunction, Request, Response } from 'express';
import { randomBytes } from 'node:crypto';
import { parseQuery, resolveQuery, QueryError } from '../../core/query/index.js';
import { storyView } from '../../core/story/view.js';
import type { StoryStore } from '../../ports/stores.js';
import type { FeedStatus } from '../../ports/feed-admin.js';
import type { ChartRenderer, TrendsSource } from '../../ports/trends.js';
import { answerSearch, rankStories, searchStories, storyToCard } from '../../commands/story.js';
import { searchSubject, windowText } from '../../commands/story-query.js';
import type { QueryVocabulary } from '../../commands/vocabulary.js';
import type { Logger } from '../log.js';
import { checkAccess, createLinker, signToken, type WebAuth } from './access.js';
import { CSS_PATH, feedsPage, messagePage, searchPage, storyPage, storyPath, trendsPage, type PageContext } from './pages.js';
import { WEB_CSS } from './style.js';

export const CSP = "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
/** Stories per search page. */
export const PAGE_SIZE = 10;

export interface WebDeps {
  auth: WebAuth;
  stories: StoryStore;
  vocabulary: QueryVocabulary;
  /** Feed health (the FeedAdmin's list) and the scheduler's next poll; absent: the page says so. */
  feeds?: { list(): Promise<FeedStatus[]>; nextPolls(feedIds: readonly string[]): Promise<Map<string, number | null>> };
  /** Trends need both; without them /trends says they are not set up. */
  trends?: TrendsSource;
  charts?: ChartRenderer;
  clock: () => Date;
  log: Logger;
}

function secure(res: Response): void {
  res.setHeader('Content-Security-Policy', CSP);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Cache-Control', 'private, no-store');
}

function send(res: Response, status: number, body: string): void {
  secure(res);
  res.status(status).type('html').send(body);
}

const TITLES: Record<number, string> = { 401: 'Sign in needed', 403: 'Not allowed', 404: 'Not found' };

export function mountWebRoutes(app: Express, d: WebDeps): void {
  const link = createLinker(d.auth, d.clock);
  const ctx: PageContext = { link };
  const tokenField = (path: string) => (d.auth.mode === 'token' ? { name: 'token', value: signToken(d.auth.secret, path, d.clock(), d.auth.ttlHours) } : null);

  app.get(CSS_PATH, (_req, res) => {
    secure(res);
    res.setHeader('Cache-Control', 'public, max-age=3600');
    res.type('text/css').send(WEB_CSS);
  });

  /** Access first: off → 404 (the pages do not exist), missing → 401, bad or expired → 403. */
  const guard = (req: Request, res: Response, next: NextFunction) => {
    // Two tokens (`?token=a&token=b`): a token was given but is not one, so 403, not "missing".
    const t = req.query.token;
    const token = typeof t === 'string' ? t : t === undefined ? undefined : 'malformed';
    const r = checkAccess(d.auth, { path: req.path, token, authorization: req.headers.authorization }, d.clock());
    if (r.ok) return next();
    if (r.status === 404) {
      secure(res);
      res.status(404).type('text/plain').send('Not found\n');
      return;
    }
    if (r.status === 401 && d.auth.mode === 'basic') res.setHeader('WWW-Authenticate', 'Basic realm="steppewatch", charset="UTF-8"');
    send(res, r.status, messagePage(TITLES[r.status]!, r.reason, null));
  };

  /** A failure is a sentence with a reference for the log, never a stack. */
  const safely = (h: (req: Request, res: Response) => Promise<void>) => async (req: Request, res: Response) => {
    try {
      await h(req, res);
    } catch (err) {
      const ref = randomBytes(4).toString('hex');
      d.log.error({ err, ref, path: req.path }, 'web: page failed');
      if (!res.headersSent) send(res, 500, messagePage('Something went wrong', `The page could not be built (reference ${ref}). Try again in a moment.`, ctx));
    }
  };

  app.get('/stories/:id', guard, safely(async (req, res) => {
    const id = String(req.params.id);
    const story = await d.stories.get(id);
    if (!story) {
      send(res, 404, messagePage('Story not found', `There is no story ${id}: stories are kept for the retention period, then dropped.`, ctx));
      return;
    }
    // A merged story answers under the surviving id: send the reader there.
    if (story.id !== id) {
      secure(res);
      res.redirect(301, link(storyPath(story.id)));
      return;
    }
    send(res, 200, storyPage(storyView(story), ctx));
  }));

  app.get('/search', guard, safely(async (req, res) => {
    const q = typeof req.query.q === 'string' ? req.query.q.slice(0, 500) : '';
    const pageNo = Math.max(1, Math.min(1000, Number.parseInt(String(req.query.page ?? '1'), 10) || 1));
    const base = { query: q, heading: '', notes: [] as string[], cards: [], page: 1, pages: 1, total: 0 };
    if (!q.trim()) {
      send(res, 200, searchPage(base, { ...ctx, tokenField: tokenField('/search') }));
      return;
    }
    const now = d.clock();
    const r = await searchStories(q, { stories: d.stories, vocabulary: d.vocabulary }, now);
    if ('error' in r) {
      send(res, 400, searchPage({ ...base, message: r.error.text }, { ...ctx, tokenField: tokenField('/search') }));
      return;
    }
    if (r.found.length === 0) {
      // The /story answer for nothing found: what was searched, widened windows, near matches.
      const answer = (await answerSearch(r, { stories: d.stories, vocabulary: d.vocabulary }, now)).reply;
      const hints = answer.sections.flatMap((s) => (s.type === 'paragraph' || s.type === 'hint' ? [s.text] : [])).filter((t) => t !== answer.text);
      send(res, 200, searchPage({ ...base, heading: 'Nothing found', message: answer.text, hints }, { ...ctx, tokenField: tokenField('/search') }));
      return;
    }
    const hours = r.tried[r.tried.length - 1]!;
    const ranked = rankStories(r.found, now, hours);
    const pages = Math.max(1, Math.ceil(ranked.length / PAGE_SIZE));
    const page = Math.min(pageNo, pages);
    const cards = ranked.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE).map(storyToCard);
    const notes = r.tried.length > 1 ? [`Nothing in the last ${windowText(r.tried[0]!)}; widened to ${windowText(hours)}.`] : [];
    const count = `${ranked.length}${ranked.length >= 50 ? '+' : ''} ${ranked.length === 1 ? 'story' : 'stories'}`;
    send(res, 200, searchPage({ query: q, heading: `${searchSubject(r.search)} — ${count} in the last ${windowText(hours)}`, notes, cards, page, pages, total: ranked.length }, { ...ctx, tokenField: tokenField('/search') }));
  }));

  app.get('/feeds', guard, safely(async (_req, res) => {
    if (!d.feeds) {
      send(res, 200, messagePage('Feeds', 'Feed health is not available in this process (it runs with the bot role).', { ...ctx, current: 'feeds' }));
      return;
    }
    const feeds = d.feeds;
    const list = await feeds.list();
    // one read for every feed's next poll (one by one it was ~3 round trips a feed)
    const next = await feeds.nextPolls(list.filter((s) => !s.paused).map((s) => s.feed.id)).catch(() => new Map<string, number | null>());
    const rows = list.map((status) => {
      const at = status.paused ? null : (next.get(status.feed.id) ?? null);
      return { status, nextPoll: at === null ? null : new Date(at).toISOString() };
    });
    rows.sort((a, b) => a.status.feed.id.localeCompare(b.status.feed.id));
    send(res, 200, feedsPage(rows, ctx));
  }));

  app.get('/trends', guard, safely(async (req, res) => {
    const q = typeof req.query.q === 'string' ? req.query.q.slice(0, 500) : '';
    const pc = { ...ctx, tokenField: tokenField('/trends') };
    if (!d.trends || !d.charts) {
      send(res, 200, trendsPage({ query: q, svg: null, alt: '', spikes: [], notSetUp: true }, pc));
      return;
    }
    let resolved;
    try {
      resolved = q.trim() ? resolveQuery(parseQuery(q), d.vocabulary) : null;
    } catch (e) {
      if (e instanceof QueryError) {
        send(res, 400, trendsPage({ query: q, svg: null, alt: '', spikes: [], message: e.message }, pc));
        return;
      }
      throw e;
    }
    const days = Math.max(1, Math.min(90, Math.round((resolved?.windowHours ?? 30 * 24) / 24)));
    const now = d.clock();
    const answer = await d.trends.trends({ query: resolved, days, now });
    const title = q.trim() ? `${q.trim()} — last ${days} days` : `Central Asia — last ${days} days`;
    const svg = d.charts.svg({ title, series: answer.series, marks: answer.spikes.map((s) => ({ day: s.at.slice(0, 10), label: s.key })) }, { width: 900, height: 420 });
    const alt = answer.series.length
      ? `Articles per day: ${answer.series.map((s) => `${s.label ?? s.key} ${s.points.reduce((n, p) => n + p.count, 0)}`).join(', ')} over ${days} days.`
      : `Nothing counted in the last ${days} days.`;
    send(res, 200, trendsPage({ query: q, svg, alt, spikes: answer.spikes }, pc));
  }));
}
