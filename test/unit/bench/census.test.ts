import { describe, expect, it } from 'vitest';
import { byGroup, keyGroup } from '../../../bench/redis-census.js';
import { childExecArgv } from '../../../bench/child.js';

describe('the Redis census', () => {
  it('groups keys by their first segment under the session prefix, queues by name', () => {
    expect(keyGroup('bench-1-0:article:abc', 'bench-1-0')).toBe('article');
    expect(keyGroup('bench-1-0:seen:{farm-outlet-001}:k', 'bench-1-0')).toBe('seen');
    expect(keyGroup('bench-1-0:q:{analyse}:wait', 'bench-1-0')).toBe('queue:analyse');
    expect(keyGroup('sw:article:abc', 'bench-1-0')).toBe('other');
    expect(keyGroup('anything', '')).toBe('other');
  });
  it('adds up commands of every name per group', () => {
    const m = new Map([
      ['story zadd', { commands: 2, argBytes: 10, sendMs: 1, replyBytes: 16 }],
      ['story expire', { commands: 1, argBytes: 5, sendMs: 0.5, replyBytes: 8 }],
      ['article set', { commands: 1, argBytes: 100, sendMs: 2, replyBytes: 2 }],
    ]);
    expect(byGroup(m)).toEqual({ story: { commands: 3, argBytes: 15, sendMs: 1.5, replyBytes: 24 }, article: { commands: 1, argBytes: 100, sendMs: 2, replyBytes: 2 } });
  });
});

describe('child processes', () => {
  it('inherit loaders but not profilers, heap limits or inspectors', () => {
    expect(childExecArgv(['--import', 'tsx', '--cpu-prof', '--cpu-prof-dir=/tmp/p', '--max-old-space-size=128', '--expose-gc', '--inspect=9229', '--enable-source-maps'])).toEqual([
      '--import',
      'tsx',
      '--enable-source-maps',
    ]);
  });
});
