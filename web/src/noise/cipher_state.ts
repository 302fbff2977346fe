// Noise CipherState (spec §5.1): an AEAD key plus a 64-bit counter nonce.
// Counter nonces are what make replay, reorder and drop detectable, so the first failed
// decrypt kills the state for good. No rekey.

import { err, ok, type Result } from './result';
import { TAGLEN, type AeadKey, type CipherFn } from './primitives';

/** Largest Noise message (spec §3). */
export const MAX_MESSAGE = 65535;
/** Largest plaintext that fits one Noise transport message. */
export const MAX_PLAINTEXT = MAX_MESSAGE - TAGLEN;
/** 2^64-1 is reserved by the spec and never used as a nonce. */
const MAX_NONCE = (1n << 64n) - 1n;

export class CipherState {
  readonly #key: AeadKey | null;
  #n = 0n;
  #dead = false;
  // Calls run one after another in call order, so each takes the next nonce and a failure
  // is seen by every later call even if callers do not await between them.
  #tail: Promise<unknown> = Promise.resolve();

  private constructor(key: AeadKey | null) {
    this.#key = key;
  }

  /** A state with no key: encrypt/decrypt pass bytes through (handshake before the first DH). */
  static empty(): CipherState {
    return new CipherState(null);
  }

  static async withKey(cipher: CipherFn, k: Uint8Array): Promise<CipherState> {
    return new CipherState(await cipher.importKey(k));
  }

  hasKey(): boolean {
    return this.#key !== null;
  }

  get dead(): boolean {
    return this.#dead;
  }

  encryptWithAd(ad: Uint8Array, plaintext: Uint8Array): Promise<Result<Uint8Array>> {
    return this.#serial(async () => {
      if (this.#dead) return err('dead');
      const key = this.#key;
      if (!key) return ok(plaintext.slice());
      if (plaintext.length > MAX_PLAINTEXT) return err('too_large');
      if (this.#n >= MAX_NONCE) return err('nonce_exhausted');
      const n = this.#n++;
      return ok(await key.encrypt(n, ad, plaintext));
    });
  }

  decryptWithAd(ad: Uint8Array, ciphertext: Uint8Array): Promise<Result<Uint8Array>> {
    return this.#serial(async () => {
      if (this.#dead) return err('dead');
      const key = this.#key;
      if (!key) return ok(ciphertext.slice());
      const fail = (e: 'too_large' | 'wrong_length' | 'nonce_exhausted' | 'bad_mac') => {
        this.#dead = true;
        return err(e);
      };
      if (ciphertext.length > MAX_MESSAGE) return fail('too_large');
      if (ciphertext.length < TAGLEN) return fail('wrong_length');
      if (this.#n >= MAX_NONCE) return fail('nonce_exhausted');
      const n = this.#n++;
      const pt = await key.decrypt(n, ad, ciphertext);
      return pt ? ok(pt) : fail('bad_mac');
    });
  }

  /** Test seam: jump the counter (e.g. to 2^64-2) to exercise nonce exhaustion. */
  setNonceForTest(n: bigint): void {
    if (n < 0n || n > MAX_NONCE) throw new RangeError('setNonceForTest: out of range');
    this.#n = n;
  }

  #serial<T>(f: () => Promise<T>): Promise<T> {
    const p = this.#tail.then(f);
    this.#tail = p.catch(() => undefined);
    return p;
  }
}
