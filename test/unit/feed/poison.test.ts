import { describe, expect, it } from 'vitest';
import { DEATH_MEMORY_MS, formatDeaths, parseDeaths, planRerun, quarantineSeconds, QUARANTINE_MAX_SECONDS, QUARANTINE_MIN_SECONDS } from '../../../src/core/feed/policy/poison.js';

describe('a poll-due group run again after its worker died', () => {
  it('skips the feeds finished, polls the ones without deaths first, the suspects last (fewest deaths first), sets aside the poison', () => {
    const deaths = new Map([
      ['b', 2],
      ['c', 1],
      ['d', 3],
      ['e', 1],
    ]);
    expect(planRerun(['a', 'b', 'c', 'd', 'e', 'f'], new Set(['f']), deaths, 3)).toEqual({ setAside: [{ feedId: 'd', deaths: 3 }], first: ['a'], last: ['c', 'e', 'b'] });
  });

  it('polls every feed first when none has deaths', () => {
    expect(planRerun(['a', 'b'], new Set(), new Map(), 3)).toEqual({ setAside: [], first: ['a', 'b'], last: [] });
  });

  it('polls the suspects (in flight at the death, not charged) last, with the feeds charged', () => {
    expect(planRerun(['a', 'b', 'c'], new Set(), new Map([['c', 1]]), 3, new Set(['a']))).toEqual({ setAside: [], first: ['b'], last: ['a', 'c'] });
  });
});

describe('recorded deaths', () => {
  it('round-trip, and are forgotten after DEATH_MEMORY_MS or when unreadable', () => {
    const now = 1_800_000_000_000;
    expect(parseDeaths(formatDeaths(2, now), now + 1000)).toBe(2);
    expect(parseDeaths(formatDeaths(2, now), now + DEATH_MEMORY_MS + 1)).toBe(0);
    expect(parseDeaths('garbage', now)).toBe(0);
    expect(parseDeaths(null, now)).toBe(0);
  });
});

describe('the backoff of a feed set aside', () => {
  it('is an hour at first, doubles with its failures in a row, at most a day', () => {
    expect(quarantineSeconds(1)).toBe(QUARANTINE_MIN_SECONDS);
    expect(quarantineSeconds(2)).toBe(2 * QUARANTINE_MIN_SECONDS);
    expect(quarantineSeconds(9)).toBe(QUARANTINE_MAX_SECONDS);
  });
});
