// Test helpers: hex, the shared cacophony vector file, and a ready-made IK channel pair.

import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateKeyPair, initiatorIK, responderIK, type Channel, type KeyPair } from '../../src/noise';

export const hex = (h: string): Uint8Array => new Uint8Array(Buffer.from(h, 'hex'));
export const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

export interface VectorMessage {
  payload: string;
  ciphertext: string;
}
export interface Vector {
  protocol_name: string;
  init_prologue: string;
  init_ephemeral: string;
  init_static?: string;
  init_remote_static?: string;
  init_psks?: string[];
  resp_prologue: string;
  resp_ephemeral: string;
  resp_static?: string;
  resp_remote_static?: string;
  resp_psks?: string[];
  handshake_hash: string;
  messages: VectorMessage[];
}

/** web/test/noise → tests/data/noise/cacophony.json, unless TETHER_VECTORS says otherwise. */
export function vectorsPath(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  return process.env.TETHER_VECTORS ?? resolve(here, '../../../tests/data/noise/cacophony.json');
}

export function loadVectors(): Vector[] {
  return (JSON.parse(readFileSync(vectorsPath(), 'utf8')) as { vectors: Vector[] }).vectors;
}

export interface Pair {
  phone: Channel;
  daemon: Channel;
  phoneKey: KeyPair;
  daemonKey: KeyPair;
}

/** A completed tether IK handshake between two fresh non-extractable keys. */
export async function ikPair(): Promise<Pair> {
  const phoneKey = await generateKeyPair();
  const daemonKey = await generateKeyPair();
  const i = await initiatorIK({ staticKey: phoneKey, remoteStatic: daemonKey.publicKey });
  if (!i.ok) throw new Error(i.error);
  const r = await responderIK({ staticKey: daemonKey, message: i.value.message });
  if (!r.ok) throw new Error(r.error);
  const a = await r.value.accept();
  if (!a.ok) throw new Error(a.error);
  const f = await i.value.finish(a.value.message);
  if (!f.ok) throw new Error(f.error);
  return { phone: f.value.channel, daemon: a.value.channel, phoneKey, daemonKey };
}

/** Fast equality for large arrays (vitest's toEqual is slow on megabytes). */
export const sameBytes = (a: Uint8Array | null, b: Uint8Array): boolean =>
  a !== null && a.length === b.length && Buffer.compare(a, b) === 0;
