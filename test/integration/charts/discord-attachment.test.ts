// Replies with charts and files to Discord: the real @discordjs/rest sends one multipart message
// (payload_json + files[n]) to the fake Discord on loopback.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createChartRenderer } from '../../../src/adapters/charts/index.js';
import { createDiscordNotifier } from '../../../src/adapters/discord/notifier.js';
import { createDiscordRest } from '../../../src/adapters/discord/rest.js';
import { silentLogger } from '../../../src/adapters/log.js';
import type { Reply } from '../../../src/core/alert/values.js';
import type { Notifier } from '../../../src/ports/notifier.js';
import { startFakeDiscord, type FakeDiscord } from '../../helpers/fake-discord.js';
import { pngSize, sampleChart } from '../../helpers/charts.js';

const TOKEN = 'fake-bot-token';
const CHANNEL = '1000000000000000077';
const POST_MESSAGE = 'POST /channels/:id/messages';
const ALT = 'Kazakhstan · color-revolution: 36 articles in the last 3 days against a usual 1 a day.';
const charts = createChartRenderer();

let fake: FakeDiscord;
let notifier: Notifier;

function chartReply(): Reply {
  return {
    visibility: 'in_channel',
    kind: 'ok',
    text: 'Trends: Kazakhstan, last 30 days',
    sections: [
      { type: 'heading', text: 'Trends: Kazakhstan, last 30 days' },
      { type: 'chart', chart: sampleChart(), alt: ALT },
    ],
  };
}

beforeEach(async () => {
  fake = await startFakeDiscord({ token: TOKEN });
  notifier = createDiscordNotifier({ rest: createDiscordRest({ apiUrl: fake.apiUrl, token: TOKEN, retries: 0 }), log: silentLogger(), charts });
});
afterEach(async () => {
  await fake.close();
});

describe('Discord: a reply with a chart', () => {
  it('posts one message with the PNG attached, described by the alt text, which the message shows too', async () => {
    const ref = await notifier.postReply({ platform: 'discord', channel: CHANNEL }, chartReply());
    const calls = fake.callsTo(POST_MESSAGE);
    expect(calls).toHaveLength(1);
    const call = calls[0]!;
    expect(call.headers['content-type']).toMatch(/^multipart\/form-data/);
    expect(call.headers.authorization).toBe(`Bot ${TOKEN}`);
    expect(call.body.allowed_mentions).toEqual({ parse: [] });
    expect(JSON.stringify(call.body)).toContain('36 articles in the last 3 days');
    expect(call.body.attachments).toEqual([{ id: 0, filename: 'trends-kz-color-revolution.png', description: ALT }]);
    const [file] = fake.attachments.get(ref.messageId)!;
    expect(file!.field).toBe('files[0]');
    expect(file!.contentType).toBe('image/png');
    expect(pngSize(file!.bytes)).toEqual({ width: 960, height: 480 });
  });

  it('keeps exactly-once: the multipart post carries the nonce, and a retry gets the same message back', async () => {
    const dest = { platform: 'discord' as const, channel: CHANNEL };
    const a = await notifier.postReply(dest, chartReply(), { key: 'spike:KZ|color-revolution:2026-12-05' });
    const b = await notifier.postReply(dest, chartReply(), { key: 'spike:KZ|color-revolution:2026-12-05' });
    expect(b.messageId).toBe(a.messageId);
    expect(fake.callsTo(POST_MESSAGE)[0]!.body.enforce_nonce).toBe(true);
    expect([...fake.messages.values()].filter((m) => m.channel_id === CHANNEL)).toHaveLength(1);
  });

  it('attaches a reply’s CSV file', async () => {
    const csv = new TextEncoder().encode('articleId,headline\na1,"Қазақстан, 颜色革命"\n');
    const ref = await notifier.postReply(
      { platform: 'discord', channel: CHANNEL },
      { visibility: 'in_channel', kind: 'ok', text: 'Export: 1 article', sections: [{ type: 'paragraph', text: 'Export: 1 article' }], files: [{ filename: 'export.csv', contentType: 'text/csv; charset=utf-8', data: csv }] },
    );
    const [file] = fake.attachments.get(ref.messageId)!;
    expect(file!.filename).toBe('export.csv');
    expect(file!.bytes.toString('utf8')).toBe('articleId,headline\na1,"Қазақстан, 颜色革命"\n');
  });

  it('a reply without charts or files stays a JSON post', async () => {
    await notifier.postReply({ platform: 'discord', channel: CHANNEL }, { visibility: 'in_channel', kind: 'ok', text: 'hello', sections: [{ type: 'paragraph', text: 'hello' }] });
    expect(fake.callsTo(POST_MESSAGE)[0]!.headers['content-type']).toMatch(/^application\/json/);
  });
});
