// Where ../shared is (beside the checkout), for tests that need the corpus or the seeds.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SHARED = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../../shared');
export const HAS_SHARED = existsSync(join(SHARED, 'corpus', 'labelled')) && existsSync(join(SHARED, 'seeds'));

/** Call at the top of a describe that needs ../shared: says loudly why it is skipped. */
export function warnIfNoShared(what: string): void {
  if (!HAS_SHARED) console.warn(`SKIPPED ${what}: ../shared (corpus and seeds) not found at ${SHARED}`);
}
