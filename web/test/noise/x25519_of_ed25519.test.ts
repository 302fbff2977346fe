// The daemon's Noise key from its Ed25519 id, checked against what libsodium derives for the
// same seed: the X25519 key of SHA-512(seed)[0..32], clamped — computed here by Node's crypto.

import { createHash, createPrivateKey, createPublicKey, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { x25519OfEd25519 } from '../../src/noise';

const ED25519_PKCS8 = Buffer.from('302e020100300506032b657004220420', 'hex');
const X25519_PKCS8 = Buffer.from('302e020100300506032b656e04220420', 'hex');
const P = 2n ** 255n - 19n;

const publicOf = (der: Buffer) =>
  new Uint8Array(createPublicKey(createPrivateKey({ key: der, format: 'der', type: 'pkcs8' })).export({ format: 'der', type: 'spki' }).subarray(-32));

/** The Ed25519 public key of a seed, and the X25519 public key libsodium derives from the seed. */
function pairOf(seed: Buffer): { ed25519: Uint8Array; x25519: Uint8Array } {
  const scalar = createHash('sha512').update(seed).digest().subarray(0, 32);
  scalar[0]! &= 248;
  scalar[31]! &= 127;
  scalar[31]! |= 64;
  return { ed25519: publicOf(Buffer.concat([ED25519_PKCS8, seed])), x25519: publicOf(Buffer.concat([X25519_PKCS8, scalar])) };
}

const hex = (s: string) => new Uint8Array(Buffer.from(s, 'hex'));
const littleEndian = (n: bigint) => new Uint8Array(32).map((_, i) => Number((n >> BigInt(8 * i)) & 0xffn));

describe('x25519OfEd25519', () => {
  it('gives the key libsodium derives from the same seed, for random seeds', () => {
    for (let i = 0; i < 64; i++) {
      const { ed25519, x25519 } = pairOf(randomBytes(32));
      expect(x25519OfEd25519(ed25519)).toEqual({ ok: true, value: x25519 });
    }
  });

  it('matches the fixed vectors (checked against libsodium itself)', () => {
    const file = join(dirname(fileURLToPath(import.meta.url)), 'fixtures/x25519_of_ed25519.json');
    const vectors = JSON.parse(readFileSync(file, 'utf8')) as { ed25519_seed: string; ed25519: string; x25519: string }[];
    expect(vectors.length).toBeGreaterThanOrEqual(5);
    for (const v of vectors) {
      expect(pairOf(Buffer.from(v.ed25519_seed, 'hex')).ed25519).toEqual(hex(v.ed25519));
      expect(x25519OfEd25519(hex(v.ed25519))).toEqual({ ok: true, value: hex(v.x25519) });
    }
  });

  it("ignores the x sign bit, as the Montgomery u does not depend on x's sign", () => {
    const { ed25519, x25519 } = pairOf(randomBytes(32));
    const flipped = ed25519.slice();
    flipped[31]! ^= 0x80;
    expect(x25519OfEd25519(flipped)).toEqual({ ok: true, value: x25519 });
  });

  it.each([
    ['31 bytes', new Uint8Array(31)],
    ['y = p', littleEndian(P)],
    ['y = p + 1', littleEndian(P + 1n)],
    ['y = 2^255 - 1', littleEndian(2n ** 255n - 1n)],
    ['y = 1 (the neutral point)', littleEndian(1n)],
    ['y = p - 1 (order 2)', littleEndian(P - 1n)],
    ['y = 0 (order 4)', littleEndian(0n)],
    ['an order-8 point', littleEndian(2707385501144840649318225287225658788936804267575313519463743609750303402022n)],
    ['y = 2 (no point of the curve)', littleEndian(2n)],
  ])('refuses %s', (_, key) => {
    expect(x25519OfEd25519(key)).toEqual({ ok: false, error: 'bad_key' });
  });
});
