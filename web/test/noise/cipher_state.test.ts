// CipherState: nonce layout per cipher, nonce exhaustion via the test seam, death after a failure.

import { describe, expect, it } from 'vitest';
import { AESGCM, CHACHAPOLY, CipherState, MAX_PLAINTEXT, type CipherFn } from '../../src/noise';
import { nonceBytes } from '../../src/noise/primitives';
import { hex, toHex } from './helpers';

const KEY = hex('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f');
const AD = new Uint8Array([1, 2, 3]);
const MAX = (1n << 64n) - 1n;

const pair = async (c: CipherFn) => [await CipherState.withKey(c, KEY), await CipherState.withKey(c, KEY)] as const;

describe('nonce encoding', () => {
  it('AESGCM: 4 zero bytes + big-endian counter; ChaChaPoly: little-endian', () => {
    expect(toHex(nonceBytes(0x0102030405060708n, false))).toBe('000000000102030405060708');
    expect(toHex(nonceBytes(0x0102030405060708n, true))).toBe('000000000807060504030201');
  });

  it('AESGCM transport uses the big-endian nonce (checked against raw WebCrypto)', async () => {
    const [send] = await pair(AESGCM);
    send.setNonceForTest(0x0102030405060708n);
    const ct = await send.encryptWithAd(AD, new Uint8Array([42]));
    if (!ct.ok) throw new Error(ct.error);
    const k = await crypto.subtle.importKey('raw', KEY as Uint8Array<ArrayBuffer>, 'AES-GCM', false, ['decrypt']);
    const iv = hex('000000000102030405060708') as Uint8Array<ArrayBuffer>;
    const pt = await crypto.subtle.decrypt({ name: 'AES-GCM', iv, additionalData: AD as Uint8Array<ArrayBuffer> }, k, ct.value as Uint8Array<ArrayBuffer>);
    expect([...new Uint8Array(pt)]).toEqual([42]);
  });
});

for (const cipher of [AESGCM, CHACHAPOLY]) {
  describe(`CipherState ${cipher.name}`, () => {
    it('round trips and counts', async () => {
      const [a, b] = await pair(cipher);
      for (let i = 0; i < 3; i++) {
        const ct = await a.encryptWithAd(AD, new Uint8Array([i]));
        if (!ct.ok) throw new Error(ct.error);
        const pt = await b.decryptWithAd(AD, ct.value);
        expect(pt.ok && [...pt.value]).toEqual([i]);
      }
    });

    it('never uses nonce 2^64-1', async () => {
      const [a, b] = await pair(cipher);
      a.setNonceForTest(MAX - 1n);
      b.setNonceForTest(MAX - 1n);
      const last = await a.encryptWithAd(AD, new Uint8Array([7]));
      expect(last.ok).toBe(true);
      expect(await a.encryptWithAd(AD, new Uint8Array([8]))).toEqual({ ok: false, error: 'nonce_exhausted' });
      if (!last.ok) return;
      expect((await b.decryptWithAd(AD, last.value)).ok).toBe(true);
      expect(await b.decryptWithAd(AD, last.value)).toEqual({ ok: false, error: 'nonce_exhausted' });
      expect(await b.decryptWithAd(AD, last.value)).toEqual({ ok: false, error: 'dead' });
    });

    it('dies on the first failed decrypt', async () => {
      const [a, b] = await pair(cipher);
      const ct = await a.encryptWithAd(AD, new Uint8Array([1, 2]));
      if (!ct.ok) throw new Error(ct.error);
      expect(await b.decryptWithAd(new Uint8Array([9]), ct.value)).toEqual({ ok: false, error: 'bad_mac' });
      expect(b.dead).toBe(true);
      expect(await b.decryptWithAd(AD, ct.value)).toEqual({ ok: false, error: 'dead' });
      expect(await b.encryptWithAd(AD, ct.value)).toEqual({ ok: false, error: 'dead' });
    });

    it('rejects short and oversized ciphertexts, and oversized plaintexts', async () => {
      const [a, b] = await pair(cipher);
      expect(await b.decryptWithAd(AD, new Uint8Array(15))).toEqual({ ok: false, error: 'wrong_length' });
      const [, c] = await pair(cipher);
      expect(await c.decryptWithAd(AD, new Uint8Array(65536))).toEqual({ ok: false, error: 'too_large' });
      expect(await a.encryptWithAd(AD, new Uint8Array(MAX_PLAINTEXT + 1))).toEqual({ ok: false, error: 'too_large' });
      const full = await a.encryptWithAd(AD, new Uint8Array(MAX_PLAINTEXT));
      expect(full.ok && full.value.length).toBe(65535);
    });

    it('keeps call order when calls overlap', async () => {
      const [a, b] = await pair(cipher);
      const cts = await Promise.all([1, 2, 3].map((i) => a.encryptWithAd(AD, new Uint8Array([i]))));
      const pts = await Promise.all(cts.map((c) => (c.ok ? b.decryptWithAd(AD, c.value) : c)));
      expect(pts.map((p) => p.ok && p.value[0])).toEqual([1, 2, 3]);
    });
  });
}
