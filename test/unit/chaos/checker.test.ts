// The chaos suite's checker: what it calls lost, duplicated, unexpected and mis-threaded.
import { describe, expect, it } from 'vitest';
import { checkAlerts, type CrashWindow } from '../../../tools/chaos/checker.js';
import type { FarmItem } from '../../../tools/chaos/farm.js';
import type { Post } from '../../../tools/chaos/fakes.js';

const item = (ref: string, story: number | null): FarmItem => ({ ref, outlet: 0, story, url: `http://farm/a/${ref}.html`, title: ref, text: ref, publishedMs: 0 });
const s1a = item('s1-o0', 1);
const s1b = item('s1-o1', 1);
const s2a = item('s2-o2', 2);
const old = item('old-o0-0', null);
const items = [s1a, s1b, s2a, old];
const D = 'slack:C1';

let seq = 0;
const post = (it: FarmItem | null, id: string, parent: string | null = null, at = 0): Post => ({ destination: D, id, parent, url: it ? it.url : null, seq: seq++, at });
const check = (posts: Post[], crashWindows: CrashWindow[] = []) =>
  checkAlerts({ destinations: [D], items, alertable: [s1a, s1b, s2a], notAlertable: [], posts, crashWindows }).alerts;

describe('chaos checker', () => {
  it('passes a story posted once, its follow-up in the root thread', () => {
    expect(check([post(s1a, 'r1'), post(s1b, 'f1', 'r1'), post(s2a, 'r2')])).toEqual({ expected: 3, posted: 3, lost: 0, duplicates: 0, unexpected: 0, threadErrors: 0, crashDuplicates: 0, crashRoots: 0 });
  });

  it('counts a missing alert as lost and a back-catalogue or unknown post as unexpected', () => {
    const a = check([post(s1a, 'r1'), post(s1b, 'f1', 'r1'), post(old, 'x'), post(null, 'notice')]);
    expect(a).toMatchObject({ lost: 1, unexpected: 2, duplicates: 0 });
  });

  it('sees a root posted twice and a follow-up under the second copy (issue 13)', () => {
    const a = check([post(s1a, 'r1'), post(s1a, 'r1bis'), post(s1b, 'f1', 'r1bis'), post(s2a, 'r2')]);
    expect(a).toMatchObject({ duplicates: 1, threadErrors: 1, crashDuplicates: 0 });
  });

  it('flags a follow-up posted top-level or under another story', () => {
    expect(check([post(s1a, 'r1'), post(s1b, 'f1'), post(s2a, 'r2')])).toMatchObject({ threadErrors: 1 });
    expect(check([post(s1a, 'r1'), post(s1b, 'f1', 'r2'), post(s2a, 'r2')])).toMatchObject({ threadErrors: 1 });
  });

  it('counts a copy of a post accepted inside a host-crash window apart, and accepts follow-ups under either copy', () => {
    const a = check([post(s1a, 'r1', null, 1_000), post(s1a, 'r1bis', null, 5_000), post(s1b, 'f1', 'r1bis', 6_000), post(s2a, 'r2')], [{ from: 500, to: 1_500 }]);
    expect(a).toMatchObject({ duplicates: 0, crashDuplicates: 1, threadErrors: 0 });
    // Outside the window it is an ordinary duplicate.
    expect(check([post(s1a, 'r1', null, 2_000), post(s1a, 'r1bis', null, 5_000), post(s2a, 'r2'), post(s1b, 'f1', 'r1')], [{ from: 500, to: 1_500 }])).toMatchObject({ duplicates: 1, crashDuplicates: 0 });
  });

  it('on Discord, counts a second root of a story whose first was accepted in a crash window apart; on Slack it is a thread error', () => {
    const dpost = (it: FarmItem, id: string, parent: string | null, at: number): Post => ({ ...post(it, id, parent, at), destination: 'discord:1' });
    const run = (posts: Post[], dest: string) => checkAlerts({ destinations: [dest], items, alertable: [s1a, s1b, s2a], notAlertable: [], posts, crashWindows: [{ from: 500, to: 1_500 }] }).alerts;
    const discord = run([dpost(s1a, 'r1', null, 1_000), dpost(s1b, 'r2', null, 5_000), dpost(s2a, 'r3', null, 6_000)], 'discord:1');
    expect(discord).toMatchObject({ threadErrors: 0, crashRoots: 1, lost: 0 });
    // The root outside the window: an ordinary thread error.
    expect(run([dpost(s1a, 'r1', null, 2_000), dpost(s1b, 'r2', null, 5_000), dpost(s2a, 'r3', null, 6_000)], 'discord:1')).toMatchObject({ threadErrors: 1, crashRoots: 0 });
    // Slack can be asked for the root (findStoryRoot): a thread error there.
    expect(run([post(s1a, 'r1', null, 1_000), post(s1b, 'r2', null, 5_000), post(s2a, 'r3', null, 6_000)], D)).toMatchObject({ threadErrors: 1, crashRoots: 0 });
  });
});
