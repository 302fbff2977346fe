// Splits application messages into Noise transport plaintexts and reassembles them.
// Chunk = flags byte; 0x01 FIRST + u32 BE total length + data, 0x00 CONTINUATION + data (≥1 byte).
// Pure; the C++ side implements the same format. Any violation kills the Reassembler.

import { MAX_PLAINTEXT } from './cipher_state';
import { err, ok, type Result } from './result';

export const FLAG_CONTINUATION = 0x00;
export const FLAG_FIRST = 0x01;
const FIRST_HEADER = 5;
const CONT_HEADER = 1;
/** Data bytes per chunk when filled to the 65519-byte plaintext limit. */
export const FIRST_CHUNK_DATA = MAX_PLAINTEXT - FIRST_HEADER; // 65514
export const CONT_CHUNK_DATA = MAX_PLAINTEXT - CONT_HEADER; // 65518
export const DEFAULT_MAX_MESSAGE = 16 * 1024 * 1024;

export type FramingError = 'malformed' | 'too_large' | 'dead';

/** One FIRST chunk, then continuations, each filled to the maximum. */
export function splitMessage(msg: Uint8Array): Uint8Array[] {
  if (msg.length > 0xffffffff) throw new RangeError('splitMessage: message too large');
  const firstLen = Math.min(msg.length, FIRST_CHUNK_DATA);
  const first = new Uint8Array(FIRST_HEADER + firstLen);
  first[0] = FLAG_FIRST;
  new DataView(first.buffer).setUint32(1, msg.length, false);
  first.set(msg.subarray(0, firstLen), FIRST_HEADER);
  const chunks = [first];
  for (let off = firstLen; off < msg.length; off += CONT_CHUNK_DATA) {
    const data = msg.subarray(off, off + CONT_CHUNK_DATA);
    const chunk = new Uint8Array(CONT_HEADER + data.length);
    chunk[0] = FLAG_CONTINUATION;
    chunk.set(data, CONT_HEADER);
    chunks.push(chunk);
  }
  return chunks;
}

export interface ReassemblerOptions {
  /** Largest announced length accepted; default 16 MiB. */
  readonly maxMessage?: number;
}

export class Reassembler {
  readonly #max: number;
  #pending: { buf: Uint8Array; got: number } | null = null;
  #dead = false;

  constructor(opts: ReassemblerOptions = {}) {
    this.#max = opts.maxMessage ?? DEFAULT_MAX_MESSAGE;
  }

  get dead(): boolean {
    return this.#dead;
  }

  /** The complete message when this chunk finishes one, null when more is needed. */
  push(chunk: Uint8Array): Result<Uint8Array | null, FramingError> {
    if (this.#dead) return err('dead');
    const r = this.#push(chunk);
    if (!r.ok) {
      this.#dead = true;
      this.#pending = null;
    }
    return r;
  }

  #push(chunk: Uint8Array): Result<Uint8Array | null, FramingError> {
    if (chunk.length < 1 || chunk.length > MAX_PLAINTEXT) return err('malformed');
    const flags = chunk[0];
    let data: Uint8Array;
    if (flags === FLAG_FIRST) {
      if (this.#pending || chunk.length < FIRST_HEADER) return err('malformed');
      const total = new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength).getUint32(1, false);
      if (total > this.#max) return err('too_large');
      data = chunk.subarray(FIRST_HEADER);
      if (data.length > total) return err('malformed');
      this.#pending = { buf: new Uint8Array(total), got: 0 };
    } else if (flags === FLAG_CONTINUATION) {
      data = chunk.subarray(CONT_HEADER);
      if (!this.#pending || data.length === 0) return err('malformed');
      if (this.#pending.got + data.length > this.#pending.buf.length) return err('malformed');
    } else {
      return err('malformed');
    }
    const p = this.#pending;
    p.buf.set(data, p.got);
    p.got += data.length;
    if (p.got < p.buf.length) return ok(null);
    this.#pending = null;
    return ok(p.buf);
  }
}
