import { describe, expect, it } from 'vitest';
import { discordPublicKey, verifyInteraction } from '../../../src/adapters/discord/interactions.js';
import { createInteractionSigner } from '../../helpers/fake-discord.js';

describe('verifyInteraction (Ed25519 over timestamp + raw body)', () => {
  const signer = createInteractionSigner();
  const key = discordPublicKey(signer.publicKeyHex);
  const body = '{"type":1}';
  const now = new Date('2024-05-01T12:00:00Z');
  const ts = Math.floor(now.getTime() / 1000);
  const check = (b: string, h: { 'X-Signature-Ed25519'?: string; 'X-Signature-Timestamp'?: string }, at = now) =>
    verifyInteraction({ key, signature: h['X-Signature-Ed25519'], timestamp: h['X-Signature-Timestamp'], body: Buffer.from(b), now: at });

  it('accepts what the key signed', () => {
    expect(check(body, signer.sign(body, ts))).toBe('ok');
  });

  it('refuses another body, another timestamp, another key', () => {
    const h = signer.sign(body, ts);
    expect(check('{"type":2}', h)).toBe('bad');
    expect(check(body, { ...h, 'X-Signature-Timestamp': String(ts + 1) })).toBe('bad');
    expect(check(body, createInteractionSigner().sign(body, ts))).toBe('bad');
  });

  it('refuses timestamps more than 5 minutes old or ahead', () => {
    expect(check(body, signer.sign(body, ts - 301))).toBe('stale');
    expect(check(body, signer.sign(body, ts + 301))).toBe('stale');
    expect(check(body, signer.sign(body, ts - 299))).toBe('ok');
  });

  it('refuses missing or malformed headers', () => {
    expect(check(body, {})).toBe('missing');
    expect(check(body, { 'X-Signature-Ed25519': 'zz', 'X-Signature-Timestamp': String(ts) })).toBe('malformed');
    expect(check(body, { 'X-Signature-Ed25519': signer.sign(body, ts)['X-Signature-Ed25519'], 'X-Signature-Timestamp': 'yesterday' })).toBe('malformed');
  });

  it('needs a 64-hex public key', () => {
    expect(() => discordPublicKey('abc')).toThrow(/64 hex/);
  });
});
