// Noise HandshakeState (spec §5.3): runs any pattern from patterns.ts, token by token.
// Pure: bytes in, bytes out. The ephemeral key is injectable for test vectors.
// Configuration mistakes throw; anything the peer sends comes back as a Result.

import { concat } from './bytes';
import { MAX_MESSAGE, type CipherState } from './cipher_state';
import type { Token } from './patterns';
import { DHLEN, TAGLEN, dh, generateKeyPair, type KeyPair } from './primitives';
import { resolveProtocol } from './protocol';
import { err, ok, type NoiseError, type Result } from './result';
import { SymmetricState } from './symmetric_state';

export interface HandshakeOptions {
  readonly protocolName: string;
  readonly initiator: boolean;
  readonly prologue?: Uint8Array;
  /** Our static key pair (s). */
  readonly staticKey?: KeyPair;
  /** The peer's static public key when known in advance (rs). */
  readonly remoteStatic?: Uint8Array;
  /** Fixed ephemeral key pair (e); generated when absent. For test vectors. */
  readonly ephemeral?: KeyPair;
  /** The peer's ephemeral public key, only for patterns with an "e" pre-message. */
  readonly remoteEphemeral?: Uint8Array;
  /** Pre-shared keys, 32 bytes each, one per psk token in order. */
  readonly psks?: readonly Uint8Array[];
}

export interface TransportPair {
  readonly send: CipherState;
  readonly recv: CipherState;
  readonly handshakeHash: Uint8Array;
}

export class HandshakeState {
  readonly #ss: SymmetricState;
  readonly #initiator: boolean;
  readonly #messages: readonly (readonly Token[])[];
  readonly #psk: boolean;
  readonly #psks: readonly Uint8Array[];
  #s: KeyPair | undefined;
  #e: KeyPair | undefined;
  #rs: Uint8Array | undefined;
  #re: Uint8Array | undefined;
  #index = 0;
  #pskIndex = 0;
  #busy = false;
  #dead = false;

  private constructor(ss: SymmetricState, o: HandshakeOptions, messages: readonly (readonly Token[])[], psk: boolean) {
    this.#ss = ss;
    this.#initiator = o.initiator;
    this.#messages = messages;
    this.#psk = psk;
    this.#psks = o.psks ?? [];
    this.#s = o.staticKey;
    this.#e = o.ephemeral;
    this.#rs = o.remoteStatic;
    this.#re = o.remoteEphemeral;
  }

  static async create(o: HandshakeOptions): Promise<HandshakeState> {
    const p = resolveProtocol(o.protocolName);
    if (!p) throw new Error(`noise: unsupported protocol ${o.protocolName}`);
    const { pattern } = p;
    const mine = (i: number) => (i % 2 === 0) === o.initiator;
    const sent = pattern.messages.filter((_, i) => mine(i)).flat();
    const myPre = o.initiator ? pattern.initiatorPre : pattern.responderPre;
    const peerPre = o.initiator ? pattern.responderPre : pattern.initiatorPre;
    const need = (cond: boolean, what: string) => {
      if (cond) throw new Error(`noise: ${pattern.name} needs ${what}`);
    };
    need((myPre.includes('s') || sent.includes('s')) && !o.staticKey, 'a static key');
    need(peerPre.includes('s') && o.remoteStatic?.length !== DHLEN, 'the remote static key');
    need(myPre.includes('e') && !o.ephemeral, 'a fixed ephemeral key');
    need(peerPre.includes('e') && o.remoteEphemeral?.length !== DHLEN, 'the remote ephemeral key');
    const pskCount = pattern.messages.flat().filter((t) => t === 'psk').length;
    const psks = o.psks ?? [];
    need(psks.length !== pskCount || psks.some((k) => k.length !== 32), `${pskCount} psks of 32 bytes`);

    const ss = await SymmetricState.initialize(p, p.name);
    await ss.mixHash(o.prologue ?? new Uint8Array(0));
    const hs = new HandshakeState(ss, o, pattern.messages, pattern.psk);
    for (const [pre, local] of [
      [pattern.initiatorPre, o.initiator],
      [pattern.responderPre, !o.initiator],
    ] as const) {
      for (const t of pre) await ss.mixHash(hs.#preKey(t, local));
    }
    return hs;
  }

  get isComplete(): boolean {
    return this.#index >= this.#messages.length;
  }

  /** True when the next handshake message is ours to write. */
  get isMyTurn(): boolean {
    return !this.isComplete && (this.#index % 2 === 0) === this.#initiator;
  }

  handshakeHash(): Uint8Array {
    return this.#ss.handshakeHash();
  }

  /** The peer's static public key, once known. */
  remoteStatic(): Uint8Array | null {
    return this.#rs ? this.#rs.slice() : null;
  }

  async writeMessage(payload: Uint8Array = new Uint8Array(0)): Promise<Result<Uint8Array>> {
    return this.#step(true, async () => {
      const out: Uint8Array[] = [];
      for (const t of this.#messages[this.#index]!) {
        const e = await this.#writeToken(t, out);
        if (e) return err(e);
      }
      const body = await this.#ss.encryptAndHash(payload);
      if (!body.ok) return body;
      const msg = concat(...out, body.value);
      return msg.length > MAX_MESSAGE ? err('too_large') : ok(msg);
    });
  }

