// HTML building for the web view. Hand-written rather than a template engine: the pages are a
// few small, fixed layouts, and one escaping function used by every builder is easier to audit
// than an engine's auto-escaping rules. Every string from a feed is hostile: it goes through
// `text()` (escaped, and wrapped in <bdi> so a right-to-left override cannot reorder the page
// around it) or `href()` (only http/https URLs become links).

/** A fragment of markup known to be safe (built here from escaped parts). */
export interface Html {
  readonly __html: string;
}

export const raw = (s: string): Html => ({ __html: s });

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for an element's content or a quoted attribute value. */
export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ESC[c]!);
}

/** Hostile text as content: escaped and direction-isolated. */
export function text(s: string): Html {
  return raw(`<bdi>${esc(s)}</bdi>`);
}

/** Tagged template: interpolated strings are escaped, Html fragments and arrays of them are kept. */
export function html(strings: TemplateStringsArray, ...values: (string | number | Html | Html[] | null | undefined | false)[]): Html {
  let out = strings[0]!;
  values.forEach((v, i) => {
    out += render(v) + strings[i + 1]!;
  });
  return raw(out);
}

function render(v: string | number | Html | Html[] | null | undefined | false): string {
  if (v === null || v === undefined || v === false) return '';
  if (Array.isArray(v)) return v.map((x) => x.__html).join('');
  if (typeof v === 'object') return v.__html;
  return esc(String(v));
}

/** An external link's target: only absolute http(s) URLs; anything else (javascript:, data:) gives null. */
export function safeHref(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const u = new URL(url.trim());
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null;
  } catch {
    return null;
  }
}

/** An outlet's article: a link when the URL is safe, else the text alone. */
export function externalLink(url: string | null | undefined, label: string): Html {
  const h = safeHref(url);
  return h ? html`<a href="${h}" rel="noopener noreferrer nofollow" target="_blank">${text(label)}</a>` : text(label);
}

export interface LayoutOptions {
  title: string;
  /** Links to the other pages (already carrying their tokens). */
  nav: { href: string; label: string; current?: boolean }[];
  body: Html;
  cssHref: string;
}

/** The page around every view: no script, one stylesheet (CSP: style-src 'self'), a skip link. */
export function layout(o: LayoutOptions): string {
  const nav = o.nav.map((n) => html`<li><a href="${n.href}"${n.current ? raw(' aria-current="page"') : ''}>${n.label}</a></li>`);
  const head = html`<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="referrer" content="no-referrer">
<title>${o.title} · steppewatch</title><link rel="stylesheet" href="${o.cssHref}"></head>`;
  const top = html`<a class="skip" href="#main">Skip to content</a><header class="top"><span class="brand">steppewatch</span><nav aria-label="Pages"><ul>${nav}</ul></nav></header>`;
  return `<!doctype html>\n${html`<html lang="en">${head}<body>${top}<main id="main">${o.body}</main><footer><p>steppewatch · read-only view · times in UTC</p></footer></body></html>`.__html}\n`;
}
