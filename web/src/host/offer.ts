// Pairing offers (docs/protocol.md, pair.create): reading `#offer=` from a link (versions 1
// and 2, against the link's base), and which WebSocket URLs reach a daemon. Pure: no DOM, no sockets.

import { decodeBase64url, encodeBase64url } from './b64';
import { readOfferV2, VERSION_2 } from './offer_v2';

export interface Offer {
  readonly v: 1 | 2;
  /** The daemon's Ed25519 public key, base64url. */
  readonly daemon_id: string;
  /** The daemon's X25519 static key, base64url: carried by a version-1 offer, derived from daemon_id for version 2. */
  readonly noise_key: string;
  /** The relay URL (`wss://host[/prefix]`), or "". */
  readonly relay: string;
  /** The direct listener's origin (`http://127.0.0.1:7777`), or "". */
  readonly direct: string;
  /** The one-time secret, base64url: 16 bytes (version 2) or 32 (version 1). */
  readonly secret: string;
}

export type OfferResult =
  /** `linkBase`: the link up to `/#offer=`, or the page's base for an offer that came alone. */
  | { ok: true; offer: Offer; linkBase: string }
  | { ok: false; error: string };

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

/** A link's base, what comes before `/#offer=`; "" when the text is no whole link. */
export function linkBaseOf(linkOrOffer: string): string {
  const s = linkOrOffer.trim();
  const at = s.indexOf('#offer=');
  return at > 0 ? s.slice(0, at).replace(/\/$/, '') : '';
}

/**
 * The base a link to this page would have: the origin and the path up to its last '/', without
 * it (`https://relay.example/app/index.html` → `https://relay.example/app`), as the daemon
 * writes `<base>/#offer=…`.
 */
export function pageBaseOf(page: { origin: string; pathname: string }): string {
  return page.origin + page.pathname.slice(0, page.pathname.lastIndexOf('/') + 1).replace(/\/$/, '');
}

/** A pairing link, a fragment or a bare offer; an offer that came without its link is read against `pageBase`. */
export function readOffer(linkOrOffer: string, pageBase: string): OfferResult {
  return parseOffer(offerTextFrom(linkOrOffer), linkBaseOf(linkOrOffer) || pageBase);
}

/** An offer read from its bytes, before its addresses are checked. */
type ReadResult = { ok: true; offer: Offer } | { ok: false; error: string };

function readV1(bytes: Uint8Array): ReadResult {
  let o: unknown;
  try {
    o = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    return { ok: false, error: 'the pairing offer is not JSON' };
  }
  if (typeof o !== 'object' || o === null || Array.isArray(o)) return { ok: false, error: 'the pairing offer is not an object' };
  const r = o as Record<string, unknown>;
  if (r.v !== 1) return { ok: false, error: `unsupported offer version ${JSON.stringify(r.v)} (this app reads versions 1 and 2)` };
  if (!is32Bytes(r.daemon_id)) return { ok: false, error: 'the offer has no valid daemon_id' };
  if (!is32Bytes(r.noise_key)) return { ok: false, error: 'the offer has no valid noise_key' };
  if (!is32Bytes(r.secret)) return { ok: false, error: 'the offer has no valid secret' };
  const relay = r.relay ?? '';
  const direct = r.direct ?? '';
  if (typeof relay !== 'string') return { ok: false, error: 'the offer has a malformed relay URL' };
  if (typeof direct !== 'string') return { ok: false, error: 'the offer has a malformed direct address' };
  return { ok: true, offer: { v: 1, daemon_id: r.daemon_id, noise_key: r.noise_key, relay, direct, secret: r.secret } };
}

function readV2(bytes: Uint8Array, linkBase: string): ReadResult {
  const r = readOfferV2(bytes, linkBase);
  if (!r.ok) return r;
  const { daemonKey, noiseKey, secret, relay, direct } = r.value;
  const b64 = encodeBase64url;
  return { ok: true, offer: { v: 2, daemon_id: b64(daemonKey), noise_key: b64(noiseKey), relay, direct, secret: b64(secret) } };
}

/**
 * The offer text after `#offer=`: version 1 (JSON) or 2 (binary). `linkBase` is the link it
 * came in up to `/#offer=`, which a version-2 offer may name as its relay.
 */
export function parseOffer(text: string, linkBase = ''): OfferResult {
  if (text.length === 0) return { ok: false, error: 'the link has no pairing offer' };
  if (text.length > MAX_OFFER_CHARS) return { ok: false, error: 'the pairing offer is too long' };
  const bytes = decodeBase64url(text);
  if (!bytes) return { ok: false, error: 'the pairing offer is not base64url' };
  if (bytes.length === 0) return { ok: false, error: 'the link has no pairing offer' };
  const read =
    bytes[0]! >= 0x20 // text: the JSON of version 1, which opens with '{'
      ? readV1(bytes)
      : bytes[0] === VERSION_2
        ? readV2(bytes, linkBase)
        : { ok: false as const, error: `unsupported offer version ${bytes[0]} (this app reads versions 1 and 2)` };
  if (!read.ok) return read;
  const { relay, direct } = read.offer;
  if (relay !== '' && !isUrl(relay, ['wss:', 'ws:', 'https:', 'http:'])) return { ok: false, error: 'the offer has a malformed relay URL' };
  if (direct !== '' && !isUrl(direct, ['http:', 'https:', 'ws:', 'wss:'])) {
    return { ok: false, error: 'the offer has a malformed direct address' };
  }
  if (relay === '' && direct === '') return { ok: false, error: 'the offer names neither a relay nor a direct address' };
  return { ok: true, offer: read.offer, linkBase };
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
