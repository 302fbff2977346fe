// Noise SymmetricState (spec §5.2): chaining key, handshake hash and the handshake CipherState,
// plus the Noise HKDF (spec §4.3). Used only by HandshakeState.

import { ascii, concat } from './bytes';
import { CipherState } from './cipher_state';
import { KEYLEN, type CipherFn, type HashFn } from './primitives';
import type { Result } from './result';

export interface Suite {
  readonly cipher: CipherFn;
  readonly hash: HashFn;
}

/** HKDF as the Noise spec defines it: 2 or 3 outputs of HASHLEN bytes. */
export async function hkdf(hash: HashFn, ck: Uint8Array, ikm: Uint8Array, outputs: 2 | 3): Promise<Uint8Array[]> {
  const temp = await hash.hmac(ck, ikm);
  const out1 = await hash.hmac(temp, new Uint8Array([1]));
  const out2 = await hash.hmac(temp, concat(out1, new Uint8Array([2])));
  if (outputs === 2) return [out1, out2];
  const out3 = await hash.hmac(temp, concat(out2, new Uint8Array([3])));
  return [out1, out2, out3];
}

const truncKey = (k: Uint8Array | undefined): Uint8Array => {
  if (!k) throw new Error('hkdf: missing output');
  return k.subarray(0, KEYLEN);
};

export class SymmetricState {
  readonly #suite: Suite;
  #ck: Uint8Array;
  #h: Uint8Array;
  #cs = CipherState.empty();

  private constructor(suite: Suite, h: Uint8Array) {
    this.#suite = suite;
    this.#h = h;
    this.#ck = h;
  }

  static async initialize(suite: Suite, protocolName: string): Promise<SymmetricState> {
    const name = ascii(protocolName);
    const len = suite.hash.hashLen;
    let h: Uint8Array;
    if (name.length <= len) {
      h = new Uint8Array(len);
      h.set(name);
    } else {
      h = await suite.hash.hash(name);
    }
    return new SymmetricState(suite, h);
  }

  async mixKey(ikm: Uint8Array): Promise<void> {
    const [ck, tk] = await hkdf(this.#suite.hash, this.#ck, ikm, 2);
    this.#ck = ck!;
    this.#cs = await CipherState.withKey(this.#suite.cipher, truncKey(tk));
  }

  async mixHash(data: Uint8Array): Promise<void> {
    this.#h = await this.#suite.hash.hash(concat(this.#h, data));
  }

  async mixKeyAndHash(ikm: Uint8Array): Promise<void> {
    const [ck, th, tk] = await hkdf(this.#suite.hash, this.#ck, ikm, 3);
    this.#ck = ck!;
    await this.mixHash(th!);
    this.#cs = await CipherState.withKey(this.#suite.cipher, truncKey(tk));
  }

  handshakeHash(): Uint8Array {
    return this.#h.slice();
  }

  hasKey(): boolean {
    return this.#cs.hasKey();
  }

  async encryptAndHash(plaintext: Uint8Array): Promise<Result<Uint8Array>> {
    const r = await this.#cs.encryptWithAd(this.#h, plaintext);
    if (r.ok) await this.mixHash(r.value);
    return r;
  }

  async decryptAndHash(ciphertext: Uint8Array): Promise<Result<Uint8Array>> {
    const r = await this.#cs.decryptWithAd(this.#h, ciphertext);
    if (r.ok) await this.mixHash(ciphertext);
    return r;
  }

  /** The two transport CipherStates: [initiator→responder, responder→initiator]. */
  async split(): Promise<[CipherState, CipherState]> {
    const [k1, k2] = await hkdf(this.#suite.hash, this.#ck, new Uint8Array(0), 2);
    const { cipher } = this.#suite;
    return [await CipherState.withKey(cipher, truncKey(k1)), await CipherState.withKey(cipher, truncKey(k2))];
  }
}