  async readMessage(message: Uint8Array): Promise<Result<Uint8Array>> {
    return this.#step(false, async () => {
      if (message.length > MAX_MESSAGE) return err('too_large');
      let off = 0;
      const take = (n: number): Uint8Array | null => {
        if (message.length - off < n) return null;
        off += n;
        return message.subarray(off - n, off);
      };
      for (const t of this.#messages[this.#index]!) {
        const e = await this.#readToken(t, take);
        if (e) return err(e);
      }
      const rest = message.subarray(off);
      if (this.#ss.hasKey() && rest.length < TAGLEN) return err('wrong_length');
      return this.#ss.decryptAndHash(rest);
    });
  }

  /** After the last message: the transport CipherStates, oriented for this side. */
  async split(): Promise<Result<TransportPair>> {
    if (this.#dead) return err('dead');
    if (!this.isComplete || this.#busy) return err('wrong_state');
    const [c1, c2] = await this.#ss.split();
    const handshakeHash = this.#ss.handshakeHash();
    return ok(this.#initiator ? { send: c1, recv: c2, handshakeHash } : { send: c2, recv: c1, handshakeHash });
  }

  async #step(writing: boolean, f: () => Promise<Result<Uint8Array>>): Promise<Result<Uint8Array>> {
    if (this.#dead) return err('dead');
    if (this.#busy || this.isComplete || this.isMyTurn !== writing) return err('wrong_state');
    this.#busy = true;
    try {
      const r = await f();
      if (r.ok) this.#index++;
      else this.#dead = true;
      return r;
    } catch (e) {
      this.#dead = true;
      throw e;
    } finally {
      this.#busy = false;
    }
  }

  async #writeToken(t: Token, out: Uint8Array[]): Promise<NoiseError | null> {
    switch (t) {
      case 'e': {
        this.#e ??= await generateKeyPair();
        out.push(this.#e.publicKey);
        return this.#mixEphemeral(this.#e.publicKey);
      }
      case 's': {
        const r = await this.#ss.encryptAndHash(this.#s!.publicKey);
        if (!r.ok) return r.error;
        out.push(r.value);
        return null;
      }
      case 'psk':
        await this.#ss.mixKeyAndHash(this.#psks[this.#pskIndex++]!);
        return null;
      default:
        return this.#mixDh(t);
    }
  }

  async #readToken(t: Token, take: (n: number) => Uint8Array | null): Promise<NoiseError | null> {
    switch (t) {
      case 'e': {
        const re = take(DHLEN);
        if (!re) return 'wrong_length';
        this.#re = re.slice();
        return this.#mixEphemeral(this.#re);
      }
      case 's': {
        const c = take(DHLEN + (this.#ss.hasKey() ? TAGLEN : 0));
        if (!c) return 'wrong_length';
        const r = await this.#ss.decryptAndHash(c);
        if (!r.ok) return r.error;
        this.#rs = r.value;
        return null;
      }
      case 'psk':
        await this.#ss.mixKeyAndHash(this.#psks[this.#pskIndex++]!);
        return null;
      default:
        return this.#mixDh(t);
    }
  }

  async #mixEphemeral(pub: Uint8Array): Promise<null> {
    await this.#ss.mixHash(pub);
    if (this.#psk) await this.#ss.mixKey(pub);
    return null;
  }

  /** ee/es/se/ss: the first letter is the initiator's key, the second the responder's. */
  async #mixDh(t: 'ee' | 'es' | 'se' | 'ss'): Promise<NoiseError | null> {
    const [mineKind, theirsKind] = this.#initiator ? [t[0], t[1]] : [t[1], t[0]];
    const mine = mineKind === 'e' ? this.#e : this.#s;
    const theirs = theirsKind === 'e' ? this.#re : this.#rs;
    if (!mine || !theirs) throw new Error(`noise: key missing for ${t}`);
    const shared = await dh(mine.privateKey, theirs);
    if (!shared) return 'bad_key';
    await this.#ss.mixKey(shared);
    return null;
  }

  #preKey(t: Token, local: boolean): Uint8Array {
    const key = t === 'e' ? (local ? this.#e?.publicKey : this.#re) : local ? this.#s?.publicKey : this.#rs;
    if ((t !== 'e' && t !== 's') || !key) throw new Error(`noise: bad pre-message token ${t}`);
    return key;
  }
}
