// data/speakers.yaml: the speaker lexicon attribution reads offices and countries from.
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AnalysisDataError, loadAnalyzerData, packageRoot } from '../../../src/adapters/analysis-data.js';
import { createAnalyzer } from '../../../src/core/analyse.js';
import { NOW } from './analyzer.js';

const DATA = join(packageRoot(), 'data');
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A copy of data/ with speakers.yaml edited. */
function dataWith(edit: (speakers: string) => string): string {
  const dir = mkdtempSync(join(tmpdir(), 'steppewatch-speakers-'));
  dirs.push(dir);
  for (const f of ['gazetteer.yaml', 'framing-lexicon.yaml']) copyFileSync(join(DATA, f), join(dir, f));
  writeFileSync(join(dir, 'speakers.yaml'), edit(readFileSync(join(DATA, 'speakers.yaml'), 'utf8')));
  return dir;
}

describe('the speaker lexicon (data/speakers.yaml)', () => {
  const text = 'Tokayev, the Kazakh president, spoke on Monday. The Kazakh leader called the unrest an attempted coup d’état.';

  it('is what resolves a role to the person the article gave it', () => {
    const r = createAnalyzer(loadAnalyzerData()).analyze({ id: 'a', text }, NOW);
    const coup = r.framings.find((f) => f.tag === 'attempted-coup');
    expect(coup?.evidence[0]?.attributedTo).toBe('Tokayev');
  });

  it('is read from the data folder, not from code: without "leader" as an office the role is not resolved', () => {
    const dir = dataWith((s) => s.replace("'leader', ", ''));
    const r = createAnalyzer(loadAnalyzerData(dir)).analyze({ id: 'a', text }, NOW);
    const coup = r.framings.find((f) => f.tag === 'attempted-coup');
    expect(coup).toBeDefined();
    expect(coup!.evidence[0]!.attributedTo).not.toBe('Tokayev');
  });

  it('a pattern that does not compile is a clear error naming the file and the list', () => {
    const dir = dataWith((s) => s.replace("'prime', ", "'prime(', "));
    expect(() => loadAnalyzerData(dir)).toThrow(AnalysisDataError);
    expect(() => loadAnalyzerData(dir)).toThrow(/speakers\.yaml: offices\.pm: "prime\("/);
  });

  it('country words are not read from here: a list of them is an error that says where they live', () => {
    const dir = dataWith((s) => `${s}\nnationality:\n  KZ: ['kazakh']\n`);
    expect(() => loadAnalyzerData(dir)).toThrow(/speakers\.yaml: nationality: country words are read from data\/gazetteer\.yaml/);
  });

  it('a missing list is a clear error', () => {
    const dir = dataWith((s) => s.replace(/^pronouns:.*$/m, ''));
    expect(() => loadAnalyzerData(dir)).toThrow(/speakers\.yaml: pronouns/);
  });
});
