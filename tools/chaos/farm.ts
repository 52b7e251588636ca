// The chaos suite's feed farm: a few outlets, one RSS feed each, on loopback. During the run it
// publishes stories: each story is told by 2–4 different outlets, a few seconds apart, so that
// every story gives one alert and follow-ups in each channel. It also serves items that must NOT
// alert (back catalogue older than ALERT_MAX_AGE_HOURS, items about elsewhere), and it can make a
// feed hang or fail on demand. Everything is a function of the seed; the farm keeps its ground
// truth (which item belongs to which story) for the checker.
//
// Written for the suite rather than reusing bench/farm: the bench farm's items are independent
// (no multi-outlet stories), and the suite is about follow-ups threading under their story.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chooser, hash32, rng } from '../../bench/farm/rng.js';

export interface FarmItem {
  /** Ground-truth name: `s12-o3` (story 12 by outlet 3), `old-o3-1`, `other-o3-0`. */
  ref: string;
  outlet: number;
  /** Story index for a story item; null for an item that must not alert. */
  story: number | null;
  url: string;
  title: string;
  text: string;
  publishedMs: number;
}

export type FeedMode = 'ok' | 'hang' | 'fail';

export interface Farm {
  url: string;
  outlets: number;
  feedUrl(outlet: number): string;
  /** The feeds file (YAML) for FEEDS_FILE. */
  feedsYaml(): string;
  /** Starts the publishing clock: scheduled items go out relative to `t0` (ms since epoch). */
  begin(t0: number): void;
  /** Publishes every scheduled item due by `nowMs` (none before begin); returns how many. */
  publishDue(nowMs: number): number;
  /** Whether every scheduled item has been published. */
  allPublished(): boolean;
  /** Items published so far (story items and the initial ones). */
  published(): FarmItem[];
  /** The item a URL names, if the farm published it. */
  byUrl(url: string): FarmItem | undefined;
  setMode(outlet: number, mode: FeedMode): void;
  stats: { ok: number; notModified: number; hung: number; failed: number };
  /** How many different feeds have been fetched (200) at least once. */
  feedsFetched(): number;
  close(): Promise<void>;
}

export interface FarmOptions {
  seed: number;
  outlets: number;
  /** The farm's "now" at start, ms since epoch (the back catalogue is dated before it). */
  startMs: number;
  /** Publishing window, ms: the last story starts early enough that all its copies are out by its end. */
  publishMs: number;
  /** A new story every … ms (average). */
  storyEveryMs: number;
}

const COUNTRIES = [
  { name: 'Kazakhstan', adj: 'Kazakh', cities: ['Almaty', 'Astana', 'Shymkent', 'Aktobe', 'Karaganda'] },
  { name: 'Kyrgyzstan', adj: 'Kyrgyz', cities: ['Bishkek', 'Osh', 'Jalal-Abad', 'Karakol', 'Naryn'] },
  { name: 'Tajikistan', adj: 'Tajik', cities: ['Dushanbe', 'Khujand', 'Kulob', 'Bokhtar', 'Khorog'] },
  { name: 'Turkmenistan', adj: 'Turkmen', cities: ['Ashgabat', 'Turkmenabat', 'Dashoguz', 'Mary', 'Balkanabat'] },
  { name: 'Uzbekistan', adj: 'Uzbek', cities: ['Tashkent', 'Samarkand', 'Bukhara', 'Namangan', 'Andijan'] },
] as const;

/**
 * Content words: each story draws its own few, so that two stories share as little as possible
 * besides the sentence scaffold (stories that read alike would rightly be merged by the story
 * engine, and the check would then see one story's follow-ups under another's root).
 */
const NOUNS = (
  'reservoir turbine spillway pipeline compressor refinery smelter quarry tunnel viaduct railway depot ' +
  'locomotive wagon terminal runway hangar harbour ferry lighthouse granary silo orchard vineyard apricot ' +
  'melon cotton wheat barley livestock pasture sheepfold stable saddle yurt bazaar caravanserai mausoleum ' +
  'minaret madrasa museum library archive theatre cinema stadium gymnasium hospital clinic pharmacy ' +
  'vaccine syringe ambulance laboratory university dormitory kindergarten school textbook ' +
  'courthouse prosecutor lawyer verdict ballot observer turnout parliament ministry embassy consulate visa passport ' +
  'checkpoint customs smuggler cigarette lorry highway bridge ' +
  'pothole sewer boiler radiator heating electricity blackout substation transformer windfarm solar panel battery ' +
  'lithium uranium copper gold silver coal lignite oilfield gasfield ' +
  'glacier avalanche mudflow earthquake aftershock drought locust wildfire sandstorm flood dam canal irrigation ' +
  'fishery caviar sturgeon camel horse falcon wolf leopard ibex ' +
  'bank deposit loan mortgage pension salary tax tariff subsidy bond currency inflation ' +
  'newspaper broadcaster blogger podcast censorship journalist printing press ' +
  'strike union protest banner rally curfew amnesty prisoner hunger-strike monastery shrine pilgrimage'
).split(' ');

