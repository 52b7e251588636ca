// Starts the feed farm in a child process and talks to it over IPC.
import { forkRpcChild } from '../child.js';
import type { FarmSpec, ItemMeta } from './content.js';
import type { FarmStats } from './server.js';

export interface FarmProcessStats extends FarmStats {
  /** CPU the farm process used since it started, seconds. */
  cpuSeconds: number;
  rssMB: number;
}

export interface FarmProcess {
  url: string;
  pid: number;
  /** Time the farm took to render its documents at start, ms. */
  renderMs: number;
  /** Time its warm-up took (farm/warm-up.ts), ms; 0 without. */
  warmUpMs: number;
  heldBytes: number;
  feedUrl(feed: number): string;
  publish(items: ItemMeta[]): Promise<void>;
  stats(reset?: boolean): Promise<FarmProcessStats>;
  close(): Promise<void>;
}

/** `warmUp: false`: a farm as cold as a fresh process (farm/warm-up.ts says why it is warmed by default). */
export async function startFarmProcess(spec: FarmSpec, o: { warmUp?: boolean } = {}): Promise<FarmProcess> {
  const child = forkRpcChild(new URL('./child.js', import.meta.url));
  const started = await child.call<{ url: string; renderMs: number; heldBytes: number; warmUpMs: number }>('start', { spec, warmUp: o.warmUp ?? true });
  return {
    url: started.url,
    pid: child.pid,
    renderMs: started.renderMs,
    warmUpMs: started.warmUpMs,
    heldBytes: started.heldBytes,
    feedUrl: (i) => `${started.url}/feeds/farm-${String(i).padStart(4, '0')}.xml`,
    publish: (items) => child.call<void>('publish', { items }),
    stats: (reset) => child.call<FarmProcessStats>('stats', { reset: Boolean(reset) }),
    close: () => child.close(),
  };
}
