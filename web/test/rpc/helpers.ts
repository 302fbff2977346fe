// Test doubles for the RPC layer: a Transport the test drives by hand, and a pair of
// WebSocket-like sockets joined back to back that deliver asynchronously, as browsers do.

import type { BinarySocket } from '../../src/rpc';
import type { CloseInfo, Transport } from '../../src/rpc';

/** A Transport whose peer is the test: read `sent`, push replies with `deliver`. */
export class FakeTransport implements Transport {
  readonly sent: string[] = [];
  closedByClient = false;
  failSend: Error | null = null;
  #onMessage: ((text: string) => void) | null = null;
  #onClose: ((info: CloseInfo) => void) | null = null;

  send(text: string): void {
    if (this.failSend) throw this.failSend;
    this.sent.push(text);
  }
  onMessage(cb: (text: string) => void): void {
    this.#onMessage = cb;
  }
  onClose(cb: (info: CloseInfo) => void): void {
    this.#onClose = cb;
  }
  close(): void {
    this.closedByClient = true;
  }

  deliver(msg: unknown): void {
    this.#onMessage?.(typeof msg === 'string' ? msg : JSON.stringify(msg));
  }
  peerClose(code: number, reason: string): void {
    this.#onClose?.({ code, reason });
  }
  /** The requests sent so far, parsed. */
  requests(): { jsonrpc: string; id: number; method: string; params?: unknown }[] {
    return this.sent.map((s) => JSON.parse(s) as { jsonrpc: string; id: number; method: string; params?: unknown });
  }
}

/** One end of an in-memory binary WebSocket: sends arrive at the peer on a later microtask. */
export class FakeSocket implements BinarySocket {
  binaryType: BinaryType = 'blob';
  onmessage: ((ev: MessageEvent) => void) | null = null;
  onclose: ((ev: CloseEvent) => void) | null = null;
  peer: FakeSocket | null = null;
  readonly frames: Uint8Array[] = [];
  closed: { code?: number; reason?: string } | null = null;
  /** Rewrites each outgoing frame (return null to drop it); for tampering tests. */
  tamper: ((frame: Uint8Array, index: number) => Uint8Array | null) | null = null;
  /** Deliver ArrayBuffers (what a browser gives with binaryType "arraybuffer") or Uint8Arrays. */
  deliverAs: 'arraybuffer' | 'uint8array' = 'arraybuffer';

  send(data: ArrayBuffer | Uint8Array<ArrayBuffer>): void {
    if (this.closed) throw new Error('FakeSocket: send after close');
    const bytes = data instanceof ArrayBuffer ? new Uint8Array(data) : data;
    const frame = this.tamper ? this.tamper(bytes.slice(), this.frames.length) : bytes.slice();
    this.frames.push(bytes.slice());
    const peer = this.peer;
    if (frame && peer) queueMicrotask(() => peer.receive(frame));
  }

  receive(frame: Uint8Array | string): void {
    if (this.closed) return;
    const data =
      typeof frame === 'string' ? frame : this.deliverAs === 'arraybuffer' ? frame.slice().buffer : frame.slice();
    this.onmessage?.({ data } as MessageEvent);
  }

  close(code?: number, reason?: string): void {
    if (this.closed) return;
    this.closed = { code, reason };
    const peer = this.peer;
    // As in a browser, the closing side hears its own close event too, later.
    queueMicrotask(() => {
      this.onclose?.({ code: code ?? 1005, reason: reason ?? '' } as CloseEvent);
      peer?.remoteClose(code ?? 1005, reason ?? '');
    });
  }

  /** The other end closed (or the network did): as a browser reports it. */
  remoteClose(code: number, reason: string): void {
    if (this.closed) return;
    this.closed = { code, reason };
    this.onclose?.({ code, reason } as CloseEvent);
  }
}

export function socketPair(): [FakeSocket, FakeSocket] {
  const a = new FakeSocket();
  const b = new FakeSocket();
  a.peer = b;
  b.peer = a;
  return [a, b];
}

/** Lets queued microtasks and WebCrypto promises run. */
export async function settle(rounds = 20): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((r) => setTimeout(r, 0));
}

/** Waits until cond() holds (WebCrypto work takes real time). */
export async function until(cond: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('until: timed out');
    await new Promise((r) => setTimeout(r, 1));
  }
}
