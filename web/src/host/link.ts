// A device's connection to one daemon: dialing, the Noise IK handshake with its hello payload,
// and what the close codes mean (docs/protocol.md, "Device connections"). Once open, the socket
// and channel go to rpc/noise_transport, which frames and encrypts the application messages.

import { initiatorIK, type Channel, type KeyPair } from '../noise';
import { noiseTransport, type BinarySocket, type CloseInfo, type Transport } from '../rpc';
import { parseRotation, type Rotation } from './rotation';

/** The part of a WebSocket the link uses, so tests can hand in a fake. */
export interface Socket {
  send(data: Uint8Array): void;
  /** Browsers accept only 1000 and 3000–4999 here. */
  close(code?: number, reason?: string): void;
}

export interface SocketEvents {
  open(): void;
  message(data: Uint8Array | string): void;
  close(code: number, reason: string): void;
}

export type Dial = (url: string, on: SocketEvents) => Socket;

/** The browser's WebSocket. An `error` is always followed by a `close`, which is what we report. */
export const dialWebSocket: Dial = (url, on) => {
  const ws = new WebSocket(url);
  ws.binaryType = 'arraybuffer';
  ws.onopen = () => on.open();
  ws.onmessage = (ev: MessageEvent) =>
    on.message(typeof ev.data === 'string' ? ev.data : new Uint8Array(ev.data as ArrayBuffer));
  ws.onclose = (ev: CloseEvent) => on.close(ev.code, ev.reason);
  return {
    send: (d) => ws.send(d as Uint8Array<ArrayBuffer>),
    close: (code, reason) => ws.close(code, reason),
  };
};

/** Why a link could not be opened, or why it ended. */
export type LinkEnd =
  /** 4401: the daemon refused the key (unknown, revoked) or the pairing (bad secret, …). */
  | { kind: 'refused'; code: number; reason: string }
  /** 4403: the device was revoked while connected. */
  | { kind: 'revoked'; code: number; reason: string }
  /** Closed by the network, the relay (4404 daemon not linked, 4408, 4429, 1001 …) or the daemon stopping. */
  | { kind: 'closed'; code: number; reason: string }
  /** The daemon sent something that is not valid Noise, framing or a handshake answer. */
  | { kind: 'protocol'; detail: string }
  | { kind: 'timeout' }
  /** Closed by this side. */
  | { kind: 'local' };

export function endFromClose(code: number, reason: string): LinkEnd {
  if (code === 4401) return { kind: 'refused', code, reason };
  if (code === 4403) return { kind: 'revoked', code, reason };
  return { kind: 'closed', code, reason };
}

/** What the daemon says about us in handshake message 2. */
export interface Hello {
  readonly device_id: string;
  readonly mode: 'full' | 'read_only';
  readonly name: string;
  /** From a daemon answering on the key it is rotating away from; unchecked (see rotation.ts). A malformed one is left out. */
  readonly rotate?: Rotation;
}

export function parseHello(payload: Uint8Array): Hello | null {
  try {
    const o = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(payload)) as Record<string, unknown>;
    if (typeof o !== 'object' || o === null) return null;
    const { device_id, mode, name } = o;
    if (typeof device_id !== 'string' || device_id === '') return null;
    if (mode !== 'full' && mode !== 'read_only') return null;
    const rotate = parseRotation(o.rotate);
    return { device_id, mode, name: typeof name === 'string' ? name : '', ...(rotate ? { rotate } : {}) };
  } catch {
    return null;
  }
}

export interface OpenLinkOptions {
  readonly dial: Dial;
  readonly url: string;
  readonly staticKey: KeyPair;
  /** The daemon's X25519 key. */
  readonly remoteStatic: Uint8Array;
  /** Message 1's payload: empty for a paired device, `{"pair","name"}` to pair. */
  readonly payload?: unknown;
  /** From dialing to message 2; default 15 s. */
  readonly timeoutMs?: number;
}

export type OpenLinkResult = { ok: true; link: Link } | { ok: false; end: LinkEnd };

const CLOSE_NORMAL = 1000;
const CLOSE_BAD_FRAME = 4000; // a browser may not send 1008; the daemon reads any close the same

