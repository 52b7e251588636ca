// Lenient parsing of the dates feeds carry. Feeds are written by hand, by CMSs in every
// language and by broken templates, so this reads far more than RFC 822 and ISO 8601:
// missing seconds, named zones, two-digit years, day-first and Chinese dates, and month names in
// English, Russian, Portuguese, German, French, Spanish, Italian, Dutch, Turkish, Kazakh and Uzbek.
// Date.parse is not used: it is implementation-defined outside ISO 8601 and reads
// "Seg, 24 Set 2018" or "26 апреля 2022" as NaN or, worse, as a wrong date.

const MONTH_WORDS: Record<string, number> = {};
function months(list: string): void {
  list.split(';').forEach((group, i) => {
    for (const w of group.split(',')) MONTH_WORDS[w.trim()] = i + 1;
  });
}
// One `;`-separated group per month, January first. Accents are kept and also added without.
months('jan,january;feb,february;mar,march;apr,april;may;jun,june;jul,july;aug,august;sep,sept,september;oct,october;nov,november;dec,december');
months('янв,январь,января;фев,февр,февраль,февраля;мар,март,марта;апр,апрель,апреля;май,мая;июн,июнь,июня;июл,июль,июля;авг,август,августа;сен,сент,сентябрь,сентября;окт,октябрь,октября;ноя,нояб,ноябрь,ноября;дек,декабрь,декабря');
months('janeiro;fev,fevereiro;março,marco;abr,abril;mai,maio;junho;julho;ago,agosto;set,setembro;out,outubro;novembro;dez,dezembro');
months('januar,jän,jänner;februar;mär,mrz,märz;april;mai;juni;juli;august;september;okt,oktober;november;dez,dezember');
months('janv,janvier;févr,fevr,février,fevrier;mars;avr,avril;mai;juin;juil,juillet;août,aout;septembre;octobre;novembre;déc,décembre,decembre');
months('ene,enero;febrero;marzo;abril;mayo;junio;julio;agosto;setiembre,septiembre;octubre;noviembre;dic,diciembre');
months('gen,gennaio;febbraio;marzo;aprile;mag,maggio;giu,giugno;lug,luglio;agosto;settembre;ott,ottobre;novembre;dicembre');
months('januari;februari;maart,mrt;april;mei;juni;juli;augustus;september;oktober;november;december');
months('ocak;şubat,subat;mart;nisan;mayıs,mayis;haziran;temmuz;ağustos,agustos;eylül,eylul;ekim;kasım,kasim;aralık,aralik');
months('қаңтар,қаңтардың;ақпан;наурыз;сәуір;мамыр;маусым;шілде;тамыз;қыркүйек;қазан;қараша;желтоқсан');
months('yanvar;fevral;mart;aprel;may;iyun;iyul;avgust;sentabr,sentyabr;oktabr,oktyabr;noyabr;dekabr');

/** Named zones, minutes east of UTC. Ambiguous abbreviations take their most common reading in feeds. */
const ZONES: Record<string, number> = {
  z: 0, ut: 0, utc: 0, gmt: 0, wet: 0, west: 60, bst: 60, cet: 60, cest: 120, met: 60, mest: 120,
  eet: 120, eest: 180, msk: 180, msd: 240, samt: 240, yekt: 300, pkt: 300, uzt: 300, tjt: 300,
  tmt: 300, almt: 300, aqtt: 300, kgt: 360, omst: 360, novt: 420, krat: 420, ict: 420, wib: 420,
  irkt: 480, hkt: 480, sgt: 480, awst: 480, pht: 480, yakt: 540, jst: 540, kst: 540,
  vlat: 600, aest: 600, aedt: 660, acst: 570, nzst: 720, nzdt: 780, ist: 330,
  est: -300, edt: -240, cst: -360, cdt: -300, mst: -420, mdt: -360, pst: -480, pdt: -420,
  akst: -540, akdt: -480, hst: -600, ast: -240, adt: -180, nst: -210, ndt: -150, brt: -180,
  art: -180, мск: 180,
};

const MS_MIN = 60_000;

