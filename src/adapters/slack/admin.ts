// Who may run admin-only subcommands: workspace admins and owners (users.info), plus the user ids
// of SLACK_ADMIN_USERS. Answers are cached per user so a command costs at most one users.info call
// every few minutes; concurrent lookups of one user share a call.
import type { CommandName, ParsedCommand } from '../../commands/types.js';
import type { Logger } from '../log.js';
import type { WebClient } from './client.js';

/** Subcommands that change what the whole workspace polls (design.md: "add, remove, pause, resume are for admins"). */
export const ADMIN_ONLY: Partial<Record<CommandName, readonly string[]>> = {
  feeds: ['add', 'remove', 'pause', 'resume'],
};

/** The subcommand of a parsed command (`sub`, or the first bare word when the grammar left it there). */
export function subcommandOf(cmd: ParsedCommand): string | undefined {
  return (cmd.sub ?? cmd.bare[0])?.toLowerCase();
}

export function requiresAdmin(cmd: ParsedCommand): boolean {
  const subs = ADMIN_ONLY[cmd.name];
  const sub = subcommandOf(cmd);
  return Boolean(subs && sub && subs.includes(sub));
}

export interface AdminDirectoryOptions {
  client: WebClient;
  /** SLACK_ADMIN_USERS: admins whatever Slack says. */
  adminUsers: readonly string[];
  log: Logger;
  /** How long an answer is trusted (default 5 minutes). */
  ttlMs?: number;
  /** How long a failed lookup counts as "not admin" before asking again (default 30 s). */
  failureTtlMs?: number;
  now?: () => number;
}

export interface AdminDirectory {
  isAdmin(userId: string): Promise<boolean>;
}

export function createAdminDirectory(o: AdminDirectoryOptions): AdminDirectory {
  const ttl = o.ttlMs ?? 5 * 60_000;
  const failureTtl = o.failureTtlMs ?? 30_000;
  const now = o.now ?? Date.now;
  const fixed = new Set(o.adminUsers);
  const cache = new Map<string, { admin: boolean; until: number }>();
  const inflight = new Map<string, Promise<boolean>>();

  async function lookup(userId: string): Promise<boolean> {
    try {
      const res = await o.client.users.info({ user: userId });
      const u = res.user;
      const admin = Boolean(u && (u.is_admin || u.is_owner || u.is_primary_owner));
      cache.set(userId, { admin, until: now() + ttl });
      return admin;
    } catch (e) {
      // Refuse rather than fail open; say why in the log (missing users:read, rate limit …).
      o.log.warn({ err: e, userId }, 'slack: users.info failed; treating the user as not an admin for now');
      cache.set(userId, { admin: false, until: now() + failureTtl });
      return false;
    }
  }

  return {
    async isAdmin(userId) {
      if (fixed.has(userId)) return true;
      const hit = cache.get(userId);
      if (hit && hit.until > now()) return hit.admin;
      let p = inflight.get(userId);
      if (!p) {
        p = lookup(userId).finally(() => inflight.delete(userId));
        inflight.set(userId, p);
      }
      return p;
    },
  };
}
