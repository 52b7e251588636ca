// Feed text is hostile input. Everything a feed (or a person) wrote passes through here before it
// reaches a Discord message:
//  - Markdown is escaped, so a headline cannot bold, hide (spoilers), mask links, quote, head or
//    list, or break the layout: every inline markdown character gets a backslash, and so do `#`,
//    `>`, `-`, `+` and `1.` at the start of a line. Bare http(s) URLs are left as they are, so they
//    still link. (discord.js's `escapeMarkdown` takes time quadratic in the length of the text —
//    about 0.5 s for 17 000 characters — which hostile input must not be able to buy; a backslash
//    before punctuation renders as the punctuation, so escaping more than needed shows nothing.)
//  - `@everyone`, `@here` and `<@…>`, `<@&…>`, `<#…>`, `</…>` mention syntax get a zero-width joiner
//    after the `@`/`<`, so they do not even *look* like a mention. (Pings are already impossible:
//    every payload sets `allowed_mentions: {parse: []}`; this is the visual half.)
// Plain-text places (embed author, footer, thread names, button labels) get only the mention
// treatment, since Discord does not render markdown there and backslashes would show.

/** U+200D ZERO WIDTH JOINER: invisible, but breaks `@everyone` and `<@123>` parsing. */
export const ZWJ = '\u200D';

/** Control characters other than tab and newline (they can garble or hide text). */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\u202A-\u202E\u2066-\u2069]/g;

/** Breaks `@everyone`, `@here` and mention/channel/command syntax visually. */
export function neutraliseMentions(s: string): string {
  return s
    .replace(/@(everyone|here)/gi, `@${ZWJ}$1`)
    .replace(/<([@#/])/g, `<${ZWJ}$1`);
}

/** Plain text for places Discord renders without markdown (author, footer, labels, names). */
export function plainText(s: string): string {
  return neutraliseMentions(s.replace(/\r\n?/g, '\n').replace(CONTROL, ''));
}

/** Bare links, kept unescaped (trailing punctuation is not part of the link, as Discord sees it). */
const URL_RE = /https?:\/\/[^\s<>]*[^\s<>.,:;"'’”)\]!?*_~|`\\]/g;
/** `[` alone is enough to stop a masked link `[text](url)`. */
const INLINE = /[\\*_~`|[]/g;

function escapeInline(s: string): string {
  let out = '';
  let last = 0;
  for (const m of s.matchAll(URL_RE)) {
    out += s.slice(last, m.index).replace(INLINE, '\\$&') + m[0];
    last = m.index + m[0].length;
  }
  return out + s.slice(last).replace(INLINE, '\\$&');
}

/** Text for places Discord renders as markdown (content, titles, descriptions, field names and values). Linear time. */
export function safeText(s: string): string {
  const escaped = escapeInline(s.replace(/\r\n?/g, '\n').replace(CONTROL, ''))
    // Block-level markdown at the start of a line: headings, subtext, quotes, lists.
    .replace(/^([ \t]*)([#>+-])/gm, '$1\\$2')
    .replace(/^([ \t]*)(\d+)\./gm, '$1$2\\.');
  return neutraliseMentions(escaped);
}

/** One line: newlines and runs of white space become single spaces (titles, thread names). */
export function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

/**
 * An http(s) URL safe to put in an embed `url`, a link button or a masked link, or null.
 * Parentheses are percent-encoded so the URL cannot close a `[text](url)` early.
 */
export function safeUrl(u: string | null | undefined, max = 2048): string | null {
  if (!u) return null;
  let parsed: URL;
  try {
    parsed = new URL(u.trim());
  } catch {
    return null;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return null;
  if (parsed.username || parsed.password) return null;
  const href = parsed.href.replace(/\(/g, '%28').replace(/\)/g, '%29');
  return href.length <= max ? href : null;
}
