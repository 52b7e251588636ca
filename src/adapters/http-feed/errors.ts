// Network failures → the contract's error codes. Looks through `cause` chains: undici wraps
// socket errors (UND_ERR_SOCKET) around the system error that names the real failure.
import type { FetchErrorCode } from '../../ports/feed-fetcher.js';

export interface ClassifiedError {
  code: FetchErrorCode;
  message: string;
}

const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NODATA', 'EAI_FAIL', 'EAI_NONAME', 'ENODATA', 'ESERVFAIL', 'ENOTIMP', 'EREFUSED']);
const TLS_CODE = /^(ERR_TLS_|ERR_SSL_|ERR_OSSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|HOSTNAME_MISMATCH|ERR_CERT)/;

function chain(err: unknown): (Error & { code?: string })[] {
  const out: (Error & { code?: string })[] = [];
  let e: unknown = err;
  for (let i = 0; e && i < 6; i++) {
    if (e instanceof Error) out.push(e as Error & { code?: string });
    else break;
    e = (e as { cause?: unknown }).cause;
  }
  return out;
}

/** `timedOut`: our own total-timeout timer fired (the abort reason is then not the real cause). */
export function classifyNetworkError(err: unknown, ctx: { timedOut: boolean; totalTimeoutMs: number; connectTimeoutMs: number }): ClassifiedError {
  const errs = chain(err);
  const codes = errs.map((e) => e.code ?? '');
  const first = errs[0];
  const msg = (first?.message ?? String(err)).split('\n')[0]!;
  const has = (pred: (c: string) => boolean) => codes.some(pred);
  if (has((c) => c === 'ERR_SSRF_BLOCKED')) {
    const b = errs.find((e) => e.code === 'ERR_SSRF_BLOCKED')!;
    return { code: 'blocked_address', message: b.message };
  }
  if (ctx.timedOut) return { code: 'timeout', message: `no complete response within ${ctx.totalTimeoutMs / 1000}s` };
  if (has((c) => c === 'UND_ERR_CONNECT_TIMEOUT')) return { code: 'timeout', message: `connect timeout (${ctx.connectTimeoutMs / 1000}s)` };
  if (has((c) => c === 'UND_ERR_HEADERS_TIMEOUT')) return { code: 'timeout', message: 'timed out waiting for response headers' };
  if (has((c) => c === 'UND_ERR_BODY_TIMEOUT')) return { code: 'timeout', message: 'timed out reading the response body' };
  if (has((c) => c === 'ETIMEDOUT' || c === 'ESOCKETTIMEDOUT')) return { code: 'timeout', message: msg };
  if (has((c) => c === 'ECONNREFUSED')) return { code: 'connection_refused', message: msg };
  if (has((c) => DNS_CODES.has(c))) return { code: 'dns', message: msg };
  if (has((c) => TLS_CODE.test(c)) || errs.some((e) => /\b(SSL|TLS|certificate)\b/i.test(e.message))) {
    const tlsErr = errs.find((e) => TLS_CODE.test(e.code ?? '')) ?? first;
    return { code: 'tls', message: (tlsErr?.message ?? msg).split('\n')[0]! };
  }
  if (has((c) => c === 'ERR_BODY_TOO_LARGE')) return { code: 'too_large', message: msg };
  if (has((c) => c === 'ERR_CONTENT_ENCODING' || c === 'Z_DATA_ERROR' || c === 'Z_BUF_ERROR' || c.startsWith('ERR__ERROR_FORMAT') || c.startsWith('ERR_BROTLI'))) {
    return { code: 'parse_error', message: `cannot decompress the response: ${msg}` };
  }
  if (has((c) => c === 'UND_ERR_INVALID_ARG' || c === 'ERR_INVALID_URL')) return { code: 'bad_url', message: msg };
  const detail = errs.map((e) => e.code).filter(Boolean).join(' ← ');
  return { code: 'network', message: detail ? `${msg} (${detail})` : msg };
}
