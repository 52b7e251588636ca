// The story decision's inner loop alone (`chooseStory`), over inputs bench/story-stages.ts dumped
// (not a test; run by hand):
//
//   npx tsx bench/story-stages.ts --dump /tmp/choose.json && npx tsx bench/story-choose.ts /tmp/choose.json [repeats]
//
// Prints CPU µs per decision and a digest of the whole decisions (story, margin, matched pair and
// its parts, stories also matched): two builds must print the same digest.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { chooseStory, type CandidateStory } from '../src/core/story/decide.js';
import { weighted, type ArticleVectors } from '../src/core/story/similarity.js';

type Vec = [string[], number[], number];
type Art = Omit<ArticleVectors, 'body' | 'title' | 'names' | 'nums' | 'xnames'> & Record<'body' | 'title' | 'names' | 'nums' | 'xnames', Vec>;
const raw = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as [Art, { storyId: string; members: Art[] }[]][];
const art = (a: Art): ArticleVectors => ({ ...a, body: weighted(...a.body), title: weighted(...a.title), names: weighted(...a.names), nums: weighted(...a.nums), xnames: weighted(...a.xnames) });
const inputs: [ArticleVectors, CandidateStory[]][] = raw.map(([a, cs]) => [art(a), cs.map((c) => ({ storyId: c.storyId, members: c.members.map(art) }))]);
const R = Number(process.argv[3] ?? 10);
const digest = createHash('sha1').update(JSON.stringify(inputs.map(([a, cs]) => chooseStory(a, cs)))).digest('hex').slice(0, 12);
const c0 = process.cpuUsage();
for (let r = 0; r < R; r++) for (const [a, cs] of inputs) chooseStory(a, cs);
const c = process.cpuUsage(c0);
console.log(JSON.stringify({ decisions: inputs.length, chooseUs: +((c.user + c.system) / (R * inputs.length)).toFixed(1), digest }));
