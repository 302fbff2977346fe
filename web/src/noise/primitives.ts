// The crypto functions Noise is built on: X25519 (DH), the AEAD ciphers and the hashes.
// Everything is WebCrypto except ChaChaPoly, which WebCrypto lacks (@noble/ciphers).
// Private keys stay CryptoKeys so a non-extractable device key works unchanged.

import { chacha20poly1305 } from '@noble/ciphers/chacha.js';
import { bs, concat } from './bytes';

export const DHLEN = 32;
export const KEYLEN = 32;
export const TAGLEN = 16;

/** An X25519 key pair. The private half may be (and for device keys is) non-extractable. */
export interface KeyPair {
  readonly privateKey: CryptoKey;
  readonly publicKey: Uint8Array;
}

const X25519 = { name: 'X25519' } as const;
const PKCS8_X25519_PREFIX = new Uint8Array([
  0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x04, 0x22, 0x04, 0x20,
]);
const BASEPOINT = new Uint8Array(DHLEN);
BASEPOINT[0] = 9;

/** A fresh X25519 key pair; the private key is non-extractable unless asked otherwise. */
export async function generateKeyPair(extractable = false): Promise<KeyPair> {
  const kp = (await crypto.subtle.generateKey(X25519, extractable, ['deriveBits'])) as CryptoKeyPair;
  const publicKey = new Uint8Array(await crypto.subtle.exportKey('raw', kp.publicKey));
  return { privateKey: kp.privateKey, publicKey };
}

/** Imports a raw 32-byte X25519 private key (test vectors, migrations). */
export async function importPrivateKey(raw: Uint8Array, extractable = false): Promise<KeyPair> {
  if (raw.length !== DHLEN) throw new RangeError('importPrivateKey: need 32 bytes');
  const der = concat(PKCS8_X25519_PREFIX, raw);
  const privateKey = await crypto.subtle.importKey('pkcs8', bs(der), X25519, extractable, ['deriveBits']);
  // WebCrypto has no "public from private"; X25519(k, 9) is exactly the public key.
  const publicKey = await dh(privateKey, BASEPOINT);
  if (!publicKey) throw new Error('importPrivateKey: key rejected');
  return { privateKey, publicKey };
}

/** X25519(privateKey, publicKey). null when the peer's key is malformed or low-order. */
export async function dh(privateKey: CryptoKey, publicKey: Uint8Array): Promise<Uint8Array | null> {
  if (publicKey.length !== DHLEN) return null;
  try {
    const pub = await crypto.subtle.importKey('raw', bs(publicKey), X25519, true, []);
    const params = { name: 'X25519', public: pub };
    return new Uint8Array(await crypto.subtle.deriveBits(params, privateKey, DHLEN * 8));
  } catch {
    return null;
  }
}

/** An AEAD key bound to one cipher; n is the Noise 64-bit counter nonce. */
export interface AeadKey {
  encrypt(n: bigint, ad: Uint8Array, plaintext: Uint8Array): Promise<Uint8Array>;
  /** null on authentication failure. */
  decrypt(n: bigint, ad: Uint8Array, ciphertext: Uint8Array): Promise<Uint8Array | null>;
}

export interface CipherFn {
  readonly name: 'AESGCM' | 'ChaChaPoly';
  importKey(k: Uint8Array): Promise<AeadKey>;
}

/** 4 zero bytes then the counter: big-endian for AESGCM, little-endian for ChaChaPoly. */
export function nonceBytes(n: bigint, littleEndian: boolean): Uint8Array {
  const out = new Uint8Array(12);
  new DataView(out.buffer).setBigUint64(4, n, littleEndian);
  return out;
}

export const AESGCM: CipherFn = {
  name: 'AESGCM',
  async importKey(k) {
    const key = await crypto.subtle.importKey('raw', bs(k), { name: 'AES-GCM' }, false, ['encrypt', 'decrypt']);
    const params = (n: bigint, ad: Uint8Array): AesGcmParams => ({
      name: 'AES-GCM',
      iv: bs(nonceBytes(n, false)),
      additionalData: bs(ad),
      tagLength: TAGLEN * 8,
    });
    return {
      async encrypt(n, ad, pt) {
        return new Uint8Array(await crypto.subtle.encrypt(params(n, ad), key, bs(pt)));
      },
      async decrypt(n, ad, ct) {
        try {
          return new Uint8Array(await crypto.subtle.decrypt(params(n, ad), key, bs(ct)));
        } catch {
          return null;
        }
      },
    };
  },
};

export const CHACHAPOLY: CipherFn = {
  name: 'ChaChaPoly',
  async importKey(k) {
    const key = k.slice();
    return {
      async encrypt(n, ad, pt) {
        return chacha20poly1305(key, nonceBytes(n, true), ad).encrypt(pt);
      },
      async decrypt(n, ad, ct) {
        try {
          return chacha20poly1305(key, nonceBytes(n, true), ad).decrypt(ct);
        } catch {
          return null;
        }
      },
    };
  },
};

export interface HashFn {
  readonly name: 'SHA256' | 'SHA512';
  readonly hashLen: number;
  hash(data: Uint8Array): Promise<Uint8Array>;
  hmac(key: Uint8Array, data: Uint8Array): Promise<Uint8Array>;
}

function webHash(name: 'SHA256' | 'SHA512', webName: 'SHA-256' | 'SHA-512', hashLen: number): HashFn {
  return {
    name,
    hashLen,
    async hash(data) {
      return new Uint8Array(await crypto.subtle.digest(webName, bs(data)));
    },
    async hmac(key, data) {
      const alg = { name: 'HMAC', hash: webName };
      const k = await crypto.subtle.importKey('raw', bs(key), alg, false, ['sign']);
      return new Uint8Array(await crypto.subtle.sign('HMAC', k, bs(data)));
    },
  };
}

export const SHA256 = webHash('SHA256', 'SHA-256', 32);
export const SHA512 = webHash('SHA512', 'SHA-512', 64);
