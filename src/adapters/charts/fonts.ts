// The fonts charts are drawn with, by explicit file path: resvg is told exactly which files to
// load (never the system's font scan), so a PNG looks the same on every machine that has the two
// Debian packages, and a machine without them fails with one clear line instead of drawing boxes.
//
// DejaVu Sans covers Latin (Uzbek ʻ included), Cyrillic and Kazakh's letters (қ ң ө ү ұ һ ә і);
// Noto Sans CJK covers Chinese. resvg falls back glyph by glyph to any loaded font that has the
// character, so one label may mix scripts.
import { existsSync } from 'node:fs';

/** The font files a PNG needs and the Debian package of each. */
export const CHART_FONTS: readonly { path: string; family: string; pkg: string }[] = [
  { path: '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf', family: 'DejaVu Sans', pkg: 'fonts-dejavu-core' },
  { path: '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf', family: 'DejaVu Sans', pkg: 'fonts-dejavu-core' },
  { path: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', family: 'Noto Sans CJK SC', pkg: 'fonts-noto-cjk' },
];

/** The font-family list written into the SVG (browsers pick what they have; resvg gets the files above). */
export const CHART_FONT_FAMILY = "'DejaVu Sans', 'Noto Sans CJK SC', 'Noto Sans CJK', 'Noto Sans', sans-serif";

/** PNG rendering is impossible: a font file is missing. The message names the Debian packages to install. */
export class ChartFontsMissingError extends Error {
  override name = 'ChartFontsMissingError';
  constructor(readonly missing: readonly string[], readonly packages: readonly string[]) {
    super(
      `Cannot draw chart images: font file${missing.length === 1 ? '' : 's'} missing (${missing.join(', ')}). ` +
        `Install the Debian package${packages.length === 1 ? '' : 's'} ${packages.join(' and ')} (apt-get install ${packages.join(' ')}).`,
    );
  }
}

/**
 * The font files to hand resvg. `files` overrides the defaults (tests, other distributions); each
 * must exist. Throws ChartFontsMissingError naming what is missing.
 */
export function resolveChartFonts(files?: readonly string[]): string[] {
  if (files) {
    const missing = files.filter((f) => !existsSync(f));
    if (missing.length) throw new ChartFontsMissingError(missing, ['fonts-dejavu-core', 'fonts-noto-cjk']);
    return [...files];
  }
  const missing = CHART_FONTS.filter((f) => !existsSync(f.path));
  if (missing.length) throw new ChartFontsMissingError(missing.map((f) => f.path), [...new Set(missing.map((f) => f.pkg))]);
  return CHART_FONTS.map((f) => f.path);
}
