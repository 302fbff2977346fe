// Framing of application messages into Noise plaintexts: sizes at every boundary and every
// malformed case; a Reassembler stays dead after its first error.

import { describe, expect, it } from 'vitest';
import {
  CONT_CHUNK_DATA,
  FIRST_CHUNK_DATA,
  MAX_PLAINTEXT,
  Reassembler,
  splitMessage,
  type FramingError,
} from '../../src/noise';
import { sameBytes } from './helpers';

const pattern = (n: number) => {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (i * 7 + (i >>> 8)) & 0xff;
  return out;
};
const first = (total: number, data: number[] = []) =>
  new Uint8Array([1, total >>> 24, (total >>> 16) & 0xff, (total >>> 8) & 0xff, total & 0xff, ...data]);
const cont = (data: number[]) => new Uint8Array([0, ...data]);

function feed(r: Reassembler, chunks: Uint8Array[]) {
  return chunks.map((c) => r.push(c));
}

describe('splitMessage + Reassembler', () => {
  const sizes = [0, 1, FIRST_CHUNK_DATA, FIRST_CHUNK_DATA + 1, 1 << 20, 16 * 1024 * 1024];
  for (const size of sizes) {
    it(`round trips ${size} bytes`, () => {
      const msg = pattern(size);
      const chunks = splitMessage(msg);
      const expected = size <= FIRST_CHUNK_DATA ? 1 : 1 + Math.ceil((size - FIRST_CHUNK_DATA) / CONT_CHUNK_DATA);
      expect(chunks.length).toBe(expected);
      chunks.forEach((c, i) => {
        expect(c.length).toBeLessThanOrEqual(MAX_PLAINTEXT);
        if (i < chunks.length - 1) expect(c.length).toBe(MAX_PLAINTEXT);
        expect(c[0]).toBe(i === 0 ? 1 : 0);
      });
      const r = new Reassembler();
      const results = feed(r, chunks);
      results.slice(0, -1).forEach((x) => expect(x).toEqual({ ok: true, value: null }));
      const last = results[results.length - 1]!;
      expect(last.ok && sameBytes(last.value, msg)).toBe(true);
      // The reassembler is ready for the next message.
      expect(r.push(first(1, [9]))).toEqual({ ok: true, value: new Uint8Array([9]) });
    });
  }

  it('lays out the header exactly', () => {
    const [c0, c1] = splitMessage(pattern(FIRST_CHUNK_DATA + 2));
    expect([...c0!.subarray(0, 5)]).toEqual([0x01, 0x00, 0x00, 0xff, 0xec]);
    expect(c1!.length).toBe(3);
    expect(c1![0]).toBe(0);
    expect([...splitMessage(new Uint8Array(0))[0]!]).toEqual([1, 0, 0, 0, 0]);
  });

  it('accepts a message spread over small chunks', () => {
    const r = new Reassembler();
    expect(r.push(first(3, [1]))).toEqual({ ok: true, value: null });
    expect(r.push(cont([2]))).toEqual({ ok: true, value: null });
    expect(r.push(cont([3]))).toEqual({ ok: true, value: new Uint8Array([1, 2, 3]) });
  });
});

describe('Reassembler rejects', () => {
  const cases: [string, Uint8Array[], FramingError][] = [
    ['an empty chunk', [new Uint8Array(0)], 'malformed'],
    ['an unknown flags byte', [new Uint8Array([2, 0, 0, 0, 0])], 'malformed'],
    ['flags 0xff', [new Uint8Array([0xff, 1])], 'malformed'],
    ['a FIRST shorter than its header', [new Uint8Array([1, 0, 0, 0])], 'malformed'],
    ['a FIRST while a message is pending', [first(2, [1]), first(1, [1])], 'malformed'],
    ['a CONTINUATION with nothing pending', [cont([1])], 'malformed'],
    ['a CONTINUATION after a completed message', [first(1, [1]), cont([1])], 'malformed'],
    ['a CONTINUATION with no data', [first(2, [1]), cont([])], 'malformed'],
    ['a FIRST carrying more than L', [first(1, [1, 2])], 'malformed'],
    ['a CONTINUATION going past L', [first(2, [1]), cont([2, 3])], 'malformed'],
    ['a chunk above the Noise plaintext limit', [new Uint8Array(MAX_PLAINTEXT + 1)], 'malformed'],
    ['an announced length above 16 MiB', [first(16 * 1024 * 1024 + 1)], 'too_large'],
    ['an announced length of 2^32-1', [first(0xffffffff)], 'too_large'],
  ];
  for (const [name, chunks, error] of cases) {
    it(`${name} (${error}), then stays dead`, () => {
      const r = new Reassembler();
      const results = feed(r, chunks);
      results.slice(0, -1).forEach((x) => expect(x.ok).toBe(true));
      expect(results[results.length - 1]).toEqual({ ok: false, error });
      expect(r.dead).toBe(true);
      expect(r.push(first(0))).toEqual({ ok: false, error: 'dead' });
    });
  }

  it('honours a configured maxMessage', () => {
    const r = new Reassembler({ maxMessage: 10 });
    expect(r.push(first(10, [1]))).toEqual({ ok: true, value: null });
    expect(new Reassembler({ maxMessage: 10 }).push(first(11))).toEqual({ ok: false, error: 'too_large' });
    expect(new Reassembler().push(first(16 * 1024 * 1024)).ok).toBe(true);
  });
});
