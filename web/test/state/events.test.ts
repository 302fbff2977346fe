// Parsing what the daemon sends (session.event params, session.events rows, session.overflow)
// and base64url: anything malformed is null, never an exception.

import { describe, expect, it } from 'vitest';
import { base64urlDecode, parseOverflow, parseSessionEvent, parseStoredEvent } from '../../src/state';
import { rng } from './fixtures';

describe('parseSessionEvent', () => {
  it('reads the documented notification', () => {
    const params = {
      session: 's3fa9c01b2d4e',
      seq: 42,
      time: 1795467890123,
      kind: 'tool_call',
      data: { tool_use_id: 'toolu_1', tool: 'Bash', input: { command: 'ls' } },
    };
    expect(parseSessionEvent(params)).toEqual(params);
  });

  it('defaults a missing time and data', () => {
    expect(parseSessionEvent({ session: 's', seq: 1, kind: 'raw' })).toEqual({ session: 's', seq: 1, time: 0, kind: 'raw', data: {} });
    expect(parseSessionEvent({ session: 's', seq: 1, kind: 'raw', data: [1] })?.data).toEqual({});
  });

  it('refuses what is not an event', () => {
    for (const bad of [
      null,
      undefined,
      'x',
      [],
      {},
      { session: 's', seq: 0, kind: 'k' },
      { session: 's', seq: -1, kind: 'k' },
      { session: 's', seq: 1.5, kind: 'k' },
      { session: 's', seq: '1', kind: 'k' },
      { session: 's', seq: 2 ** 53, kind: 'k' },
      { session: 1, seq: 1, kind: 'k' },
      { session: 's', seq: 1 },
    ]) {
      expect(parseSessionEvent(bad)).toBeNull();
    }
  });

  it('reads a session.events row with the session given apart', () => {
    expect(parseStoredEvent('s1', { seq: 3, time: 5, kind: 'notice', data: { text: 'x' } })).toEqual({
      session: 's1',
      seq: 3,
      time: 5,
      kind: 'notice',
      data: { text: 'x' },
    });
    expect(parseStoredEvent('s1', 'row')).toBeNull();
  });
});

describe('parseOverflow', () => {
  it('reads the params, and refuses others', () => {
    expect(parseOverflow({ session: 's', last_seq: 0 })).toEqual({ session: 's', lastSeq: 0, reason: '' });
    expect(parseOverflow({ session: 's', last_seq: -1 })).toBeNull();
    expect(parseOverflow({ last_seq: 3 })).toBeNull();
    expect(parseOverflow(null)).toBeNull();
  });
});

describe('base64urlDecode', () => {
  it('matches Node for every length and random bytes, with and without padding', () => {
    const rand = rng(7);
    for (let n = 0; n < 300; n++) {
      const bytes = new Uint8Array(n).map(() => Math.floor(rand() * 256));
      const text = Buffer.from(bytes).toString('base64url');
      expect(base64urlDecode(text)).toEqual(bytes);
      const padded = text + '='.repeat((4 - (text.length % 4)) % 4);
      expect(base64urlDecode(padded)).toEqual(bytes);
    }
  });

  it('refuses other alphabets and impossible lengths', () => {
    for (const bad of ['a+b/', 'ab cd', 'abc\u00e9', 'a', 'abcde', 'ab===', '=', 'ab=c']) {
      expect(base64urlDecode(bad)).toBeNull();
    }
  });
});
