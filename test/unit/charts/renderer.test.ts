import { describe, expect, it } from 'vitest';
import { CHART_FONT_FAMILY, ChartFontsMissingError, chartOption, createChartRenderer, dayLabel, resolveChartFonts } from '../../../src/adapters/charts/index.js';
import { measureText } from '../../../src/adapters/charts/measure.js';
import { pngSize, sampleChart, SCRIPT_LABELS } from '../../helpers/charts.js';

const renderer = createChartRenderer();

describe('chart renderer: SVG', () => {
  it('is self-contained and carries the title, legend and axis labels in every script', () => {
    const svg = renderer.svg(sampleChart());
    expect(svg.startsWith('<svg')).toBe(true);
    for (const label of Object.values(SCRIPT_LABELS)) expect(svg).toContain(label);
    expect(svg).toContain('Kazakhstan · color-revolution');
    expect(svg).toContain('Kazakhstan · color-revolution: usual range');
    expect(svg).toContain('4 Dec'); // axis days as "4 Dec"
    expect(svg).toContain('spike');
    // Nothing fetched from elsewhere: no external references, no scripts.
    expect(svg).not.toMatch(/(?:href|src)="(?:https?:)?\/\//);
    expect(svg).not.toMatch(/<script/i);
    expect(svg).toMatch(/width="960" height="480"/);
  });

  it('escapes markup in labels', () => {
    const chart = sampleChart();
    chart.series[0]!.label = '<img src=x onerror=alert(1)> & co';
    const svg = renderer.svg(chart);
    expect(svg).not.toContain('<img');
    expect(svg).toContain('&lt;img');
  });

  it('draws under the web view’s CSP: no style attribute or element (blocked there), the fonts as presentation attributes', () => {
    for (const chart of [sampleChart(), { title: 'Empty', series: [] }]) {
      const svg = renderer.svg(chart);
      expect(svg).not.toMatch(/<style|\sstyle=/);
      expect(svg).toMatch(/<text [^>]*font-size="17px"[^>]*font-weight="bold"|<text [^>]*font-weight="bold"[^>]*font-size="17px"/);
      expect(svg).toContain(`font-family="${CHART_FONT_FAMILY}"`);
    }
  });

  it('says so when there is nothing to draw', () => {
    expect(renderer.svg({ title: 'Empty', series: [] })).toContain('Nothing to draw');
    const zeros = sampleChart();
    zeros.series = zeros.series.map((s) => ({ ...s, points: s.points.map((p) => ({ ...p, count: 0 })) }));
    expect(renderer.svg(zeros)).toContain('No articles in this window');
  });

  it('refuses absurd sizes', () => {
    expect(() => renderer.svg(sampleChart(), { width: 100_000, height: 400 })).toThrow(/width/);
  });
});

describe('chart renderer: PNG', () => {
  it('draws a PNG of the asked size', async () => {
    const png = await renderer.png(sampleChart(), { width: 640, height: 360 });
    expect(pngSize(png)).toEqual({ width: 640, height: 360 });
    const dflt = await renderer.png(sampleChart());
    expect(pngSize(dflt)).toEqual({ width: 960, height: 480 });
  });

  it('draws glyphs for Kazakh and Chinese text (not empty boxes): the text changes the pixels', async () => {
    // A label in a script the loaded fonts do not cover would come out as the same .notdef
    // boxes whatever the letters; distinct letters give distinct images.
    const one = sampleChart();
    const two = sampleChart();
    one.title = '颜色革命';
    two.title = '革命颜色';
    const [a, b] = await Promise.all([renderer.png(one), renderer.png(two)]);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(false);
    const notdef = createChartRenderer({ fontFiles: ['/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf'] });
    const [c, d] = await Promise.all([notdef.png(one), notdef.png(two)]);
    // With DejaVu alone, both titles are four .notdef boxes: the images are the same.
    expect(Buffer.from(c).equals(Buffer.from(d))).toBe(true);
  });

  it('fails with the Debian package names when a font file is missing', async () => {
    const r = createChartRenderer({ fontFiles: ['/nonexistent/NotoSansCJK-Regular.ttc'] });
    await expect(r.png(sampleChart())).rejects.toThrow(ChartFontsMissingError);
    await expect(r.png(sampleChart())).rejects.toThrow(/fonts-dejavu-core and fonts-noto-cjk/);
    expect(resolveChartFonts().length).toBeGreaterThanOrEqual(2);
  });
});

describe('chart option', () => {
  it('stacks the band as mean − sd (not below 0) plus 2·sd, behind the lines', () => {
    const chart = sampleChart();
    chart.bands = [{ key: 'KZ|color-revolution', points: chart.series[0]!.points.map((p) => ({ day: p.day, mean: 3, sd: 4 })) }];
    const o = chartOption(chart) as { series: { name: string; data: number[]; stack?: string }[] };
    const [base, width, line] = o.series;
    expect(base!.stack).toBe('band:KZ|color-revolution');
    expect(base!.data[0]).toBe(0);
    expect(width!.data[0]).toBe(7);
    expect(line!.name).toBe('Kazakhstan · color-revolution');
    expect(line!.data.slice(-3)).toEqual([12, 12, 12]);
  });

  it('puts a zero on a day a series does not name', () => {
    const chart = sampleChart();
    chart.series[1]!.points = chart.series[1]!.points.slice(5);
    const o = chartOption(chart) as { series: { name: string; data: number[] }[] };
    expect(o.series.find((s) => s.name === '中国 state:CN')!.data.slice(0, 5)).toEqual([0, 0, 0, 0, 0]);
  });

  it('labels days and measures text by script', () => {
    expect(dayLabel('2026-03-04')).toBe('4 Mar');
    expect(measureText('颜色', '12px sans-serif').width).toBe(24);
    expect(measureText('iii', '12px sans-serif').width).toBeLessThan(measureText('MMM', '12px sans-serif').width);
  });
});
