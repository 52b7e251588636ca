// Text widths for echarts' layout on the server. Without a canvas echarts guesses widths from a
// table of a narrower font and counts every other character as 1 em, so legends overlapped and
// Cyrillic labels were spaced too wide. This estimates DejaVu Sans' advance widths by character
// class (within ~5% on Latin and Cyrillic words) and 1 em for CJK. Hand-written because reading
// the real metrics would need a font-parsing dependency for a layout estimate.

const NARROW = new Set([...'ijlI.,:;\'!|ʻʼ’‘()[]{}`"/\\-']);
const WIDE = new Set([...'mwMWЖжШшЩщЮюМмЫы@%']);

/** Width of one character in em. */
export function charEm(ch: string): number {
  const c = ch.codePointAt(0) ?? 0;
  if (ch === ' ') return 0.32;
  if (NARROW.has(ch)) return 0.33;
  if (WIDE.has(ch)) return 0.9;
  // CJK, Hangul, full-width forms: square.
  if ((c >= 0x2e80 && c <= 0x9fff) || (c >= 0xac00 && c <= 0xd7af) || (c >= 0xf900 && c <= 0xfaff) || (c >= 0xff00 && c <= 0xffef)) return 1;
  if (c >= 0x30 && c <= 0x39) return 0.64;
  if ((c >= 0x41 && c <= 0x5a) || (c >= 0x410 && c <= 0x42f)) return 0.72;
  return 0.62;
}

/** echarts' platform measureText: `font` is a CSS font shorthand ("bold 17px 'DejaVu Sans', …"). */
export function measureText(text: string, font?: string): { width: number } {
  const px = font ? /(\d+(?:\.\d+)?)px/.exec(font) : null;
  const size = px ? Number(px[1]) : 12;
  const bold = font ? /\bbold\b|\b[6-9]00\b/.test(font) : false;
  let em = 0;
  for (const ch of text ?? '') em += charEm(ch);
  return { width: em * size * (bold ? 1.08 : 1) };
}