const VERBS = ['halted work on', 'opened an inquiry into', 'signed a deal on', 'promised money for', 'postponed', 'inaugurated', 'closed', 'defended', 'criticised', 'inspected', 'suspended', 'approved'];

const SYLLABLES = ['ba', 'dil', 'mur', 'kan', 'tol', 'rus', 'sha', 'yer', 'zan', 'bek', 'gul', 'nar', 'ols', 'tem', 'iv', 'qo', 'lan', 'sar', 'dov', 'kul'];
const OTHER = ['A football club in Portugal signed a young striker from Brazil for a record fee.', 'Chip makers in Taiwan reported strong quarterly sales of memory modules.', 'A storm in the North Atlantic delayed cargo ships bound for Rotterdam.'];

/** Everything the farm will publish, decided at start from the seed. */
interface Scheduled {
  /** After begin(). */
  atMs: number;
  item: FarmItem;
}

export async function startFarm(o: FarmOptions): Promise<Farm> {
  const r = rng(hash32(`chaos-farm:${o.seed}`));
  const { pick, int } = chooser(r);
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const name = (n: number) => Array.from({ length: n }, () => pick(SYLLABLES)).join('');
  const cap = (s: string) => s[0]!.toUpperCase() + s.slice(1);
  const person = () => `${cap(name(2))} ${cap(name(3))}ov`;

  // Initial items: two per feed older than 48 h (stored, never alerted), one about elsewhere.
  const feeds: FarmItem[][] = Array.from({ length: o.outlets }, (_, k) => {
    const c = COUNTRIES[k % COUNTRIES.length]!;
    const old = [0, 1].map((i) => ({
      ref: `old-o${k}-${i}`,
      outlet: k,
      story: null,
      url: `${base}/a/old-o${k}-${i}.html`,
      title: `${c.adj} officials review ${pick(NOUNS)} plans in ${pick(c.cities)} (archive ${k}.${i})`,
      text: `${c.name}: ${person()} said last spring that the project in ${pick(c.cities)} would be reviewed.`,
      publishedMs: o.startMs - (72 + 10 * i + k) * 3_600_000,
    }));
    const other = { ref: `other-o${k}-0`, outlet: k, story: null, url: `${base}/a/other-o${k}-0.html`, title: `World briefing ${k}`, text: pick(OTHER), publishedMs: o.startMs - 600_000 };
    return [...old, other];
  });

  // Stories: a new one every storyEveryMs (±30 %), each told by 2–4 outlets within ~25 s.
  const schedule: Scheduled[] = [];
  // Each story's headline noun is its own (a deck dealt in turn: unique for the first ~170
  // stories, ~25 minutes): two stories in one city about the same thing would rightly be one.
  const deck = [...NOUNS].sort(() => r() - 0.5);
  const lastStart = o.publishMs - 30_000;
  for (let s = 0, t = 2_000; t <= Math.max(lastStart, 2_000); s++, t += Math.round(o.storyEveryMs * (0.7 + 0.6 * r()))) {
    const c = COUNTRIES[s % COUNTRIES.length]!;
    const n1 = deck[s % deck.length]!;
    const [n2, n3, n4, n5] = NOUNS.filter((n) => n !== n1).sort(() => r() - 0.5);
    const verb = pick(VERBS);
    // Stories of one country take its cities in turn (the same city again after 25 stories).
    const city = c.cities[Math.floor(s / COUNTRIES.length) % c.cities.length]!;
    const who = person();
    const place = `${cap(name(3))}abad`;
    const village = `${cap(name(2))}${pick(['kent', 'tepa', 'bulak', 'sai'])}`;
    const W = `${place} ${n1}`;
    const outlets = [...Array(o.outlets).keys()].sort(() => r() - 0.5).slice(0, int(2, Math.min(4, o.outlets)));
    const framed = r() < 0.4;
    outlets.forEach((k, i) => {
      const at = t + (i === 0 ? 0 : int(3_000, 25_000));
      const titles = [
        `${c.name}: ${who} ${verb} the ${W}`,
        `${c.adj} minister ${who} ${verb} the ${W} near ${city}`,
        `${who} and the ${W}: what ${c.name} decided`,
        `${city}: ${c.adj} government ${verb} the ${W}`,
      ];
      const text = [
        `${c.adj} minister ${who} ${verb} the ${W} near ${city}, officials in ${c.name} said.`,
        `Workers at the ${W} reported trouble with the ${n2} and the ${n3}.`,
        `People in ${village} said the ${n4} had been neglected for years and asked for a new ${n5}.`,
        `${who} spoke to reporters in ${city} about the ${n1} and the ${n4}.`,
        framed ? `Officials in ${c.name} blamed external forces, saying foreign-funded groups were trying to stage a colour revolution over the ${n1}.` : '',
      ]
        .filter(Boolean)
        .join(' ');
      schedule.push({
        atMs: at,
        item: { ref: `s${s}-o${k}`, outlet: k, story: s, url: `${base}/a/s${s}-o${k}.html`, title: titles[(s + i) % titles.length]!, text, publishedMs: 0 },
      });
    });
  }
  schedule.sort((a, b) => a.atMs - b.atMs);
  let next = 0;
  let t0: number | null = null;

  const versions = feeds.map(() => 1);
  const modes: FeedMode[] = feeds.map(() => 'ok');
  const held = new Set<ServerResponse>();
  const stats = { ok: 0, notModified: 0, hung: 0, failed: 0 };
  const fetched = new Set<number>();
  const byUrl = new Map<string, FarmItem>();
  for (const f of feeds) for (const it of f) byUrl.set(it.url, it);

  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const render = (k: number) => {
    const items = [...feeds[k]!].sort((a, b) => b.publishedMs - a.publishedMs);
    const body = items
      .map((it) => `<item><title>${esc(it.title)}</title><link>${esc(it.url)}</link><guid isPermaLink="true">${esc(it.url)}</guid><pubDate>${new Date(it.publishedMs).toUTCString()}</pubDate><description>${esc(it.text)}</description></item>`)
      .join('\n');
    return `<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>Chaos Outlet ${k}</title><link>${base}/</link><description>chaos farm</description><language>en</language>\n${body}\n</channel></rss>\n`;
  };

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const m = /^\/feeds\/o(\d+)\.xml$/.exec(req.url ?? '');
    const k = m ? Number(m[1]) : -1;
    if (!feeds[k]) return void res.writeHead(404).end('not found\n');
    if (modes[k] === 'hang') {
      // Headers never come: the fetcher's timeout must end the poll.
      stats.hung += 1;
      held.add(res);
      res.on('close', () => held.delete(res));
      return;
    }
    if (modes[k] === 'fail') {
      stats.failed += 1;
      return void res.writeHead(503, { 'content-type': 'text/plain' }).end('unavailable\n');
    }
    const etag = `"o${k}-v${versions[k]}"`;
    if (req.headers['if-none-match'] === etag) {
      stats.notModified += 1;
      return void res.writeHead(304, { etag }).end();
    }
    stats.ok += 1;
    fetched.add(k);
    res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8', etag }).end(render(k));
  });

  const publishDue = (nowMs: number) => {
    let n = 0;
    while (t0 !== null && next < schedule.length && t0 + schedule[next]!.atMs <= nowMs) {
      const { item, atMs } = schedule[next++]!;
      // Dated when it goes out (a whole second, as RSS dates are).
      item.publishedMs = Math.floor((t0 + atMs) / 1000) * 1000;
      feeds[item.outlet]!.push(item);
      versions[item.outlet]! += 1;
      byUrl.set(item.url, item);
      n += 1;
    }
    return n;
  };

  return {
    url: base,
    outlets: o.outlets,
    feedUrl: (k) => `${base}/feeds/o${k}.xml`,
    feedsYaml: () =>
      feeds
        .map((_, k) => `- id: chaos-o${k}\n  url: ${base}/feeds/o${k}.xml\n  outlet: Chaos Outlet ${k}\n  language: en\n  affiliation: ${['state:RU', 'state:CN', 'independent', 'public:US'][k % 4]}\n`)
        .join(''),
    begin(at) {
      t0 = at;
    },
    publishDue,
    allPublished: () => next >= schedule.length,
    published: () => feeds.flat(),
    byUrl: (url) => byUrl.get(url),
    setMode(k, mode) {
      modes[k] = mode;
      if (mode !== 'hang') for (const res of held) res.destroy();
    },
    stats,
    feedsFetched: () => fetched.size,
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of held) res.destroy();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
