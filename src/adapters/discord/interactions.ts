// POST /discord/interactions: Discord's HTTP interactions endpoint, for deployments without a
// gateway connection. Requests are Ed25519-signed over `X-Signature-Timestamp + raw body` with the
// application's key (DISCORD_PUBLIC_KEY); unsigned, badly signed or stale requests get 401, which
// is also what Discord's own endpoint check expects. Verified requests go to the shared dispatcher.
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import express, { type Express, type Request, type Response } from 'express';
import type { APIInteraction, APIInteractionResponse } from 'discord.js';
import { createInteractionDispatcher, type InteractionDispatcher, type InteractionDispatcherOptions } from './dispatch.js';

/** DER prefix of an Ed25519 SubjectPublicKeyInfo; the 32 raw key bytes follow (RFC 8410). */
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** The application public key (64 hex characters, as the Developer Portal shows it) as a KeyObject. */
export function discordPublicKey(hex: string): KeyObject {
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) throw new Error('DISCORD_PUBLIC_KEY: expected 64 hex characters');
  return createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, Buffer.from(hex, 'hex')]), format: 'der', type: 'spki' });
}

export type SignatureCheck = 'ok' | 'missing' | 'malformed' | 'stale' | 'bad';

export interface VerifyInput {
  key: KeyObject;
  /** X-Signature-Ed25519: 128 hex characters. */
  signature: string | undefined;
  /** X-Signature-Timestamp: Unix seconds. */
  timestamp: string | undefined;
  body: Buffer;
  now: Date;
  /** Accepted clock difference either way, seconds (default 300: the contract's 5-minute window). */
  windowSeconds?: number;
}

/** Checks an interaction request's signature and freshness. Pure apart from the crypto. */
export function verifyInteraction(v: VerifyInput): SignatureCheck {
  if (!v.signature || !v.timestamp) return 'missing';
  if (!/^[0-9a-fA-F]{128}$/.test(v.signature) || !/^\d{1,12}$/.test(v.timestamp)) return 'malformed';
  const skew = Math.abs(v.now.getTime() / 1000 - Number(v.timestamp));
  if (skew > (v.windowSeconds ?? 300)) return 'stale';
  const message = Buffer.concat([Buffer.from(v.timestamp, 'utf8'), v.body]);
  return verify(null, message, v.key, Buffer.from(v.signature, 'hex')) ? 'ok' : 'bad';
}

export interface MountDiscordInteractionsOptions extends InteractionDispatcherOptions {
  /** The one express app of the process (src/adapters/http/server.ts); mount before `finishRoutes`. */
  app: Express;
  /** DISCORD_PUBLIC_KEY, 64 hex characters. */
  publicKey: string;
  /** Default `/discord/interactions`. */
  path?: string;
  /** A dispatcher to share with the gateway; built from the options when absent. */
  dispatcher?: InteractionDispatcher;
}

/**
 * Mounts `POST /discord/interactions`. The route reads its own raw body (express.raw), so it must
 * not sit behind a JSON body parser: the signature covers the exact bytes.
 * Returns the dispatcher, so the gateway path can share it.
 */
export function mountDiscordInteractions(o: MountDiscordInteractionsOptions): { dispatcher: InteractionDispatcher } {
  const key = discordPublicKey(o.publicKey);
  const clock = o.clock ?? (() => new Date());
  const dispatcher = o.dispatcher ?? createInteractionDispatcher(o);
  const { log } = o;

  const handler = (req: Request, res: Response) => {
    const body = req.body as unknown;
    if (!Buffer.isBuffer(body)) {
      log.error('discord: /discord/interactions got a parsed body; mount it before any JSON body parser');
      res.status(500).type('text/plain').send('raw body unavailable\n');
      return;
    }
    const check = verifyInteraction({
      key,
      signature: req.get('X-Signature-Ed25519'),
      timestamp: req.get('X-Signature-Timestamp'),
      body,
      now: clock(),
    });
    if (check !== 'ok') {
      log.debug({ check }, 'discord: interaction refused');
      res.status(401).type('text/plain').send(check === 'stale' ? 'stale request timestamp\n' : 'invalid request signature\n');
      return;
    }
    let interaction: APIInteraction;
    try {
      interaction = JSON.parse(body.toString('utf8')) as APIInteraction;
    } catch {
      res.status(400).type('text/plain').send('body is not JSON\n');
      return;
    }
    let answered = false;
    const respond = async (r: APIInteractionResponse) => {
      if (answered) throw new Error('discord: interaction answered twice');
      answered = true;
      res.status(200).json(r);
    };
    dispatcher(interaction, respond).catch((e: unknown) => {
      log.error({ err: e, interaction: interaction.id }, 'discord: interaction failed');
      if (!answered && !res.headersSent) res.status(500).type('text/plain').send('internal error\n');
    });
  };

  o.app.post(o.path ?? '/discord/interactions', express.raw({ type: () => true, limit: '1mb' }), handler);
  return { dispatcher };
}
