// SSRF guard at the socket: a DNS lookup that drops refused addresses before net.connect sees
// them, and a connector that checks the peer of every new socket. With both, a hostname that
// resolves (or re-resolves, DNS rebinding) to a private address gets no connection at all.
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import type { Socket } from 'node:net';
import { buildConnector } from 'undici';
import type { AddressPolicy } from '../../core/feed/policy/ssrf.js';

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}
/** Resolves a hostname to every address it has (tests map public-looking names to loopback). */
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

export const systemResolver: Resolver = (hostname) =>
  new Promise((resolve, reject) => {
    dnsLookup(hostname, { all: true, verbatim: true }, (err, addresses) => {
      if (err) reject(err);
      else resolve(addresses.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 })));
    });
  });

/** The request reached (or would have reached) an address the guard refuses. */
export class BlockedAddressError extends Error {
  readonly code = 'ERR_SSRF_BLOCKED';
  constructor(
    readonly host: string,
    readonly address: string,
    readonly reason: string,
  ) {
    super(`refused ${host} (${address}): ${reason}`);
    this.name = 'BlockedAddressError';
  }
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** A `lookup` for net/tls.connect that resolves with `resolver` and drops refused addresses. */
export function guardedLookup(resolver: Resolver, policy: AddressPolicy | null) {
  return (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    resolver(hostname).then(
      (all) => {
        const wanted = options.family === 4 || options.family === 6 ? all.filter((a) => a.family === options.family) : all;
        if (wanted.length === 0) {
          const e: NodeJS.ErrnoException = new Error(`getaddrinfo ENOTFOUND ${hostname}`);
          e.code = 'ENOTFOUND';
          callback(e, '');
          return;
        }
        let allowed = wanted;
        if (policy) {
          allowed = wanted.filter((a) => policy(a.address).allowed);
          if (allowed.length === 0) {
            const first = wanted[0]!;
            callback(new BlockedAddressError(hostname, first.address, policy(first.address).reason ?? 'not public'), '');
            return;
          }
        }
        if (options.all) callback(null, allowed.map((a) => ({ address: a.address, family: a.family })));
        else callback(null, allowed[0]!.address, allowed[0]!.family);
      },
      (err: NodeJS.ErrnoException) => callback(err, ''),
    );
  };
}

export interface ConnectorOptions {
  connectTimeoutMs: number;
  resolver: Resolver;
  /** Null: private addresses allowed (ALLOW_PRIVATE_FEED_ADDRESSES). */
  policy: AddressPolicy | null;
}

/** An undici connector: guarded lookup, connect timeout, and a check of the connected peer. */
export function guardedConnector(opts: ConnectorOptions): buildConnector.connector {
  const base = buildConnector({ timeout: opts.connectTimeoutMs, lookup: guardedLookup(opts.resolver, opts.policy) } as buildConnector.BuildOptions);
  return (connectOpts, callback) => {
    base(connectOpts, (err, socket) => {
      if (err || !socket) {
        callback(err ?? new Error('no socket'), null);
        return;
      }
      const peer = (socket as Socket).remoteAddress;
      const verdict = opts.policy && peer ? opts.policy(peer) : { allowed: true };
      if (opts.policy && (!peer || !verdict.allowed)) {
        socket.destroy();
        callback(new BlockedAddressError(connectOpts.hostname, peer ?? 'unknown', verdict.reason ?? 'no peer address'), null);
        return;
      }
      callback(null, socket);
    });
  };
}

