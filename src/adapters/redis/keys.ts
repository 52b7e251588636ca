// Every Redis key name steppewatch uses, in one place. `prefix` isolates deployments and tests.
// BullMQ's own keys live under `<prefix>:q:<queue>` (see queues.ts), one hash tag per queue.
// Sections belong to the part of the code that owns those keys; keep each section together.

export function makeKeys(prefix = 'sw') {
  const p = prefix;
  return {
    prefix: p,
    /** BullMQ prefix: queue keys become `<prefix>:q:{<queue>}:…` (hash tag for cluster slots). */
    bullPrefix: `${p}:q`,

    // ── feeds and polling (owned by adapters/redis/feed-store.ts) ──
    /** Hash: feed id → FeedConfig JSON (file and command feeds). */
    feeds: `${p}:feeds`,
    /** Hash per feed: validators, health, schedule, pause state. */
    feedState: (feedId: string) => `${p}:feed:${feedId}:state`,
    /** Set of feed ids removed by command (a file feed comes back at the next start). */
    feedsRemoved: `${p}:feeds:removed`,

    // ── dedupe (owned by adapters/redis/seen-store.ts) ──
    /** String with TTL: an article key, canonical link or title key already seen → article id. */
    seen: (key: string) => `${p}:seen:${key}`,

    // ── articles (owned by adapters/redis/article-store.ts) ──
    /** String (JSON) with TTL: the article and, once analysed, its analysis and story id. */
    article: (id: string) => `${p}:article:${id}`,

    // ── stories (owned by adapters/redis/story-store.ts) ──

    // ── subscriptions, mutes, deliveries (owned by adapters/redis/subscription-store.ts, delivery-store.ts) ──
  };
}

export type Keys = ReturnType<typeof makeKeys>;
