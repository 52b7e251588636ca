// "Open story" links for the chat messages: when PUBLIC_URL is set and the web view is on, every
// alert, follow-up, digest and /story answer carries the URL of the story's page (with its own
// token when WEB_AUTH=token). Added around the notifiers and the command handler, so neither the
// jobs nor the command handlers know about the web view.
import type { Config } from '../config.js';
import type { Platform } from '../core/types.js';
import { alertWithStoryUrl, replyWithStoryUrls, type StoryUrlFor } from '../core/alert/links.js';
import type { Notifier } from '../ports/notifier.js';
import { createLinker, webAuthFrom } from '../adapters/web/access.js';
import { storyPath } from '../adapters/web/pages.js';

/** The story page URL maker, or null when there is no public address or the web view is off. */
export function storyLinksFrom(cfg: Config, clock: () => Date): StoryUrlFor | null {
  const auth = webAuthFrom(cfg);
  if (!cfg.PUBLIC_URL || auth.mode === 'off') return null;
  const link = createLinker(auth, clock, cfg.PUBLIC_URL);
  return (id) => link(storyPath(id));
}

export function linkNotifier(n: Notifier, urlFor: StoryUrlFor): Notifier {
  // Explicit, not a spread: a notifier may keep its methods on a prototype.
  const out: Notifier = {
    platform: n.platform,
    postAlert: (alert, thread, opts) => n.postAlert(alertWithStoryUrl(alert, urlFor), thread, opts),
    postReply: (dest, reply, opts) => n.postReply(dest, replyWithStoryUrls(reply, urlFor), opts),
  };
  if (n.updateAlert) out.updateAlert = (root, alert) => n.updateAlert!(root, alertWithStoryUrl(alert, urlFor));
  if (n.findPosted) out.findPosted = (q) => n.findPosted!(q);
  if (n.findStoryRoot) out.findStoryRoot = (q) => n.findStoryRoot!(q);
  if (n.close) out.close = () => n.close!();
  return out;
}

export function linkNotifiers(ns: Partial<Record<Platform, Notifier>>, urlFor: StoryUrlFor | null): Partial<Record<Platform, Notifier>> {
  if (!urlFor) return ns;
  const out: Partial<Record<Platform, Notifier>> = {};
  for (const [k, n] of Object.entries(ns) as [Platform, Notifier][]) out[k] = linkNotifier(n, urlFor);
  return out;
}
