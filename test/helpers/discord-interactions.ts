// Interaction payloads as Discord sends them (slash commands, autocomplete, buttons, ping), signed
// like Discord (Ed25519), and Discord's ids (snowflakes); re-exported by fake-discord.ts.
import { generateKeyPairSync, randomBytes, sign as edSign, type KeyObject } from 'node:crypto';

let snowflake = 1_200_000_000_000_000_000n;
export function nextSnowflake(): string {
  snowflake += 1n + BigInt(Math.floor(Math.random() * 1000));
  return snowflake.toString();
}

export interface InteractionBase {
  applicationId?: string;
  channelId?: string;
  guildId?: string;
  userId?: string;
  /** The member's permissions in the channel, as Discord sends them (a decimal bitfield). Default none. */
  permissions?: bigint | string;
}

function base(type: number, o: InteractionBase) {
  const userId = o.userId ?? nextSnowflake();
  return {
    id: nextSnowflake(),
    application_id: o.applicationId ?? nextSnowflake(),
    type,
    token: `tok_${randomBytes(12).toString('hex')}`,
    version: 1,
    guild_id: o.guildId ?? '1000000000000000001',
    channel_id: o.channelId ?? '1000000000000000002',
    channel: { id: o.channelId ?? '1000000000000000002', type: 0 },
    member: {
      user: { id: userId, username: 'analyst', discriminator: '0', global_name: 'Analyst', avatar: null },
      roles: [],
      permissions: String(o.permissions ?? 0n),
      joined_at: '2024-01-01T00:00:00.000Z',
      deaf: false,
      mute: false,
      flags: 0,
    },
    app_permissions: '0',
    locale: 'en-US',
    guild_locale: 'en-US',
    entitlements: [],
    authorizing_integration_owners: { '0': '1000000000000000001' },
    context: 0,
  };
}

function typedOptions(options: Record<string, string | number | boolean>, focused?: string) {
  return Object.entries(options).map(([name, value]) => ({
    name,
    type: typeof value === 'boolean' ? 5 : typeof value === 'number' ? (Number.isInteger(value) ? 4 : 10) : 3,
    value,
    ...(focused === name ? { focused: true } : {}),
  }));
}

export interface ChatInputSpec extends InteractionBase {
  name: string;
  sub?: string;
  options?: Record<string, string | number | boolean>;
}

/** An APPLICATION_COMMAND interaction (type 2) of a chat-input command, as Discord sends it. */
export function chatInputInteraction(o: ChatInputSpec) {
  const opts = typedOptions(o.options ?? {});
  return {
    ...base(2, o),
    data: {
      id: nextSnowflake(),
      name: o.name,
      type: 1,
      options: o.sub ? [{ name: o.sub, type: 1, options: opts }] : opts,
    },
  };
}

/** An APPLICATION_COMMAND_AUTOCOMPLETE interaction (type 4) with `option` focused. */
export function autocompleteInteraction(o: InteractionBase & { name: string; option: string; value: string }) {
  return { ...base(4, o), data: { id: nextSnowflake(), name: o.name, type: 1, options: typedOptions({ [o.option]: o.value }, o.option) } };
}

/** A MESSAGE_COMPONENT interaction (type 3): a button with `customId` clicked on a message. */
export function buttonInteraction(o: InteractionBase & { customId: string }) {
  const b = base(3, o);
  return { ...b, data: { custom_id: o.customId, component_type: 2 }, message: { id: nextSnowflake(), channel_id: b.channel_id, content: '', embeds: [] } };
}

export function pingInteraction(o: { applicationId?: string } = {}) {
  return { id: nextSnowflake(), application_id: o.applicationId ?? nextSnowflake(), type: 1, token: `tok_${randomBytes(12).toString('hex')}`, version: 1 };
}

export interface InteractionSigner {
  /** DISCORD_PUBLIC_KEY: the raw 32-byte Ed25519 public key as 64 hex characters. */
  publicKeyHex: string;
  privateKey: KeyObject;
  /** The headers Discord would send with `body` (timestamp: Unix seconds, default now). */
  sign(body: string, timestamp?: number): { 'X-Signature-Ed25519': string; 'X-Signature-Timestamp': string };
}

/** A fresh Ed25519 key pair standing in for an application's, and Discord's request signing. */
export function createInteractionSigner(): InteractionSigner {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const spki = publicKey.export({ format: 'der', type: 'spki' });
  const publicKeyHex = spki.subarray(spki.length - 32).toString('hex');
  return {
    publicKeyHex,
    privateKey,
    sign(body, timestamp = Math.floor(Date.now() / 1000)) {
      const ts = String(timestamp);
      const sig = edSign(null, Buffer.concat([Buffer.from(ts), Buffer.from(body)]), privateKey).toString('hex');
      return { 'X-Signature-Ed25519': sig, 'X-Signature-Timestamp': ts };
    },
  };
}
