// Fault-injection points for the chaos suite (`npm run chaos`). A job calls `failpoint(name)` at
// a narrow window (e.g. right after a platform accepted a post, before the post is recorded); in
// production nothing is configured and the call returns at once.
//
// STEPPEWATCH_FAILPOINTS: comma-separated `point=action`, where action is
//   kill        SIGKILL this process (the crash the window is about)
//   kill%P      SIGKILL with probability P (0..1), e.g. kill%0.2
//   sleep:MS    wait MS milliseconds (widen the window for an outside kill)
// Points in use: deliver.after-post, poll.after-claim, poll-due.after-poll (a feed of a poll-due
// group polled, its group's writes not yet made; see the jobs that call them), poll.fetch (a
// feed's fetch about to start; with a subject, the feed id), app.starting (src/main/app.ts:
// holds a role before it is ready, for the readiness test).
// A point called with a subject can be configured for that subject alone: `poll.fetch@f3=kill`
// kills the process polling feed f3 only (a poison feed), `poll.fetch=kill` on every feed.
export type FailpointAction = { kind: 'kill'; probability: number } | { kind: 'sleep'; ms: number };

export function parseFailpoints(spec: string | undefined): Map<string, FailpointAction> {
  const out = new Map<string, FailpointAction>();
  for (const part of (spec ?? '').split(',')) {
    const [name, action] = part.split('=').map((s) => s.trim());
    if (!name || !action) continue;
    const kill = /^kill(?:%(0(?:\.\d+)?|1(?:\.0+)?))?$/.exec(action);
    const sleep = /^sleep:(\d+)$/.exec(action);
    if (kill) out.set(name, { kind: 'kill', probability: kill[1] === undefined ? 1 : Number(kill[1]) });
    else if (sleep) out.set(name, { kind: 'sleep', ms: Number(sleep[1]) });
    else throw new Error(`STEPPEWATCH_FAILPOINTS: bad action ${JSON.stringify(action)} for ${name} (kill, kill%P, sleep:MS)`);
  }
  return out;
}

let configured: Map<string, FailpointAction> | undefined;
/** True when some point is configured for a subject (`name@subject`): only then is the subject looked up. */
let bySubject = false;

/**
 * Runs the action configured for `name` (for `name@subject` first, when a subject is given), if
 * any. Cheap when none is (one Map lookup, no string built).
 */
export async function failpoint(name: string, subject?: string): Promise<void> {
  if (!configured) {
    configured = parseFailpoints(globalThis.process?.env?.STEPPEWATCH_FAILPOINTS);
    bySubject = [...configured.keys()].some((k) => k.includes('@'));
  }
  const action = (bySubject && subject !== undefined ? configured.get(`${name}@${subject}`) : undefined) ?? configured.get(name);
  if (!action) return;
  if (action.kind === 'sleep') {
    await new Promise((r) => setTimeout(r, action.ms));
    return;
  }
  if (Math.random() < action.probability) globalThis.process.kill(globalThis.process.pid, 'SIGKILL');
}
