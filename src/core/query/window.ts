// A query's time window in words: `30d`, `24h`, `2w`, `30 days`, `days 30`, `last week`,
// `30 дней`; a lone number of days (`kazakhstan 30`) counts too when it is at most 365.

const UNIT_HOURS: [RegExp, number][] = [
  [/^(h|hr|hrs|hour|hours|ч|час|часа|часов)$/u, 1],
  [/^(d|day|days|д|дн|дня|дней|день|сут|суток)$/u, 24],
  [/^(w|wk|wks|week|weeks|нед|недели|недель|неделя)$/u, 24 * 7],
  [/^(m|mo|month|months|мес|месяц|месяца|месяцев)$/u, 24 * 30],
];

function unitHours(u: string): number | null {
  for (const [re, h] of UNIT_HOURS) if (re.test(u)) return h;
  return null;
}

/** A window in folded words starting at `i`: its hours and how many words it used, or null. */
export function windowAt(words: readonly string[], i: number): { hours: number; used: number } | null {
  const w = words[i]!;
  const glued = /^(\d{1,4})(\p{L}+)$/u.exec(w);
  if (glued) {
    const h = unitHours(glued[2]!);
    return h ? { hours: Number(glued[1]) * h, used: 1 } : null;
  }
  if (/^\d{1,4}$/.test(w)) {
    const next = words[i + 1];
    const h = next ? unitHours(next) : null;
    if (h) return { hours: Number(w) * h, used: 2 };
    if (Number(w) >= 1 && Number(w) <= 365) return { hours: Number(w) * 24, used: 1 };
    return null;
  }
  const h = unitHours(w);
  const n = words[i + 1];
  if (h && n && /^\d{1,4}$/.test(n)) return { hours: Number(n) * h, used: 2 };
  // `last week`, `past month`, `за последнюю неделю`
  const hn = n ? unitHours(n) : null;
  if (hn && /^(last|past|this|последн\p{L}*|прошл\p{L}*)$/u.test(w)) return { hours: hn, used: 2 };
  return null;
}

/** The hours a `days:` value names: `30` (days), `30d`, `24h`, `2w`; null when it names none. */
export function windowValue(value: string): number | null {
  const v = value.trim().toLowerCase();
  if (/^\d{1,4}$/.test(v)) return Number(v) * 24;
  const w = windowAt([v], 0);
  return w && w.used === 1 ? w.hours : null;
}