/** Dials, runs the handshake, and gives back an open link (or why not). */
export function openLink(o: OpenLinkOptions): Promise<OpenLinkResult> {
  return new Promise((resolve) => {
    let settled = false;
    let link: Link | null = null;
    let socket: Socket | null = null;
    const fail = (end: LinkEnd, closeCode?: number) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (closeCode !== undefined) socket?.close(closeCode, end.kind);
      resolve({ ok: false, end });
    };
    const timer = setTimeout(() => fail({ kind: 'timeout' }, CLOSE_NORMAL), o.timeoutMs ?? 15_000);
    let finish: ((m2: Uint8Array) => Promise<void>) | null = null;
    let finishing = false;
    const early: Uint8Array[] = []; // transport frames that arrive while message 2 is read

    const events: SocketEvents = {
      open() {
        const payload =
          o.payload === undefined ? new Uint8Array(0) : new TextEncoder().encode(JSON.stringify(o.payload));
        void initiatorIK({ staticKey: o.staticKey, remoteStatic: o.remoteStatic, payload }).then((p) => {
          if (settled) return;
          if (!p.ok) return fail({ kind: 'protocol', detail: `handshake: ${p.error}` }, CLOSE_NORMAL);
          finish = async (m2) => {
            const r = await p.value.finish(m2);
            if (settled) return;
            if (!r.ok) return fail({ kind: 'protocol', detail: `handshake message 2: ${r.error}` }, CLOSE_BAD_FRAME);
            const hello = parseHello(r.value.payload);
            if (!hello) return fail({ kind: 'protocol', detail: 'handshake message 2: bad payload' }, CLOSE_BAD_FRAME);
            settled = true;
            clearTimeout(timer);
            link = new Link(socket!, r.value.channel, hello);
            for (const d of early) link.receive(d); // in order, before any later frame
            resolve({ ok: true, link });
          };
          socket!.send(p.value.message);
        });
      },
      message(data) {
        if (link) return link.receive(data);
        if (typeof data === 'string') return fail({ kind: 'protocol', detail: 'a text frame' }, CLOSE_BAD_FRAME);
        if (finishing) return void early.push(data);
        if (!finish) return fail({ kind: 'protocol', detail: 'a frame before the handshake' }, CLOSE_BAD_FRAME);
        finishing = true; // exactly one message 2
        void finish(data);
      },
      close(code, reason) {
        if (link) return link.closed(code, reason);
        fail(endFromClose(code, reason));
      },
    };
    try {
      socket = o.dial(o.url, events);
    } catch (e) {
      fail({ kind: 'closed', code: 0, reason: e instanceof Error ? e.message : String(e) });
    }
  });
}

/** An open link: its application messages travel over `transport` (hand it to an RpcClient). */
export class Link {
  readonly sas: string;
  readonly transport: Transport;
  /** The socket as noise_transport sees it; the link feeds it the socket's events. */
  #wire: BinarySocket;
  #heardClose = false;
  #closing = false;
  #end: LinkEnd | null = null;
  #onEnd: (end: LinkEnd) => void = () => {};

  constructor(
    socket: Socket,
    channel: Channel,
    readonly hello: Hello,
  ) {
    this.sas = channel.sas;
    this.#wire = {
      binaryType: 'arraybuffer',
      send: (d) => socket.send(d instanceof ArrayBuffer ? new Uint8Array(d) : d),
      // The transport closes the socket for close() or for a dead channel; say which on the wire.
      close: () => (this.#closing ? socket.close(CLOSE_NORMAL, 'bye') : socket.close(CLOSE_BAD_FRAME, 'bad frame')),
      onmessage: null,
      onclose: null,
    };
    this.transport = noiseTransport(this.#wire, channel);
    this.transport.onClose((info) => this.#ended(info));
  }

  get ended(): LinkEnd | null {
    return this.#end;
  }

  /** Called once, when the link ends for any reason (at once if it already has). */
  onEnd(fn: (end: LinkEnd) => void): void {
    this.#onEnd = fn;
    if (this.#end) fn(this.#end);
  }

  close(): void {
    if (this.#end) return;
    this.#closing = true;
    this.transport.close();
  }

  /** @internal from the socket */
  receive(data: Uint8Array | string): void {
    this.#wire.onmessage?.({ data } as MessageEvent);
  }

  /** @internal from the socket */
  closed(code: number, reason: string): void {
    this.#heardClose = true;
    this.#wire.onclose?.({ code, reason } as CloseEvent);
  }

  #ended(info: CloseInfo): void {
    if (this.#end) return;
    // Closed here, by the peer or network, or by the transport on a bad frame (info.reason says why).
    this.#end = this.#closing
      ? { kind: 'local' }
      : this.#heardClose
        ? endFromClose(info.code, info.reason)
        : { kind: 'protocol', detail: info.reason };
    this.#onEnd(this.#end);
  }
}

/** A sentence for a person: why the link ended or could not open. */
export function describeEnd(end: LinkEnd): string {
  switch (end.kind) {
    case 'refused':
      return 'The computer refused this device (unknown or revoked key, or a pairing link that expired, was used, or was tried too often).';
    case 'revoked':
      return 'This device was revoked on the computer.';
    case 'timeout':
      return 'No answer from the computer in time.';
    case 'protocol':
      return `The connection broke: ${end.detail}.`;
    case 'local':
      return 'Disconnected.';
    case 'closed':
      switch (end.code) {
        case 4404:
          return 'The computer is not connected to the relay (is `tether daemon` running with --relay?).';
        case 4408:
          return 'The computer did not answer the relay in time.';
        case 4429:
          return 'Too many connections are waiting for this computer; try again shortly.';
        case 4503:
          return 'The computer serves no device connections.';
        case 4501:
          return 'tether stopped on the computer; this reconnects once it runs again.';
        case 1001:
          return end.reason ? `Disconnected: ${end.reason}.` : 'The computer or relay went away.';
        default:
          return end.reason ? `Disconnected (${end.code}: ${end.reason}).` : `Could not connect (code ${end.code}).`;
      }
  }
}
