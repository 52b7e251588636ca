// Issue #17's done-when for spikes, on real Redis, the real CLI (import), the real spike job and
// the real console and Slack notifiers (Slack's WebClient against the fake Slack Web API):
// 30 days of quiet history and then a burst of color-revolution × KZ articles from several
// outlets give exactly one spike alert in each mode:spikes channel, with its stories, quotes,
// speakers and a chart; the same articles spread over two weeks give none; importing alerts nothing.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/adapters/log.js';
import { createConsoleNotifier } from '../../../src/adapters/console/notifier.js';
import { createSlackWebClient } from '../../../src/adapters/slack/client.js';
import { createSlackNotifier } from '../../../src/adapters/slack/notifier.js';
import type { Subscription } from '../../../src/core/routing/subscription.js';
import { defaultSubscription } from '../../../src/main/feeds-sync.js';
import type { SpikeRecord } from '../../../src/core/trends/spike-alert.js';
import type { Container } from '../../../src/main/container.js';
import { createSpikesProcessor } from '../../../jobs/spikes.js';
import { createTrendsSource } from '../../../src/adapters/redis/trends-source.js';
import { parseQuery, resolveQuery } from '../../../src/core/query/index.js';
import { dayRange, trendsJson } from '../../../src/core/trends/series.js';
import { currentVocabulary } from '../../../src/main/vocabulary.js';
import { cleanEnv, runCli } from '../../helpers/cli.js';
import { startFakeSlack, type FakeSlack } from '../../helpers/fake-slack.js';
import { readAlertRecords, testContainer } from '../../helpers/pipeline.js';
import { testRedisUrl } from '../../helpers/redis.js';

const TOKEN = 'xoxb-spikes-test';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = Date.now();
const iso = (ms: number) => new Date(ms).toISOString();

const OUTLETS = [
  { outlet: 'RT', affiliation: 'state:RU' },
  { outlet: 'TASS', affiliation: 'state:RU' },
  { outlet: 'Global Times', affiliation: 'state:CN' },
  { outlet: 'Vlast.kz', affiliation: 'independent' },
];

/** Quiet history: one unframed Kazakhstan story a day, a color-revolution one every fifth day. */
function quietHistory(): object[] {
  const lines: object[] = [];
  const towns = ['Aktau', 'Atyrau', 'Pavlodar', 'Kostanay', 'Taraz', 'Semey'];
  for (let d = 30; d >= 2; d--) {
    const town = towns[d % towns.length]!;
    lines.push({
      id: `q${d}`,
      outlet: OUTLETS[d % 4]!.outlet,
      affiliation: OUTLETS[d % 4]!.affiliation,
      published: iso(NOW - d * DAY + 3 * HOUR),
      title: `Kazakhstan opens grain terminal number ${d} at ${town}`,
      text: `Kazakhstan opened grain terminal number ${d} at ${town} on Monday, the transport ministry said. It will handle ${d} thousand tonnes a year.`,
    });
    if (d % 5 === 0) {
      lines.push({
        id: `qc${d}`,
        outlet: 'RT',
        affiliation: 'state:RU',
        published: iso(NOW - d * DAY + 5 * HOUR),
        title: `Analyst ${d} recalls the colour revolution debate in Kazakhstan`,
        text: `Political analyst Marat Sultanov said in lecture ${d} that talk of a colour revolution in Kazakhstan had faded since 2022.`,
      });
    }
  }
  return lines;
}

/** Three stories of one narrative, carried by several outlets: 9 articles. */
const BURST_STORIES = [
  {
    title: 'Tokayev warns of a colour revolution plot in Kazakhstan',
    text: (o: string) =>
      `President Kassym-Jomart Tokayev said plotters were preparing a colour revolution in Kazakhstan. "They want a colour revolution on our streets," Tokayev told parliament in Astana, ${o} reported.`,
    speaker: 'Tokayev',
  },
  {
    title: 'Zakharova: the West is staging a colour revolution in Kazakhstan',
    text: (o: string) =>
      `Russian foreign ministry spokeswoman Maria Zakharova said the West was staging a colour revolution in Kazakhstan. "We see the classic colour revolution script," Zakharova told reporters in Moscow, ${o} reported.`,
    speaker: 'Zakharova',
  },
  {
    title: 'Beijing backs Astana against colour revolution attempts',
    text: (o: string) =>
      `Chinese foreign ministry spokesman Lin Jian said Beijing opposed any colour revolution in Kazakhstan. "China firmly supports Kazakhstan against colour revolution attempts," Lin Jian said, ${o} reported.`,
    speaker: 'Lin Jian',
  },
];

