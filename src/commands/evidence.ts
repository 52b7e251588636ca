// "All evidence" (the alert's button): every framing of a story, per outlet, with all quotes
// and who voiced them. Ephemeral: only the person who asked sees it.
import { affiliationBadge, formatWhen, tagName, unquote } from '../core/alert/format.js';
import type { Reply, ReplySection } from '../core/alert/values.js';
import type { Story } from '../core/types.js';
import type { StoryStore } from '../ports/stores.js';
import { errorReply } from './replies.js';

export function evidenceReply(story: Story): Reply {
  const sections: ReplySection[] = [{ type: 'heading', text: `Evidence — ${story.headline}` }];
  let n = 0;
  for (const o of story.outlets) {
    const items: string[] = [];
    for (const f of o.framings) {
      for (const e of f.evidence) {
        items.push(`${tagName(f.tag)} (${f.confidence.toFixed(2)}) — “${unquote(e.quote)}” — ${e.attributedTo ?? `${o.outlet}’s own voice`}${e.background ? ' · background' : ''}`);
        n += 1;
      }
    }
    sections.push({ type: 'paragraph', text: `${o.outlet} [${affiliationBadge(o.affiliation)}] · ${formatWhen(o.published)}${o.cites.length ? ` · cites ${o.cites.join(', ')}` : ''}` });
    sections.push(items.length ? { type: 'list', items } : { type: 'paragraph', text: 'No framing found in this outlet’s article.' });
  }
  return {
    visibility: 'ephemeral',
    kind: 'ok',
    text: `${n} piece${n === 1 ? '' : 's'} of evidence across ${story.outlets.length} outlet${story.outlets.length === 1 ? '' : 's'}`,
    sections,
  };
}

export async function handleEvidence(storyId: string, stories: StoryStore): Promise<Reply> {
  const s = await stories.get(storyId);
  return s ? evidenceReply(s) : errorReply(`Story ${storyId} is no longer stored (stories are kept for the retention period).`);
}
