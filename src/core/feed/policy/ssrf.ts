// SSRF guard, pure part: which IP addresses and URLs a feed fetch may reach.
// The HTTP adapter applies `classifyAddress` again to every address DNS returns and to the
// socket's peer, and `checkUrl` to every redirect hop; this file decides, it does no lookups.
import ipaddr from 'ipaddr.js';

export interface AddressVerdict {
  allowed: boolean;
  /** Why the address is refused ("loopback", "private", "cloud metadata", …). */
  reason?: string;
}

/** Decides whether an address may be connected to; injectable so tests can call a loopback server "public". */
export type AddressPolicy = (ip: string) => AddressVerdict;

// Metadata endpoints of cloud providers. All of them also fall in a refused range (link-local,
// unique-local, CGNAT, reserved); they are listed so the refusal names the real risk.
const METADATA_ADDRESSES = new Set([
  '169.254.169.254', // AWS, GCP, Azure, OpenStack, DigitalOcean …
  '169.254.170.2', // AWS ECS task metadata
  '169.254.169.123', // AWS time sync
  '169.254.0.23', // Tencent Cloud
  '100.100.100.200', // Alibaba Cloud
  '192.0.0.192', // Oracle Cloud
  'fd00:ec2::254', // AWS IMDS over IPv6
  'fd00:ec2::23',
]);

const RANGE_REASONS: Record<string, string> = {
  unspecified: 'unspecified address',
  broadcast: 'broadcast address',
  multicast: 'multicast address',
  linkLocal: 'link-local address',
  loopback: 'loopback address',
  carrierGradeNat: 'carrier-grade NAT address (100.64.0.0/10)',
  private: 'private address',
  reserved: 'reserved address',
  uniqueLocal: 'unique-local address (fc00::/7)',
  deprecatedSiteLocal: 'site-local address (fec0::/10)',
  teredo: 'Teredo tunnel address',
  benchmarking: 'benchmarking address',
  discard: 'discard-only address',
  as112: 'AS112 address',
  as112v6: 'AS112 address',
  amt: 'AMT relay address',
  orchid2: 'ORCHID address',
  deprecatedOrchid: 'ORCHID address',
  droneRemoteIdProtocolEntityTags: 'reserved address',
  rfc6145: 'IPv4-translated address',
};

function parseIp(ip: string): ipaddr.IPv4 | ipaddr.IPv6 | null {
  let s = ip.trim();
  if (s.startsWith('[') && s.endsWith(']')) s = s.slice(1, -1);
  // A zone id (fe80::1%eth0) scopes a link-local address; it does not change the range.
  const pct = s.indexOf('%');
  if (pct >= 0 && s.includes(':')) s = s.slice(0, pct);
  try {
    // ipaddr.parse reads the legacy IPv4 forms too (127.1, 0x7f000001, 2130706433, 0177.0.0.1).
    return ipaddr.parse(s);
  } catch {
    return null;
  }
}

/** The IPv4 address an IPv6 address carries (mapped, compatible, translated, NAT64, 6to4), if any. */
function embeddedIPv4(a: ipaddr.IPv6): { v4: ipaddr.IPv4; form: string } | null {
  const p = a.parts;
  const v4 = (hi: number, lo: number) => new ipaddr.IPv4([hi >> 8, hi & 0xff, lo >> 8, lo & 0xff]);
  const range = a.range();
  if (range === 'ipv4Mapped') return { v4: a.toIPv4Address(), form: 'IPv4-mapped' };
  if (range === 'rfc6145') return { v4: v4(p[6]!, p[7]!), form: 'IPv4-translated' };
  if (range === 'rfc6052') return { v4: v4(p[6]!, p[7]!), form: 'NAT64' };
  if (range === '6to4') return { v4: v4(p[1]!, p[2]!), form: '6to4' };
  // Deprecated IPv4-compatible form ::a.b.c.d (:: and ::1 are classified on their own).
  if (p.slice(0, 6).every((x) => x === 0) && (p[6] !== 0 || p[7]! > 1)) {
    return { v4: v4(p[6]!, p[7]!), form: 'IPv4-compatible' };
  }
  return null;
}

