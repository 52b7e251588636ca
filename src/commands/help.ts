// /steppewatch help: every command with one example. Ephemeral (a personal look-up).
import type { Reply } from '../core/alert/values.js';
import { COMMAND_SPECS } from './grammar.js';
import { okReply } from './replies.js';

/** In the order people usually need them. */
const ORDER = [
  'story',
  'framing',
  'trends',
  'subscribe',
  'subscriptions',
  'unsubscribe',
  'mute',
  'unmute',
  'feeds list',
  'feeds check',
  'feeds add',
  'feeds remove',
  'feeds pause',
  'feeds resume',
  'export',
  'steppewatch help',
];

export function helpReply(): Reply {
  const items = ORDER.map((k) => COMMAND_SPECS[k]!).map((s) => `${s.example} — ${s.summary}`);
  const text = 'steppewatch watches how Central Asia is covered in the news. Commands:';
  return okReply('ephemeral', text, [
    { type: 'paragraph', text },
    { type: 'list', items },
    { type: 'hint', text: 'Options are name:value, lists comma-separated, quotes for spaces: /subscribe keywords:"Rogun dam",Tokayev' },
    { type: 'hint', text: 'Queries take fields, AND, OR, NOT, parentheses, "phrases", NEAR/n and wildcards: /story (kazakhstan OR uzbekistan) NOT outlet:rt · /story tokayev NEAR/5 terrorists' },
  ]);
}
