// /mute and /unmute a story or an outlet in this channel.
//
// Visibility: a mute changes what the whole channel receives, so confirmations are in_channel;
// "already muted", "was not muted", errors and usage are ephemeral.
import { clip } from '../core/alert/format.js';
import type { Reply } from '../core/alert/values.js';
import { destinationKey } from '../core/types.js';
import type { MuteStore, StoryStore } from '../ports/stores.js';
import { COMMAND_SPECS } from './grammar.js';
import { andList, errorReply, okReply, orList, usageReply } from './replies.js';
import type { CommandContext, ParsedCommand } from './types.js';
import { termLabel, type QueryVocabulary } from './vocabulary.js';

export interface MuteDeps {
  stories: StoryStore;
  mutes: MuteStore;
  vocabulary: QueryVocabulary;
}

/** `also`: further ids a story unmute lifts (the ids of the one story it is now, after merges). */
type Target = { kind: 'story'; id: string; label: string; also?: string[] } | { kind: 'outlet'; id: string; label: string };

/**
 * The things named: `story:` and `outlet:` options, or a bare word — an outlet the vocabulary
 * knows, else a story id. Muting checks that the story or outlet exists; unmuting does not (a
 * story may have expired, an outlet may have lost its feeds, the mute should still go).
 */
async function targets(cmd: ParsedCommand, deps: MuteDeps, forMute: boolean): Promise<{ ok: true; targets: Target[] } | { ok: false; reply: Reply }> {
  const out: Target[] = [];
  const problems: string[] = [];
  const story = async (id: string) => {
    const s = await deps.stories.get(id);
    if (!forMute) {
      // Stories found to be one answer to every id they had, and a mute of any of them mutes the
      // merged story (core/routing isMuted): unmuting any of those ids lifts them all.
      const also = s ? [s.id, ...(s.mergedIds ?? [])].filter((x) => x !== id) : [];
      return out.push({ kind: 'story', id, label: `story ${id}`, ...(also.length ? { also } : {}) });
    }
    if (!s) problems.push(`No story “${id}” (stories are kept 90 days; the id is on the alert, after “Story”).`);
    else out.push({ kind: 'story', id: s.id, label: `story ${s.id} (“${clip(s.headline, 80)}”)` });
  };
  const outlet = (value: string) => {
    const t = deps.vocabulary.resolve(value, ['outlet']);
    if (t) return out.push({ kind: 'outlet', id: t.id, label: termLabel(t) });
    if (!forMute) return out.push({ kind: 'outlet', id: value, label: value });
    const near = deps.vocabulary.suggest(value, ['outlet'], 2);
    problems.push(`Unknown outlet “${value}”${near.length ? ` — did you mean ${orList(near.map(termLabel))}?` : '.'} /feeds list shows the outlets.`);
  };
  for (const id of cmd.options.story ?? []) await story(id.trim());
  for (const o of cmd.options.outlet ?? []) outlet(o.trim());
  for (const b of cmd.bare) {
    const v = b.trim();
    if (!v) continue;
    if (deps.vocabulary.resolve(v, ['outlet'])) outlet(v);
    else await story(v);
  }
  const spec = COMMAND_SPECS[forMute ? 'mute' : 'unmute']!;
  if (problems.length) return { ok: false, reply: errorReply(problems.join(' '), `Usage: ${spec.usage}`) };
  if (out.length === 0) return { ok: false, reply: usageReply(`What should be ${forMute ? 'muted' : 'unmuted'}? Name a story or an outlet.`, spec.usage, `Example: ${spec.example}`) };
  return { ok: true, targets: out };
}

export async function handleMute(cmd: ParsedCommand, ctx: CommandContext, deps: MuteDeps): Promise<Reply> {
  const t = await targets(cmd, deps, true);
  if (!t.ok) return t.reply;
  const destination = destinationKey(ctx.destination);
  const done: Target[] = [];
  const already: Target[] = [];
  for (const x of t.targets) ((await deps.mutes.mute(destination, x.kind, x.id)) ? done : already).push(x);
  const undo = t.targets.map((x) => `/unmute ${x.kind}:${x.id}`).join(' · ');
  if (done.length === 0) return okReply('ephemeral', `Already muted here: ${andList(already.map((x) => x.label))}.`);
  const what = done.map((x) => (x.kind === 'story' ? `${x.label}: no more alerts or follow-ups of it here` : `${x.label}: its articles no longer alert or follow up here`));
  const text = `Muted ${what.join('; ')}.${already.length ? ` Already muted: ${andList(already.map((x) => x.label))}.` : ''}`;
  return okReply('in_channel', text, [{ type: 'paragraph', text }, { type: 'hint', text: `Undo: ${undo}` }]);
}

export async function handleUnmute(cmd: ParsedCommand, ctx: CommandContext, deps: MuteDeps): Promise<Reply> {
  const t = await targets(cmd, deps, false);
  if (!t.ok) return t.reply;
  const destination = destinationKey(ctx.destination);
  const done: Target[] = [];
  const notMuted: Target[] = [];
  for (const x of t.targets) {
    let lifted = await deps.mutes.unmute(destination, x.kind, x.id);
    if (x.kind === 'story') for (const id of x.also ?? []) lifted = (await deps.mutes.unmute(destination, 'story', id)) || lifted;
    (lifted ? done : notMuted).push(x);
  }
  if (done.length === 0) return okReply('ephemeral', `Not muted here: ${andList(notMuted.map((x) => x.label))}. /subscriptions shows what is muted.`);
  const text = `Unmuted ${andList(done.map((x) => x.label))}: ${done.length === 1 ? 'its' : 'their'} alerts come here again.${notMuted.length ? ` Not muted: ${andList(notMuted.map((x) => x.label))}.` : ''}`;
  return okReply('in_channel', text);
}
