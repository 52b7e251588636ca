export { createChartRenderer, cspSafeSvg, DEFAULT_CHART_SIZE, type ChartRendererOptions } from './renderer.js';
export { ChartFontsMissingError, resolveChartFonts, CHART_FONTS, CHART_FONT_FAMILY } from './fonts.js';
export { chartOption, dayLabel } from './option.js';
export { hasAttachments, replyAttachments, fileSlug, type ReplyAttachment } from './attachments.js';
