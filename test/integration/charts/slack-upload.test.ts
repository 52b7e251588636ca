// Replies with charts and files to Slack: the real @slack/web-api runs the external upload flow
// (files.getUploadURLExternal → bytes to the upload URL → files.completeUploadExternal) against
// the fake Slack on loopback.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createChartRenderer } from '../../../src/adapters/charts/index.js';
import { createSlackWebClient } from '../../../src/adapters/slack/client.js';
import { createSlackNotifier } from '../../../src/adapters/slack/notifier.js';
import { silentLogger } from '../../../src/adapters/log.js';
import type { Reply } from '../../../src/core/alert/values.js';
import type { FindPosted, Notifier } from '../../../src/ports/notifier.js';
import { startFakeSlack, type FakeSlack } from '../../helpers/fake-slack.js';
import { pngSize, sampleChart } from '../../helpers/charts.js';

const TOKEN = 'xoxb-charts';
const charts = createChartRenderer();
let slack: FakeSlack;
let notifier: Notifier;

const ALT = 'Kazakhstan · color-revolution: 36 articles in the last 3 days against a usual 1 a day.';
function chartReply(extra: Partial<Reply> = {}): Reply {
  return {
    visibility: 'in_channel',
    kind: 'ok',
    text: 'Trends: Kazakhstan, last 30 days',
    sections: [
      { type: 'heading', text: 'Trends: Kazakhstan, last 30 days' },
      { type: 'chart', chart: sampleChart(), alt: ALT },
    ],
    ...extra,
  };
}

beforeAll(async () => {
  slack = await startFakeSlack({ token: TOKEN });
  notifier = createSlackNotifier({ client: createSlackWebClient({ botToken: TOKEN, apiUrl: slack.url, log: silentLogger() }), log: silentLogger(), charts });
});
afterAll(async () => {
  await slack.close();
});
beforeEach(() => slack.reset());

describe('Slack: a reply with a chart', () => {
  it('posts the text (alt text included) and uploads the PNG into its thread with the alt text', async () => {
    const ref = await notifier.postReply({ platform: 'slack', channel: 'C0TRENDS' }, chartReply(), { key: 'spike:KZ|color-revolution:2026-12-05' });
    const posts = slack.callsTo('chat.postMessage');
    expect(posts).toHaveLength(1);
    expect(JSON.stringify(posts[0]!.body.blocks)).toContain('36 articles in the last 3 days');
    // The flow, in order, with the bot token.
    const flow = slack.calls.map((c) => c.method).filter((m) => m.startsWith('files.') || m === 'upload');
    expect(flow).toEqual(['files.getUploadURLExternal', 'upload', 'files.completeUploadExternal']);
    expect(slack.callsTo('files.getUploadURLExternal')[0]!.token).toBe(TOKEN);
    const complete = slack.callsTo('files.completeUploadExternal')[0]!;
    expect(complete.body.channel_id).toBe('C0TRENDS');
    expect(complete.body.thread_ts).toBe(ref.messageId);
    const [file] = slack.files;
    expect(file!.filename).toBe('trends-kz-color-revolution.png');
    expect(file!.altText).toBe(ALT);
    expect(file!.title).toBe(sampleChart().title);
    expect(file!.threadTs).toBe(ref.messageId);
    expect(pngSize(file!.bytes!)).toEqual({ width: 960, height: 480 });
    expect(file!.bytes!.length).toBe(file!.length);
  });

  it('keeps exactly-once: the message carries the key, and a retry finds it (no second message or upload)', async () => {
    const dest = { platform: 'slack' as const, channel: 'C0TRENDS' };
    const since = Date.now();
    const ref = await notifier.postReply(dest, chartReply(), { key: 'notice:job-7' });
    const q: FindPosted = { destination: dest, key: 'notice:job-7', thread: null, since };
    expect(await notifier.findPosted!(q)).toEqual(ref);
    // The file share is a thread reply: not in the channel's history, never taken for the post.
    expect(slack.messages.filter((m) => m.files)).toHaveLength(1);
    expect(slack.callsTo('chat.postMessage')).toHaveLength(1);
    expect(slack.callsTo('files.completeUploadExternal')).toHaveLength(1);
  });

  it('posts the message even when the upload fails, and does not throw (a retry would double it)', async () => {
    slack.failNext('files.completeUploadExternal', 'internal_error');
    const ref = await notifier.postReply({ platform: 'slack', channel: 'C0TRENDS' }, chartReply());
    expect(ref.messageId).toBeTruthy();
    expect(slack.callsTo('chat.postMessage')).toHaveLength(1);
    expect(slack.messages.filter((m) => m.files)).toHaveLength(0);
  });

  it('uploads a reply’s CSV file the same way', async () => {
    const csv = new TextEncoder().encode('articleId,headline\na1,"Қазақстан, 颜色革命"\n');
    await notifier.postReply(
      { platform: 'slack', channel: 'C0EXPORT' },
      { visibility: 'in_channel', kind: 'ok', text: 'Export: 1 article', sections: [{ type: 'paragraph', text: 'Export: 1 article' }], files: [{ filename: 'export.csv', contentType: 'text/csv; charset=utf-8', data: csv, title: 'steppewatch export' }] },
    );
    const [file] = slack.files;
    expect(file!.filename).toBe('export.csv');
    expect(file!.title).toBe('steppewatch export');
    expect(file!.bytes!.toString('utf8')).toBe('articleId,headline\na1,"Қазақстан, 颜色革命"\n');
  });

  it('without a renderer, posts the alt text and no image', async () => {
    const plain = createSlackNotifier({ client: createSlackWebClient({ botToken: TOKEN, apiUrl: slack.url, log: silentLogger() }), log: silentLogger() });
    await plain.postReply({ platform: 'slack', channel: 'C0TRENDS' }, chartReply());
    expect(JSON.stringify(slack.callsTo('chat.postMessage')[0]!.body.blocks)).toContain('36 articles');
    expect(slack.files).toHaveLength(0);
  });
});
