// A Transport over a binary WebSocket and an established Noise Channel: each text message is
// UTF-8, split into chunks (noise/framing), one encrypted Noise message per binary frame.
// Frames are handled strictly in order; the first bad frame kills the channel and closes with 1008.

import { type Channel, DEFAULT_MAX_MESSAGE, Reassembler, splitMessage } from '../noise';
import type { CloseInfo, Transport } from './transport';

/** The part of a browser WebSocket this needs; a real WebSocket fits. */
export interface BinarySocket {
  binaryType: BinaryType;
  send(data: ArrayBuffer | Uint8Array<ArrayBuffer>): void;
  close(code?: number, reason?: string): void;
  onmessage: ((ev: MessageEvent) => void) | null;
  onclose: ((ev: CloseEvent) => void) | null;
}

export interface NoiseTransportOptions {
  /** Largest message either way, in bytes of UTF-8; default 16 MiB (the daemon's default). */
  readonly maxMessage?: number;
}

/** Close codes as docs/protocol.md "Device connections" uses them, reported to onClose. */
export const CLOSE_NORMAL = 1000;
export const CLOSE_TEXT_FRAME = 1003;
export const CLOSE_CHANNEL_DEAD = 1008;

export function noiseTransport(socket: BinarySocket, channel: Channel, options: NoiseTransportOptions = {}): Transport {
  return new NoiseTransport(socket, channel, options.maxMessage ?? DEFAULT_MAX_MESSAGE);
}

class NoiseTransport implements Transport {
  readonly #socket: BinarySocket;
  readonly #channel: Channel;
  readonly #maxMessage: number;
  readonly #reassembler: Reassembler;
  readonly #encoder = new TextEncoder();
  readonly #decoder = new TextDecoder('utf-8', { fatal: true });
  readonly #messageCbs: ((text: string) => void)[] = [];
  readonly #closeCbs: ((info: CloseInfo) => void)[] = [];
  /** Messages that arrived before anyone listened. */
  #early: string[] = [];
  // One chain each way keeps frames in order although encrypt/decrypt are async.
  #tx: Promise<void> = Promise.resolve();
  #rx: Promise<void> = Promise.resolve();
  #closed: CloseInfo | null = null;
  #socketClosed = false;

  constructor(socket: BinarySocket, channel: Channel, maxMessage: number) {
    this.#socket = socket;
    this.#channel = channel;
    this.#maxMessage = maxMessage;
    this.#reassembler = new Reassembler({ maxMessage });
    socket.binaryType = 'arraybuffer';
    socket.onmessage = (ev) => this.#frame(ev.data as unknown);
    socket.onclose = (ev) => {
      // Frames that came before the close are still being decrypted: deliver them first.
      this.#socketClosed = true;
      const info = { code: ev.code, reason: ev.reason };
      this.#rx = this.#rx.then(() => this.#shut(info));
    };
  }

  send(text: string): void {
    if (this.#closed || this.#socketClosed) throw new Error('the transport is closed');
    const bytes = this.#encoder.encode(text);
    if (bytes.length > this.#maxMessage) throw new RangeError(`message of ${bytes.length} bytes is over ${this.#maxMessage}`);
    const chunks = splitMessage(bytes);
    this.#tx = this.#tx.then(async () => {
      for (const chunk of chunks) {
        if (this.#closed) return;
        const sealed = await this.#channel.encrypt(chunk);
        if (!sealed.ok) return this.#fail(`encrypt failed: ${sealed.error}`);
        if (this.#closed) return;
        // Channel.encrypt returns a fresh ArrayBuffer-backed array.
        this.#socket.send(sealed.value as Uint8Array<ArrayBuffer>);
      }
    }).catch((e: unknown) => this.#fail(`send failed: ${describe(e)}`));
  }

  onMessage(cb: (text: string) => void): void {
    this.#messageCbs.push(cb);
    const early = this.#early;
    this.#early = [];
    for (const text of early) guard(() => cb(text));
  }

  onClose(cb: (info: CloseInfo) => void): void {
    const info = this.#closed;
    if (info) queueMicrotask(() => guard(() => cb(info)));
    else this.#closeCbs.push(cb);
  }

  close(): void {
    if (this.#closed) return;
    this.#shut({ code: CLOSE_NORMAL, reason: 'closed by the client' });
    guard(() => this.#socket.close(CLOSE_NORMAL));
  }

  #frame(data: unknown): void {
    if (this.#closed || this.#socketClosed) return;
    let frame: Uint8Array;
    if (data instanceof ArrayBuffer) frame = new Uint8Array(data);
    else if (data instanceof Uint8Array) frame = data;
    else return this.#fail('binary frames only', CLOSE_TEXT_FRAME);
    this.#rx = this.#rx.then(async () => {
      if (this.#closed) return;
      const plain = await this.#channel.decrypt(frame);
      if (this.#closed) return;
      if (!plain.ok) return this.#fail(`decrypt failed: ${plain.error}`);
      const msg = this.#reassembler.push(plain.value);
      if (!msg.ok) return this.#fail(`broken chunk: ${msg.error}`);
      if (msg.value) this.#deliver(msg.value);
    }).catch((e: unknown) => this.#fail(`receive failed: ${describe(e)}`));
  }

  #deliver(bytes: Uint8Array): void {
    let text: string;
    try {
      text = this.#decoder.decode(bytes);
    } catch {
      return this.#fail('a message that is not UTF-8');
    }
    if (this.#messageCbs.length === 0) {
      this.#early.push(text);
      return;
    }
    for (const cb of this.#messageCbs) guard(() => cb(text));
  }

  /** The channel is dead (or the peer broke the protocol): close the socket and say why. */
  #fail(reason: string, code = CLOSE_CHANNEL_DEAD): void {
    if (this.#closed) return;
    this.#shut({ code, reason });
    // Browsers let a page close only with 1000 or 3000-4999; the local report keeps the real code.
    guard(() => this.#socket.close(CLOSE_NORMAL, reason));
  }

  #shut(info: CloseInfo): void {
    if (this.#closed) return;
    this.#closed = info;
    this.#early = [];
    const cbs = this.#closeCbs.splice(0);
    for (const cb of cbs) guard(() => cb(info));
  }
}

function describe(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** A listener's exception is its own bug: report it, and keep the frame chain alive. */
function guard(f: () => void): void {
  try {
    f();
  } catch (e) {
    console.error('tether noise transport: a listener threw', e);
  }
}
