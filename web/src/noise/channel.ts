// tether's thin wrapper over the IK handshake: phone = initiator, daemon = responder.
// After two messages both sides hold a Channel (transport encrypt/decrypt + SAS).
// The responder sees the initiator's static key before it answers, to decide whether to.

import type { CipherState } from './cipher_state';
import { HandshakeState, type TransportPair } from './handshake_state';
import type { KeyPair } from './primitives';
import { TETHER_PROLOGUE, TETHER_PROTOCOL } from './protocol';
import { err, ok, type Result } from './result';
import { sasFromHandshakeHash } from './sas';

const EMPTY = new Uint8Array(0);

/** An established Noise transport. Any failed decrypt closes it for good. */
export class Channel {
  readonly #send: CipherState;
  readonly #recv: CipherState;
  readonly handshakeHash: Uint8Array;
  readonly remoteStatic: Uint8Array;
  readonly sas: string;

  private constructor(t: TransportPair, remoteStatic: Uint8Array, sas: string) {
    this.#send = t.send;
    this.#recv = t.recv;
    this.handshakeHash = t.handshakeHash;
    this.remoteStatic = remoteStatic;
    this.sas = sas;
  }

  static async fromHandshake(hs: HandshakeState): Promise<Result<Channel>> {
    const t = await hs.split();
    const rs = hs.remoteStatic();
    if (!t.ok) return t;
    if (!rs) return err('wrong_state');
    return ok(new Channel(t.value, rs, await sasFromHandshakeHash(t.value.handshakeHash)));
  }

  /** One Noise transport message; plaintext at most 65519 bytes (see framing.ts). */
  encrypt(plaintext: Uint8Array): Promise<Result<Uint8Array>> {
    return this.#send.encryptWithAd(EMPTY, plaintext);
  }

  decrypt(message: Uint8Array): Promise<Result<Uint8Array>> {
    return this.#recv.decryptWithAd(EMPTY, message);
  }
}

export interface InitiatorIKOptions {
  readonly staticKey: KeyPair;
  /** The daemon's static public key, from the pairing link. */
  readonly remoteStatic: Uint8Array;
  readonly payload?: Uint8Array;
  /** Fixed ephemeral, for tests only. */
  readonly ephemeral?: KeyPair;
}

export interface PendingInitiator {
  /** Handshake message 1, to send. */
  readonly message: Uint8Array;
  /** Reads handshake message 2. */
  finish(message2: Uint8Array): Promise<Result<{ channel: Channel; payload: Uint8Array }>>;
}

export async function initiatorIK(o: InitiatorIKOptions): Promise<Result<PendingInitiator>> {
  const hs = await HandshakeState.create({
    protocolName: TETHER_PROTOCOL,
    initiator: true,
    prologue: TETHER_PROLOGUE,
    staticKey: o.staticKey,
    remoteStatic: o.remoteStatic,
    ephemeral: o.ephemeral,
  });
  const m1 = await hs.writeMessage(o.payload ?? EMPTY);
  if (!m1.ok) return m1;
  return ok({
    message: m1.value,
    async finish(message2) {
      const p = await hs.readMessage(message2);
      if (!p.ok) return p;
      const ch = await Channel.fromHandshake(hs);
      return ch.ok ? ok({ channel: ch.value, payload: p.value }) : ch;
    },
  });
}

export interface ResponderIKOptions {
  readonly staticKey: KeyPair;
  /** Handshake message 1, as received. */
  readonly message: Uint8Array;
  readonly ephemeral?: KeyPair;
}

export interface PendingResponder {
  /** The initiator's static public key: check it is a paired device before accepting. */
  readonly remoteStatic: Uint8Array;
  readonly payload: Uint8Array;
  /** Writes handshake message 2 and opens the channel. */
  accept(payload?: Uint8Array): Promise<Result<{ message: Uint8Array; channel: Channel }>>;
}

export async function responderIK(o: ResponderIKOptions): Promise<Result<PendingResponder>> {
  const hs = await HandshakeState.create({
    protocolName: TETHER_PROTOCOL,
    initiator: false,
    prologue: TETHER_PROLOGUE,
    staticKey: o.staticKey,
    ephemeral: o.ephemeral,
  });
  const p = await hs.readMessage(o.message);
  if (!p.ok) return p;
  const remoteStatic = hs.remoteStatic();
  if (!remoteStatic) return err('wrong_state');
  return ok({
    remoteStatic,
    payload: p.value,
    async accept(payload = EMPTY) {
      const m2 = await hs.writeMessage(payload);
      if (!m2.ok) return m2;
      const ch = await Channel.fromHandshake(hs);
      return ch.ok ? ok({ message: m2.value, channel: ch.value }) : ch;
    },
  });
}
