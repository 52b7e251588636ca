// Random texts made of given pieces (a seeded generator: the same texts every run), for the tests
// that compare a hand-written scan with the regex or the plain rule it replaced.
import { rng } from '../../bench/farm/rng.js';

/** `count` texts of 0 to `maxPieces - 1` pieces each, drawn from `pieces`. */
export function randomTexts(pieces: readonly string[], count: number, maxPieces: number, seed: number): string[] {
  const rand = rng(seed);
  const out: string[] = [];
  for (let k = 0; k < count; k++) {
    let text = '';
    const len = Math.floor(rand() * maxPieces);
    for (let j = 0; j < len; j++) text += pieces[Math.floor(rand() * pieces.length)];
    out.push(text);
  }
  return out;
}
