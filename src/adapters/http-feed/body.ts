// Reading a response body under a size cap, decompressing gzip/deflate/br as it streams, so that
// neither an endless body nor a compression bomb is ever held in memory past the cap.
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';

export class BodyTooLargeError extends Error {
  readonly code = 'ERR_BODY_TOO_LARGE';
  constructor(
    readonly limit: number,
    readonly decompressed: boolean,
  ) {
    super(`${decompressed ? 'decompressed ' : ''}body exceeds ${limit} bytes`);
    this.name = 'BodyTooLargeError';
  }
}

export class UnsupportedEncodingError extends Error {
  readonly code = 'ERR_CONTENT_ENCODING';
}

/** "deflate" is zlib-wrapped per RFC 9110, but some servers send raw deflate: look at the first bytes. */
class DeflateDecoder extends Transform {
  private inner: zlib.Inflate | zlib.InflateRaw | null = null;
  private check(chunk: Buffer): zlib.Inflate | zlib.InflateRaw {
    if (!this.inner) {
      const zlibWrapped = chunk.length >= 2 && (chunk[0]! & 0x0f) === 8 && ((chunk[0]! << 8) | chunk[1]!) % 31 === 0;
      const opts = { finishFlush: zlib.constants.Z_SYNC_FLUSH };
      this.inner = zlibWrapped ? zlib.createInflate(opts) : zlib.createInflateRaw(opts);
      this.inner.on('data', (d: Buffer) => this.push(d));
      this.inner.on('error', (e) => this.destroy(e));
    }
    return this.inner;
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.check(chunk).write(chunk, () => cb());
  }
  override _flush(cb: TransformCallback): void {
    if (!this.inner) return cb();
    this.inner.once('end', () => cb());
    this.inner.end();
  }
  override _destroy(err: Error | null, cb: (error: Error | null) => void): void {
    this.inner?.destroy();
    cb(err);
  }
}

function decoderFor(encoding: string): Transform | null {
  // Truncated streams are common (servers that cut the connection): keep what was inflated.
  const opts = { finishFlush: zlib.constants.Z_SYNC_FLUSH };
  switch (encoding) {
    case 'gzip':
    case 'x-gzip':
      return zlib.createGunzip(opts);
    case 'deflate':
      return new DeflateDecoder();
    case 'br':
      return zlib.createBrotliDecompress({ finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH });
    case 'identity':
    case '':
      return null;
    default:
      throw new UnsupportedEncodingError(`unsupported Content-Encoding: ${encoding}`);
  }
}

function counter(limit: number, decompressed: boolean): Transform {
  let n = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, cb) {
      n += chunk.length;
      if (n > limit) cb(new BodyTooLargeError(limit, decompressed));
      else cb(null, chunk);
    },
  });
}

/**
 * Reads `body` to the end. `contentEncoding` is the header value ("gzip", "br", "gzip, br" …).
 * Rejects with BodyTooLargeError once more than `maxBytes` arrive, counted both on the wire and
 * after decompression; every stream (and so the socket) is destroyed then.
 */
export async function readBody(body: Readable, contentEncoding: string | null | undefined, maxBytes: number): Promise<Buffer> {
  const encodings = (contentEncoding ?? '')
    .toLowerCase()
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s && s !== 'identity');
  let decoders: Transform[];
  try {
    // Codings are listed in the order applied: undo them last first.
    decoders = encodings.reverse().map(decoderFor).filter((d): d is Transform => d !== null);
  } catch (e) {
    body.destroy();
    throw e;
  }
  const chunks: Buffer[] = [];
  if (!decoders.length) return Buffer.concat(chunks, await collectPlain(body, maxBytes, chunks));
  const stages: (Readable | Transform)[] = [body, counter(maxBytes, false), ...decoders];
  if (decoders.length) stages.push(counter(maxBytes, true));
  const collect = async (source: AsyncIterable<Buffer>) => {
    for await (const chunk of source) chunks.push(chunk);
  };
  // pipeline's typings cannot express a variable number of transforms.
  await (pipeline as (...streams: unknown[]) => Promise<void>)(...stages, collect);
  return Buffer.concat(chunks);
}

/**
 * A body with no content coding (servers that do not compress, the bench's farm): its chunks read
 * straight from the stream, counted against the cap, with no pipeline, Transform or callback a
 * chunk (the pipeline's stream machinery was most of readBody's cost for a 76 KB document, issue
 * 16). Leaving the loop early (the cap, an error) destroys the body, as pipeline did: the async
 * iterator of a Readable destroys its stream on a throw, and `destroy()` is called again anyway.
 */
async function collectPlain(body: Readable, maxBytes: number, chunks: Buffer[]): Promise<number> {
  let n = 0;
  try {
    for await (const chunk of body as AsyncIterable<Buffer>) {
      n += chunk.length;
      if (n > maxBytes) throw new BodyTooLargeError(maxBytes, false);
      chunks.push(chunk);
    }
  } catch (e) {
    body.destroy();
    throw e;
  }
  return n;
}