function burst(spread: boolean): object[] {
  const lines: object[] = [];
  let n = 0;
  BURST_STORIES.forEach((s, si) => {
    for (const o of si === 2 ? [OUTLETS[2]!, OUTLETS[0]!, OUTLETS[3]!] : [OUTLETS[0]!, OUTLETS[1]!, OUTLETS[3]!]) {
      // A burst: within the last 20 hours. Spread: one article every day and a half over two weeks.
      const published = spread ? NOW - 1.5 * DAY * (n + 1) : NOW - 20 * HOUR + n * 2 * HOUR;
      lines.push({ id: `b${n}`, outlet: o.outlet, affiliation: o.affiliation, published: iso(published), title: s.title, text: s.text(o.outlet) });
      n += 1;
    }
  });
  return lines;
}

const sub = (id: string, destination: string, mode: Subscription['mode'], over: Partial<Subscription> = {}): Subscription => ({
  ...defaultSubscription(destination, new Date(NOW)),
  id,
  mode,
  isDefault: false,
  ...over,
});

let slack: FakeSlack;
beforeAll(async () => {
  slack = await startFakeSlack({ token: TOKEN });
});
afterAll(async () => {
  await slack.close();
});

async function scenario(spread: boolean, channel: string, spikesDefaultChannel = false): Promise<{ c: Container & { dir: string }; run: (at: number) => Promise<unknown>; records: () => SpikeRecord[]; reimport: () => Promise<string> }> {
  const c = await testContainer();
  const file = join(mkdtempSync(join(tmpdir(), 'sw-import-')), 'history.jsonl');
  writeFileSync(file, [...quietHistory(), ...burst(spread), { id: 'bad', outlet: 'RT', text: 'no date' }].map((l) => JSON.stringify(l)).join('\n'));
  await c.stores.subscriptions.add(sub('sspk', 'console', 'spikes', { countries: ['KZ'] }));
  await c.stores.subscriptions.add(sub('sspks', `slack:${channel}`, 'spikes'));
  await c.stores.subscriptions.add(sub('salrt', `slack:${channel}-ALERTS`, 'alerts'));
  // The default channel (made from SLACK_DEFAULT_CHANNEL, mode alerts): spikes only with SPIKES_DEFAULT_CHANNEL=true.
  await c.stores.subscriptions.add({ ...defaultSubscription(`slack:${channel}-DEF`, new Date(NOW)), id: 'sdef' });
  await c.stores.subscriptions.add(sub('sother', 'slack:CUZ', 'spikes', { countries: ['UZ'] }));
  // Query subscriptions (stored text): one story behind the burst quotes Zakharova; none names Mirziyoyev.
  await c.stores.subscriptions.add(sub('sq', `slack:${channel}-Q`, 'spikes', { query: '"zakharova" NOT outlets:global-times' }));
  await c.stores.subscriptions.add(sub('snq', `slack:${channel}-NQ`, 'spikes', { query: '"mirziyoyev" OR (countries:UZ "colour revolution")' }));
  const env = cleanEnv({ REDIS_URL: testRedisUrl(), STEPPEWATCH_REDIS_PREFIX: c.config.redisPrefix, LOG_LEVEL: 'warn' });
  const r = await runCli(['import', file], { env, cwd: c.dir, timeoutMs: 180_000 });
  expect(r.stderr).toMatch(/^import: line \d+ \(id bad\): published is required/m);
  expect(r.stdout).toMatch(/^imported \d+ articles .*refused 1; nothing alerted/m);
  expect(r.code).toBe(0);
  const alertsFile = join(c.dir, 'alerts.jsonl');
  const notifiers = {
    console: createConsoleNotifier({ recordFile: alertsFile, out: { write: () => true } as unknown as NodeJS.WritableStream }),
    slack: createSlackNotifier({ client: createSlackWebClient({ botToken: TOKEN, apiUrl: slack.url, log: silentLogger() }), log: silentLogger() }),
  };
  const run = (at: number) =>
    createSpikesProcessor({
      counters: c.stores.trends,
      spikes: c.stores.trends,
      stories: c.stores.stories,
      subscriptions: c.stores.subscriptions,
      deliveries: c.stores.deliveries,
      notifiers,
      config: { spikeZ: 3, spikeMinCount: 5, spikeCooldownHours: 24, spikesDefaultChannel, retentionDays: 90 },
      log: silentLogger(),
      clock: () => new Date(at),
    })();
  const reimport = async () => (await runCli(['import', file], { env, cwd: c.dir, timeoutMs: 180_000 })).stdout;
  return { c, run, records: () => readAlertRecords(alertsFile) as unknown as SpikeRecord[], reimport };
}

