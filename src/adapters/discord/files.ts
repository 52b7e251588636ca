// Attachments on Discord messages: the files go as multipart parts `files[n]` (@discordjs/rest
// builds the form) and the JSON payload lists them in `attachments` with their description —
// the alt text Discord shows to screen readers.
import type { RawFile } from '@discordjs/rest';
import type { ReplyAttachment } from '../charts/attachments.js';

/** Discord's limit on an attachment's description. */
const DESCRIPTION_MAX = 1024;
/** Files per message. */
export const MAX_FILES = 10;

export interface WithFiles<T> {
  body: T & { attachments: { id: number; filename: string; description?: string }[] };
  files: RawFile[];
}

/** A message body and the RawFiles for rest.post/patch (at most MAX_FILES; the rest are dropped). */
export function withAttachments<T extends object>(body: T, attachments: readonly ReplyAttachment[]): WithFiles<T> {
  const list = attachments.slice(0, MAX_FILES);
  return {
    body: {
      ...body,
      attachments: list.map((a, id) => {
        const description = a.alt ?? a.title;
        return { id, filename: a.filename, ...(description ? { description: description.slice(0, DESCRIPTION_MAX) } : {}) };
      }),
    },
    files: list.map((a) => ({ name: a.filename, data: Buffer.from(a.data.buffer, a.data.byteOffset, a.data.byteLength), contentType: a.contentType })),
  };
}
