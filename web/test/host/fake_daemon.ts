// An in-memory daemon for the host tests: the responder side of tether's IK handshake and
// framing, answering JSON-RPC lines with a handler. It plays the relay's socket too (Dial).

import {
  generateKeyPair,
  Reassembler,
  responderIK,
  splitMessage,
  type Channel,
  type KeyPair,
} from '../../src/noise';
import { encodeBase64url } from '../../src/host/b64';
import type { Dial, SocketEvents } from '../../src/host/link';
import type { Offer } from '../../src/host/offer';

/** A handler's answer that means: never reply. */
export const NO_REPLY = Symbol('no reply');

export interface FakeDaemonOptions {
  /**
   * Decides on message 1's payload: a hello to answer with (a `rotate` in it goes into message 2
   * as given), or a close code to refuse with. `staticKey` is the key message 1 was made for.
   */
  readonly admit?: (
    payload: unknown,
    remoteStatic: Uint8Array,
    staticKey: KeyPair,
  ) => { device_id: string; mode: string; name: string; rotate?: unknown } | number;
  /** The daemon id (default 32 bytes of 7, no real Ed25519 key). */
  readonly id?: string;
  readonly handle?: (method: string, params: unknown) => unknown;
}

export interface FakeConnection {
  readonly url: string;
  readonly on: SocketEvents;
  channel: Channel | null;
  closedByClient: { code?: number; reason?: string } | null;
  /** Closes from the daemon's (or relay's) side. */
  close(code: number, reason: string): void;
  /** Sends one JSON text to the device as a framed, encrypted message. */
  push(obj: unknown): Promise<void>;
}

export class FakeDaemon {
  readonly key: KeyPair;
  readonly id: string;
  readonly connections: FakeConnection[] = [];
  readonly payloads: unknown[] = [];
  /** URLs that fail at once with this close code (as a browser reports an unreachable host). */
  readonly unreachable = new Map<string, number>();
  /** Further static keys message 1 may be made for (a daemon in a key rotation answers on two). */
  readonly otherKeys: KeyPair[] = [];
  #opts: FakeDaemonOptions;

  private constructor(key: KeyPair, opts: FakeDaemonOptions) {
    this.key = key;
    this.id = opts.id ?? encodeBase64url(new Uint8Array(32).fill(7));
    this.#opts = opts;
  }

  static async create(opts: FakeDaemonOptions = {}): Promise<FakeDaemon> {
    return new FakeDaemon(await generateKeyPair(), opts);
  }

  offer(over: Partial<Offer> = {}): Offer {
    return {
      v: 1,
      daemon_id: this.id,
      noise_key: encodeBase64url(this.key.publicKey),
      relay: 'wss://relay.test',
      direct: '',
      secret: encodeBase64url(new Uint8Array(32).fill(9)),
      ...over,
    };
  }

  readonly dial: Dial = (url, on) => {
    const daemon = this;
    const reasm = new Reassembler();
    let closed = false;
    let chain = Promise.resolve();
    const conn: FakeConnection = {
      url,
      on,
      channel: null,
      closedByClient: null,
      close(code, reason) {
        if (closed) return;
        closed = true;
        setTimeout(() => on.close(code, reason), 0);
      },
      async push(obj) {
        const ch = conn.channel!;
        for (const chunk of splitMessage(new TextEncoder().encode(JSON.stringify(obj)))) {
          const c = await ch.encrypt(chunk);
          if (!c.ok) throw new Error(c.error);
          if (!closed) on.message(c.value);
        }
      },
    };
    this.connections.push(conn);
    const refuse = this.unreachable.get(url);
    if (refuse !== undefined) {
      conn.close(refuse, '');
    } else {
      setTimeout(() => !closed && on.open(), 0);
    }
    const receive = async (frame: Uint8Array) => {
      if (closed) return;
      if (!conn.channel) {
        let staticKey = daemon.key;
        let r = await responderIK({ staticKey, message: frame });
        for (const k of daemon.otherKeys) {
          if (r.ok) break;
          r = await responderIK({ staticKey: (staticKey = k), message: frame });
        }
        if (!r.ok) return conn.close(4401, 'refused');
        const payload = r.value.payload.length ? JSON.parse(new TextDecoder().decode(r.value.payload)) : null;
        daemon.payloads.push(payload);
        const verdict = (daemon.#opts.admit ?? (() => ({ device_id: 'dev1', mode: 'full', name: 'phone' })))(
          payload,
          r.value.remoteStatic,
          staticKey,
        );
        if (typeof verdict === 'number') return conn.close(verdict, 'refused');
        const a = await r.value.accept(new TextEncoder().encode(JSON.stringify(verdict)));
        if (!a.ok) throw new Error(a.error);
        conn.channel = a.value.channel;
        on.message(a.value.message);
        return;
      }
      const pt = await conn.channel.decrypt(frame);
      if (!pt.ok) return conn.close(1008, 'bad frame');
      const m = reasm.push(pt.value);
      if (!m.ok) return conn.close(1008, 'bad chunk');
      if (!m.value) return;
      const req = JSON.parse(new TextDecoder().decode(m.value)) as { id: number; method: string; params?: unknown };
      const handle = daemon.#opts.handle ?? (() => ({}));
      let reply: unknown;
      try {
        const result = handle(req.method, req.params);
        if (result === NO_REPLY) return;
        reply = { jsonrpc: '2.0', id: req.id, result };
      } catch (e) {
        reply = { jsonrpc: '2.0', id: req.id, error: { code: -32601, message: String((e as Error).message), data: { code: 'nope' } } };
      }
      await conn.push(reply);
    };
    return {
      send(data) {
        const copy = data.slice();
        chain = chain.then(() => receive(copy));
      },
      close(code, reason) {
        conn.closedByClient = { code, reason };
        if (closed) return;
        closed = true;
        setTimeout(() => on.close(code ?? 1005, reason ?? ''), 0);
      },
    };
  };
}
