// The bot role: slash commands and interactions over Slack and Discord, and the chat notifiers.
import type { Express } from 'express';
import type { Platform } from '../core/types.js';
import type { FeedAdmin } from '../ports/feed-admin.js';
import type { Notifier } from '../ports/notifier.js';
import type { Container } from './container.js';

export interface BotHandle {
  stop(): Promise<void>;
}

export function createChatNotifiers(_c: Container): Partial<Record<Platform, Notifier>> {
  return {};
}

export async function startBot(_c: Container, _o: { app: Express | null; feedAdmin: FeedAdmin }): Promise<BotHandle> {
  return { stop: async () => {} };
}
