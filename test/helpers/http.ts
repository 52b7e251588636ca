// Small pieces the loopback fakes (Slack, Discord) share.
import type { IncomingMessage } from 'node:http';

/** The whole request body as UTF-8 text. */
export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** The whole request body as bytes (uploads, multipart). */
export function readBodyBytes(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** A multipart/form-data body's parts (undici's parser, as a server would use). */
export async function parseMultipart(bytes: Buffer, contentType: string): Promise<{ name: string; filename?: string; contentType?: string; text?: string; bytes?: Buffer }[]> {
  const form = await new Response(new Uint8Array(bytes), { headers: { 'content-type': contentType } }).formData();
  const out: { name: string; filename?: string; contentType?: string; text?: string; bytes?: Buffer }[] = [];
  for (const [name, value] of form.entries()) {
    if (typeof value === 'string') out.push({ name, text: value });
    else out.push({ name, filename: value.name, contentType: value.type, bytes: Buffer.from(await value.arrayBuffer()) });
  }
  return out;
}
