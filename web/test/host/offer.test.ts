// Pairing offers from links, and the endpoints they lead to.

import { describe, expect, it } from 'vitest';
import { decodeBase64url, encodeBase64url } from '../../src/host/b64';
import { endpointsFor, offerTextFrom, parseOffer } from '../../src/host/offer';

const k32 = (b: number) => encodeBase64url(new Uint8Array(32).fill(b));
const good = { v: 1, daemon_id: k32(1), noise_key: k32(2), relay: 'wss://relay.example', direct: '', secret: k32(3) };
const enc = (o: unknown) => encodeBase64url(new TextEncoder().encode(JSON.stringify(o)));

describe('base64url', () => {
  it('round trips every length and matches Node', () => {
    for (let n = 0; n < 40; n++) {
      const b = new Uint8Array(n).map((_, i) => (i * 97 + n) & 0xff);
      const s = encodeBase64url(b);
      expect(s).toBe(Buffer.from(b).toString('base64url'));
      expect(decodeBase64url(s)).toEqual(b);
    }
  });

  it('refuses padding, foreign characters, impossible lengths and non-canonical tails', () => {
    expect(decodeBase64url('AA==')).toBeNull();
    expect(decodeBase64url('A+')).toBeNull();
    expect(decodeBase64url('AAAAA')).toBeNull();
    expect(decodeBase64url('AB')).toBeNull(); // 'B' leaves non-zero bits
    expect(decodeBase64url('AA')).toEqual(new Uint8Array([0]));
  });
});

describe('parseOffer', () => {
  it('reads the offer from a link, a fragment, or bare text', () => {
    const text = enc(good);
    for (const s of [`https://relay.example/#offer=${text}`, `#offer=${text}`, `offer=${text}`, ` ${text} `]) {
      expect(offerTextFrom(s)).toBe(text);
    }
    expect(parseOffer(text)).toEqual({ ok: true, offer: good });
  });

  it('takes an offer with only a direct address', () => {
    const r = parseOffer(enc({ ...good, relay: '', direct: 'http://127.0.0.1:7777' }));
    expect(r.ok).toBe(true);
  });

  it.each([
    ['empty', ''],
    ['not base64url', 'a+b'],
    ['not JSON', encodeBase64url(new TextEncoder().encode('{nope'))],
    ['an array', enc([good])],
    ['another version', enc({ ...good, v: 2 })],
    ['a short daemon id', enc({ ...good, daemon_id: 'abc' })],
    ['a short key', enc({ ...good, noise_key: encodeBase64url(new Uint8Array(31)) })],
    ['no secret', enc({ ...good, secret: undefined })],
    ['a bad relay URL', enc({ ...good, relay: 'javascript:alert(1)' })],
    ['a bad direct address', enc({ ...good, direct: 'not a url' })],
    ['no address at all', enc({ ...good, relay: '', direct: '' })],
    ['too long', 'A'.repeat(5000)],
  ])('refuses %s', (_, text) => {
    const r = parseOffer(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.length).toBeGreaterThan(5);
  });
});

describe('endpointsFor', () => {
  const both = { daemon_id: k32(1), relay: 'wss://relay.example/prefix/', direct: 'http://127.0.0.1:7777' };

  it('builds the relay connect URL and the direct URL', () => {
    expect(endpointsFor(both, 'https://elsewhere.example')).toEqual([
      { via: 'relay', url: `wss://relay.example/prefix/v1/connect/${k32(1)}` },
      { via: 'direct', url: 'ws://127.0.0.1:7777/v1/direct' },
    ]);
  });

  it("puts the page's own origin first (the CSP allows only that)", () => {
    expect(endpointsFor(both, 'http://127.0.0.1:7777').map((e) => e.via)).toEqual(['direct', 'relay']);
    expect(endpointsFor(both, 'https://relay.example').map((e) => e.via)).toEqual(['relay', 'direct']);
  });

  it('maps http(s) relay URLs to ws(s)', () => {
    const e = endpointsFor({ daemon_id: k32(1), relay: 'http://127.0.0.1:8443', direct: '' }, 'http://127.0.0.1:8443');
    expect(e).toEqual([{ via: 'relay', url: `ws://127.0.0.1:8443/v1/connect/${k32(1)}` }]);
  });
});
