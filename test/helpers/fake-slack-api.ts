// The Web API methods of the fake Slack (fake-slack.ts), over one workspace's state: its
// messages, files, users and channels. `handle` answers a method as Slack would, or with Slack's
// error code; the HTTP server, the recorded calls, failures and Socket Mode stay in fake-slack.ts.
import { parse as parseQuery } from 'node:querystring';
import type { FakeSlackChannel, FakeSlackFile, FakeSlackMessage, FakeSlackOptions, FakeSlackUser } from './fake-slack-types.js';

const JSON_FIELDS = new Set(['blocks', 'attachments', 'metadata', 'unfurls', 'files']);

/** A Web API request body: JSON, or form fields (JSON-valued fields such as `blocks` decoded). */
export function parseBody(raw: string, contentType: string | undefined): Record<string, any> {
  if (!raw) return {};
  if (contentType?.includes('application/json')) {
    try {
      return JSON.parse(raw) as Record<string, any>;
    } catch {
      return { _raw: raw };
    }
  }
  const out: Record<string, any> = {};
  for (const [k, v] of Object.entries(parseQuery(raw))) {
    const value = Array.isArray(v) ? v[0] : v;
    if (typeof value === 'string' && JSON_FIELDS.has(k)) {
      try {
        out[k] = JSON.parse(value);
        continue;
      } catch {
        /* keep the raw string */
      }
    }
    out[k] = value;
  }
  return out;
}

