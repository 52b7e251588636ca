// Requests as Slack sends them to our /slack/events endpoint: the v0 signature, slash-command and
// button-click bodies, and a signed POST (re-exported by fake-slack.ts).
import { createHmac } from 'node:crypto';

/** Slack's v0 signature of a request body at a timestamp (seconds). */
export function slackSignature(signingSecret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export interface SlashCommandFields {
  command: string;
  text?: string;
  userId?: string;
  userName?: string;
  channelId?: string;
  channelName?: string;
  teamId?: string;
  responseUrl?: string;
}

/** The form body of a slash command, as Slack posts it. */
export function slashCommandBody(f: SlashCommandFields): string {
  return new URLSearchParams({
    token: 'deprecated-verification-token',
    team_id: f.teamId ?? 'T0FAKE',
    team_domain: 'fake',
    channel_id: f.channelId ?? 'C0ALERTS',
    channel_name: f.channelName ?? 'alerts',
    user_id: f.userId ?? 'U0USER',
    user_name: f.userName ?? 'analyst',
    command: f.command.startsWith('/') ? f.command : `/${f.command}`,
    text: f.text ?? '',
    api_app_id: 'A0FAKE',
    is_enterprise_install: 'false',
    response_url: f.responseUrl ?? 'http://127.0.0.1:9/response/none',
    trigger_id: '1.2.3',
  }).toString();
}

export interface BlockActionFields {
  actionId: string;
  value?: string;
  userId?: string;
  channelId?: string;
  teamId?: string;
  responseUrl?: string;
  messageTs?: string;
}

/** The form body of a button click (`payload=<json>`), as Slack posts it. */
export function blockActionBody(f: BlockActionFields): string {
  const payload = {
    type: 'block_actions',
    team: { id: f.teamId ?? 'T0FAKE', domain: 'fake' },
    user: { id: f.userId ?? 'U0USER', username: 'analyst', team_id: f.teamId ?? 'T0FAKE' },
    api_app_id: 'A0FAKE',
    token: 'deprecated-verification-token',
    container: { type: 'message', message_ts: f.messageTs ?? '1700000000.000001', channel_id: f.channelId ?? 'C0ALERTS', is_ephemeral: false },
    trigger_id: '1.2.3',
    channel: { id: f.channelId ?? 'C0ALERTS', name: 'alerts' },
    message: { type: 'message', ts: f.messageTs ?? '1700000000.000001', text: 'alert' },
    response_url: f.responseUrl ?? 'http://127.0.0.1:9/response/none',
    actions: [{ type: 'button', action_id: f.actionId, block_id: 'b1', text: { type: 'plain_text', text: 'x' }, value: f.value, action_ts: '1700000001.000001' }],
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

export interface SendToSlackAppOptions {
  signingSecret: string;
  /** Request timestamp in seconds (default now). */
  timestamp?: number;
  /** Override the signature (e.g. a wrong one). */
  signature?: string;
  contentType?: string;
}

/** Posts a body to our /slack/events endpoint with Slack's signature headers. */
export async function sendToSlackApp(url: string, body: string, o: SendToSlackAppOptions): Promise<{ status: number; text: string; json: any }> {
  const timestamp = o.timestamp ?? Math.floor(Date.now() / 1000);
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': o.contentType ?? 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': o.signature ?? slackSignature(o.signingSecret, timestamp, body),
    },
    body,
  });
  const text = await res.text();
  let json: any;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, text, json };
}
