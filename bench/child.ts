// Child processes of the bench (the feed farm, extra pipeline workers): forked with the loader
// flags of this process but not its profiling or memory flags, spoken to over IPC with numbered
// requests, and able to push events of their own.
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export type ChildRequest = { id: number; op: string; [k: string]: unknown };
export type ChildReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string };
export type ChildEvent = { event: string; [k: string]: unknown };

export interface RpcChild {
  pid: number;
  call<T>(op: string, payload?: Record<string, unknown>): Promise<T>;
  /** Events the child pushes (`{event: name, …}`). */
  onEvent(handler: (e: ChildEvent) => void): void;
  /** Asks the child to close (op `close`), waits for it to exit; SIGKILL after 5 s. */
  close(): Promise<void>;
}

/** The compiled entry (.js) next to `jsUrl`, or its source (.ts) when running under tsx. */
export function childEntry(jsUrl: URL): string {
  const js = fileURLToPath(jsUrl);
  return existsSync(js) ? js : js.replace(/\.js$/, '.ts');
}

/** The flags a child inherits: loaders yes; profilers, heap limits and inspectors no. */
export function childExecArgv(execArgv: readonly string[] = process.execArgv): string[] {
  return execArgv.filter((a) => !/^--(cpu-prof|heap-prof|heapsnapshot|max-old-space-size|max-semi-space-size|expose-gc|inspect)/.test(a));
}

export function forkRpcChild(jsUrl: URL): RpcChild {
  const child: ChildProcess = fork(childEntry(jsUrl), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: childExecArgv() });
  let next = 1;
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  const handlers: ((e: ChildEvent) => void)[] = [];
  let exited: Error | null = null;
  child.on('message', (m: ChildReply | ChildEvent) => {
    if ('event' in m) {
      for (const h of handlers) h(m);
      return;
    }
    const p = pending.get(m.id);
    if (!p) return;
    pending.delete(m.id);
    if (m.ok) p.resolve(m.value);
    else p.reject(new Error(m.error));
  });
  child.on('exit', (code, signal) => {
    exited = new Error(`child process ${child.pid} exited (${signal ?? code})`);
    for (const p of pending.values()) p.reject(exited);
    pending.clear();
  });
  const call = <T>(op: string, payload: Record<string, unknown> = {}): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      if (exited) return reject(exited);
      const id = next++;
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      child.send({ ...payload, op, id } satisfies ChildRequest);
    });
  return {
    pid: child.pid ?? -1,
    call,
    onEvent: (h) => handlers.push(h),
    async close() {
      if (exited) return;
      const gone = new Promise<void>((r) => child.once('exit', () => r()));
      await call('close').catch(() => {});
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await gone;
      clearTimeout(timer);
    },
  };
}

/** The child side: answers requests with `handle`, and exits when the parent goes away. */
export function serveRequests(handle: (m: ChildRequest) => Promise<unknown>, onDisconnect: () => Promise<void>): void {
  process.on('message', (m: ChildRequest) => {
    handle(m).then(
      (value) => process.send?.({ id: m.id, ok: true, value } satisfies ChildReply),
      (e: unknown) => process.send?.({ id: m.id, ok: false, error: (e as Error).stack ?? String(e) } satisfies ChildReply),
    );
  });
  process.on('disconnect', () => {
    void onDisconnect().finally(() => process.exit(0));
  });
}

/** Pushes an event to the parent. */
export function pushEvent(e: ChildEvent): void {
  process.send?.(e);
}
