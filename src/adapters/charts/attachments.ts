// The files a reply posts beside its text: each chart section drawn as a PNG, and the reply's own
// files (an export's CSV). Shared by the Slack, Discord and console destinations, so each posts
// the same things under the same names.
import type { Reply } from '../../core/alert/values.js';
import type { ChartRenderer } from '../../ports/trends.js';

export interface ReplyAttachment {
  filename: string;
  contentType: string;
  data: Uint8Array;
  /** Title shown with the file. */
  title?: string;
  /** The text that stands for an image (screen readers; Slack alt_text, Discord description). */
  alt?: string;
}

/** Whether a reply has anything to post beside its text. */
export function hasAttachments(reply: Reply): boolean {
  return Boolean(reply.files?.length) || reply.sections.some((s) => s.type === 'chart');
}

/** `KZ|color-revolution` → `kz-color-revolution` (ASCII only, for file names). */
export function fileSlug(text: string, max = 48): string {
  const slug = text
    .normalize('NFKD')
    .replace(/[^\w-]+/g, '-')
    .replace(/_+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '')
    .toLowerCase()
    .slice(0, max)
    .replace(/-$/, '');
  return slug || 'chart';
}

/**
 * The attachments of a reply: charts first (in section order, `trends-<first series>.png`), then
 * the reply's files. A chart that cannot be drawn (no renderer, fonts missing) is left out and its
 * reason returned in `problems`: the alt text still stands in the message, so the reply is not lost.
 */
export async function replyAttachments(reply: Reply, charts: ChartRenderer | undefined): Promise<{ attachments: ReplyAttachment[]; problems: string[] }> {
  const attachments: ReplyAttachment[] = [];
  const problems: string[] = [];
  const names = new Set<string>();
  const unique = (base: string, ext: string) => {
    let name = `${base}.${ext}`;
    for (let n = 2; names.has(name); n += 1) name = `${base}-${n}.${ext}`;
    names.add(name);
    return name;
  };
  for (const sec of reply.sections) {
    if (sec.type !== 'chart') continue;
    if (!charts) {
      problems.push('no chart renderer configured');
      continue;
    }
    try {
      const data = await charts.png(sec.chart);
      const key = sec.chart.series[0]?.key ?? sec.chart.title;
      attachments.push({ filename: unique(`trends-${fileSlug(key)}`, 'png'), contentType: 'image/png', data, title: sec.chart.title, alt: sec.alt });
    } catch (e) {
      problems.push(e instanceof Error ? e.message : String(e));
    }
  }
  for (const f of reply.files ?? []) {
    // A name, never a path: it becomes a file under the console's directory.
    const name = f.filename.replace(/^.*[\\/]/, '').replace(/^\.+/, '') || 'file';
    const dot = name.lastIndexOf('.');
    const base = dot > 0 ? name.slice(0, dot) : name;
    const ext = dot > 0 ? name.slice(dot + 1) : 'bin';
    attachments.push({ filename: unique(base, ext), contentType: f.contentType, data: f.data, ...(f.title ? { title: f.title } : {}) });
  }
  return { attachments, problems };
}
