/**
 * Who a request comes from, for the per-client limits (requests per minute, new conversations per
 * hour, streams per client). Without trusted proxies, the connection's address: X-Forwarded-For is
 * a header any client can write, so it is not read. Behind reverse proxies (several servers behind a
 * load balancer), TRUSTED_PROXIES lists their addresses: for a connection from one of them, the
 * client is the nearest address in X-Forwarded-For that is not itself a trusted proxy (read from the
 * right, where each proxy appends the address it saw), so a client's own entries further left count
 * for nothing.
 */
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';

/** "::ffff:10.0.0.1" and "10.0.0.1" are one address. */
function plain(address: string): string {
  const a = address.trim().toLowerCase();
  return a.startsWith('::ffff:') && isIP(a.slice(7)) === 4 ? a.slice(7) : a;
}

export type ClientAddress = (req: Pick<IncomingMessage, 'headers' | 'socket'>) => string;

export function clientAddressResolver(trustedProxies: readonly string[] = []): ClientAddress {
  const trusted = new Set(trustedProxies.map(plain));
  return (req) => {
    const peer = plain(req.socket?.remoteAddress ?? 'unknown');
    if (!trusted.has(peer)) return peer;
    const header = req.headers['x-forwarded-for'];
    const hops = (Array.isArray(header) ? header.join(',') : (header ?? '')).split(',').slice(-20);
    for (let i = hops.length - 1; i >= 0; i--) {
      const hop = plain(hops[i]);
      if (!isIP(hop)) return peer; // a malformed entry: nothing left of it can be trusted
      if (!trusted.has(hop)) return hop;
    }
    return peer;
  };
}
