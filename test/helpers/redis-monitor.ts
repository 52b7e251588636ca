// Watching the commands a Redis receives (MONITOR) on a plain socket of its own.
//
// Why not ioredis's `redis.monitor()`: its monitor connection can take a monitored line for the
// reply of a command of its own when the server is busy (a race between its ready check and
// MONITOR; ioredis throws "Command queue state error", seen in CI under load, redis/ioredis#1981).
// A socket that sends MONITOR, waits for its +OK and then reads lines has no such state to lose.
import { connect, type Socket } from 'node:net';

export interface CommandWatch {
  /** Every command seen since the watch started: its name and arguments, as sent. */
  readonly seen: string[][];
  /** The commands sent by clients, without those run inside Lua scripts (MONITOR shows both; a script's own lines say `[0 lua]`). */
  readonly sent: string[][];
  /** Waits until the server has shown every command sent before this call, then closes the socket. */
  stop(): Promise<string[][]>;
}

/** Unquotes one argument of a MONITOR line (`"a\"b"`, `"\x00"`). */
function unquote(q: string): string {
  return q.replace(/\\(x[0-9a-fA-F]{2}|.)/g, (_, e: string) => {
    if (e[0] === 'x' && e.length === 3) return String.fromCharCode(parseInt(e.slice(1), 16));
    return e === 'n' ? '\n' : e === 'r' ? '\r' : e === 't' ? '\t' : e === 'a' ? '\x07' : e === 'b' ? '\b' : e;
  });
}

/** The arguments of one MONITOR line: `1700000000.123 [0 127.0.0.1:5000] "set" "k" "v"`. */
export function monitorArgs(line: string): string[] | null {
  const start = line.indexOf('] "');
  if (start < 0) return null;
  const out: string[] = [];
  for (const m of line.slice(start + 2).matchAll(/"((?:[^"\\]|\\.)*)"/g)) out.push(unquote(m[1]!));
  return out;
}

/** Starts watching the Redis at host:port; resolves once MONITOR is on. */
export async function watchCommands(host: string, port: number): Promise<CommandWatch> {
  const seen: string[][] = [];
  const sent: string[][] = [];
  const socket: Socket = connect({ host, port });
  let buf = '';
  let ready: (() => void) | undefined;
  let marker: { token: string; done: () => void } | undefined;
  const on = new Promise<void>((resolve, reject) => {
    ready = resolve;
    socket.once('error', reject);
  });
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    buf += chunk;
    let nl: number;
    while ((nl = buf.indexOf('\r\n')) >= 0) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 2);
      if (line === '+OK' && ready) {
        ready();
        ready = undefined;
        continue;
      }
      const args = monitorArgs(line);
      if (!args) continue;
      if (marker && args[0]?.toLowerCase() === 'echo' && args[1] === marker.token) marker.done();
      else {
        seen.push(args);
        if (!/^\S+ \[\d+ lua\] /.test(line)) sent.push(args);
      }
    }
  });
  socket.write('MONITOR\r\n');
  await on;
  return {
    seen,
    sent,
    async stop() {
      // a command of our own on a second socket, seen last: everything sent before it was seen
      const token = `watch-end-${process.pid}-${Date.now()}`;
      const done = new Promise<void>((resolve) => (marker = { token, done: resolve }));
      const probe = connect({ host, port });
      probe.write(`ECHO ${token}\r\n`);
      await done;
      probe.destroy();
      socket.destroy();
      return seen;
    },
  };
}
