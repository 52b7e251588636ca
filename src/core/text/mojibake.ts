// Repair of the common mojibake: UTF-8 bytes decoded as cp1252, Latin-1, Latin-2 or cp1251
// ("coup d’Ă©tat" → "coup d’état", "Ð¡" / "РџСЂРё" → Cyrillic). Only runs that form a complete,
// valid UTF-8 sequence in one of those codecs are replaced, so intact text is left alone.
// iconv-lite supplies the codec tables (pure computation, no I/O).
import iconv from 'iconv-lite';

interface Codec {
  name: string;
  /** char → byte for bytes 0x80..0xFF */
  toByte: Map<string, number>;
}

// cp1252 and cp1250 leave five bytes undefined; decoders pass them through as C1 controls
// (U+0081 …), so those are mapped back to their byte too.
const CODECS: Codec[] = ['windows-1252', 'windows-1250', 'iso-8859-2', 'iso-8859-1', 'windows-1251'].map((name) => {
  const toByte = new Map<string, number>();
  for (let b = 0x80; b <= 0xff; b++) {
    const ch = iconv.decode(Buffer.from([b]), name);
    if (ch.length === 1 && ch !== '\ufffd' && !toByte.has(ch)) toByte.set(ch, b);
    const c1 = String.fromCharCode(b);
    if (b < 0xa0 && !toByte.has(c1)) toByte.set(c1, b);
  }
  return { name, toByte };
});

function classChars(lo: number, hi: number, codecs: Codec[]): string {
  const set = new Set<string>();
  for (const c of codecs) for (const [ch, b] of c.toByte) if (b >= lo && b <= hi) set.add(ch);
  return [...set].map((ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`).join('');
}

const LATIN = CODECS.slice(0, 4);
const CP1251 = CODECS.slice(4);
// A lead byte (0xC2..0xF4) followed by 1..3 continuation bytes (0x80..0xBF).
const LATIN_RUN = new RegExp(`[${classChars(0xc2, 0xf4, LATIN)}][${classChars(0x80, 0xbf, LATIN)}]{1,3}`, 'g');
// cp1251 mojibake of Cyrillic is "Р"/"С" + a continuation char; a single pair can be a real
// word ("Сё"), so at least two pairs in a row are required.
const CYR_RUN = new RegExp(`(?:[${classChars(0xd0, 0xd3, CP1251)}][${classChars(0x80, 0xbf, CP1251)}]){2,}`, 'g');

function seqLen(lead: number): number {
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 0;
}

function tryDecode(run: string, codecs: Codec[]): string | null {
  for (const codec of codecs) {
    const bytes: number[] = [];
    let ok = true;
    for (const ch of run) {
      const b = codec.toByte.get(ch);
      if (b === undefined) {
        ok = false;
        break;
      }
      bytes.push(b);
    }
    if (!ok) continue;
    // Must be a whole number of complete sequences.
    let i = 0;
    while (i < bytes.length) {
      const n = seqLen(bytes[i]!);
      if (n === 0 || i + n > bytes.length) {
        ok = false;
        break;
      }
      for (let k = 1; k < n; k++) if ((bytes[i + k]! & 0xc0) !== 0x80) ok = false;
      i += n;
    }
    if (!ok) continue;
    const out = Buffer.from(bytes).toString('utf8');
    if (out.includes('\ufffd') || /[\u0000-\u001f\u007f-\u009f]/.test(out)) continue;
    return out;
  }
  return null;
}

// Either kind of run, for one quick pass over intact text (almost all text).
const ANY_RUN = new RegExp(`${LATIN_RUN.source}|${CYR_RUN.source}`);

/** Text with UTF-8-as-legacy-codepage runs decoded; unchanged when there are none. */
export function repairMojibake(text: string): string {
  if (!ANY_RUN.test(text) && !text.includes('â€')) return text;
  let out = text;
  LATIN_RUN.lastIndex = 0;
  if (LATIN_RUN.test(out)) {
    LATIN_RUN.lastIndex = 0;
    out = out.replace(LATIN_RUN, (run) => {
      // A run can hold a longer candidate than the sequence; try the exact prefix lengths.
      for (let n = run.length; n >= 2; n--) {
        const fixed = tryDecode(run.slice(0, n), LATIN);
        if (fixed !== null) return fixed + run.slice(n);
      }
      return run;
    });
  }
  // "â€" + a byte the decoder dropped (0x9D, the closing quote ”) before a space or punctuation.
  if (out.includes('â€')) out = out.replace(/â€(?=[\s.,;:!?)\]]|$)/g, '”');
  CYR_RUN.lastIndex = 0;
  if (CYR_RUN.test(out)) {
    CYR_RUN.lastIndex = 0;
    out = out.replace(CYR_RUN, (run) => tryDecode(run, CP1251) ?? run);
  }
  return out;
}
