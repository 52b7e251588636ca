// The console destination (the default without Slack/Discord credentials): readable alerts on
// stdout and one JSON line per message in ./var/alerts.jsonl (the contract's alert record).
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, isAbsolute } from 'node:path';
import type { Alert, AlertRecord } from '../../core/alert/values.js';
import { alertToText, replyToText } from '../../core/alert/text.js';
import { destinationKey } from '../../core/types.js';
import type { MessageRef, Notifier } from '../../ports/notifier.js';
import type { ChartRenderer } from '../../ports/trends.js';
import { hasAttachments, replyAttachments } from '../charts/attachments.js';

export interface ConsoleNotifierOptions {
  /** Path of alerts.jsonl (./var/alerts.jsonl). */
  recordFile: string;
  out?: NodeJS.WritableStream;
  clock?: () => Date;
  /** Draws the chart sections of replies as PNGs; without it a chart shows as its alt text only. */
  charts?: ChartRenderer;
  /** Where a reply's charts and files are written (default: `files/` beside the record file, i.e. ./var/files). */
  filesDir?: string;
}

export function toAlertRecord(a: Alert, at: Date): AlertRecord {
  return {
    at: at.toISOString(),
    destination: destinationKey(a.destination),
    kind: a.kind,
    ...(a.merge ? { mergedId: a.merge.mergedId } : {}),
    storyId: a.storyId,
    articleId: a.articleId,
    headline: a.headline,
    outletId: a.outlet.id,
    outlet: a.outlet.name,
    affiliation: a.outlet.affiliation,
    countries: a.countries,
    framings: a.framings,
    summary: a.summary,
    // The contract (design.md, wave 2): `url` is the story page when PUBLIC_URL is set; the
    // article's own link is always `articleUrl` too, so a reader never loses it.
    url: a.storyUrl ?? a.url,
    articleUrl: a.url,
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
    /** The reply's text, then each chart (PNG) and file written under filesDir, its path printed beside the alt text. */
    async postReply(_destination, reply, opts) {
      if (opts?.record) appendFileSync(o.recordFile, `${JSON.stringify(opts.record)}\n`);
      write(`\n${replyToText(reply)}`);
      if (hasAttachments(reply)) {
        const { attachments, problems } = await replyAttachments(reply, o.charts);
        const dir = o.filesDir ?? join(dirname(o.recordFile), 'files');
        mkdirSync(dir, { recursive: true });
        // A time prefix keeps earlier files: the console is a record, not a view.
        const stamp = clock().toISOString().replace(/[:.]/g, '-');
        for (const a of attachments) {
          const path = join(dir, `${stamp}-${a.filename}`);
          writeFileSync(path, a.data);
          const shown = relative(process.cwd(), path);
          write(`${a.contentType.startsWith('image/') ? 'Chart' : 'File'}: ${shown && !shown.startsWith('..') && !isAbsolute(shown) ? shown : path}${a.alt ? ` — ${a.alt}` : a.title ? ` — ${a.title}` : ''}`);
        }
        for (const p of problems) write(`(chart not drawn: ${p})`);
      }
      n += 1;
      return { channel: 'console', messageId: String(n) };
    },
  };
}