/**
 * Classifies one IP address (any notation ipaddr.js reads, with or without brackets).
 * Only globally routable unicast addresses are allowed; anything unparseable is refused.
 */
export function classifyAddress(ip: string): AddressVerdict {
  const addr = parseIp(ip);
  if (!addr) return { allowed: false, reason: `not an IP address: ${ip}` };
  const normal = addr.toNormalizedString();
  if (METADATA_ADDRESSES.has(addr.toString()) || METADATA_ADDRESSES.has(normal)) {
    return { allowed: false, reason: 'cloud metadata address' };
  }
  if (addr.kind() === 'ipv6') {
    const v6 = addr as ipaddr.IPv6;
    const embedded = embeddedIPv4(v6);
    if (embedded) {
      // 64:ff9b:1::/48 is for local NAT64 deployments: never a public feed server.
      if (v6.parts[0] === 0x64 && v6.parts[1] === 0xff9b && v6.parts[2] === 1) {
        return { allowed: false, reason: 'local-use NAT64 address' };
      }
      const inner = classifyAddress(embedded.v4.toString());
      return inner.allowed ? inner : { allowed: false, reason: `${inner.reason} (${embedded.form})` };
    }
  }
  const range = addr.range();
  if (range === 'unicast') return { allowed: true };
  return { allowed: false, reason: RANGE_REASONS[range] ?? `${range} address` };
}

/** Hostnames refused before any DNS lookup: they name this machine or a cloud's internal services. */
export function blockedHostnameReason(hostname: string): string | null {
  const h = hostname.toLowerCase().replace(/\.+$/, '');
  if (h === 'localhost' || h.endsWith('.localhost') || h === 'localhost.localdomain') return 'localhost';
  if (h === 'metadata' || h === 'metadata.google.internal' || h === 'instance-data') return 'cloud metadata host';
  // GCP/AWS internal DNS, mDNS and home-network names resolve to internal addresses only.
  if (h.endsWith('.internal') || h === 'internal') return 'internal host name';
  if (h.endsWith('.local') || h.endsWith('.home.arpa') || h.endsWith('.lan')) return 'local-network host name';
  return null;
}

export type UrlCheck =
  | { ok: true; url: URL }
  | { ok: false; code: 'bad_url' | 'blocked_address'; message: string };

export interface CheckUrlOptions {
  /** Skip the address and hostname checks (ALLOW_PRIVATE_FEED_ADDRESSES). Scheme checks still apply. */
  allowPrivate?: boolean;
  /** Address classifier; defaults to `classifyAddress`. */
  policy?: AddressPolicy;
}

function hostIp(url: URL): string | null {
  const h = url.hostname;
  if (h.startsWith('[')) return h.slice(1, -1);
  // WHATWG URL parsing already rewrote every IPv4 notation (127.1, 0x7f000001, 2130706433,
  // 0177.0.0.1, 127.000.000.001, full-width digits) to dotted quad.
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(h) ? h : null;
}

/**
 * Checks a feed URL before any connection: http(s) only, a host present, and, unless private
 * addresses are allowed, no refused IP literal or internal host name. Hostnames that pass
 * still need the post-DNS check the adapter does.
 */
export function checkUrl(input: string, opts: CheckUrlOptions = {}): UrlCheck {
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    return { ok: false, code: 'bad_url', message: `not a valid URL: ${JSON.stringify(input.slice(0, 200))}` };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { ok: false, code: 'bad_url', message: `only http and https URLs can be fetched, not ${url.protocol}` };
  }
  if (!url.hostname) return { ok: false, code: 'bad_url', message: 'URL has no host' };
  if (opts.allowPrivate) return { ok: true, url };
  const ip = hostIp(url);
  if (ip !== null) {
    const verdict = (opts.policy ?? classifyAddress)(ip);
    if (!verdict.allowed) {
      return { ok: false, code: 'blocked_address', message: `refused ${url.hostname}: ${verdict.reason ?? 'not public'}` };
    }
    return { ok: true, url };
  }
  const reason = blockedHostnameReason(url.hostname);
  if (reason) return { ok: false, code: 'blocked_address', message: `refused ${url.hostname}: ${reason}` };
  return { ok: true, url };
}
