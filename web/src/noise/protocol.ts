// Protocol names ("Noise_IK_25519_AESGCM_SHA256") resolved to a pattern and primitives,
// and tether's own choice of protocol and prologue.

import { ascii } from './bytes';
import { lookupPattern, type HandshakePattern } from './patterns';
import { AESGCM, CHACHAPOLY, SHA256, SHA512, type CipherFn, type HashFn } from './primitives';

export const TETHER_PROTOCOL = 'Noise_IK_25519_AESGCM_SHA256';
export const TETHER_PROLOGUE: Uint8Array = ascii('tether/1');

export interface Protocol {
  readonly name: string;
  readonly pattern: HandshakePattern;
  readonly cipher: CipherFn;
  readonly hash: HashFn;
}

const CIPHERS: Readonly<Record<string, CipherFn>> = { AESGCM, ChaChaPoly: CHACHAPOLY };
const HASHES: Readonly<Record<string, HashFn>> = { SHA256, SHA512 };

/** Only 25519 DH is supported. null for anything unknown. */
export function resolveProtocol(name: string): Protocol | null {
  const parts = name.split('_');
  if (parts.length !== 5 || parts[0] !== 'Noise' || parts[2] !== '25519') return null;
  const pattern = lookupPattern(parts[1]!);
  const cipher = Object.hasOwn(CIPHERS, parts[3]!) ? CIPHERS[parts[3]!] : undefined;
  const hash = Object.hasOwn(HASHES, parts[4]!) ? HASHES[parts[4]!] : undefined;
  if (!pattern || !cipher || !hash) return null;
  return { name, pattern, cipher, hash };
}
