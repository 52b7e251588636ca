// `steppewatch story QUERY [--json]`: what /story QUERY answers, from the same store. With the
// embedded Redis it joins a running `start` (or starts the server and stops it when done).
import type { Config } from '../config.js';
import { createLogger } from '../adapters/log.js';
import { replyToText } from '../core/alert/text.js';
import type { Reply, StoryCard } from '../core/alert/values.js';
import { findStories } from '../commands/story.js';
import { parseQuery, QueryError } from '../core/query/index.js';
import { createContainer, type Container } from '../main/container.js';
import { currentVocabulary } from '../main/vocabulary.js';

/**
 * The query's syntax, checked before anything connects (pure): a query that cannot parse is
 * refused at once with its one line, and never reaches Redis (or waits for an unreachable one).
 * Names (countries, outlets) need the vocabulary and are checked after connecting.
 */
export function querySyntaxError(query: string): string | null {
  try {
    parseQuery(query);
    return null;
  } catch (e) {
    if (e instanceof QueryError) return e.message;
    throw e;
  }
}

export async function answerStory(c: Container, query: string): Promise<{ cards: StoryCard[]; reply: Reply }> {
  return findStories(query, { stories: c.stores.stories, vocabulary: await currentVocabulary(c) }, c.clock());
}

export async function runStoryCli(
  query: string,
  o: { json: boolean; config: Readonly<Config> },
  io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream },
): Promise<number> {
  const syntax = querySyntaxError(query);
  if (syntax) {
    io.stderr.write(`${syntax}\n`);
    return 64;
  }
  const log = createLogger({ level: o.config.LOG_LEVEL === 'info' ? 'warn' : o.config.LOG_LEVEL });
  const c = await createContainer({ config: o.config, log });
  try {
    const { cards, reply } = await answerStory(c, query);
    // A query that does not parse: its one-line error, exit 64 (bad usage); nothing was searched.
    if (reply.kind === 'usage') {
      io.stderr.write(`${reply.text}\n`);
      return 64;
    }
    io.stdout.write(o.json ? `${JSON.stringify(cards)}\n` : `${replyToText(reply)}\n`);
    return 0;
  } finally {
    await c.close();
  }
}
