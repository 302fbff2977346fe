// Pairing offers (docs/protocol.md, pair.create): reading `#offer=` from a link, and which
// WebSocket URLs reach a daemon. Pure: no DOM, no sockets.

import { decodeBase64url } from './b64';

export interface Offer {
  readonly v: 1;
  readonly daemon_id: string;
  /** The daemon's X25519 static key, base64url. */
  readonly noise_key: string;
  /** The relay URL (`wss://host[/prefix]`), or "". */
  readonly relay: string;
  /** The direct listener's origin (`http://127.0.0.1:7777`), or "". */
  readonly direct: string;
  readonly secret: string;
}

export type OfferResult = { ok: true; offer: Offer } | { ok: false; error: string };

const B64URL_32 = /^[A-Za-z0-9_-]{43}$/;
const MAX_OFFER_CHARS = 4096;

function is32Bytes(s: unknown): s is string {
  return typeof s === 'string' && B64URL_32.test(s) && decodeBase64url(s)?.length === 32;
}

function isUrl(s: string, schemes: readonly string[]): boolean {
  try {
    return schemes.includes(new URL(s).protocol);
  } catch {
    return false;
  }
}

/** The offer in a link's fragment (`#offer=…`), in the fragment alone, or in the base64url text alone. */
export function offerTextFrom(linkOrFragment: string): string {
  const s = linkOrFragment.trim();
  const at = s.indexOf('#');
  const fragment = at >= 0 ? s.slice(at + 1) : s;
  return fragment.startsWith('offer=') ? fragment.slice('offer='.length) : fragment;
}

export function parseOffer(text: string): OfferResult {
  if (text.length === 0) return { ok: false, error: 'the link has no pairing offer' };
  if (text.length > MAX_OFFER_CHARS) return { ok: false, error: 'the pairing offer is too long' };
  const bytes = decodeBase64url(text);
  if (!bytes) return { ok: false, error: 'the pairing offer is not base64url' };
  let o: unknown;
  try {
    o = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    return { ok: false, error: 'the pairing offer is not JSON' };
  }
  if (typeof o !== 'object' || o === null || Array.isArray(o)) return { ok: false, error: 'the pairing offer is not an object' };
  const r = o as Record<string, unknown>;
  if (r.v !== 1) return { ok: false, error: `unsupported offer version ${JSON.stringify(r.v)} (this app reads version 1)` };
  if (!is32Bytes(r.daemon_id)) return { ok: false, error: 'the offer has no valid daemon_id' };
  if (!is32Bytes(r.noise_key)) return { ok: false, error: 'the offer has no valid noise_key' };
  if (!is32Bytes(r.secret)) return { ok: false, error: 'the offer has no valid secret' };
  const relay = r.relay ?? '';
  const direct = r.direct ?? '';
  if (typeof relay !== 'string' || (relay !== '' && !isUrl(relay, ['wss:', 'ws:', 'https:', 'http:']))) {
    return { ok: false, error: 'the offer has a malformed relay URL' };
  }
  if (typeof direct !== 'string' || (direct !== '' && !isUrl(direct, ['http:', 'https:', 'ws:', 'wss:']))) {
    return { ok: false, error: 'the offer has a malformed direct address' };
  }
  if (relay === '' && direct === '') return { ok: false, error: 'the offer names neither a relay nor a direct address' };
  return {
    ok: true,
    offer: { v: 1, daemon_id: r.daemon_id, noise_key: r.noise_key, relay, direct, secret: r.secret },
  };
}

export interface Endpoint {
  readonly via: 'relay' | 'direct';
  /** The WebSocket URL to open. */
  readonly url: string;
}

function wsUrl(base: string, path: string): string {
  const u = new URL(base);
  if (u.protocol === 'https:') u.protocol = 'wss:';
  else if (u.protocol === 'http:') u.protocol = 'ws:';
  u.pathname = u.pathname.replace(/\/+$/, '') + path;
  u.search = '';
  u.hash = '';
  return u.toString();
}

/** Same host and port, with http↔ws and https↔wss taken as the same scheme. */
function sameOrigin(wsURL: string, pageOrigin: string): boolean {
  try {
    const a = new URL(wsURL);
    const b = new URL(pageOrigin);
    const scheme = (p: string) => (p === 'wss:' ? 'https:' : p === 'ws:' ? 'http:' : p);
    return scheme(a.protocol) === scheme(b.protocol) && a.host === b.host;
  } catch {
    return false;
  }
}

/**
 * Where to connect, best first. The app's CSP (`connect-src 'self'`) lets a page reach only
 * its own origin, so an endpoint on the page's origin comes first; then the relay, then direct.
 */
export function endpointsFor(
  host: Pick<Offer, 'daemon_id' | 'relay' | 'direct'>,
  pageOrigin: string,
): Endpoint[] {
  const out: Endpoint[] = [];
  if (host.relay) out.push({ via: 'relay', url: wsUrl(host.relay, `/v1/connect/${host.daemon_id}`) });
  if (host.direct) out.push({ via: 'direct', url: wsUrl(host.direct, '/v1/direct') });
  const rank = (e: Endpoint) => (sameOrigin(e.url, pageOrigin) ? 0 : 1);
  return out.sort((a, b) => rank(a) - rank(b));
}
