// Discord's typed options, flattened for the command grammar: `fromOptions(name, sub, options)`
// (src/commands/grammar.ts) turns them into a ParsedCommand (splitting list options on commas)
// or a usage Reply.
import { ApplicationCommandOptionType, type APIApplicationCommandInteractionDataOption } from 'discord.js';
import type { ParseResult } from '../../commands/grammar.js';
import type { CommandName } from '../../commands/types.js';
import { COMMAND_NAMES } from '../../commands/types.js';

/** The scalar options of a command (or of its subcommand), by name. */
export type OptionValues = Record<string, string | number | boolean>;

export interface FlatCommand {
  name: string;
  /** Subcommand (`/feeds add`), or `group sub` for a subcommand group. */
  sub?: string;
  options: OptionValues;
  /** Autocomplete: the option being typed. */
  focused?: { name: string; value: string };
}

/** The grammar's mapping of typed options (src/commands/grammar.ts `fromOptions`). */
export type FromOptions = (name: CommandName, sub: string | undefined, options: OptionValues) => ParseResult;

export function isCommandName(name: string): name is CommandName {
  return (COMMAND_NAMES as readonly string[]).includes(name);
}

/** Flattens the option tree of a chat-input or autocomplete interaction. */
export function flattenCommand(data: { name: string; options?: APIApplicationCommandInteractionDataOption[] }): FlatCommand {
  const out: FlatCommand = { name: data.name, options: {} };
  const walk = (opts: APIApplicationCommandInteractionDataOption[] | undefined, path: string[]) => {
    for (const opt of opts ?? []) {
      if (opt.type === ApplicationCommandOptionType.SubcommandGroup || opt.type === ApplicationCommandOptionType.Subcommand) {
        walk(opt.options, [...path, opt.name]);
        continue;
      }
      if (!('value' in opt)) continue;
      out.options[opt.name] = opt.value;
      if ('focused' in opt && opt.focused) out.focused = { name: opt.name, value: String(opt.value) };
    }
    if (path.length) out.sub = path.join(' ');
  };
  walk(data.options, []);
  return out;
}
