// The deployment's outlet directory: data/outlets.yaml plus the outlets of the feeds file.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';
import { z } from 'zod';
import { AFFILIATION_PATTERN } from '../core/feed/config/feeds-file.js';
import { outletDirectory, type OutletDirectory, type OutletInfo } from '../core/feed/config/outlets.js';
import type { Affiliation, FeedConfig } from '../core/types.js';
import { dataDir } from './paths.js';

const entry = z.object({ id: z.string().min(1), names: z.array(z.string().min(1)), affiliation: z.string().regex(AFFILIATION_PATTERN) });

let builtIn: OutletInfo[] | null = null;

export function builtInOutlets(): OutletInfo[] {
  builtIn ??= z
    .array(entry)
    .parse(YAML.parse(readFileSync(join(dataDir(), 'outlets.yaml'), 'utf8')))
    .map((e) => ({ ...e, affiliation: e.affiliation as Affiliation }));
  return builtIn;
}

export function loadOutletDirectory(feeds: readonly Pick<FeedConfig, 'outletId' | 'outlet' | 'affiliation'>[]): OutletDirectory {
  return outletDirectory([...builtInOutlets(), ...feeds.map((f) => ({ id: f.outletId, names: [f.outlet], affiliation: f.affiliation }))]);
}
