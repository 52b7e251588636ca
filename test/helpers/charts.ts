// Sample charts and PNG checks shared by the chart, notifier and CLI tests.
import type { TrendChart } from '../../src/core/trends/types.js';

/** `n` consecutive UTC days ending with `last` (YYYY-MM-DD), oldest first. */
export function daysEnding(last: string, n: number): string[] {
  const end = Date.parse(`${last}T00:00:00Z`);
  return Array.from({ length: n }, (_, i) => new Date(end - (n - 1 - i) * 86_400_000).toISOString().slice(0, 10));
}

/** Labels in every script the charts must draw. */
export const SCRIPT_LABELS = {
  cyrillic: 'цветная революция',
  kazakh: 'Қазақстан қ ң ө ү ұ һ ә і',
  uzbek: 'Oʻzbekiston',
  chinese: '颜色革命',
} as const;

export function sampleChart(): TrendChart {
  const days = daysEnding('2026-12-05', 30);
  return {
    title: `${SCRIPT_LABELS.kazakh} · ${SCRIPT_LABELS.chinese}`,
    subtitle: `${SCRIPT_LABELS.cyrillic} · ${SCRIPT_LABELS.uzbek} · last 30 days`,
    series: [
      { key: 'KZ|color-revolution', label: 'Kazakhstan · color-revolution', points: days.map((day, i) => ({ day, count: i >= 27 ? 12 : i % 3 })) },
      { key: 'state:CN|color-revolution', label: '中国 state:CN', points: days.map((day, i) => ({ day, count: i % 2 })) },
    ],
    bands: [{ key: 'KZ|color-revolution', points: days.map((day) => ({ day, mean: 1, sd: 0.8 })) }],
    marks: [{ day: days[28]!, label: 'spike' }],
  };
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Width and height from a PNG's IHDR chunk, or null when the bytes are not a PNG. */
export function pngSize(bytes: Uint8Array): { width: number; height: number } | null {
  if (bytes.length < 24 || PNG_SIGNATURE.some((b, i) => bytes[i] !== b)) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (String.fromCharCode(...bytes.subarray(12, 16)) !== 'IHDR') return null;
  return { width: view.getUint32(16), height: view.getUint32(20) };
}
