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
    /**
     * Hash: every feed's runtime state (validators, interval in force, pause state) under
     * `r:<feed id>` and its health under `h:<feed id>`, JSON each: one key for all feeds, so a poll
     * group's reads and writes are one command each (issue 16).
     */
    feedsState: `${p}:feeds:state`,
    /** The earlier version's hash per feed (fields `runtime`, `health`); moved into feedsState at start. */
    legacyFeedState: (feedId: string) => `${p}:feed:${feedId}:state`,
    /** Set of feed ids removed by command (a file feed comes back at the next start). */
    feedsRemoved: `${p}:feeds:removed`,

    // ── when feeds are polled (owned by adapters/feed-scheduler.ts) ──
    /** Sorted set: scheduled feed id → its next poll, ms (while a poll is under way: when its claim lapses). */
    feedsDue: `${p}:feeds:due`,
    /** Hash: scheduled feed id → its interval in force, seconds. */
    feedsEvery: `${p}:feeds:every`,
    /**
     * Hash with TTL, only while a poll-due group is run again after a worker died holding it:
     * feed id → `run` / `alone` (its poll started beside others / alone) or `done` (finished, its
     * writes made). See jobs/poll-due.ts.
     */
    pollRun: (runId: string) => `${p}:pollrun:${runId}`,
    /** Hash: feed id → `<deaths> <ms of the latest>`: workers that died while polling it alone, in a row. */
    feedsDeaths: `${p}:feeds:deaths`,
    /**
     * Hash: claim id (`<ms>-<random>`) → the feeds a tick claimed and has not queued yet (JSON
     * `[id, due, id, due, …]`), written with the claim, removed once its poll-due jobs are queued.
     */
    feedsClaims: `${p}:feeds:claims`,

    /** Set with TTL: articles of one poll's batch not analysed yet (alerts wait for their siblings). */
    pollBatch: (batchKey: string) => `${p}:batch:${batchKey}`,

    // ── dedupe (owned by adapters/redis/seen-store.ts) ──
    /**
     * String with TTL: an article key, canonical link or title key already seen → article id.
     * Scoped by outlet, whose id is the hash tag so one claim's keys share a cluster slot.
     */
    seen: (outletId: string, key: string) => `${p}:seen:{${outletId}}:${key}`,

    // ── articles (owned by adapters/redis/article-store.ts) ──
    /**
     * String (JSON) with TTL: the article as the poll handed it over (SET NX), or an analysed
     * record whole (put/putMany; records of earlier versions).
     */
    article: (id: string) => `${p}:article:${id}`,
    /**
     * String (JSON) with TTL: what analysis added to the article at `article` (its analysis, story
     * id and cites), written by the analyse job beside the raw copy instead of the whole record again.
     */
    articleAnalysis: (id: string) => `${p}:article-analysis:${id}`,
    /**
     * Sorted set: id of every stored article with a story → its publication ms (export scans it in
     * time order with a cursor). No TTL: the daily trim drops entries past the retention; an entry
     * whose article expired first is skipped by the scan.
     */
    articlesByTime: `${p}:articles:by-time`,
    /** Hash: upgrade step → when it ran (ISO). Each migration at start runs once per deployment. */
    migrations: `${p}:migrations`,

    // ── stories (owned by adapters/redis/story-store.ts) ──
    /** String (Story JSON), TTL retention from its last update. */
    story: (id: string) => `${p}:story:${id}`,
    /**
     * String, TTL retention like the record's: the story record's version, a number from `storyVersionSeq` set by every write
     * of the record (assign's commit, a merge), so a compare-and-set compares it instead of hashing the record. None on a
     * record written before versions existed: it reads as version '0' (story-read-versioned.lua).
     */
    storyVersion: (id: string) => `${p}:story:ver:${id}`,
    /**
     * String (counter, no TTL): the last story version handed out; unique across stories, so a version is never reused, and
     * never below Redis's clock in µs when handed out, so not after a host crash took the counter back either (story-commit-many.lua).
     */
    storyVersionSeq: `${p}:story:ver-seq`,
    /** String, TTL retention: the story an article was assigned to (makes assign idempotent). */
    storyOf: (articleId: string) => `${p}:story:of:${articleId}`,
    /** String (packed vectors, story/similarity.ts), TTL 2 × window: an article's matching features. */
    storyVectors: (articleId: string) => `${p}:story:vec:${articleId}`,
    /**
     * Sorted set per matching key: story id → publication ms of its latest article filed under the key. The previous
     * layout's candidate index (before the change log): no longer written; read once by the migration (story-mirror.ts).
     */
    storyCandidates: (key: string) => `${p}:story:cand:${key}`,
    /**
     * Stream: the story change log (story-mirror.ts): one entry per committed batch of assigns (each article's story,
     * time and matching keys) and per merge; every assigner process's in-memory candidate index is built from it.
     * Trimmed (MINID) to 2 × window of wall-clock time.
     */
    storyLog: `${p}:story:log`,
    /** String, no TTL: the change log's generation (random), set when the log is started; a mirror built from another is rebuilt. */
    storyLogGen: `${p}:story:log:gen`,
    /** String, no TTL: the story layout's protocol version ('2': change log and mirrors); refused by a process of another version. */
    storyProtocol: `${p}:story:protocol`,
    /** Hash per 30-day epoch: matching key → documents containing it; field `#n` counts documents. */
    storyDf: (epoch: number) => `${p}:story:df:${epoch}`,
    /** Short lock on a matching key while an article is matched and filed. One hash tag: taken together by one script. */
    storyLock: (key: string) => `${p}:{story-lock}:${key}`,
    /** The one lock every story writer (assign batch, merge) holds while it reads the change log, decides and commits (story-mirror.ts). */
    storyWriteLock: `${p}:{story-lock}:*write`,
    /** String, TTL retention: a story merged into another → the story it answers with now (story-merge.ts). */
    storyAlias: (id: string) => `${p}:story:alias:${id}`,
    /** Hash: merged story id → its merge (JSON) until the deliveries have been told (jobs/merge-notice.ts). */
    storyMergesPending: `${p}:story:merges:pending`,
    /** Sorted set: every story → lastSeen ms. No TTL: the daily trim() drops entries past the retention. */
    storiesByTime: `${p}:stories:by-time`,
    /** Sorted set per country / entity / tag / outlet / headline term: story id → lastSeen ms. No TTL: trimmed by the daily trim(). */
    storiesBy: (kind: 'country' | 'entity' | 'tag' | 'outlet' | 'term', value: string) => `${p}:stories:${kind}:${value}`,
    /** Set of every `storiesBy` key in use, so retention can trim them without SCAN. */
    storyIndexKeys: `${p}:stories:index-keys`,

    // ── subscriptions, mutes, deliveries (owned by adapters/redis/subscription-store.ts, delivery-store.ts) ──
    /** Hash: subscription id → Subscription JSON. */
    subscriptions: `${p}:subs`,
    /** Set per destination: its subscription ids. */
    destinationSubs: (dest: string) => `${p}:subs:dest:${dest}`,
    /** Set per destination: `story:<id>` and `outlet:<id>` it muted. */
    mutes: (dest: string) => `${p}:mutes:${dest}`,
    /** Hash per (destination, story): root message, outlets posted, tags shown. TTL = retention. */
    deliveryStory: (dest: string, storyId: string) => `${p}:dlv:${dest}:story:${storyId}`,
    /** Hash per (destination, article): the recorded post. TTL = retention. */
    deliveryArticle: (dest: string, articleId: string) => `${p}:dlv:${dest}:art:${articleId}`,
    /** String with PX TTL: per-destination pacing slot. */
    pace: (dest: string) => `${p}:pace:${dest}`,
    /** String: platform refused our credentials (delivery stopped), with the reason. */
    platformAuthFailed: (platform: string) => `${p}:auth-failed:${platform}`,
    /** String per (destination, day): that day's digest was sent. */
    digestSent: (dest: string, day: string) => `${p}:digest:${dest}:${day}`,

    // ── trends (owned by adapters/redis/trend-store.ts) ──
    /** Hash per UTC hour (`YYYYMMDDHH`): counter field → articles published in it; expires at the hour + retention. */
    trendHour: (hour: string) => `${p}:trend:h:${hour}`,
    /** Hash per UTC day (`YYYY-MM-DD`): counter field → articles; expires at the day + retention. */
    trendDay: (day: string) => `${p}:trend:d:${day}`,
    /** String with TTL: this article is counted (makes counting idempotent). */
    trendCounted: (articleId: string) => `${p}:trend:counted:${articleId}`,
    /** Hash: outlet id → {outlet, affiliation} JSON, for share of voice. */
    trendOutlets: `${p}:trend:outlets`,
    /** String with TTL SPIKE_COOLDOWN_HOURS: the key spiked lately (its spike id). */
    spikeCooldown: (key: string) => `${p}:spike:cool:${key}`,
    /** Sorted set: spike JSON scored by its window end ms; entries past the retention trimmed on write. */
    spikes: `${p}:spikes`,
  };
}

export type Keys = ReturnType<typeof makeKeys>;