function daysInMonth(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

function fullYear(y: number, digits: number): number {
  if (digits > 2) return y;
  // RFC 2822 §4.3: 00–49 are 2000–2049, 50–99 are 1950–1999.
  return y < 50 ? 2000 + y : 1900 + y;
}

function build(y: number, mo: number, d: number, h = 0, mi = 0, s = 0, ms = 0, offsetMin = 0): Date | null {
  if (!(y >= 1900 && y <= 2200) || !(mo >= 1 && mo <= 12) || !(d >= 1 && d <= daysInMonth(y, mo))) return null;
  if (h === 24 && mi === 0 && s === 0) h = 24; // 24:00 is the end of the day; Date.UTC rolls it over
  else if (!(h >= 0 && h <= 23)) return null;
  if (!(mi >= 0 && mi <= 59) || !(s >= 0 && s <= 60)) return null;
  if (s === 60) s = 59; // a leap second
  const t = Date.UTC(y, mo - 1, d, h, mi, s, ms) - offsetMin * MS_MIN;
  return Number.isFinite(t) ? new Date(t) : null;
}

function offsetFrom(sign: string, hh: string, mm: string | undefined): number | null {
  const h = Number(hh);
  const m = mm ? Number(mm) : 0;
  if (h > 14 || m > 59) return null;
  return (sign === '-' ? -1 : 1) * (h * 60 + m);
}

const ISO_RE =
  /^(\d{4})(?:-?(\d{2})(?:-?(\d{2}))?)?(?:\s*[t\s]\s*(\d{2}):?(\d{2})(?::?(\d{2})(?:[.,](\d+))?)?)?\s*(z|utc|gmt|[+-]\d{2}(?::?\d{2})?)?$/i;

function parseIso(s: string): Date | null {
  const m = ISO_RE.exec(s);
  if (!m) return null;
  const [, y, mo, d, h, mi, sec, frac, zone] = m;
  // "2022" alone is a year in W3C-DTF, but a lone number is more often junk: require a month.
  if (!mo) return null;
  let offset = 0;
  if (zone && /^[+-]/.test(zone)) {
    const z = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone)!;
    const o = offsetFrom(z[1]!, z[2]!, z[3]);
    if (o === null) return null;
    offset = o;
  }
  const ms = frac ? Math.round(Number(`0.${frac}`) * 1000) : 0;
  return build(Number(y), Number(mo), Number(d ?? 1), Number(h ?? 0), Number(mi ?? 0), Number(sec ?? 0), Math.min(ms, 999), offset);
}

const TIME_RE = /(^|[^\d:+-])(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?(?:\s*([ap])\.?\s?m\.?(?![a-zа-я]))?/iu;
const NUM_ZONE_RE = /(?:^|[\s(])(?:(?:gmt|utc|ut)\s*)?([+-])(\d{1,2})(?::?(\d{2}))?(?=$|[\s)])/i;

/**
 * RFC 822 as feeds mostly write it, "Mon, 30 Nov 2026 23:00:00 GMT" (ASCII, single spaces, an
 * English month, a four-digit year, GMT/UT/UTC/Z or a numeric zone): read at once. For these
 * strings the general path below reads the same fields the same way (no ISO match: that needs
 * four digits first; the time, the zone, the words "30", "nov", "2026"), so the result is
 * identical; anything else goes the general way. ~5 × less CPU on the common case (no NFC, no
 * lower-casing, no word split).
 */
const RFC822_RE = /^(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), )?(\d{1,2}) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (\d{4}) (\d{2}):(\d{2})(?::(\d{2}))? (GMT|UTC?|Z|([+-])(\d{2})(\d{2}))$/;

function parseRfc822(raw: string): Date | null | undefined {
  const m = RFC822_RE.exec(raw);
  if (!m) return undefined;
  const offset = m[8] ? offsetFrom(m[8], m[9]!, m[10]) : 0;
  if (offset === null) return null;
  return build(Number(m[3]), MONTH_WORDS[m[2]!.toLowerCase()]!, Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0), 0, offset);
}

/**
 * Parses a feed date. Returns null when no plausible date (year 1900–2200, a real day of a
 * real month) can be read; the caller then falls back to the first-seen time.
 * A date without a zone is taken as UTC.
 */
