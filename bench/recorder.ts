// A recording destination: a Notifier that posts nowhere and writes down what it was sent and
// when (Date.now() at the call), for delivery counts, duplicates and alert latency.
import type { Alert } from '../src/core/alert/values.js';
import { destinationKey, type Platform } from '../src/core/types.js';
import type { MessageRef, Notifier } from '../src/ports/notifier.js';

export interface RecordedPost {
  destination: string;
  articleId: string;
  storyId: string;
  kind: 'alert' | 'followup' | 'notice' | 'merge';
  /** The article's link (the farm's links name feed and item: ground truth). */
  url: string | null;
  /** ms since epoch, when the notifier was called. */
  at: number;
}

export interface RecordingNotifier extends Notifier {
  readonly posts: RecordedPost[];
  /** Records a post made elsewhere (a worker process's recorder). */
  ingest(p: RecordedPost): void;
  /** Posts of one (destination, article) beyond the first. */
  duplicates(): number;
  /** Forgets what was recorded (between phases). */
  reset(): void;
}

export const postKey = (destination: string, articleId: string) => `${destination}\u0000${articleId}`;

/** `onPost` sees each post as it is recorded (a worker process forwards them to the bench). */
export function createRecordingNotifier(platform: Platform, clock: () => number = Date.now, onPost?: (p: RecordedPost) => void): RecordingNotifier {
  let posts: RecordedPost[] = [];
  const seen = new Map<string, number>();
  let n = 0;
  const record = (p: RecordedPost) => {
    posts.push(p);
    const k = postKey(p.destination, p.articleId);
    seen.set(k, (seen.get(k) ?? 0) + 1);
    onPost?.(p);
  };
  return {
    platform,
    get posts() {
      return posts;
    },
    ingest: (p) => record(p),
    async postAlert(alert: Alert, thread: MessageRef | null): Promise<MessageRef> {
      const at = clock();
      record({ destination: destinationKey(alert.destination), articleId: alert.articleId, storyId: alert.storyId, kind: alert.kind, url: alert.url, at });
      n += 1;
      const ref: MessageRef = { channel: alert.destination.channel, messageId: String(n) };
      return alert.kind === 'alert' ? { ...ref, threadId: ref.messageId } : { ...ref, threadId: thread?.threadId ?? thread?.messageId ?? ref.messageId };
    },
    async postReply(destination, _reply) {
      const at = clock();
      n += 1;
      record({ destination: destinationKey(destination), articleId: `notice-${n}`, storyId: '', kind: 'notice', url: null, at });
      return { channel: destination.channel, messageId: String(n) };
    },
    duplicates() {
      let d = 0;
      for (const c of seen.values()) d += c - 1;
      return d;
    },
    reset() {
      posts = [];
      seen.clear();
    },
  };
}
