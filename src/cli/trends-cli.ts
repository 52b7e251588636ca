// `steppewatch trends QUERY [--days N] [--json] [--png FILE]`: what /trends QUERY answers, from
// the same store. --json prints the contract's shape ({series: [{key, points: [{day, count}]}],
// spikes: [{key, at, count, baseline, z, stories}]}); --png FILE writes the chart /trends posts.
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Config } from '../config.js';
import { createLogger } from '../adapters/log.js';
import { replyToText } from '../core/alert/text.js';
import { trendsJson } from '../core/trends/series.js';
import { parseTrendsArgs, trendsChart, trendsReply } from '../commands/trends.js';
import { chartRenderer } from '../main/charts.js';
import { createContainer } from '../main/container.js';
import { containerTrendsSource } from '../main/trends.js';
import { currentVocabulary } from '../main/vocabulary.js';
import { querySyntaxError } from './story-cli.js';

export interface TrendsCliOptions {
  days?: string | undefined;
  by?: string | undefined;
  json: boolean;
  png?: string | undefined;
  config: Readonly<Config>;
}


export async function runTrendsCli(query: string, o: TrendsCliOptions, io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream }): Promise<number> {
  const syntax = querySyntaxError(query);
  if (syntax) {
    io.stderr.write(`${syntax}\n`);
    return 64;
  }
  const log = createLogger({ level: o.config.LOG_LEVEL === 'info' ? 'warn' : o.config.LOG_LEVEL });
  const c = await createContainer({ config: o.config, log });
  try {
    const options: Record<string, string[]> = {};
    if (o.days !== undefined) options.days = [o.days];
    if (o.by !== undefined) options.by = [o.by];
    const parsed = parseTrendsArgs({ options, bare: query ? [query] : [] }, await currentVocabulary(c));
    // A query that does not parse: its one-line error, exit 64 (bad usage); nothing was read.
    if (!parsed.ok) {
      io.stderr.write(`${parsed.reply.text}\n`);
      return 64;
    }
    const { query: resolved, subject, days, by, text } = parsed.args;
    const answer = await containerTrendsSource(c).trends({ query: resolved, days, by, now: c.clock() });
    if (o.png) {
      const png = await chartRenderer().png(trendsChart(answer, { subject, days, by, query: text }));
      const path = resolve(o.png);
      writeFileSync(path, png);
      // stdout stays the answer (JSON or text); where the picture went is a note.
      io.stderr.write(`Chart: ${path}\n`);
    }
    io.stdout.write(o.json ? `${JSON.stringify(trendsJson(answer))}\n` : `${replyToText(trendsReply(answer, { subject, days, by, query: text }))}\n`);
    return 0;
  } finally {
    await c.close();
  }
}
