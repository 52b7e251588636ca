// `steppewatch feeds list|pause|resume|…`, `subscribe`, `subscriptions`, `mute` for console users
// (issue 13 #6): the slash commands' grammar and handlers, spawned as the user runs them, on the
// test Redis; their effect on what the pipeline prints to the console.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { startApp } from '../../../src/main/app.js';
import { waitUntilIdle } from '../../../src/cli/demo.js';
import { applyFeeds, ensureDefaultSubscriptions, readFeedsFile } from '../../../src/main/feeds-sync.js';
import { commandText, forConsole } from '../../../src/cli/admin-cli.js';
import type { Container } from '../../../src/main/container.js';
import type { FeedHealth } from '../../../src/core/feed/policy/schedule.js';
import { cleanEnv, runCli } from '../../helpers/cli.js';
import { freePort } from '../../helpers/global-setup.js';
import { readAlertRecords, testContainer } from '../../helpers/pipeline.js';
import { rss, SEED_RETOLD, startFeedServer, type TestFeedServer } from '../../helpers/feed-server.js';
import { testRedisUrl, uniquePrefix } from '../../helpers/redis.js';

describe('console command text', () => {
  it('puts back the quotes the shell took off, per comma-separated value', () => {
    expect(commandText(['countries:KZ', 'keywords:Rogun dam,Tokayev'])).toBe('countries:KZ keywords:"Rogun dam",Tokayev');
    expect(commandText(['add', 'https://x.org/f.xml', 'outlet:Example News'])).toBe('add https://x.org/f.xml outlet:"Example News"');
    expect(commandText(['keywords:"Rogun dam" countries:KZ'])).toBe('keywords:"Rogun dam" countries:KZ');
    expect(commandText(['color revolution'])).toBe('"color revolution"');
  });

  it('speaks of console commands, not slash commands', () => {
    expect(forConsole('No feed “x”. /feeds list shows the feed ids.')).toBe('No feed “x”. steppewatch feeds list shows the feed ids.');
    expect(forConsole('Try /steppewatch help')).toBe('Try steppewatch help');
    expect(forConsole('See https://example.org/feeds/list')).toBe('See https://example.org/feeds/list');
    expect(forConsole('No subscription “s1” in this channel.')).toBe('No subscription “s1” on the console.');
  });
});

