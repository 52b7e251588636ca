// The platform-neutral command handler the Slack and Discord adapters call: a ParsedCommand
// (from parseCommandText or fromOptions) and its context in, a Reply out. It never throws: an
// unexpected error becomes an ephemeral "something went wrong (ref …)" reply, and the error goes
// to deps.onError with the same ref, for the log.
import { randomBytes } from 'node:crypto';
import type { Reply } from '../core/alert/values.js';
import type { CommandDeps } from './deps.js';
import { handleExport } from './export.js';
import { handleFeeds } from './feeds.js';
import { handleFraming } from './framing.js';
import { validateCommand } from './grammar.js';
import { helpReply } from './help.js';
import { handleMute, handleUnmute } from './mute.js';
import { errorReply } from './replies.js';
import { handleStory } from './story.js';
import { handleTrends } from './trends.js';
import { handleSubscribe, handleSubscriptions, handleUnsubscribe } from './subscribe.js';
import type { CommandContext, CommandHandler, ParsedCommand } from './types.js';

export type { CommandDeps } from './deps.js';
export { parseCommandText, fromOptions, COMMAND_SPECS } from './grammar.js';
export { findStories, storyToCard, storyAnswer } from './story.js';
export { buildVocabulary, type QueryVocabulary } from './vocabulary.js';
export { vocabularyFromData } from './vocabulary-from-data.js';

/** The reply when something failed on our side; `ref` ties it to the log line. */
export function internalErrorReply(ref: string): Reply {
  return errorReply(`Something went wrong on our side (ref ${ref}). Please try again in a minute; if it keeps failing, give the ref to whoever runs steppewatch.`);
}

async function dispatch(cmd: ParsedCommand, ctx: CommandContext, deps: CommandDeps): Promise<Reply> {
  switch (cmd.name) {
    case 'story':
      return handleStory(cmd, ctx, deps);
    case 'subscribe':
      return handleSubscribe(cmd, ctx, deps);
    case 'unsubscribe':
      return handleUnsubscribe(cmd, ctx, deps);
    case 'subscriptions':
      return handleSubscriptions(cmd, ctx, deps);
    case 'mute':
      return handleMute(cmd, ctx, deps);
    case 'unmute':
      return handleUnmute(cmd, ctx, deps);
    case 'feeds':
      return handleFeeds(cmd, ctx, deps);
    case 'framing':
      return handleFraming(cmd, ctx, deps);
    case 'export':
      if (!deps.articles) return errorReply('/export is not available here (this process has no article store).');
      return handleExport(cmd, ctx, { articles: deps.articles, stories: deps.stories, vocabulary: deps.vocabulary });
    case 'trends':
      return handleTrends(cmd, ctx, deps);
    case 'steppewatch':
      return helpReply();
  }
}

export function createCommandHandler(deps: CommandDeps): CommandHandler {
  return async (cmd, ctx) => {
    try {
      // Commands built by hand (tests, other adapters) get the same checks as parsed ones.
      const checked = validateCommand(cmd);
      if (!checked.ok) return checked.reply;
      return await dispatch(checked.cmd, ctx, deps);
    } catch (error) {
      const ref = randomBytes(4).toString('hex');
      try {
        deps.onError?.(error, { ref, cmd, ctx });
      } catch {
        // A failing logger must not turn the apology into an exception.
      }
      return internalErrorReply(ref);
    }
  };
}