export function parseFeedDate(raw: string | null | undefined): Date | null {
  if (raw == null) return null;
  const rfc = typeof raw === 'string' ? parseRfc822(raw) : undefined;
  if (rfc !== undefined) return rfc;
  let s = String(raw).normalize('NFC').replace(/\s+/g, ' ').trim();
  if (!s || s.length > 100) return null;
  const iso = parseIso(s);
  if (iso) return iso;
  s = s.toLowerCase();
  // Chinese, Japanese and Korean "2022年4月26日" / "2022년 4월 26일".
  s = s.replace(/(\d{4})\s*[年년]\s*(\d{1,2})\s*[月월]\s*(\d{1,2})\s*[日일]?/u, ' $1-$2-$3 ');

  let h = 0;
  let mi = 0;
  let sec = 0;
  let rest = s;
  let afterTime = '';
  const tm = TIME_RE.exec(s);
  if (tm) {
    h = Number(tm[2]);
    mi = Number(tm[3]);
    sec = Number(tm[4] ?? 0);
    const ampm = tm[5];
    if (ampm) {
      if (h < 1 || h > 12) return null;
      if (ampm === 'p' && h !== 12) h += 12;
      if (ampm === 'a' && h === 12) h = 0;
    }
    const start = tm.index + tm[1]!.length;
    rest = `${s.slice(0, start)} ${s.slice(tm.index + tm[0].length)}`;
    afterTime = s.slice(tm.index + tm[0].length);
  }

  // Zone: numeric (+0300, -03:00, GMT+3) or a named one; looked for after the time when there is one.
  let offset = 0;
  const zoneArea = tm ? afterTime : rest;
  const nz = NUM_ZONE_RE.exec(zoneArea);
  if (nz && (tm || nz[2]!.length === 4 || nz[3] !== undefined)) {
    // "+0300" written as one group of four digits
    const hh = nz[3] === undefined && nz[2]!.length > 2 ? nz[2]!.slice(0, -2) : nz[2]!;
    const mm = nz[3] ?? (nz[2]!.length > 2 ? nz[2]!.slice(-2) : undefined);
    const o = offsetFrom(nz[1]!, hh, mm);
    if (o === null) return null;
    offset = o;
    rest = rest.replace(zoneArea.slice(nz.index, nz.index + nz[0].length), ' ');
  } else {
    for (const w of zoneArea.split(/[^\p{L}]+/u)) {
      if (w && w in ZONES) {
        offset = ZONES[w]!;
        break;
      }
    }
  }

  // Numeric dates: 2022-04-26, 2022/04/26, 26.04.2022, 04/26/2022.
  let y: number | undefined;
  let mo: number | undefined;
  let d: number | undefined;
  const ymd = /(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)/.exec(rest);
  const dmy = ymd ? null : /(?<!\d)(\d{1,2})([-/.])(\d{1,2})\2(\d{4}|\d{2})(?!\d)/.exec(rest);
  if (ymd) {
    y = Number(ymd[1]);
    mo = Number(ymd[2]);
    d = Number(ymd[3]);
  } else if (dmy) {
    const a = Number(dmy[1]);
    const b = Number(dmy[3]);
    y = fullYear(Number(dmy[4]), dmy[4]!.length);
    // Day first unless that is impossible, or the separator is a slash and month-first is possible
    // (04/26/2022 is American; 26.04.2022 and 26/04/2022 are not).
    const monthFirst = a <= 12 && (b > 12 || dmy[2] === '/');
    if (monthFirst) {
      mo = a;
      d = b;
    } else {
      d = a;
      mo = b;
    }
  } else {
    const words = rest.split(/[\s,.;/()\-–]+/u).filter(Boolean);
    const nums: string[] = [];
    for (const w of words) {
      if (/^\d+(st|nd|rd|th)?$/.test(w)) nums.push(w.replace(/\D+$/, ''));
      else if (mo === undefined) {
        const m = MONTH_WORDS[w] ?? MONTH_WORDS[w.replace(/\.$/, '')];
        if (m) mo = m;
        else if (w.length > 3 && /^\p{L}+$/u.test(w)) {
          // Inflected forms not in the table ("сентябре"): a 3-letter stem is unambiguous here.
          const stem = MONTH_WORDS[w.slice(0, 3)];
          if (stem && w.slice(0, 3) !== 'mar' && w.slice(0, 3) !== 'mai') mo = stem;
        }
      }
    }
    if (mo === undefined) return null;
    const four = nums.findIndex((n) => n.length === 4);
    if (four >= 0) {
      y = Number(nums[four]);
      nums.splice(four, 1);
      if (nums.length < 1) return null;
      d = Number(nums[0]);
    } else {
      if (nums.length < 2) return null;
      d = Number(nums[0]);
      y = fullYear(Number(nums[1]), nums[1]!.length);
    }
  }
  if (y === undefined || mo === undefined || d === undefined) return null;
  return build(y, mo, d, h, mi, sec, 0, offset);
}
