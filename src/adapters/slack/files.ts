// Files to Slack by the Web API's external upload flow (files.getUploadURLExternal → the bytes to
// the returned URL → files.completeUploadExternal with channel_id, thread_ts and each file's
// title), through @slack/web-api's filesUploadV2, which runs those three steps. Images carry
// their alt text (screen readers). Needs the `files:write` scope (slack/manifest.yaml).
import type { ReplyAttachment } from '../charts/attachments.js';
import { mapSlackError, type WebClient } from './client.js';

export interface UploadPlace {
  channel: string;
  /** Share into this message's thread; top level when absent. */
  threadTs?: string;
}

/**
 * Uploads and shares the attachments in one completion (one message in the channel or thread).
 * Errors are mapped like chat.postMessage's (RateLimitedError, DestinationUnavailableError …).
 */
export async function uploadAttachments(client: WebClient, place: UploadPlace, attachments: readonly ReplyAttachment[]): Promise<string[]> {
  if (attachments.length === 0) return [];
  try {
    const res = await client.filesUploadV2({
      channel_id: place.channel,
      ...(place.threadTs ? { thread_ts: place.threadTs } : {}),
      file_uploads: attachments.map((a) => ({
        file: Buffer.from(a.data.buffer, a.data.byteOffset, a.data.byteLength),
        filename: a.filename,
        title: a.title ?? a.filename,
        ...(a.alt ? { alt_text: a.alt.slice(0, 1000) } : {}),
      })),
    });
    const done = (res as { files?: { files?: { id?: string }[] }[] }).files ?? [];
    return done.flatMap((c) => (c.files ?? []).map((f) => f.id ?? '')).filter(Boolean);
  } catch (e) {
    throw mapSlackError(e, { platform: 'slack', channel: place.channel });
  }
}
