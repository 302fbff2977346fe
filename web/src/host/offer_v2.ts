// The bytes of a version-2 pairing offer (docs/protocol.md, pair.create): flags, the daemon's
// Ed25519 id, a 16-byte secret and the relay and direct addresses, some of them implied.
// Pure; offer.ts checks the addresses and turns keys into base64url.

import { x25519OfEd25519 } from '../noise';

export const VERSION_2 = 2;

const RELAY_IS_LINK = 1;
const RELAY_FOLLOWS = 2;
const DIRECT_LOOPBACK = 4;
const DIRECT_FOLLOWS = 8;
const FIXED = 2 + 32 + 16;

export interface OfferV2 {
  readonly daemonKey: Uint8Array;
  readonly noiseKey: Uint8Array;
  readonly secret: Uint8Array;
  readonly relay: string;
  readonly direct: string;
}

export type OfferV2Result = { ok: true; value: OfferV2 } | { ok: false; error: string };

/** The relay a link's base names (`https:` → `wss:`, `http:` → `ws:`); "" for any other base. */
export function relayOfBase(base: string): string {
  if (/^https:\/\/./.test(base)) return `wss://${base.slice('https://'.length)}`;
  if (/^http:\/\/./.test(base)) return `ws://${base.slice('http://'.length)}`;
  return '';
}

class Reader {
  at = FIXED;
  constructor(readonly bytes: Uint8Array) {}
  left(): number {
    return this.bytes.length - this.at;
  }
  /** A length byte and that many bytes of UTF-8; an error sentence when they are not there. */
  string(what: string): { ok: true; value: string } | { ok: false; error: string } {
    if (this.left() < 1) return { ok: false, error: `the pairing offer's ${what} is cut short` };
    const n = this.bytes[this.at++]!;
    if (n === 0) return { ok: false, error: `the pairing offer's ${what} is empty` };
    if (this.left() < n) return { ok: false, error: `the pairing offer's ${what} is longer than the offer` };
    const raw = this.bytes.subarray(this.at, this.at + n);
    this.at += n;
    try {
      return { ok: true, value: new TextDecoder('utf-8', { fatal: true }).decode(raw) };
    } catch {
      return { ok: false, error: `the pairing offer's ${what} is not UTF-8` };
    }
  }
}

function flagsError(flags: number): string | null {
  if ((flags & ~(RELAY_IS_LINK | RELAY_FOLLOWS | DIRECT_LOOPBACK | DIRECT_FOLLOWS)) !== 0) {
    return `the pairing offer has unknown flags (0x${flags.toString(16).padStart(2, '0')})`;
  }
  if ((flags & (RELAY_IS_LINK | RELAY_FOLLOWS)) === (RELAY_IS_LINK | RELAY_FOLLOWS)) return 'the pairing offer names its relay twice';
  if ((flags & (DIRECT_LOOPBACK | DIRECT_FOLLOWS)) === (DIRECT_LOOPBACK | DIRECT_FOLLOWS)) {
    return 'the pairing offer names its direct address twice';
  }
  if (flags === 0) return 'the offer names neither a relay nor a direct address';
  return null;
}

/** A version-2 offer's bytes, read against `linkBase`, the link up to `/#offer=` ("" when there is none). */
export function readOfferV2(bytes: Uint8Array, linkBase: string): OfferV2Result {
  if (bytes[0] !== VERSION_2) return { ok: false, error: 'the pairing offer is not of version 2' };
  if (bytes.length < FIXED) return { ok: false, error: 'the pairing offer is cut short' };
  const flags = bytes[1]!;
  const bad = flagsError(flags);
  if (bad) return { ok: false, error: bad };
  const daemonKey = bytes.slice(2, 34);
  const noise = x25519OfEd25519(daemonKey);
  if (!noise.ok) return { ok: false, error: "the offer's daemon_id is not a valid Ed25519 key" };
  const r = new Reader(bytes);
  let relay = '';
  let direct = '';
  if (flags & RELAY_IS_LINK) {
    relay = relayOfBase(linkBase);
    if (relay === '') return { ok: false, error: 'the pairing offer takes its relay from its link: give the whole link' };
  }
  if (flags & RELAY_FOLLOWS) {
    const s = r.string('relay address');
    if (!s.ok) return s;
    relay = s.value;
  }
  if (flags & DIRECT_LOOPBACK) {
    if (r.left() < 2) return { ok: false, error: "the pairing offer's direct port is cut short" };
    const port = (bytes[r.at]! << 8) | bytes[r.at + 1]!;
    r.at += 2;
    if (port === 0) return { ok: false, error: "the pairing offer's direct port is 0" };
    direct = `http://127.0.0.1:${port}`;
  }
  if (flags & DIRECT_FOLLOWS) {
    const s = r.string('direct address');
    if (!s.ok) return s;
    direct = s.value;
  }
  if (r.left() !== 0) return { ok: false, error: 'the pairing offer has bytes after its end' };
  return { ok: true, value: { daemonKey, noiseKey: noise.value, secret: bytes.slice(34, FIXED), relay, direct } };
}