describe('steppewatch feeds / subscribe / mute on the console', () => {
  let server: TestFeedServer;
  let c: Container;
  let env: Record<string, string>;
  let dir: string;

  beforeAll(async () => {
    server = await startFeedServer();
    server.set('/gt.xml', rss('GT', [{ ...SEED_RETOLD.globalTimes, link: 'https://example.org/gt', date: new Date(Date.now() - 3_600_000) }]));
    server.set('/ledger.xml', { status: 503 });
    dir = mkdtempSync(join(tmpdir(), 'sw-admin-'));
    const file = join(dir, 'feeds.yaml');
    writeFileSync(
      file,
      YAML.stringify([
        { id: 'gt-en', url: server.url('/gt.xml'), outlet: 'Global Times', language: 'en', affiliation: 'state:CN' },
        { id: 'ledger-en', url: server.url('/ledger.xml'), outlet: 'Steppe Ledger', language: 'en', affiliation: 'independent' },
      ]),
    );
    const prefix = uniquePrefix('adm');
    env = cleanEnv({ REDIS_URL: testRedisUrl(), STEPPEWATCH_REDIS_PREFIX: prefix, FEEDS_FILE: file, ALLOW_PRIVATE_FEED_ADDRESSES: 'true' });
    c = await testContainer({ STEPPEWATCH_REDIS_PREFIX: prefix, FEEDS_FILE: file });
    // What `start` does first: the console's default subscription, the file's feeds.
    expect(await ensureDefaultSubscriptions(c)).toEqual(['console']);
    await applyFeeds(c, readFeedsFile(file));
    // ledger-en has been failing; gt-en was polled fine an hour ago.
    const at = new Date(Date.now() - 3_600_000).toISOString();
    await c.stores.feeds.setHealth<Partial<FeedHealth>>('gt-en', { lastSuccessAt: at, consecutiveFailures: 0, lastError: null, recentOutcomes: ['ok'], recentItemDates: [] });
    await c.stores.feeds.setHealth<Partial<FeedHealth>>('ledger-en', { lastSuccessAt: null, consecutiveFailures: 3, lastError: { code: 'http_503', message: 'Service Unavailable', since: at, at }, recentOutcomes: ['error'], recentItemDates: [] });
  });
  afterAll(async () => {
    await c.close();
    await server.close();
  });

  // The machine running the tests may be busy: a spawn from source takes seconds there.
  const cli = (args: string[]) => runCli(args, { env, cwd: dir, timeoutMs: 120_000 });
  const listJson = async () => {
    const r = await cli(['feeds', 'list', '--json']);
    expect(r.code).toBe(0);
    return r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  };

  it('lists feeds as JSON lines and as a table', async () => {
    const rows = await listJson();
    expect(rows.map((r) => Object.keys(r).sort())).toEqual(Array(2).fill(['id', 'lastError', 'lastSuccess', 'nextPoll', 'paused', 'source', 'url']));
    expect(rows[0]).toMatchObject({ id: 'gt-en', url: server.url('/gt.xml'), source: 'file', paused: false, lastError: null });
    expect(rows[0]!.lastSuccess).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    // Polled at once after it was added: a pending one-off poll.
    expect(Date.parse(rows[0]!.nextPoll as string)).toBeLessThanOrEqual(Date.now() + 1000);
    expect(rows[1]).toMatchObject({ id: 'ledger-en', lastSuccess: null, lastError: 'http_503: Service Unavailable' });
    const table = await cli(['feeds', 'list']);
    expect(table.code).toBe(0);
    const lines = table.stdout.split('\n');
    expect(lines[0]).toMatch(/^ID\s+OUTLET\s+SOURCE\s+STATUS\s+LAST SUCCESS\s+NEXT POLL\s+LAST ERROR$/);
    expect(lines[1]).toMatch(/^gt-en\s+Global Times\s+file\s+ok\s+\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/);
    expect(lines[2]).toMatch(/^ledger-en\s+Steppe Ledger\s+file\s+failing: http_503 since \S+Z .* http_503: Service Unavailable$/);
    expect(table.stdout).toContain('2 feeds: 1 ok, 1 failing, 0 paused.');
  }, 240_000);

  it('pauses and resumes a feed with either grammar; a bad id gets the slash command’s message, exit 64', async () => {
    const pause = await cli(['feeds', 'pause', 'id:ledger-en']);
    expect(pause.code).toBe(0);
    expect(pause.stdout).toContain('Paused feed ledger-en; it stays paused across restarts.');
    expect(pause.stdout).toContain('steppewatch feeds resume ledger-en polls it again.');
    expect((await c.stores.feeds.getRuntime('ledger-en'))?.paused?.by).toBe('admin');
    expect(await c.scheduler.current('ledger-en')).toBeNull();
    expect((await listJson())[1]).toMatchObject({ id: 'ledger-en', paused: true, nextPoll: null });

    const resume = await cli(['feeds', 'resume', 'ledger-en']);
    expect(resume.code).toBe(0);
    expect(resume.stdout).toContain('Resumed feed ledger-en; polling it now.');
    expect((await c.stores.feeds.getRuntime('ledger-en'))?.paused).toBeNull();
    expect(await c.scheduler.current('ledger-en')).not.toBeNull();
    expect((await listJson())[1]).toMatchObject({ id: 'ledger-en', paused: false, nextPoll: expect.any(String) });

    const bad = await cli(['feeds', 'pause', 'ledger-em']);
    expect(bad.code).toBe(64);
    expect(bad.stderr).toContain('No feed “ledger-em”. Did you mean ledger-en?');
    const typo = await cli(['feeds', 'pasue', 'ledger-en']);
    expect(typo.code).toBe(64);
    expect(typo.stderr).toContain('Did you mean steppewatch feeds pause?');
  }, 240_000);

  it('subscribes, lists and unsubscribes the console; bad options get the slash command’s help, exit 64', async () => {
    const sub = await cli(['subscribe', 'countries:KZ', 'keywords:Rogun dam,Tokayev']);
    expect(sub.code).toBe(0);
    const id = /\((s[0-9a-f]{6})\)/.exec(sub.stdout)?.[1];
    expect(id).toBeTruthy();
    const stored = await c.stores.subscriptions.get(id!);
    expect(stored).toMatchObject({ destination: 'console', countries: ['KZ'], keywords: ['rogun dam', 'tokayev'], query: 'countries:KZ ("rogun dam" OR "tokayev")' });
    const list = await cli(['subscriptions']);
    expect(list.code).toBe(0);
    expect(list.stdout).toContain(id!);
    const bad = await cli(['subscribe', 'contries:KZ']);
    expect(bad.code).toBe(64);
    expect(bad.stderr).toContain('query: no field "contries:" at 1; did you mean countries:?');
    const boolean = await cli(['subscribe', '(kazakhstan', 'OR', 'uzbekistan)', 'NOT', 'outlet:rt', 'mode:digest', 'every:week']);
    expect(boolean.code, boolean.stderr).toBe(0);
    expect((await cli(['subscriptions'])).stdout).toContain('(countries:KZ OR countries:UZ) NOT outlets:rt · weekly digest (Mondays)');
    const un = await cli(['unsubscribe', id!]);
    expect(un.code).toBe(0);
    expect(await c.stores.subscriptions.get(id!)).toBeNull();
    const help = await cli(['subscribe', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('steppewatch subscribe <query> [mode:alerts|digest|spikes] [every:day|week]');
  }, 240_000);

  it('a mute made on the command line quiets what the running pipeline prints to the console', async () => {
    const mute = await cli(['mute', 'outlet:global-times']);
    expect(mute.code).toBe(0);
    expect(mute.stdout).toMatch(/^Muted Global Times/);
    const out: string[] = [];
    const app = await startApp(c, { roles: ['worker'], noHttp: true, consoleOut: { write: (s: string) => void out.push(s) } as unknown as NodeJS.WritableStream });
    try {
      await c.scheduler.pollNow('gt-en', 'manual');
      expect(await waitUntilIdle(c, 30_000, async () => (server.requests.get('/gt.xml') ?? 0) > 0)).toBe(true);
      expect(readAlertRecords(c.alertsFile)).toEqual([]);
      const unmute = await cli(['unmute', 'global-times']);
      expect(unmute.code).toBe(0);
      // Unmuted, the outlet's next story alerts the console.
      const text = "Kazakhstan's government raised liquefied gas prices in Mangystau region, the energy ministry in Astana said on Tuesday, as protests spread to Zhanaozen.";
      server.set('/gt.xml', rss('GT', [{ title: 'Kazakhstan raises fuel prices in Mangystau', text, link: 'https://example.org/gt2', date: new Date() }]));
      await new Promise((r) => setTimeout(r, 2500)); // routing reads are cached for 2 s
      await c.scheduler.pollNow('gt-en', 'manual');
      expect(await waitUntilIdle(c, 30_000, async () => readAlertRecords(c.alertsFile).length > 0)).toBe(true);
      expect(readAlertRecords(c.alertsFile)[0]).toMatchObject({ destination: 'console', outletId: 'global-times' });
      expect(out.join('')).toContain('Global Times');
    } finally {
      await app.stop(2000);
    }
  }, 240_000);

  it('adds a feed from the console, and exits 1 when the feed cannot be fetched', async () => {
    server.set('/new.xml', rss('New Outlet', [{ title: 'Tajikistan opens a bridge', text: 'Tajikistan opened a bridge on the Panj river.', link: 'https://example.org/n1', date: new Date() }]));
    const added = await cli(['feeds', 'add', server.url('/new.xml'), 'outlet:Panj Post', 'affiliation:independent']);
    expect(added.code).toBe(0);
    expect(added.stdout).toContain('Added feed panj-post-und: Panj Post');
    expect(await c.stores.feeds.get('panj-post-und')).toMatchObject({ source: 'command', url: server.url('/new.xml') });
    const port = await freePort();
    const failed = await cli(['feeds', 'add', `http://127.0.0.1:${port}/feed.xml`]);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/Could not read that address \(connection_refused/);
  }, 240_000);

  it('exits 3 with one line when REDIS_URL does not answer', async () => {
    const port = await freePort();
    const r = await runCli(['feeds', 'list'], { env: { ...env, REDIS_URL: `redis://127.0.0.1:${port}` }, cwd: dir, timeoutMs: 120_000 });
    expect(r.code).toBe(3);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('REDIS_URL');
    expect(readFileSync(join(dir, 'feeds.yaml'), 'utf8')).toContain('gt-en');
  }, 120_000);
});
