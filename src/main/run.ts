// `steppewatch start|worker|bot|scheduler`: run roles until SIGINT/SIGTERM, then shut down
// gracefully: stop taking work, let active jobs finish (or hand them back) within a timeout,
// close Redis connections, stop the embedded Redis when this process was its last user.
import type { Config } from '../config.js';
import { createLogger } from '../adapters/log.js';
import { createContainer } from './container.js';
import { feedsFileOrConfigError, startApp, type Role } from './app.js';

export const SHUTDOWN_TIMEOUT_MS = 30_000;

/**
 * Runs until signalled. A role that cannot start throws (the CLI prints one line and exits:
 * 2 bad configuration — FEEDS_FILE, HTTP_PORT —, 3 Redis missing or unreachable); it never
 * stays up half-started, serving /healthz.
 */
export async function runRoles(roles: Role[], o: { config: Readonly<Config> }): Promise<number> {
  // The feeds file first: a scheduler without it cannot work, and this costs no Redis.
  if (roles.includes('scheduler')) feedsFileOrConfigError(o.config.FEEDS_FILE);
  const log = createLogger({ level: o.config.LOG_LEVEL });
  const c = await createContainer({ config: o.config, log });
  let app;
  try {
    app = await startApp(c, { roles });
  } catch (e) {
    await c.close();
    throw e;
  }
  log.info({ roles, http: app.http?.port ?? null }, 'steppewatch running');
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  log.info({ signal }, 'shutting down');
  // A second signal during shutdown exits at once.
  const hard = (s: NodeJS.Signals) => {
    log.warn({ signal: s }, 'second signal: exiting now');
    process.exit(130);
  };
  process.once('SIGINT', hard);
  process.once('SIGTERM', hard);
  await app.stop(SHUTDOWN_TIMEOUT_MS);
  await c.close();
  log.info('stopped');
  return 0;
}
