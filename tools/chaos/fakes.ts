// The fake Slack and Discord of the tests (test/helpers), started for the chaos run, with their
// fault switches (429 storms, 500 bursts) and what was posted, read back as one list of posts.
import { startFakeSlack, type FakeSlack } from '../../test/helpers/fake-slack.js';
import { rateLimited, startFakeDiscord, type FakeDiscord } from '../../test/helpers/fake-discord.js';

export const SLACK_CHANNEL = 'C0CHAOS';
export const DISCORD_CHANNEL = '1300000000000000001';

/** One message as the platform holds it. `parent`: the top-level message it is a reply to, if any. */
export interface Post {
  destination: string;
  id: string;
  parent: string | null;
  /** The article URL the message links ("Open article"), or null (a notice). */
  url: string | null;
  /** Order of acceptance across both fakes. */
  seq: number;
  /** When the platform accepted it, ms since the epoch. */
  at: number;
}

export type PlatformFault = 'none' | '429' | '500';

export interface Fakes {
  slack: FakeSlack;
  discord: FakeDiscord;
  env: Record<string, string>;
  /** Switches a platform's fault mode for posts (chat.postMessage / channel messages). */
  setFault(platform: 'slack' | 'discord', fault: PlatformFault): void;
  counts: { slack429: number; discord429: number; http500: number };
  posts(): Post[];
  close(): Promise<void>;
}

export async function startFakes(o: { farmBase: string }): Promise<Fakes> {
  const slack = await startFakeSlack({ token: 'xoxb-chaos' });
  const discord = await startFakeDiscord({ token: 'chaos-discord-token' });
  const counts = { slack429: 0, discord429: 0, http500: 0 };
  // Acceptance order: a counter bumped as each post is stored (read from the fakes' arrays).
  const urlRe = new RegExp(`"(${o.farmBase.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/a/[^"]+\\.html)"`);
  const urlOf = (x: unknown) => urlRe.exec(JSON.stringify(x ?? null))?.[1] ?? null;

  return {
    slack,
    discord,
    env: {
      SLACK_BOT_TOKEN: 'xoxb-chaos',
      SLACK_SIGNING_SECRET: 'chaos-signing-secret',
      SLACK_API_URL: slack.url,
      SLACK_DEFAULT_CHANNEL: SLACK_CHANNEL,
      DISCORD_TOKEN: 'chaos-discord-token',
      DISCORD_APPLICATION_ID: discord.applicationId,
      DISCORD_PUBLIC_KEY: 'a'.repeat(64),
      DISCORD_API_URL: discord.apiUrl,
      DISCORD_DEFAULT_CHANNEL: DISCORD_CHANNEL,
      DISCORD_GATEWAY: 'false',
    },
    setFault(platform, fault) {
      if (platform === 'slack') {
        slack.setFault(
          fault === 'none'
            ? null
            : (method) => {
                if (method !== 'chat.postMessage') return undefined;
                if (fault === '429') {
                  counts.slack429 += 1;
                  return { status: 429, retryAfter: 1 };
                }
                counts.http500 += 1;
                return { status: 500, error: 'internal_error' };
              },
        );
      } else {
        discord.setFault(
          fault === 'none'
            ? null
            : (route) => {
                if (route !== 'POST /channels/:id/messages') return undefined;
                if (fault === '429') {
                  counts.discord429 += 1;
                  return rateLimited({ retryAfter: 1 });
                }
                counts.http500 += 1;
                return { status: 500, body: { message: '500: Internal Server Error', code: 0 } };
              },
        );
      }
    },
    counts,
    posts() {
      const out: Post[] = [];
      let seq = 0;
      const slackAt = new Map(slack.callsTo('chat.postMessage').map((c) => [String((c.response as { ts?: string }).ts), c.at]));
      for (const m of slack.messages) {
        out.push({ destination: `slack:${m.channel}`, id: m.ts, parent: m.thread_ts ?? null, url: urlOf(m.blocks ?? m.text), seq: seq++, at: slackAt.get(m.ts) ?? 0 });
      }
      const discordAt = new Map(discord.callsTo('POST /channels/:id/messages').filter((c) => c.status === 200).map((c, i) => [i, c.at]));
      let di = 0;
      // Discord: a message in a thread has the thread's id as its channel, and a thread's id is
      // the id of the message it was started from (the story's first message).
      for (const m of discord.messages.values()) {
        const inThread = discord.threads.get(m.channel_id);
        const channel = inThread ? inThread.parent_id : m.channel_id;
        // Messages are stored in the order their (successful) POSTs were answered.
        out.push({ destination: `discord:${channel}`, id: m.id, parent: inThread ? inThread.id : null, url: urlOf({ e: m.embeds, c: m.components, t: m.content }), seq: seq++, at: discordAt.get(di++) ?? 0 });
      }
      return out;
    },
    async close() {
      await Promise.all([slack.close(), discord.close()]);
    },
  };
}
