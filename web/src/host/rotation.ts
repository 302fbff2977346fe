// A daemon's key rotation as a device sees it (docs/protocol.md, "Key rotation"): the
// `rotate` object of handshake message 2, and the check that the key this device paired
// with signed it. Pure apart from WebCrypto's Ed25519.

import { decodeBase64url } from './b64';

/** What a daemon answering on its old key says about its new identity. */
export interface Rotation {
  readonly daemon_id: string;
  readonly noise_key: string;
  /** Unix ms; after it the old key answers no one. */
  readonly deadline: number;
  readonly signature: string;
}

const KEY_BYTES = 32;
const SIGNATURE_BYTES = 64;

function isKey(text: unknown): text is string {
  return typeof text === 'string' && decodeBase64url(text)?.length === KEY_BYTES;
}

/** The rotation in a hello, or null for anything but ids, key and signature of the right sizes and an integer deadline. */
export function parseRotation(v: unknown): Rotation | null {
  if (typeof v !== 'object' || v === null) return null;
  const { daemon_id, noise_key, deadline, signature } = v as Record<string, unknown>;
  if (!isKey(daemon_id) || !isKey(noise_key)) return null;
  if (typeof deadline !== 'number' || !Number.isSafeInteger(deadline) || deadline < 0) return null;
  if (typeof signature !== 'string' || decodeBase64url(signature)?.length !== SIGNATURE_BYTES) return null;
  return { daemon_id, noise_key, deadline, signature };
}

/** The bytes the old key signs. */
export function rotationStatement(oldId: string, r: Omit<Rotation, 'signature'>): Uint8Array {
  return new TextEncoder().encode(
    `tether-key-rotation/1\n${oldId}\n${r.daemon_id}\n${r.noise_key}\n${String(r.deadline)}\n`,
  );
}

/** 'unsupported' when this browser has no Ed25519: the rotation cannot be checked, so it is not followed. */
export type RotationCheck = 'verified' | 'bad_signature' | 'unsupported';

/** Whether `oldId` (the daemon id this device paired with, an Ed25519 public key) signed `r`. */
export async function verifyRotation(oldId: string, r: Rotation): Promise<RotationCheck> {
  const pub = decodeBase64url(oldId);
  const sig = decodeBase64url(r.signature);
  if (pub?.length !== KEY_BYTES || !sig || r.daemon_id === oldId) return 'bad_signature';
  let key: CryptoKey;
  try {
    key = await crypto.subtle.importKey('raw', pub as Uint8Array<ArrayBuffer>, { name: 'Ed25519' }, false, ['verify']);
  } catch {
    return 'unsupported';
  }
  const statement = rotationStatement(oldId, r) as Uint8Array<ArrayBuffer>;
  const ok = await crypto.subtle.verify('Ed25519', key, sig as Uint8Array<ArrayBuffer>, statement);
  return ok ? 'verified' : 'bad_signature';
}
