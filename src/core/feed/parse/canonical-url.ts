// Canonical article links: what two links to the same article have in common.

/** Query parameters that only track the reader; removing them never changes the page. */
const TRACKING_PARAMS = new Set([
  'fbclid',
  'gclid',
  'gclsrc',
  'dclid',
  'gbraid',
  'wbraid',
  'yclid',
  'msclkid',
  'twclid',
  'ttclid',
  'li_fat_id',
  'igshid',
  'mc_cid',
  'mc_eid',
  '_ga',
  '_gl',
  '_hsenc',
  '_hsmi',
  '_openstat',
  'mkt_tok',
  'oly_anon_id',
  'oly_enc_id',
  'vero_id',
  'wickedid',
  'ocid',
  'cmpid',
  'at_medium',
  'at_campaign',
  'at_custom1',
  'at_custom2',
  'at_custom3',
  'at_custom4',
  'at_ptr_name',
  'at_link_id',
  'at_format',
  'at_bbc_team',
  'from_rss',
  'rss_source',
  'ref_src',
  'ref_url',
  'smid',
]);
const TRACKING_PREFIXES = ['utm_', 'pk_', 'mtm_', 'hsa_', 'stm_'];

function isTracking(name: string): boolean {
  const n = name.toLowerCase();
  return TRACKING_PARAMS.has(n) || TRACKING_PREFIXES.some((p) => n.startsWith(p));
}

/**
 * Resolves `link` against the bases in order (item xml:base, feed xml:base, feed URL) and
 * returns it when it is an http(s) URL; anything else (javascript:, mailto:, tag:, junk) is null.
 */
export function resolveLink(link: string | null | undefined, ...bases: (string | null | undefined)[]): URL | null {
  if (!link) return null;
  const raw = link.trim();
  if (!raw) return null;
  let url: URL | null = null;
  try {
    url = new URL(raw);
  } catch {
    for (const base of bases) {
      if (!base) continue;
      try {
        url = new URL(raw, base);
        break;
      } catch {
        // an unusable base: try the next one
      }
    }
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname) return null;
  return url;
}

/**
 * The canonical form of an article link: http(s) only; host lower-cased and default port dropped
 * (WHATWG URL does both); fragment and tracking parameters (utm_*, fbclid, gclid, yclid, mc_cid,
 * _ga …) removed; other parameters kept in their order. Null when the link is not http(s).
 */
export function canonicalLink(link: string | null | undefined, ...bases: (string | null | undefined)[]): string | null {
  return canonicalUrl(link, bases)?.href ?? null;
}

/**
 * canonicalLink and the linkKeyMaterial of it from one URL parse (the normaliser needs both; the
 * material read from the canonical URL object is what reading it from its href again gives:
 * WHATWG serialisation of an http(s) URL parses back to the same URL).
 */
export function canonicalLinkParts(link: string | null | undefined, ...bases: (string | null | undefined)[]): { href: string; keyMaterial: string } | null {
  const url = canonicalUrl(link, bases);
  return url ? { href: url.href, keyMaterial: keyMaterialOf(url) } : null;
}

function canonicalUrl(link: string | null | undefined, bases: (string | null | undefined)[]): URL | null {
  const url = resolveLink(link, ...bases);
  if (!url) return null;
  url.hash = '';
  if (!url.search) url.search = ''; // drops a bare "?"
  else {
    const kept = [...url.searchParams].filter(([k]) => !isTracking(k));
    if (kept.length === 0) url.search = '';
    else if (kept.length !== [...url.searchParams].length) {
      url.search = new URLSearchParams(kept).toString();
    }
  }
  return url;
}

/**
 * What the dedupe key of a canonical link is made of: host without `www.`, path without a
 * trailing slash, query. The scheme is left out so an outlet moving from http to https
 * (or dropping www) does not repost its back catalogue.
 */
export function linkKeyMaterial(canonical: string): string {
  return keyMaterialOf(new URL(canonical));
}

function keyMaterialOf(url: URL): string {
  const host = url.host.replace(/^www\./, '');
  const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, '') : '';
  return `${host}${path}${url.search}`;
}
