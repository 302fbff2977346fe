// A daemon's Noise (X25519) static key from its Ed25519 id: the Montgomery form of the same
// point, u = (1 + y) / (1 − y) mod p, as libsodium's crypto_sign_ed25519_pk_to_curve25519
// computes it. Pure BigInt arithmetic; not constant time, which a public key does not need.

import { err, ok, type Result } from './result';

const P = 2n ** 255n - 19n;
/** The Edwards curve's d = −121665 / 121666. */
const D = mod(-121665n * inverse(121666n));
/** The y of the points of order 4 (0), 2 (p − 1), 1 (1) and 8: libsodium refuses them. */
const ORDER_8_Y = 2707385501144840649318225287225658788936804267575313519463743609750303402022n;
const SMALL_ORDER_Y = new Set([0n, 1n, P - 1n, ORDER_8_Y, P - ORDER_8_Y]);

function mod(a: bigint): bigint {
  const r = a % P;
  return r < 0n ? r + P : r;
}

function pow(base: bigint, exp: bigint): bigint {
  let r = 1n;
  let b = mod(base);
  for (let e = exp; e > 0n; e >>= 1n) {
    if (e & 1n) r = (r * b) % P;
    b = (b * b) % P;
  }
  return r;
}

/** a^(p−2): a's inverse, p being prime. */
function inverse(a: bigint): bigint {
  return pow(a, P - 2n);
}

function fromLittleEndian(bytes: Uint8Array): bigint {
  let n = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(bytes[i]!);
  return n;
}

function toLittleEndian32(n: bigint): Uint8Array {
  const out = new Uint8Array(32);
  for (let i = 0, v = n; i < 32; i++, v >>= 8n) out[i] = Number(v & 0xffn);
  return out;
}

/**
 * The X25519 public key of an Ed25519 public key. 'bad_key' for a key that is not 32 bytes,
 * encodes y ≥ p, is no point of the curve (x² = (y² − 1) / (d·y² + 1) has no root) or is a
 * point of small order.
 */
export function x25519OfEd25519(ed25519: Uint8Array): Result<Uint8Array> {
  if (ed25519.length !== 32) return err('bad_key');
  const y = fromLittleEndian(ed25519) & ((1n << 255n) - 1n); // bit 255 is the sign of x
  if (y >= P || SMALL_ORDER_Y.has(y)) return err('bad_key');
  const yy = (y * y) % P;
  const xx = mod((yy - 1n) * inverse(mod(D * yy + 1n)));
  if (xx !== 0n && pow(xx, (P - 1n) / 2n) !== 1n) return err('bad_key'); // not a square
  return ok(toLittleEndian32(mod((1n + y) * inverse(mod(1n - y)))));
}
