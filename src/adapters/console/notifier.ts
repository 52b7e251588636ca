// The console destination (the default without Slack/Discord credentials): readable alerts on
// stdout and one JSON line per message in ./var/alerts.jsonl (the contract's alert record).
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Alert, AlertRecord } from '../../core/alert/values.js';
import { alertToText, replyToText } from '../../core/alert/text.js';
import { destinationKey } from '../../core/types.js';
import type { MessageRef, Notifier } from '../../ports/notifier.js';

export interface ConsoleNotifierOptions {
  /** Path of alerts.jsonl (./var/alerts.jsonl). */
  recordFile: string;
  out?: NodeJS.WritableStream;
  clock?: () => Date;
}

export function toAlertRecord(a: Alert, at: Date): AlertRecord {
  return {
    at: at.toISOString(),
    destination: destinationKey(a.destination),
    kind: a.kind,
    storyId: a.storyId,
    articleId: a.articleId,
    headline: a.headline,
    outletId: a.outlet.id,
    outlet: a.outlet.name,
    affiliation: a.outlet.affiliation,
    countries: a.countries,
    framings: a.framings,
    summary: a.summary,
    url: a.url,
    published: a.published,
    ...(a.storyUrl ? { storyUrl: a.storyUrl } : {}),
  };
}

export function createConsoleNotifier(o: ConsoleNotifierOptions): Notifier {
  const out = o.out ?? process.stdout;
  const clock = o.clock ?? (() => new Date());
  mkdirSync(dirname(o.recordFile), { recursive: true });
  let n = 0;
  const write = (s: string) => out.write(`${s}\n`);
  return {
    platform: 'console',
    async postAlert(alert, thread) {
      // One appendFileSync per alert: the line is complete before the post counts as made.
      appendFileSync(o.recordFile, `${JSON.stringify(toAlertRecord(alert, clock()))}\n`);
      write(alert.kind === 'alert' ? `\n${'─'.repeat(72)}\n${alertToText(alert)}` : alertToText(alert));
      n += 1;
      const ref: MessageRef = { channel: 'console', messageId: String(n) };
      return alert.kind === 'alert' ? { ...ref, threadId: ref.messageId } : { ...ref, threadId: thread?.threadId ?? thread?.messageId ?? ref.messageId };
    },
    async postReply(_destination, reply) {
      write(`\n${replyToText(reply)}`);
      n += 1;
      return { channel: 'console', messageId: String(n) };
    },
  };
}
