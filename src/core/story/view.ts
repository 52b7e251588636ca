// What the web view's story page shows of a story, beyond its card: every outlet in order of
// publication with who it says it got the story from (the citation trail), and every framing
// with all of its evidence across outlets. Pure: the card comes from `storyCard`, the wording
// of tags and badges from core/alert/format, so the page and the chat answers cannot disagree.
import { affiliationBadge, formatSpan, tagName, unquote } from '../alert/format.js';
import type { StoryCard } from '../alert/values.js';
import type { Affiliation, Story, TagId } from '../types.js';
import { storyCard } from './record.js';

export interface TrailStep {
  outletId: string;
  outlet: string;
  affiliation: Affiliation;
  badge: string;
  url: string | null;
  title: string;
  published: string;
  /** `first`, `+1 day`, `within a minute`: publication time against the story's first outlet. */
  after: string;
  /** Whom it says it quotes or cites: a story outlet (with its id) or a named source. */
  cites: { name: string; outletId: string | null }[];
}

export interface EvidenceItem {
  quote: string;
  /** Who voices it; null for the outlet's own voice. */
  speaker: string | null;
  outletId: string;
  outlet: string;
  /** History or context, not the story's own claim (core/framing/background.ts). */
  background: boolean;
}

export interface FramingView {
  tag: TagId;
  name: string;
  /** Highest confidence over the outlets carrying it, 0..1. */
  confidence: number;
  evidence: EvidenceItem[];
}

export interface StoryView {
  card: StoryCard;
  trail: TrailStep[];
  /** Sentences such as `RT quotes Global Times`, in trail order. */
  trailLines: string[];
  framings: FramingView[];
}

export function storyView(story: Story): StoryView {
  const card = storyCard(story);
  // The card's outlet order (publication, stable) is the page's order too.
  const byId = new Map(story.outlets.map((o) => [o.outletId, o] as const));
  const ordered = card.outlets.map((c) => byId.get(c.outletId)!).filter(Boolean);
  const first = ordered[0];
  const trail: TrailStep[] = ordered.map((o, i) => {
    const delay = first ? Date.parse(o.published) - Date.parse(first.published) : 0;
    const after = i === 0 ? 'first' : !Number.isFinite(delay) ? '' : Math.abs(delay) < 60_000 ? 'within a minute' : delay < 0 ? `${formatSpan(delay)} earlier` : `+${formatSpan(delay)}`;
    return {
      outletId: o.outletId,
      outlet: o.outlet,
      affiliation: o.affiliation,
      badge: affiliationBadge(o.affiliation),
      url: o.url,
      title: o.title,
      published: o.published,
      after,
      cites: o.cites.map((c) => {
        const known = byId.get(c);
        return known ? { name: known.outlet, outletId: known.outletId } : { name: c, outletId: null };
      }),
    };
  });
  const trailLines: string[] = [];
  for (const [i, s] of trail.entries()) {
    if (s.cites.length) trailLines.push(`${s.outlet} quotes ${s.cites.map((c) => c.name).join(', ')}`);
    else if (i > 0) trailLines.push(`${s.outlet} carries it ${relativeTo(s.after, trail[0]!.outlet)}, citing no one`);
  }
  const framings: FramingView[] = card.framings.map((f) => {
    const evidence: EvidenceItem[] = [];
    let confidence = 0;
    for (const o of ordered) {
      for (const fr of o.framings) {
        if (fr.tag !== f.tag) continue;
        confidence = Math.max(confidence, fr.confidence);
        for (const e of fr.evidence) {
          if (evidence.some((x) => x.quote === e.quote && x.outletId === o.outletId)) continue;
          evidence.push({ quote: unquote(e.quote), speaker: e.attributedTo, outletId: o.outletId, outlet: o.outlet, background: e.background === true });
        }
      }
    }
    return { tag: f.tag, name: tagName(f.tag), confidence, evidence };
  });
  return { card, trail, trailLines, framings };
}

/** `1 day after Global Times`, `within a minute of Global Times`, `2 h before Global Times`. */
function relativeTo(after: string, first: string): string {
  if (after === 'within a minute') return `within a minute of ${first}`;
  if (after.startsWith('+')) return `${after.slice(1)} after ${first}`;
  if (after.endsWith(' earlier')) return `${after.slice(0, -' earlier'.length)} before ${first}`;
  return `after ${first}`;
}
