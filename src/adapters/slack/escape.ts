// Text safety for Slack. Everything that comes from a feed (titles, summaries, quotes, speakers,
// outlet names of /feeds add) and from people (command text echoed back) is hostile.
//
// Rules, applied by the renderers to every string they did not write themselves:
// 1. `plainText(s)` — for plain_text objects (header, summary, context) and the fallback `text`:
//    - drop control and bidi-override characters (they can reorder what a link appears to say)
//      and lone surrogates (Slack refuses payloads with them);
//    - escape `&`, `<`, `>` as `&amp;`, `&lt;`, `&gt;` (Slack's only control characters: without
//      `<` nothing can become `<!channel>`, `<!here>`, `<@U123>`, `<#C123>` or `<https://x|spoof>`);
//    - break bare `@here`, `@channel`, `@everyone` with a zero-width space, as defence in depth for
//      clients or options that would parse them (we also post with `link_names: false` and mark
//      mrkdwn objects `verbatim: true`).
// 2. `mrkdwn(s)` — for text inside mrkdwn objects (framing quotes, story titles in links, fields):
//    rule 1, plus formatting injection is neutralised: `*`, `_`, `~` and the backtick are replaced by
//    look-alikes (∗ ˍ ∼ ˋ), so a hostile title cannot open a code block that swallows the rest of the
//    message or bold/strike our own labels; a line that would start a block quote (`>`) gets a
//    zero-width space first. Look-alikes rather than zero-width tricks because Slack documents no
//    escape for mrkdwn formatting, and look-alikes are certain not to format.
// 3. `safeUrl(u)` — links only to http(s) URLs without credentials (`https://trusted@evil`), in the
//    WHATWG-normalised form with `<`, `>`, `|` percent-encoded; `mrkdwnLink` escapes `&` inside `<…>`.
// Lengths: Slack's limits count the escaped text, so `fit` clips the raw text until the escaped
// form fits, never cutting an entity or a surrogate pair in half.
import { clip } from '../../core/alert/format.js';

// C0/C1 controls except tab and newline; bidi embeddings, overrides and isolates.
const UNSAFE_CHARS = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const BROADCAST = /@(here|channel|everyone)\b/gi;
const ZWSP = '\u200B';

/** Removes characters no message should carry (controls, bidi overrides, lone surrogates). */
export function sanitize(s: string): string {
  return s.replace(UNSAFE_CHARS, '').replace(LONE_SURROGATE, '');
}

/** Escapes Slack's control characters and defuses broadcast words: safe for plain_text and mrkdwn alike. */
export function plainText(s: string): string {
  return sanitize(s)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(BROADCAST, `@${ZWSP}$1`);
}

const MRKDWN_LOOKALIKES: Record<string, string> = {
  '*': '\u2217', // ∗ asterisk operator
  _: '\u02CD', // ˍ modifier letter low macron
  '~': '\u223C', // ∼ tilde operator
  '`': '\u02CB', // ˋ modifier letter grave accent
};

/** `plainText` plus neutralised mrkdwn formatting: for hostile text placed inside a mrkdwn object. */
export function mrkdwn(s: string): string {
  return plainText(s)
    .replace(/[*_~`]/g, (c) => MRKDWN_LOOKALIKES[c] ?? c)
    .replace(/(^|\n)(&gt;)/g, `$1${ZWSP}$2`);
}

/** An http(s) URL without credentials, normalised and safe inside `<…|…>`; null otherwise. */
export function safeUrl(u: string | null | undefined): string | null {
  if (!u) return null;
  let url: URL;
  try {
    url = new URL(u.trim());
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (url.username || url.password) return null;
  return url.href.replace(/</g, '%3C').replace(/>/g, '%3E').replace(/\|/g, '%7C').replace(/[\s\u0000-\u001F]/g, '');
}

/** `<url|label>` with both parts escaped; the label alone (escaped) when the URL is not safe. */
export function mrkdwnLink(u: string | null | undefined, label: string): string {
  const safe = safeUrl(u);
  const text = mrkdwn(label);
  return safe ? `<${safe.replace(/&/g, '&amp;')}|${text}>` : text;
}

/**
 * Clips `raw` at a word boundary so that `esc(clipped)` is at most `max` characters (UTF-16 code
 * units, which never undercount Slack's characters). Never leaves half a surrogate pair.
 */
export function fit(raw: string, max: number, esc: (s: string) => string = plainText): string {
  const whole = esc(raw);
  if (whole.length <= max) return whole;
  let budget = max;
  for (let i = 0; i < 12 && budget > 1; i += 1) {
    const out = esc(clip(raw, budget));
    if (out.length <= max) return out;
    budget -= out.length - max + 1;
  }
  return '…';
}
