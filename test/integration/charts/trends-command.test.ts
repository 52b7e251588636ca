// /trends end to end through the real chat libraries: Slack (Bolt over HTTP, its WebClient's
// external upload flow) and Discord (the interaction dispatcher, @discordjs/rest multipart) against
// the loopback fakes, with the real grammar, handler and chart renderer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChartRenderer } from '../../../src/adapters/charts/index.js';
import { createInteractionDispatcher } from '../../../src/adapters/discord/dispatch.js';
import { discordCommands } from '../../../src/adapters/discord/commands.js';
import { createDiscordRest } from '../../../src/adapters/discord/rest.js';
import { finishRoutes, startHttpServer, type HttpServer } from '../../../src/adapters/http/server.js';
import { silentLogger } from '../../../src/adapters/log.js';
import { createMetrics } from '../../../src/adapters/metrics.js';
import { createSlackApp, type SlackApp } from '../../../src/adapters/slack/app.js';
import { parseCommandText } from '../../../src/commands/grammar.js';
import { handleTrends } from '../../../src/commands/trends.js';
import type { CommandHandler } from '../../../src/commands/types.js';
import { sendToSlackApp, slashCommandBody, startFakeSlack, type FakeSlack } from '../../helpers/fake-slack.js';
import { chatInputInteraction, startFakeDiscord, type FakeDiscord } from '../../helpers/fake-discord.js';
import { pngSize } from '../../helpers/charts.js';
import { fixedTrendsSource } from '../../helpers/trends-source.js';
import { testVocabulary } from '../../unit/commands/fakes.js';

const charts = createChartRenderer();
const vocabulary = testVocabulary();