/** One workspace of the fake: its state, and the Web API methods over it. */
export function createSlackWorkspace(options: FakeSlackOptions) {
  const teamId = options.teamId ?? 'T0FAKE';
  const botUserId = options.botUserId ?? 'U0BOT';
  const botId = options.botId ?? 'B0BOT';
  const messages: FakeSlackMessage[] = [];
  const files: FakeSlackFile[] = [];
  let fileCounter = 0;
  const users = new Map<string, FakeSlackUser>();
  const channels = new Map<string, FakeSlackChannel>();
  let tsCounter = 0;
  let socketCounter = 0;
  /** The server's origin (set once it listens): upload and Socket Mode URLs are on it. */
  let origin = '';

  const nextTs = () => {
    tsCounter += 1;
    return `${Math.floor(Date.now() / 1000)}.${String(tsCounter).padStart(6, '0')}`;
  };
  const userOf = (id: string): FakeSlackUser => users.get(id) ?? { id, name: `user-${id.toLowerCase()}`, is_admin: false, is_owner: false, is_primary_owner: false };
  const channelOf = (id: string): FakeSlackChannel => channels.get(id) ?? { id, name: `channel-${id.toLowerCase()}`, isMember: true, archived: false, exists: true };

  function handle(method: string, body: Record<string, any>, token: string | undefined): { status: number; headers?: Record<string, string>; json: unknown } {
    const ok = (x: Record<string, unknown> = {}) => ({ status: 200, json: { ok: true, ...x } });
    const err = (error: string) => ({ status: 200, json: { ok: false, error } });
    if (method === 'apps.connections.open') {
      if (!token) return err('not_authed');
      if (options.appToken !== undefined && token !== options.appToken) return err('invalid_auth');
      socketCounter += 1;
      return ok({ url: `${origin.replace('http:', 'ws:')}/socket/${socketCounter}` });
    }
    if (options.token !== undefined) {
      if (!token) return err('not_authed');
      if (token !== options.token) return err('invalid_auth');
    }
    switch (method) {
      case 'auth.test':
        return ok({ url: 'https://fake.slack.test/', team: 'Fake', user: 'steppewatch', team_id: teamId, user_id: botUserId, bot_id: botId });
      case 'chat.postMessage': {
        const channel = String(body.channel ?? '');
        if (!channel) return err('channel_not_found');
        if (!body.text && !body.blocks) return err('no_text');
        const c = channelOf(channel);
        if (!c.exists) return err('channel_not_found');
        if (c.archived) return err('is_archived');
        if (!c.isMember) return err('not_in_channel');
        const ts = nextTs();
        const msg: FakeSlackMessage = { channel, ts, text: String(body.text ?? ''), blocks: body.blocks, edits: [] };
        if (body.thread_ts) msg.thread_ts = String(body.thread_ts);
        if (body.metadata && typeof body.metadata === 'object' && typeof body.metadata.event_type === 'string') msg.metadata = body.metadata;
        messages.push(msg);
        return ok({ channel, ts, message: { type: 'message', text: msg.text, ts, bot_id: botId, ...(msg.thread_ts ? { thread_ts: msg.thread_ts } : {}) } });
      }
      case 'chat.update': {
        const channel = String(body.channel ?? '');
        if (!channelOf(channel).exists) return err('channel_not_found');
        const msg = messages.find((m) => m.channel === channel && m.ts === String(body.ts));
        if (!msg) return err('message_not_found');
        msg.edits.push({ text: String(body.text ?? ''), blocks: body.blocks });
        msg.text = String(body.text ?? msg.text);
        if (body.blocks !== undefined) msg.blocks = body.blocks;
        return ok({ channel, ts: msg.ts, text: msg.text });
      }
      case 'conversations.info': {
        const c = channelOf(String(body.channel ?? ''));
        if (!c.exists || !c.id) return err('channel_not_found');
        return ok({ channel: { id: c.id, name: c.name, is_channel: true, is_member: c.isMember, is_archived: c.archived } });
      }
      case 'conversations.history':
      case 'conversations.replies': {
        const channel = String(body.channel ?? '');
        const c = channelOf(channel);
        if (!channel || !c.exists) return err('channel_not_found');
        if (!c.isMember) return err('not_in_channel');
        const withMetadata = body.include_all_metadata === true || body.include_all_metadata === 'true' || body.include_all_metadata === '1';
        const after = body.oldest !== undefined ? Number(body.oldest) : -Infinity;
        const inclusive = body.inclusive === true || body.inclusive === 'true' || body.inclusive === '1';
        const inRange = (m: FakeSlackMessage) => (inclusive ? Number(m.ts) >= after : Number(m.ts) > after);
        let list: FakeSlackMessage[];
        if (method === 'conversations.history') {
          // Top-level messages, newest first; thread replies are not in the channel's history.
          list = messages.filter((m) => m.channel === channel && (!m.thread_ts || m.thread_ts === m.ts) && inRange(m)).reverse();
        } else {
          const ts = String(body.ts ?? '');
          const parent = messages.find((m) => m.channel === channel && m.ts === ts);
          if (!parent) return err('thread_not_found');
          // The parent first, then its replies oldest first (the parent is returned whatever `oldest` says).
          list = [parent, ...messages.filter((m) => m.channel === channel && m.thread_ts === ts && m.ts !== ts && inRange(m))];
        }
        const limit = Math.max(1, Math.min(Number(body.limit ?? 100) || 100, 1000));
        const start = body.cursor ? Number(String(body.cursor).replace(/^off:/, '')) || 0 : 0;
        const page = list.slice(start, start + limit);
        const more = start + limit < list.length;
        return ok({
          messages: page.map((m) => {
            const replies = messages.filter((r) => r.channel === channel && r.thread_ts === m.ts && r.ts !== m.ts).length;
            return {
              type: 'message',
              ts: m.ts,
              text: m.text,
              bot_id: botId,
              ...(m.thread_ts ? { thread_ts: m.thread_ts } : replies ? { thread_ts: m.ts, reply_count: replies } : {}),
              ...(withMetadata && m.metadata ? { metadata: m.metadata } : {}),
            };
          }),
          has_more: more,
          response_metadata: { next_cursor: more ? `off:${start + limit}` : '' },
        });
      }
      case 'files.getUploadURLExternal': {
        const filename = String(body.filename ?? '');
        const length = Number(body.length);
        if (!filename) return err('invalid_arguments');
        if (!Number.isInteger(length) || length <= 0) return err('invalid_arguments');
        fileCounter += 1;
        const id = `F0FAKE${String(fileCounter).padStart(4, '0')}`;
        const alt = body.alt_txt ?? body.alt_text;
        files.push({ id, filename, length, ...(typeof alt === 'string' ? { altText: alt } : {}) });
        return ok({ upload_url: `${origin}/upload/${id}`, file_id: id });
      }
      case 'files.completeUploadExternal': {
        const list = Array.isArray(body.files) ? (body.files as { id?: string; title?: string }[]) : null;
        if (!list || list.length === 0) return err('invalid_arguments');
        const found = list.map((f) => files.find((x) => x.id === f.id));
        // Slack: a file whose bytes never arrived (or differ from the announced length) cannot be completed.
        if (found.some((f) => !f || !f.bytes || f.bytes.length !== f.length)) return err('file_not_found');
        const channel = body.channel_id !== undefined ? String(body.channel_id) : undefined;
        let shareTs: string | undefined;
        if (channel) {
          const c = channelOf(channel);
          if (!c.exists) return err('channel_not_found');
          if (c.archived) return err('is_archived');
          if (!c.isMember) return err('not_in_channel');
          shareTs = nextTs();
          const msg: FakeSlackMessage = { channel, ts: shareTs, text: String(body.initial_comment ?? ''), edits: [], files: found.map((f) => f!.id) };
          if (body.thread_ts) msg.thread_ts = String(body.thread_ts);
          messages.push(msg);
        }
        found.forEach((f, i) => {
          f!.title = list[i]!.title ?? f!.filename;
          if (channel) Object.assign(f!, { channel, shareTs, ...(body.thread_ts ? { threadTs: String(body.thread_ts) } : {}) });
        });
        return ok({ files: found.map((f) => ({ id: f!.id, title: f!.title, name: f!.filename })) });
      }
      case 'users.info': {
        const id = String(body.user ?? '');
        if (!id) return err('user_not_found');
        const u = userOf(id);
        return ok({ user: { ...u, team_id: teamId, is_bot: false, deleted: false } });
      }
      default:
        return err('unknown_method');
    }
  }

  return {
    messages,
    files,
    users,
    channels,
    userOf,
    channelOf,
    handle,
    setOrigin(o: string) {
      origin = o;
    },
  };
}
