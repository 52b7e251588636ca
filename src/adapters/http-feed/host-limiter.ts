// Politeness: at most N requests in flight per host name, the rest wait their turn (FIFO).

export class HostLimiter {
  private readonly hosts = new Map<string, { active: number; queue: (() => void)[] }>();
  constructor(private readonly perHost: number) {
    if (!(perHost >= 1)) throw new RangeError('perHostConcurrency must be at least 1');
  }

  /** Waits for a slot on `host`; the returned function releases it (idempotent). */
  async acquire(host: string): Promise<() => void> {
    return this.tryAcquire(host) ?? this.queued(host.toLowerCase());
  }

  /** A slot on `host` when one is free now (no await: the fetcher's common case), else null. */
  tryAcquire(host: string): (() => void) | null {
    const key = host.toLowerCase();
    let h = this.hosts.get(key);
    if (!h) {
      h = { active: 0, queue: [] };
      this.hosts.set(key, h);
    }
    if (h.active >= this.perHost) return null;
    h.active++;
    return this.releaser(key, h);
  }

  private async queued(key: string): Promise<() => void> {
    const h = this.hosts.get(key)!;
    await new Promise<void>((resolve) => h.queue.push(resolve));
    return this.releaser(key, h);
  }

  private releaser(key: string, h: { active: number; queue: (() => void)[] }): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = h.queue.shift();
      // The slot passes straight to the next waiter; `active` only drops when nobody waits.
      if (next) next();
      else if (--h.active === 0) this.hosts.delete(key);
    };
  }

  /** Requests in flight for a host (tests, metrics). */
  active(host: string): number {
    return this.hosts.get(host.toLowerCase())?.active ?? 0;
  }
}
