import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/adapters/log.js';
import { adminAuthorized } from '../../../src/adapters/http/server.js';

describe('logs', () => {
  it('redact tokens, secrets and authorization headers', () => {
    const out = new PassThrough();
    let text = '';
    out.on('data', (d) => (text += d));
    const log = createLogger({ level: 'info', pretty: false, destination: out });
    log.info({ config: { SLACK_BOT_TOKEN: 'xoxb-secret-1', ADMIN_TOKEN: 'admin-secret-2', HTTP_PORT: 8080 }, req: { headers: { authorization: 'Bearer secret-3' } }, token: 'secret-4' }, 'hello');
    expect(text).toContain('"msg":"hello"');
    expect(text).toContain('8080');
    for (const s of ['xoxb-secret-1', 'admin-secret-2', 'secret-3', 'secret-4']) expect(text).not.toContain(s);
    expect(text).toContain('[redacted]');
  });
});

describe('admin dashboard authorization', () => {
  const token = 'a-long-admin-token-123';
  it('takes the token as a Bearer token or as the Basic password', () => {
    expect(adminAuthorized(`Bearer ${token}`, token)).toBe(true);
    expect(adminAuthorized(`Basic ${Buffer.from(`admin:${token}`).toString('base64')}`, token)).toBe(true);
    expect(adminAuthorized(`Basic ${Buffer.from(`:${token}`).toString('base64')}`, token)).toBe(true);
  });
  it('refuses anything else', () => {
    expect(adminAuthorized(undefined, token)).toBe(false);
    expect(adminAuthorized('Bearer wrong', token)).toBe(false);
    expect(adminAuthorized(`Bearer ${token}x`, token)).toBe(false);
    expect(adminAuthorized(`Basic ${Buffer.from(`${token}:nope`).toString('base64')}`, token)).toBe(false);
    expect(adminAuthorized(token, token)).toBe(false);
  });
});