describe('spike alerts (issue #17 done-when)', () => {
  it('a burst after 30 quiet days: exactly one spike alert per mode:spikes channel, with stories, quotes, speakers and a chart', async () => {
    const { c, run, records, reimport } = await scenario(false, 'CBURST');
    try {
      // The job runs every 15 minutes: several runs within the cooldown still alert once.
      await run(NOW);
      // A channel subscribing after the spike was found does not get it, though it is within its cooldown.
      await c.stores.subscriptions.add(sub('slate', 'slack:CBURST-LATE', 'spikes', { createdAt: iso(NOW + 10 * 60_000) }));
      await run(NOW + 15 * 60_000);
      await run(NOW + 60 * 60_000);
      const recs = records();
      expect(recs.map((r) => [r.kind, r.destination])).toEqual([['spike', 'console']]);
      const rec = recs[0]!;
      expect(rec.keys).toContain('KZ|color-revolution');
      expect(rec.count).toBeGreaterThanOrEqual(9);
      expect(rec.baseline).toBeLessThan(1);
      expect(rec.z).toBeGreaterThanOrEqual(3);
      expect(rec.stories.length).toBeGreaterThanOrEqual(3);
      expect(rec.stories.length).toBeLessThanOrEqual(6);
      const speakers = rec.stories.map((s) => s.attributedTo ?? '').join(' | ');
      for (const who of ['Tokayev', 'Zakharova', 'Lin Jian']) expect(speakers).toContain(who);
      expect(rec.stories.every((s) => s.quote && /colou?r revolution/i.test(s.quote))).toBe(true);
      const outlets = new Set(rec.stories.flatMap((s) => s.outlets.map((o) => `${o.outlet} ${o.affiliation}`)));
      expect(outlets).toEqual(new Set(['RT state:RU', 'TASS state:RU', 'Global Times state:CN', 'Vlast.kz independent']));
      expect(rec.shareOfVoice?.byAffiliation[0]).toMatchObject({ affiliation: 'state:RU' });
      expect(rec.chart.series[0]!.points).toHaveLength(15);
      expect(rec.chart.series[0]!.points.at(-1)!.count + rec.chart.series[0]!.points.at(-2)!.count).toBe(rec.count);

      // Slack: one message in the spikes channel and in the channel whose query a story matches;
      // none in the alerts channel (import alerts nothing), for UZ, for the query no story matches,
      // for the channel that subscribed late.
      const sent = slack.messages.filter((m) => m.channel.startsWith('CBURST') || m.channel === 'CUZ');
      expect(sent.map((m) => m.channel).sort()).toEqual(['CBURST', 'CBURST-Q']);
      const msgs = sent.filter((m) => m.channel === 'CBURST');
      // The query channel's alert lists the story its query matched first.
      const qBody = JSON.stringify(sent.find((m) => m.channel === 'CBURST-Q')!.blocks);
      const at = (h: string) => qBody.indexOf(h);
      expect(at('Zakharova: the West')).toBeGreaterThan(-1);
      expect(at('Zakharova: the West')).toBeLessThan(at('Tokayev warns'));
      expect(at('Zakharova: the West')).toBeLessThan(at('Beijing backs'));
      const body = JSON.stringify(msgs[0]!.blocks);
      expect(msgs[0]!.text).toMatch(/^Spike: /);
      for (const s of ['Tokayev', 'Zakharova', 'Lin Jian', 'RT', 'Global Times', 'Chart:']) expect(body).toContain(s);
      expect(msgs[0]!.metadata?.event_payload).toMatchObject({ key: `spike:${rec.key}@${rec.windowEnd}` });

      // The TrendsSource (/trends, `trends --json`, the web view) over the same data.
      const source = createTrendsSource({ counters: c.stores.trends, spikes: c.stores.trends, stories: c.stores.stories });
      const all = await source.trends({ query: null, days: 30, now: new Date(NOW) });
      const cr = all.series.find((x) => x.key === 'color-revolution')!;
      expect(cr.points.map((p) => p.day)).toEqual(dayRange(new Date(NOW), 30));
      expect(cr.points.slice(-2).reduce((n, p) => n + p.count, 0)).toBe(9);
      expect(cr.points.slice(0, -2).reduce((n, p) => n + p.count, 0)).toBeLessThanOrEqual(6);
      const q = resolveQuery(parseQuery('kazakhstan tags:color-revolution'), await currentVocabulary(c));
      const json = trendsJson(await source.trends({ query: q, days: 14, now: new Date(NOW) }));
      expect(Object.keys(json)).toEqual(['series', 'spikes']);
      const spike = json.spikes.find((x) => x.key === 'KZ|color-revolution')!;
      expect(Object.keys(spike)).toEqual(['key', 'at', 'count', 'baseline', 'z', 'stories']);
      expect(spike.stories.length).toBeGreaterThanOrEqual(3);
      expect(spike.stories[0]).toHaveProperty('framings');
      const other = await source.trends({ query: resolveQuery(parseQuery('uzbekistan'), await currentVocabulary(c)), days: 14, now: new Date(NOW) });
      expect(other.spikes).toEqual([]);
      const sov = await source.shareOfVoice({ query: null, days: 2, now: new Date(NOW), tag: 'color-revolution' });
      expect(sov.total).toBe(9);
      expect(sov.byAffiliation[0]).toEqual({ affiliation: 'state:RU', count: 5, percent: 55.6 });
      expect(sov.topOutlets[0]).toMatchObject({ outletId: 'rt', outlet: 'RT', count: 3 });

      // Importing the same file again counts nothing twice and alerts nothing more.
      expect(await reimport()).toMatch(/^imported \d+ articles/m);
      expect(await source.trends({ query: null, days: 30, now: new Date(NOW) })).toEqual(all);
      await run(NOW + 2 * 60 * 60_000);
      expect(records()).toHaveLength(1);
    } finally {
      await c.close();
    }
  }, 240_000);

  it('SPIKES_DEFAULT_CHANNEL=true: the default channel gets the spike alert too, once (false, above: it does not)', async () => {
    const { c, run } = await scenario(false, 'CDEFAULT', true);
    try {
      await run(NOW);
      await run(NOW + 15 * 60_000);
      const sent = slack.messages.filter((m) => m.channel.startsWith('CDEFAULT'));
      expect(sent.map((m) => m.channel).sort()).toEqual(['CDEFAULT', 'CDEFAULT-DEF', 'CDEFAULT-Q']);
      const def = sent.find((m) => m.channel === 'CDEFAULT-DEF')!;
      expect(def.text).toMatch(/^Spike: /);
      for (const who of ['Tokayev', 'Zakharova', 'Lin Jian']) expect(JSON.stringify(def.blocks)).toContain(who);
    } finally {
      await c.close();
    }
  }, 240_000);

  it('the same articles spread over two weeks give no spike alert, on any day', async () => {
    const { c, run, records } = await scenario(true, 'CSPREAD');
    try {
      for (let d = 14; d >= 0; d--) await run(NOW - d * DAY);
      expect(records()).toEqual([]);
      expect(slack.messages.filter((m) => m.channel.startsWith('CSPREAD'))).toEqual([]);
    } finally {
      await c.close();
    }
  }, 240_000);
});
