// The web routes on the product's HTTP server (express), over a hand-written story store:
// access per WEB_AUTH, merged ids redirecting, failures without a stack, the headers, /trends.
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finishRoutes } from '../../../src/adapters/http/server.js';
import { mountWebRoutes, CSP, type WebDeps } from '../../../src/adapters/web/routes.js';
import { signToken, type WebAuth } from '../../../src/adapters/web/access.js';
import { createLogger } from '../../../src/adapters/log.js';
import { vocabularyFromData } from '../../../src/commands/vocabulary-from-data.js';
import { loadAnalyzerData } from '../../../src/adapters/analysis-data.js';
import type { Story } from '../../../src/core/types.js';
import type { StoryStore } from '../../../src/ports/stores.js';
import type { TrendChart } from '../../../src/core/trends/types.js';
import { seedStory } from '../../fixtures/web/seed-story.js';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

const SECRET = 'routes-test-secret-0123456789abcdef';
const now = new Date('2022-04-28T00:00:00Z');

/** get() answers a merged id with the surviving story, as the store's aliases do. */
function storeOf(stories: Story[], aliases: Record<string, string> = {}): StoryStore {
  const get = async (id: string) => stories.find((s) => s.id === (aliases[id] ?? id)) ?? null;
  return {
    assign: () => Promise.reject(new Error('read-only')),
    assignMany: () => Promise.reject(new Error('read-only')),
    get,
    getMany: (ids) => Promise.all(ids.map(get)),
    recent: async () => {
      throw new Error('store down');
    },
  };
}

async function serve(auth: WebAuth, extra: Partial<WebDeps> = {}): Promise<{ base: string; server: Server }> {
  const app = express();
  const vocabulary = vocabularyFromData({ gazetteer: loadAnalyzerData().gazetteer, feeds: [] });
  if (auth.mode !== 'off') {
    mountWebRoutes(app, { auth, stories: storeOf([seedStory()], { 's-old': 's-seed' }), vocabulary, clock: () => now, log: createLogger({ level: 'silent' }), ...extra });
  }
  finishRoutes(app);
  const server = await new Promise<Server>((r) => {
    const s = app.listen(0, '127.0.0.1', () => r(s));
  });
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe('web routes', () => {
  const servers: Server[] = [];
  let token: string;
  let basic: string;
  let off: string;
  beforeAll(async () => {
    const t = await serve({ mode: 'token', secret: SECRET, ttlHours: 168 });
    const b = await serve({ mode: 'basic', user: 'desk', password: 'pw' });
    const o = await serve({ mode: 'off' });
    servers.push(t.server, b.server, o.server);
    [token, basic, off] = [t.base, b.base, o.base];
  });
  afterAll(() => {
    for (const s of servers) s.close();
  });
  const tok = (path: string) => signToken(SECRET, path, now, 168);

  it('off: every page is 404', async () => {
    for (const p of ['/stories/s-seed', '/search?q=x', '/trends', '/feeds']) expect((await fetch(`${off}${p}`)).status).toBe(404);
  });

  it('token: 200 with the CSP and no referrer; a merged id redirects to the survivor with its own token', async () => {
    const r = await fetch(`${token}/stories/s-seed?token=${tok('/stories/s-seed')}`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-security-policy')).toBe(CSP);
    expect(r.headers.get('referrer-policy')).toBe('no-referrer');
    const red = await fetch(`${token}/stories/s-old?token=${tok('/stories/s-old')}`, { redirect: 'manual' });
    expect(red.status).toBe(301);
    const loc = new URL(red.headers.get('location')!, token);
    expect(loc.pathname).toBe('/stories/s-seed');
    expect((await fetch(loc)).status).toBe(200);
    expect((await fetch(`${token}/stories/s-gone?token=${tok('/stories/s-gone')}`)).status).toBe(404);
  });

  it('token: missing is 401; two tokens or a token of another page is 403 (a token was given, it is not valid)', async () => {
    const t = tok('/stories/s-seed');
    expect((await fetch(`${token}/stories/s-seed`)).status).toBe(401);
    expect((await fetch(`${token}/stories/s-seed?token=${t}&token=${t}`)).status).toBe(403);
    expect((await fetch(`${token}/stories/s-seed?token=${tok('/stories/s-old')}`)).status).toBe(403);
    const r = await fetch(`${token}/search?q=${encodeURIComponent('(kazakhstan')}&token=${tok('/search')}&token=x`);
    expect(r.status).toBe(403);
    expect(await r.text()).not.toMatch(/at \w+ \(|node_modules|Error:/);
  });

  it('basic: 401 with a challenge, 403 on a wrong login, 200 on the right one', async () => {
    const r = await fetch(`${basic}/stories/s-seed`);
    expect(r.status).toBe(401);
    expect(r.headers.get('www-authenticate')).toMatch(/^Basic/);
    const auth = (s: string) => ({ headers: { authorization: `Basic ${Buffer.from(s).toString('base64')}` } });
    expect((await fetch(`${basic}/stories/s-seed`, auth('desk:nope'))).status).toBe(403);
    expect((await fetch(`${basic}/stories/s-seed`, auth('desk:pw'))).status).toBe(200);
  });

  it('never shows a stack: a failing store, a malformed path', async () => {
    const r = await fetch(`${token}/search?q=kazakhstan&token=${tok('/search')}`);
    expect(r.status).toBe(500);
    const body = await r.text();
    expect(body).toMatch(/could not be built \(reference [0-9a-f]{8}\)/);
    expect(body).not.toMatch(/store down|at \w+ \(|node_modules/);
    const bad = await fetch(`${token}/stories/%E0%A4%A?token=x`);
    expect(bad.status).toBeGreaterThanOrEqual(400);
    expect(bad.status).toBeLessThan(500);
    expect(await bad.text()).not.toMatch(/URIError|at \w+ \(|node_modules/);
  });

  it('trends: "not set up" without the deps; the chart inline when given', async () => {
    const r = await fetch(`${token}/trends?token=${tok('/trends')}`);
    expect(await r.text()).toContain('Trends are not set up');
    const charts: TrendChart[] = [];
    const t = await serve(
      { mode: 'token', secret: SECRET, ttlHours: 168 },
      {
        trends: { trends: async () => ({ series: [{ key: 'color-revolution', points: [{ day: '2022-04-27', count: 3 }] }], spikes: [] }) },
        charts: {
          svg: (c) => {
            charts.push(c);
            return '<svg xmlns="http://www.w3.org/2000/svg" role="img"><title>chart</title></svg>';
          },
          png: async () => new Uint8Array(),
        },
      },
    );
    servers.push(t.server);
    const page = await (await fetch(`${t.base}/trends?q=kazakhstan%2030d&token=${tok('/trends')}`)).text();
    expect(page).toContain('<svg xmlns="http://www.w3.org/2000/svg"');
    expect(page).toContain('color-revolution 3');
    expect(charts[0]!.title).toBe('kazakhstan 30d — last 30 days');
  });
});
