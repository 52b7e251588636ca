// A TrendChart as an echarts option: one line per series (daily counts), the baseline band of a
// series (mean ± sd) as a shaded area behind it, and marked days (spike windows) as dashed
// vertical lines with their labels. Only data and layout here; renderer.ts draws it.
import type { TrendChart } from '../../core/trends/types.js';
import { CHART_FONT_FAMILY } from './fonts.js';

/** Okabe–Ito colours (distinguishable with the common colour-vision deficiencies), yellow left out: too pale on white. */
export const PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000', '#7F7F7F'];

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `2026-03-04` → `4 Mar` (the axis); the data keeps the ISO day. */
export function dayLabel(day: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return day;
  return `${Number(m[3])} ${MONTHS[Number(m[2]) - 1] ?? m[2]}`;
}

/** Every day any series or band names, oldest first. */
export function chartDays(chart: TrendChart): string[] {
  const days = new Set<string>();
  for (const s of chart.series) for (const p of s.points) days.add(p.day);
  for (const b of chart.bands ?? []) for (const p of b.points) days.add(p.day);
  return [...days].sort();
}

/** Rounds to 2 decimals (keeps the SVG small and stable). */
const r2 = (n: number) => Math.round(n * 100) / 100;

export function chartOption(chart: TrendChart): Record<string, unknown> {
  const days = chartDays(chart);
  const index = new Map(days.map((d, i) => [d, i]));
  const colourOf = new Map(chart.series.map((s, i) => [s.key, PALETTE[i % PALETTE.length]!]));
  const labelOf = new Map(chart.series.map((s) => [s.key, s.label ?? s.key]));
  const series: Record<string, unknown>[] = [];
  /** Band names, for the legend after the series. */
  const bandNames: string[] = [];

  // Bands first, so the lines are drawn over them.
  for (const band of chart.bands ?? []) {
    const colour = colourOf.get(band.key) ?? PALETTE[PALETTE.length - 1]!;
    const lower: (number | null)[] = days.map(() => null);
    const width: (number | null)[] = days.map(() => null);
    for (const p of band.points) {
      const i = index.get(p.day)!;
      const lo = Math.max(0, p.mean - p.sd);
      lower[i] = r2(lo);
      width[i] = r2(p.mean + p.sd - lo);
    }
    const name = `${labelOf.get(band.key) ?? band.key}: usual range`;
    bandNames.push(name);
    const common = { type: 'line', stack: `band:${band.key}`, symbol: 'none', silent: true, lineStyle: { opacity: 0 }, connectNulls: false, z: 1 };
    // The lower edge: an invisible stacked base, not in the legend.
    series.push({ ...common, name: `\u200b${name} base`, data: lower, itemStyle: { color: colour } });
    series.push({ ...common, name, data: width, itemStyle: { color: colour }, areaStyle: { color: colour, opacity: 0.15 } });
  }

  chart.series.forEach((s, n) => {
    const data: (number | null)[] = days.map(() => 0);
    for (const p of s.points) data[index.get(p.day)!] = p.count;
    const name = labelOf.get(s.key)!;
    const line: Record<string, unknown> = {
      type: 'line',
      name,
      data,
      z: 3,
      symbol: days.length <= 45 ? 'circle' : 'none',
      symbolSize: 5,
      lineStyle: { width: 2 },
      itemStyle: { color: colourOf.get(s.key) },
    };
    if (n === 0 && chart.marks?.length) {
      line.markLine = {
        silent: true,
        symbol: 'none',
        lineStyle: { type: 'dashed', color: '#B00020', width: 1.5 },
        label: { formatter: '{b}', color: '#B00020', fontFamily: CHART_FONT_FAMILY, position: 'end', fontSize: 11 },
        data: chart.marks.filter((m) => index.has(m.day)).map((m) => ({ name: m.label, xAxis: m.day })),
      };
    }
    series.push(line);
  });
  // Series first in the legend, in their order; bands after.
  const legendData = [...chart.series.map((s) => labelOf.get(s.key)!), ...bandNames];

  const empty = chart.series.length === 0 || chart.series.every((s) => s.points.every((p) => p.count === 0));
  return {
    animation: false,
    backgroundColor: '#ffffff',
    color: PALETTE,
    textStyle: { fontFamily: CHART_FONT_FAMILY },
    title: {
      text: chart.title,
      subtext: chart.subtitle ?? '',
      left: 16,
      top: 10,
      textStyle: { fontSize: 17, fontWeight: 'bold', color: '#1a1a1a', fontFamily: CHART_FONT_FAMILY },
      subtextStyle: { fontSize: 12, color: '#555555', fontFamily: CHART_FONT_FAMILY },
    },
    legend: { data: legendData, bottom: 8, left: 'center', itemGap: 18, itemWidth: 18, itemHeight: 10, textStyle: { fontSize: 12, color: '#333333', fontFamily: CHART_FONT_FAMILY } },
    grid: { left: 56, right: 56, top: chart.subtitle ? 92 : 72, bottom: 64 + 18 * Math.floor(legendData.length / 5) },
    xAxis: {
      type: 'category',
      data: days,
      boundaryGap: false,
      axisLabel: { formatter: dayLabel, color: '#333333', fontSize: 11, hideOverlap: true },
      axisLine: { lineStyle: { color: '#888888' } },
    },
    yAxis: {
      type: 'value',
      name: 'articles per day',
      nameTextStyle: { color: '#555555', fontSize: 11, align: 'left' },
      minInterval: 1,
      min: 0,
      axisLabel: { color: '#333333', fontSize: 11 },
      splitLine: { lineStyle: { color: '#e4e4e4' } },
    },
    series,
    ...(empty
      ? {
          graphic: [
            {
              type: 'text',
              left: 'center',
              top: 'middle',
              style: { text: days.length ? 'No articles in this window' : 'Nothing to draw', fill: '#777777', fontSize: 15, fontFamily: CHART_FONT_FAMILY },
            },
          ],
        }
      : {}),
  };
}
