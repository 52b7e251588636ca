// Platform-neutral slash commands: parsed arguments in, a Reply value out. Slack parses the
// command text (`name:value` pairs), Discord reads typed options; both produce a ParsedCommand.
import type { Reply } from '../core/alert/values.js';
import type { Destination } from '../core/types.js';

export const COMMAND_NAMES = ['story', 'subscribe', 'unsubscribe', 'subscriptions', 'mute', 'unmute', 'feeds', 'framing', 'export', 'trends', 'steppewatch'] as const;
export type CommandName = (typeof COMMAND_NAMES)[number];

export interface ParsedCommand {
  name: CommandName;
  /** `/feeds add|remove|list|check|pause|resume`, `/steppewatch help`. */
  sub?: string;
  /** Named options; values comma-split where the grammar allows lists. */
  options: Record<string, string[]>;
  /** Bare words (the main option). */
  bare: string[];
}

export interface CommandContext {
  destination: Destination;
  user: { id: string; name?: string; isAdmin: boolean };
  now: Date;
}

export type CommandHandler = (cmd: ParsedCommand, ctx: CommandContext) => Promise<Reply>;
