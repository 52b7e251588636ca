// The SSRF classifier is pure: these tests send no traffic anywhere.
import { describe, expect, it } from 'vitest';
import { blockedHostnameReason, checkUrl, classifyAddress } from '../../../src/core/feed/policy/ssrf.js';

describe('classifyAddress', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['100.127.255.255', 'carrier-grade NAT'],
    ['169.254.1.1', 'link-local'],
    ['169.254.169.254', 'cloud metadata'],
    ['100.100.100.200', 'cloud metadata'],
    ['192.0.0.192', 'cloud metadata'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['255.255.255.255', 'broadcast'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['240.0.0.1', 'reserved'],
    ['192.0.2.10', 'reserved'],
    ['198.18.0.1', 'reserved'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['fc00::1', 'unique-local'],
    ['fd12:3456::1', 'unique-local'],
    ['fd00:ec2::254', 'cloud metadata'],
    ['ff02::1', 'multicast'],
    ['fec0::1', 'site-local'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['[::ffff:10.0.0.1]', 'private'],
    ['::ffff:169.254.169.254', 'cloud metadata'],
    ['::127.0.0.1', 'loopback'],
    ['::ffff:0:127.0.0.1', 'loopback'],
    ['64:ff9b::7f00:1', 'loopback'],
    ['64:ff9b::a00:1', 'private'],
    ['64:ff9b:1::808:808', 'local-use NAT64'],
    ['2002:7f00:1::', 'loopback'],
    ['2002:c0a8:101::1', 'private'],
    ['2001:0:4136:e378:8000:63bf:3fff:fdd2', 'Teredo'],
    ['2001:db8::1', 'reserved'],
  ])('refuses %s (%s)', (ip, reason) => {
    const v = classifyAddress(ip);
    expect(v.allowed).toBe(false);
    expect(v.reason).toContain(reason);
  });

  it.each([
    // legacy IPv4 notations of 127.0.0.1
    '127.1',
    '0x7f000001',
    '2130706433',
    '0177.0.0.1',
    '127.000.000.001',
    '0x7f.1',
  ])('reads the legacy notation %s as loopback', (ip) => {
    expect(classifyAddress(ip)).toEqual({ allowed: false, reason: 'loopback address' });
  });

  it.each(['93.184.216.34', '8.8.8.8', '2606:4700:4700::1111', '2a00:1450:4001:82a::200e', '::ffff:8.8.8.8', '64:ff9b::808:808', '2002:808:808::1', '172.32.0.1', '100.128.0.1', '11.0.0.1'])(
    'allows the public address %s',
    (ip) => {
      expect(classifyAddress(ip)).toEqual({ allowed: true });
    },
  );

  it('refuses what is not an address', () => {
    expect(classifyAddress('example.com').allowed).toBe(false);
    expect(classifyAddress('').allowed).toBe(false);
    expect(classifyAddress('1.2.3.4.5').allowed).toBe(false);
  });
});

describe('checkUrl', () => {
  it.each([
    'http://127.0.0.1/feed',
    'http://127.1/',
    'http://0x7f000001/',
    'http://2130706433/',
    'http://0177.0.0.1/',
    'http://127.000.000.001/',
    'http://0x7f.1/',
    'http://127.0.0.1./',
    'http://%31%32%37.0.0.1/',
    'http://０x７f.1/',
    'http://[::1]/',
    'http://[::ffff:127.0.0.1]/',
    'http://[::ffff:7f00:1]/',
    'http://[::]/',
    'http://0/',
    'http://0.0.0.0:8080/',
    'https://10.0.0.5/rss',
    'http://169.254.169.254/latest/meta-data/',
    'http://[fd00:ec2::254]/latest/meta-data/',
    'http://[fe80::1]/',
    'http://100.64.1.1/',
    'http://localhost:8080/',
    'http://LOCALHOST./',
    'http://feeds.localhost/',
    'http://metadata.google.internal/computeMetadata/v1/',
    'http://metadata/',
    'http://db.internal/',
    'http://printer.local/',
    'http://router.home.arpa/',
  ])('blocks %s before any connection', (url) => {
    const r = checkUrl(url);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.code).toBe('blocked_address');
  });

  it.each(['not a url', 'ftp://example.com/feed', 'javascript:alert(1)', 'file:///etc/passwd', 'gopher://x/', 'http://', 'data:text/xml,<rss/>'])('calls %s a bad URL', (url) => {
    const r = checkUrl(url);
    expect(r).toMatchObject({ ok: false, code: 'bad_url' });
  });

  it('passes public hosts and literals, leaving hostnames to the post-DNS check', () => {
    expect(checkUrl('https://www.rt.com/rss/news/')).toMatchObject({ ok: true });
    expect(checkUrl('http://93.184.216.34/feed')).toMatchObject({ ok: true });
    expect(checkUrl('http://[2606:4700:4700::1111]/')).toMatchObject({ ok: true });
    const r = checkUrl('  https://Example.COM:443/a  ');
    expect(r.ok && r.url.href).toBe('https://example.com/a');
  });

  it('lets private addresses through when they are allowed, but still refuses other schemes', () => {
    expect(checkUrl('http://127.0.0.1:3000/feed', { allowPrivate: true })).toMatchObject({ ok: true });
    expect(checkUrl('http://localhost/', { allowPrivate: true })).toMatchObject({ ok: true });
    expect(checkUrl('ftp://127.0.0.1/', { allowPrivate: true })).toMatchObject({ ok: false, code: 'bad_url' });
  });

  it('uses an injected policy', () => {
    const policy = (ip: string) => (ip === '127.0.0.2' ? { allowed: true } : classifyAddress(ip));
    expect(checkUrl('http://127.0.0.2/', { policy })).toMatchObject({ ok: true });
    expect(checkUrl('http://127.0.0.1/', { policy })).toMatchObject({ ok: false, code: 'blocked_address' });
  });

  it('names the reason of a refused host name', () => {
    expect(blockedHostnameReason('metadata.google.internal')).toBe('cloud metadata host');
    expect(blockedHostnameReason('a.b.localhost.')).toBe('localhost');
    expect(blockedHostnameReason('tengrinews.kz')).toBeNull();
  });
});
