import { describe, expect, it } from 'vitest';
import { checkAccess, createLinker, signToken, signature, type WebAuth } from '../../../src/adapters/web/access.js';
import { loadConfig, ConfigError } from '../../../src/config.js';

const SECRET = 'a-test-secret-of-32-characters!!';
const token: WebAuth = { mode: 'token', secret: SECRET, ttlHours: 168 };
const now = new Date('2026-01-10T00:00:00Z');

describe('token access', () => {
  it('takes a token for its own path until it expires', () => {
    const t = signToken(SECRET, '/stories/s-1', now, 168);
    expect(t).toMatch(/^\d+\.[0-9a-f]{64}$/);
    expect(Number(t.split('.')[0])).toBe(now.getTime() / 1000 + 168 * 3600);
    expect(checkAccess(token, { path: '/stories/s-1', token: t, authorization: undefined }, now)).toEqual({ ok: true });
    // The HMAC is of path + expiry.
    const [exp, sig] = t.split('.');
    expect(sig).toBe(signature(SECRET, '/stories/s-1', Number(exp)));
  });

  it('refuses: missing 401, other path / tampered / expired 403', () => {
    const t = signToken(SECRET, '/stories/s-1', now, 1);
    expect(checkAccess(token, { path: '/stories/s-1', token: undefined, authorization: undefined }, now)).toMatchObject({ ok: false, status: 401 });
    expect(checkAccess(token, { path: '/stories/s-2', token: t, authorization: undefined }, now)).toMatchObject({ ok: false, status: 403 });
    const [exp, sig] = t.split('.');
    expect(checkAccess(token, { path: '/stories/s-1', token: `${Number(exp) + 3600}.${sig}`, authorization: undefined }, now)).toMatchObject({ ok: false, status: 403 });
    expect(checkAccess(token, { path: '/stories/s-1', token: 'garbage', authorization: undefined }, now)).toMatchObject({ ok: false, status: 403 });
    const later = new Date(now.getTime() + 2 * 3600_000);
    expect(checkAccess(token, { path: '/stories/s-1', token: t, authorization: undefined }, later)).toMatchObject({ ok: false, status: 403, reason: expect.stringMatching(/expired/) });
  });

  it('off is 404; basic needs the login', () => {
    expect(checkAccess({ mode: 'off' }, { path: '/feeds', token: undefined, authorization: undefined }, now)).toMatchObject({ status: 404 });
    const basic: WebAuth = { mode: 'basic', user: 'desk', password: 'pw-123' };
    const h = (s: string) => `Basic ${Buffer.from(s).toString('base64')}`;
    expect(checkAccess(basic, { path: '/feeds', token: undefined, authorization: undefined }, now)).toMatchObject({ status: 401 });
    expect(checkAccess(basic, { path: '/feeds', token: undefined, authorization: h('desk:wrong') }, now)).toMatchObject({ status: 403 });
    expect(checkAccess(basic, { path: '/feeds', token: undefined, authorization: h('desk:pw-123') }, now)).toEqual({ ok: true });
  });

  it('links carry their own token; PUBLIC_URL makes them absolute', () => {
    const link = createLinker(token, () => now, 'https://news.example.org/');
    const url = new URL(link('/search', { q: 'outlet:rt', page: 2 }));
    expect(url.origin + url.pathname).toBe('https://news.example.org/search');
    expect(url.searchParams.get('q')).toBe('outlet:rt');
    expect(checkAccess(token, { path: '/search', token: url.searchParams.get('token')!, authorization: undefined }, now)).toEqual({ ok: true });
    expect(createLinker({ mode: 'basic', user: 'u', password: 'p' }, () => now)('/feeds')).toBe('/feeds');
  });
});

describe('web config', () => {
  const base = { FEEDS_FILE: 'data/feeds.yaml' };
  it('token without WEB_SECRET is one line naming it', () => {
    expect(() => loadConfig({ env: { ...base, WEB_AUTH: 'token' }, dotenv: false })).toThrow(ConfigError);
    expect(() => loadConfig({ env: { ...base, WEB_AUTH: 'token' }, dotenv: false })).toThrow(/^config: WEB_SECRET \(unset\)/);
    expect(() => loadConfig({ env: { ...base, WEB_AUTH: 'basic', WEB_USER: 'desk' }, dotenv: false })).toThrow(/WEB_PASSWORD/);
    expect(() => loadConfig({ env: { ...base, WEB_AUTH: 'tokens' }, dotenv: false })).toThrow(/WEB_AUTH="tokens": expected token, basic or off/);
    const c = loadConfig({ env: { ...base, WEB_AUTH: 'token', WEB_SECRET: SECRET, PUBLIC_URL: 'https://news.example.org' }, dotenv: false });
    expect(c.WEB_TOKEN_TTL_HOURS).toBe(168);
    expect(c.PUBLIC_URL).toBe('https://news.example.org');
  });
});
