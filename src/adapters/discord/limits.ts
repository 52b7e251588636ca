// Discord's message limits, and a schema of the messages we send (checked in tests; the renderers
// are written to stay inside it). https://discord.com/developers/docs/resources/message#embed-object-embed-limits
import type { APIActionRowComponent, APIButtonComponent, APIEmbed } from 'discord.js';
import { z } from 'zod';

export const LIMITS = {
  content: 2000,
  embeds: 10,
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  author: 256,
  /** Sum of title, description, field names and values, footer text and author name over all embeds. */
  totalEmbedChars: 6000,
  customId: 100,
  buttonLabel: 80,
  buttonUrl: 512,
  threadName: 100,
  choices: 25,
  choiceName: 100,
  choiceValue: 100,
} as const;

/** Every message steppewatch sends: mentions are always off. */
export interface DiscordMessage {
  content?: string;
  embeds?: APIEmbed[];
  components?: APIActionRowComponent<APIButtonComponent>[];
  allowed_mentions: { parse: [] };
}

/** Nothing in a message may ping anyone: no @everyone/@here, roles, users or replied-to author. */
export const NO_MENTIONS = Object.freeze({ parse: [] as [] }) as { parse: [] };

/** The characters of one embed that count towards the 6000 limit. */
export function embedChars(e: APIEmbed): number {
  let n = (e.title?.length ?? 0) + (e.description?.length ?? 0) + (e.footer?.text.length ?? 0) + (e.author?.name.length ?? 0);
  for (const f of e.fields ?? []) n += f.name.length + f.value.length;
  return n;
}

export function totalEmbedChars(embeds: APIEmbed[] | undefined): number {
  return (embeds ?? []).reduce((n, e) => n + embedChars(e), 0);
}

const text = (max: number) => z.string().min(1).max(max);

const embedSchema = z.object({
  title: text(LIMITS.title).optional(),
  description: text(LIMITS.description).optional(),
  url: z.url({ protocol: /^https?$/ }).optional(),
  color: z.number().int().min(0).max(0xffffff).optional(),
  author: z.object({ name: text(LIMITS.author) }).loose().optional(),
  footer: z.object({ text: text(LIMITS.footer) }).loose().optional(),
  fields: z
    .array(z.object({ name: text(LIMITS.fieldName), value: text(LIMITS.fieldValue), inline: z.boolean().optional() }))
    .max(LIMITS.fields)
    .optional(),
}).loose();

const buttonSchema = z.union([
  z.object({ type: z.literal(2), style: z.literal(5), label: text(LIMITS.buttonLabel), url: z.url({ protocol: /^https?$/ }).max(LIMITS.buttonUrl) }),
  z.object({ type: z.literal(2), style: z.number().int().min(1).max(4), label: text(LIMITS.buttonLabel), custom_id: text(LIMITS.customId) }),
]);

/** A message payload within Discord's limits, with mentions off. */
export const discordMessageSchema = z
  .object({
    content: z.string().max(LIMITS.content).optional(),
    embeds: z.array(embedSchema).max(LIMITS.embeds).optional(),
    components: z.array(z.object({ type: z.literal(1), components: z.array(buttonSchema).min(1).max(5) })).max(5).optional(),
    allowed_mentions: z.object({ parse: z.array(z.string()).length(0) }),
  })
  .refine((m) => Boolean(m.content) || (m.embeds?.length ?? 0) > 0, 'a message needs content or an embed')
  .refine((m) => totalEmbedChars(m.embeds as APIEmbed[] | undefined) <= LIMITS.totalEmbedChars, `embeds exceed ${LIMITS.totalEmbedChars} characters in total`);