describe('/trends in Slack', () => {
  const TOKEN = 'xoxb-trends';
  const SECRET = 'trends-signing-secret-0123456789';
  let slack: FakeSlack;
  let http: HttpServer;
  let app: SlackApp;
  let source = fixedTrendsSource();
  let configured = true;
  const handle: CommandHandler = (cmd, ctx) => handleTrends(cmd, ctx, { vocabulary, ...(configured ? { trends: source } : {}) });

  beforeAll(async () => {
    slack = await startFakeSlack({ token: TOKEN });
    http = await startHttpServer({ port: 0, host: '127.0.0.1', log: silentLogger(), metrics: createMetrics(), readiness: async () => ({ redis: true, roles: {} }) });
    app = createSlackApp({
      config: { botToken: TOKEN, signingSecret: SECRET, apiUrl: slack.url, adminUsers: [] },
      app: http.app,
      handleCommand: handle,
      parseCommandText,
      log: silentLogger(),
      charts,
      ackBudgetMs: 2_500,
    });
    finishRoutes(http.app);
    await app.start();
  });
  afterAll(async () => {
    await app.stop();
    await http.close();
    await slack.close();
  });

  const send = (text: string, channelId = 'C0TRENDS') =>
    sendToSlackApp(`http://127.0.0.1:${http.port}/slack/events`, slashCommandBody({ command: '/trends', text, channelId, responseUrl: slack.responseUrl() }), { signingSecret: SECRET });

  it('answers in the channel with the summary, then uploads the PNG chart to the channel with its alt text', async () => {
    source = fixedTrendsSource();
    const res = await send('kazakhstan days:14');
    expect(res.status).toBe(200);
    expect(source.requests).toHaveLength(1);
    expect(source.requests[0]!.days).toBe(14);
    expect(JSON.stringify(source.requests[0]!.query?.root)).toContain('KZ');
    // The answer: in the channel, its text the chart's summary (the ack or, if slow, response_url).
    const answer = res.json?.response_type ? res.json : (await slack.waitFor('response_url', () => true, 15_000)).body;
    expect(answer.response_type).toBe('in_channel');
    const shown = JSON.stringify(answer.blocks);
    expect(shown).toContain('Trends: Kazakhstan, last 14 days');
    expect(shown).toMatch(/color-revolution \d+ \(peak 12/);
    expect(shown).toContain('KZ|color-revolution');
    const complete = await slack.waitFor('files.completeUploadExternal', () => true, 20_000);
    expect(complete.body.channel_id).toBe('C0TRENDS');
    expect(complete.body.thread_ts).toBeUndefined();
    const [file] = slack.files;
    expect(pngSize(file!.bytes!)).toEqual({ width: 960, height: 480 });
    expect(file!.altText).toMatch(/^Kazakhstan, last 14 days: \d+ articles/);
    expect(file!.channel).toBe('C0TRENDS');
  }, 60_000);

  it('tells the person, privately, when the bot may not post the chart in the channel', async () => {
    slack.reset();
    slack.setChannel('C0CLOSED', { isMember: false });
    await send('kazakhstan', 'C0CLOSED');
    const note = await slack.waitFor('response_url', (c) => /invite steppewatch/.test(String(c.body.text)), 20_000);
    expect(note.body.response_type).toBe('ephemeral');
  }, 60_000);

  it('a bad query is a private usage error and asks nothing of the source', async () => {
    source = fixedTrendsSource();
    const res = await send('(kazakhstan OR');
    expect(res.json.response_type).toBe('ephemeral');
    expect(res.json.text).toMatch(/^query: /);
    expect(source.requests).toHaveLength(0);
  }, 30_000);

  it('without a trends source, says trends are not set up', async () => {
    configured = false;
    try {
      const res = await send('kazakhstan');
      expect(res.json.response_type).toBe('ephemeral');
      expect(res.json.text).toContain('Trends are not set up');
    } finally {
      configured = true;
    }
  }, 30_000);
});

describe('/trends in Discord', () => {
  const TOKEN = 'fake-bot-token';
  let fake: FakeDiscord;
  beforeAll(async () => {
    fake = await startFakeDiscord({ token: TOKEN });
  });
  afterAll(async () => {
    await fake.close();
  });

  it('is a registered command with query autocomplete, days and by', () => {
    const def = discordCommands().find((c) => c.name === 'trends')! as { options: { name: string; autocomplete?: boolean; max_value?: number }[] };
    expect(def.options.map((o) => o.name)).toEqual(['query', 'days', 'by']);
    expect(def.options[0]!.autocomplete).toBe(true);
    expect(def.options[1]!.max_value).toBe(90);
  });

  it('defers, then puts the answer in place with the PNG attached (multipart), described by the alt text', async () => {
    const source = fixedTrendsSource();
    const responses: unknown[] = [];
    const dispatch = createInteractionDispatcher({
      handleCommand: (cmd, ctx) => handleTrends(cmd, ctx, { vocabulary, trends: source }),
      autocomplete: async () => [],
      actions: { evidence: async () => ({ visibility: 'ephemeral', kind: 'ok', text: '', sections: [] }), muteStory: async () => ({ visibility: 'ephemeral', kind: 'ok', text: '', sections: [] }) },
      rest: createDiscordRest({ apiUrl: fake.apiUrl, token: TOKEN, retries: 0 }),
      applicationId: '1000000000000000009',
      log: silentLogger(),
      charts,
    });
    await dispatch(chatInputInteraction({ name: 'trends', options: { query: 'kazakhstan', days: 21 } }) as never, async (r) => {
      responses.push(r);
    });
    expect(responses).toEqual([{ type: 5, data: {} }]);
    expect(source.requests[0]!.days).toBe(21);
    const [edit] = fake.callsTo('PATCH /webhooks/:id/:token/messages/@original');
    expect(edit!.headers['content-type']).toMatch(/^multipart\/form-data/);
    expect(edit!.body.allowed_mentions).toEqual({ parse: [] });
    expect(JSON.stringify(edit!.body)).toContain('Trends: Kazakhstan, last 21 days');
    expect(edit!.body.attachments[0].filename).toBe('trends-color-revolution.png');
    expect(edit!.body.attachments[0].description).toMatch(/^Kazakhstan, last 21 days: \d+ articles/);
    expect(pngSize(edit!.files![0]!.bytes)).toEqual({ width: 960, height: 480 });
  }, 60_000);
});
