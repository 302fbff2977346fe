// Pairing offers from links, and the endpoints they lead to.

import { describe, expect, it } from 'vitest';
import { decodeBase64url, encodeBase64url } from '../../src/host/b64';
import { endpointsFor, linkBaseOf, offerTextFrom, pageBaseOf, parseOffer, readOffer } from '../../src/host/offer';

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
    expect(parseOffer(text)).toEqual({ ok: true, offer: good, linkBase: '' });
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

// RFC 8032's first key and the X25519 key libsodium derives from it (test/noise/fixtures).
const ED = Buffer.from('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a', 'hex');
const X = Buffer.from('d85e07ec22b0ad881537c2f44d662d1a143cf830c57aca4305d85c7a90f6b62e', 'hex');
const SECRET = new Uint8Array(16).fill(7);
const str = (s: string) => {
  const b = new TextEncoder().encode(s);
  return [b.length, ...b];
};
/** A version-2 offer: flags, the key, the secret, then `tail`. */
const v2 = (flags: number, tail: number[] = [], key: Uint8Array = ED) => encodeBase64url(new Uint8Array([2, flags, ...key, ...SECRET, ...tail]));
const offerV2 = (relay: string, direct: string) => ({
  v: 2,
  daemon_id: encodeBase64url(ED),
  noise_key: encodeBase64url(X),
  relay,
  direct,
  secret: encodeBase64url(SECRET),
});

describe('parseOffer, version 2', () => {
  it('takes the relay from the link and the direct listener from its port', () => {
    const link = `https://relay.example/#offer=${v2(1 | 4, [0x1e, 0x61])}`;
    expect(linkBaseOf(link)).toBe('https://relay.example');
    expect(readOffer(link, 'https://elsewhere.example')).toEqual({
      ok: true,
      offer: offerV2('wss://relay.example', 'http://127.0.0.1:7777'),
      linkBase: 'https://relay.example',
    });
  });

  it('keeps a path prefix of the link, and maps http to ws', () => {
    expect(readOffer(`http://127.0.0.1:8443/app/#offer=${v2(1)}`, '')).toMatchObject({ ok: true, offer: { relay: 'ws://127.0.0.1:8443/app' } });
  });

  it('reads a bare offer, or the page\'s own fragment, against the page\'s base', () => {
    const base = pageBaseOf({ origin: 'https://relay.example', pathname: '/' });
    expect(base).toBe('https://relay.example');
    expect(pageBaseOf({ origin: 'https://r.example', pathname: '/app/index.html' })).toBe('https://r.example/app');
    expect(pageBaseOf({ origin: 'https://r.example', pathname: '/app/' })).toBe('https://r.example/app');
    for (const text of [v2(1), `#offer=${v2(1)}`, `offer=${v2(1)}`]) {
      expect(readOffer(text, base)).toEqual({ ok: true, offer: offerV2('wss://relay.example', ''), linkBase: base });
    }
  });

  it('reads a relay and a direct origin that follow', () => {
    const text = v2(2 | 8, [...str('wss://relay.example/t'), ...str('https://laptop.example:7777')]);
    expect(parseOffer(text)).toEqual({ ok: true, offer: offerV2('wss://relay.example/t', 'https://laptop.example:7777'), linkBase: '' });
  });

  it('reads an offer with only a direct address', () => {
    expect(parseOffer(v2(4, [0xff, 0xff]))).toMatchObject({ ok: true, offer: { relay: '', direct: 'http://127.0.0.1:65535' } });
  });

  it('is what the daemon writes: a link of about 110 characters for a 30-character relay origin', () => {
    const link = `https://relay-0123456789.example/#offer=${v2(1 | 4, [0x1e, 0x61])}`;
    expect(link.length).toBeLessThan(120);
    expect(readOffer(link, '').ok).toBe(true);
  });

  const yIsOne = new Uint8Array(32);
  yIsOne[0] = 1;
  it.each([
    ['cut short', encodeBase64url(new Uint8Array([2, 1, ...ED, 0, 0])), 'cut short'],
    ['no flags', v2(0), 'neither a relay nor a direct address'],
    ['an unknown flag', v2(1 | 16), 'unknown flags (0x11)'],
    ['both relay flags', v2(1 | 2, str('wss://r.example')), 'names its relay twice'],
    ['both direct flags', v2(4 | 8, [0x1e, 0x61, ...str('http://d.example')]), 'names its direct address twice'],
    ['a relay from a link it did not come with', v2(1), 'give the whole link'],
    ['a missing relay', v2(2), "relay address is cut short"],
    ['an empty relay', v2(2, [0]), 'relay address is empty'],
    ['a relay longer than the offer', v2(2, [40, ...new TextEncoder().encode('wss://r.example')]), 'relay address is longer than the offer'],
    ['a relay that is not UTF-8', v2(2, [2, 0xc3, 0x28]), 'relay address is not UTF-8'],
    ['a relay that is no URL', v2(2, str('relay.example')), 'malformed relay URL'],
    ['a half port', v2(4, [0x1e]), 'direct port is cut short'],
    ['port 0', v2(4, [0, 0]), 'direct port is 0'],
    ['a direct origin cut short', v2(8, [20, 0x68]), 'direct address is longer than the offer'],
    ['a direct address that is no URL', v2(8, str('javascript:alert(1)')), 'malformed direct address'],
    ['trailing bytes', v2(4, [0x1e, 0x61, 0]), 'bytes after its end'],
    ['a key that is no point of the curve', v2(4, [0x1e, 0x61], new Uint8Array(32).fill(0xff)), 'not a valid Ed25519 key'],
    ['the neutral point as key', v2(4, [0x1e, 0x61], yIsOne), 'not a valid Ed25519 key'],
    ['version 3', encodeBase64url(new Uint8Array([3, 1, ...ED, ...SECRET])), 'unsupported offer version 3'],
    ['version 0', encodeBase64url(new Uint8Array([0, 1, ...ED, ...SECRET])), 'unsupported offer version 0'],
  ])('refuses %s', (_, text, error) => {
    const r = parseOffer(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toContain(error);
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
