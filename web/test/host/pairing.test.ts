// Pairing and the device link against an in-memory daemon: the hello payload, message 2,
// the SAS, refusals, timeouts, and JSON-RPC calls over the framed channel.

import { describe, expect, it, vi } from 'vitest';
import { openLink, parseHello, type Dial } from '../../src/host/link';
import { confirmPairing, defaultHostName, pairWithOffer } from '../../src/host/pairing';
import { generateKeyPair } from '../../src/noise';
import { RpcClient, RpcError } from '../../src/rpc';
import { FakeDaemon, NO_REPLY } from './fake_daemon';

const PAGE = 'https://relay.test';

describe('pairWithOffer', () => {
  it('sends {pair, name} in message 1, reads message 2, and both ends agree on the SAS', async () => {
    const daemon = await FakeDaemon.create({
      admit: () => ({ device_id: 'q3V9x0aQm2Fh1cJe', mode: 'read_only', name: 'my phone' }),
    });
    const offer = daemon.offer();
    const r = await pairWithOffer(offer, { device: ' my phone ', host: '' }, { dial: daemon.dial, pageOrigin: PAGE, now: () => 42 });
    if (!r.ok) throw new Error(r.error);
    expect(daemon.payloads).toEqual([{ pair: offer.secret, name: 'my phone' }]);
    expect(daemon.connections[0]!.url).toBe(`wss://relay.test/v1/connect/${offer.daemon_id}`);
    expect(r.sas).toMatch(/^\d{6}$/);
    expect(r.sas).toBe(daemon.connections[0]!.channel!.sas);
    expect(r.via).toBe('relay');
    expect(r.host).toMatchObject({
      daemon_id: offer.daemon_id,
      name: 'relay.test',
      noise_key: offer.noise_key,
      relay: offer.relay,
      direct: '',
      device_id: 'q3V9x0aQm2Fh1cJe',
      device_name: 'my phone',
      mode: 'read_only',
      paired_at: 42,
    });
    expect(r.host.key.privateKey.extractable).toBe(false);
    r.link.close();
  });

  it('reports a refused pairing (4401) without trying another route', async () => {
    const daemon = await FakeDaemon.create({ admit: () => 4401 });
    const offer = daemon.offer({ direct: 'http://127.0.0.1:7777' });
    const r = await pairWithOffer(offer, { device: 'phone', host: 'box' }, { dial: daemon.dial, pageOrigin: PAGE });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.end?.kind).toBe('refused');
    expect(daemon.connections).toHaveLength(1);
  });

  it('pairs again with the key it holds for that computer, so the computer replaces its device', async () => {
    const seen: string[] = [];
    const daemon = await FakeDaemon.create({
      admit: (_p, remoteStatic) => {
        seen.push(Array.from(remoteStatic).join(','));
        return { device_id: 'dev1', mode: 'full', name: 'phone' };
      },
    });
    const savedKey = await generateKeyPair(false);
    const r = await pairWithOffer(daemon.offer(), { device: 'phone', host: '' }, { dial: daemon.dial, pageOrigin: PAGE, savedKey });
    if (!r.ok) throw new Error(r.error);
    expect(r.host.key).toBe(savedKey);
    expect(seen).toEqual([Array.from(savedKey.publicKey).join(',')]);
    r.link.close();
  });

  it('pairs with a fresh key when the computer refuses the saved one (revoked there)', async () => {
    const savedKey = await generateKeyPair(false);
    const saved = Array.from(savedKey.publicKey).join(',');
    const daemon = await FakeDaemon.create({
      admit: (_p, remoteStatic) => (Array.from(remoteStatic).join(',') === saved ? 4401 : { device_id: 'dev2', mode: 'full', name: 'phone' }),
    });
    const r = await pairWithOffer(daemon.offer(), { device: 'phone', host: '' }, { dial: daemon.dial, pageOrigin: PAGE, savedKey });
    if (!r.ok) throw new Error(r.error);
    expect(r.host.key).not.toBe(savedKey);
    expect(r.host.device_id).toBe('dev2');
    expect(daemon.connections).toHaveLength(2);
    r.link.close();
  });

  it('falls back to the direct address when the relay is unreachable', async () => {
    const daemon = await FakeDaemon.create();
    const offer = daemon.offer({ direct: 'http://127.0.0.1:7777' });
    daemon.unreachable.set(`wss://relay.test/v1/connect/${offer.daemon_id}`, 4404);
    const r = await pairWithOffer(offer, { device: 'phone', host: 'box' }, { dial: daemon.dial, pageOrigin: PAGE });
    expect(r.ok && r.via).toBe('direct');
    expect(daemon.connections.map((c) => c.url)).toEqual([
      `wss://relay.test/v1/connect/${offer.daemon_id}`,
      'ws://127.0.0.1:7777/v1/direct',
    ]);
    if (r.ok) r.link.close();
  });

  it('explains a daemon that is not linked to the relay', async () => {
    const daemon = await FakeDaemon.create();
    const offer = daemon.offer();
    daemon.unreachable.set(`wss://relay.test/v1/connect/${offer.daemon_id}`, 4404);
    const r = await pairWithOffer(offer, { device: 'phone', host: '' }, { dial: daemon.dial, pageOrigin: PAGE });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/not connected to the relay/);
  });

  it('refuses an empty or overlong device name before connecting', async () => {
    const daemon = await FakeDaemon.create();
    for (const device of ['  ', 'x'.repeat(65)]) {
      const r = await pairWithOffer(daemon.offer(), { device, host: '' }, { dial: daemon.dial, pageOrigin: PAGE });
      expect(r.ok).toBe(false);
    }
    expect(daemon.connections).toHaveLength(0);
  });

  it('names a computer after its address, else after its id', () => {
    const id = 'A'.repeat(43);
    expect(defaultHostName({ daemon_id: id, relay: 'wss://r.example', direct: 'http://127.0.0.1:7777' })).toBe('r.example');
    expect(defaultHostName({ daemon_id: id, relay: '', direct: 'http://box.local:7777' })).toBe('box.local');
    expect(defaultHostName({ daemon_id: id, relay: '', direct: 'http://127.0.0.1:7777' })).toBe('computer AAAAAA');
  });
});

describe('confirmPairing', () => {
  async function pairedLink(handle: (m: string, p: unknown) => unknown) {
    const daemon = await FakeDaemon.create({ handle });
    const r = await pairWithOffer(daemon.offer(), { device: 'phone', host: '' }, { dial: daemon.dial, pageOrigin: PAGE });
    if (!r.ok) throw new Error(r.error);
    return { daemon, link: r.link };
  }

  it('is paired at once when the computer had confirmed first', async () => {
    const calls: unknown[] = [];
    const { link } = await pairedLink((m, p) => {
      calls.push([m, p]);
      return { state: 'paired', device_id: 'dev1' };
    });
    expect(await confirmPairing(link, true)).toBe('paired');
    expect(calls).toEqual([['pair.confirm', { match: true }]]);
    link.close();
  });

  it('waits for pair.changed while the computer has yet to confirm', async () => {
    const { daemon, link } = await pairedLink(() => ({ state: 'confirming', device_id: 'dev1' }));
    const outcome = confirmPairing(link, true);
    await new Promise((r) => setTimeout(r, 20));
    await daemon.connections[0]!.push({ jsonrpc: '2.0', method: 'pair.changed', params: { state: 'paired', mode: 'full' } });
    expect(await outcome).toBe('paired');
    link.close();
  });

  it('is declined when the computer closes the link (its owner said the codes differ)', async () => {
    const { daemon, link } = await pairedLink(() => ({ state: 'confirming', device_id: 'dev1' }));
    const outcome = confirmPairing(link, true);
    await new Promise((r) => setTimeout(r, 20));
    daemon.connections[0]!.close(4403, 'device revoked');
    expect(await outcome).toBe('declined');
  });

  it('is declined when no answer comes in time', async () => {
    const { link } = await pairedLink(() => ({ state: 'confirming', device_id: 'dev1' }));
    expect(await confirmPairing(link, true, 50)).toBe('declined');
    link.close();
  });
});

describe('openLink', () => {
  it('fails with a protocol error when message 2 is not from the daemon it expects', async () => {
    const daemon = await FakeDaemon.create();
    const other = await generateKeyPair();
    const r = await openLink({
      dial: daemon.dial,
      url: 'wss://relay.test/x',
      staticKey: await generateKeyPair(),
      remoteStatic: other.publicKey, // the real daemon cannot decrypt message 1
    });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.end.kind).toBe('refused');
  });

  it('times out when nothing answers', async () => {
    const silent: Dial = () => ({ send() {}, close() {} });
    const r = await openLink({
      dial: silent,
      url: 'wss://x',
      staticKey: await generateKeyPair(),
      remoteStatic: (await generateKeyPair()).publicKey,
      timeoutMs: 20,
    });
    expect(r).toEqual({ ok: false, end: { kind: 'timeout' } });
  });

  it('refuses a text frame during the handshake', async () => {
    const texty: Dial = (_url, on) => {
      setTimeout(() => {
        on.open();
        setTimeout(() => on.message('hello'), 5);
      }, 0);
      return { send() {}, close() {} };
    };
    const r = await openLink({
      dial: texty,
      url: 'wss://x',
      staticKey: await generateKeyPair(),
      remoteStatic: (await generateKeyPair()).publicKey,
    });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.end).toEqual({ kind: 'protocol', detail: 'a text frame' });
  });

  it('reads hello payloads strictly', () => {
    const enc = (o: unknown) => new TextEncoder().encode(JSON.stringify(o));
    expect(parseHello(enc({ device_id: 'd', mode: 'full', name: 'n' }))).toEqual({ device_id: 'd', mode: 'full', name: 'n' });
    expect(parseHello(enc({ device_id: 'd', mode: 'owner', name: 'n' }))).toBeNull();
    expect(parseHello(enc({ mode: 'full' }))).toBeNull();
    expect(parseHello(new Uint8Array([0xff]))).toBeNull();
  });
});

describe('RpcClient over a link', () => {
  async function connected(handle: (m: string, p: unknown) => unknown) {
    const daemon = await FakeDaemon.create({ handle });
    const r = await openLink({
      dial: daemon.dial,
      url: 'wss://relay.test/x',
      staticKey: await generateKeyPair(),
      remoteStatic: daemon.key.publicKey,
      payload: undefined,
    });
    if (!r.ok) throw new Error(r.end.kind);
    return { daemon, link: r.link, rpc: new RpcClient(r.link.transport) };
  }

  it('sends an empty message 1 payload for a paired device and matches replies to calls', async () => {
    const { daemon, link, rpc } = await connected((m, p) => {
      if (m === 'session.list') return { sessions: [{ id: 's1', params: p }] };
      throw new Error('unknown method');
    });
    expect(daemon.payloads).toEqual([null]);
    const [a, b] = await Promise.allSettled([rpc.call('session.list', { limit: 5 }), rpc.call('nope')]);
    expect(a).toEqual({ status: 'fulfilled', value: { sessions: [{ id: 's1', params: { limit: 5 } }] } });
    expect(b.status).toBe('rejected');
    if (b.status === 'rejected') {
      expect(b.reason).toBeInstanceOf(RpcError);
      expect(b.reason).toMatchObject({ code: -32601, message: 'unknown method', dataCode: 'nope' });
    }
    link.close();
  });

  it('carries a reply larger than one Noise message', async () => {
    const big = 'x'.repeat(200_000);
    const { link, rpc } = await connected(() => ({ big }));
    const r = await rpc.call<{ big: string }>('big');
    expect(r.big.length).toBe(200_000);
    link.close();
  });

  it('hands on notifications', async () => {
    const { daemon, link, rpc } = await connected(() => ({}));
    const got: unknown[] = [];
    rpc.onNotification('session.event', (params) => got.push(['session.event', params]));
    await daemon.connections[0]!.push({ jsonrpc: '2.0', method: 'session.event', params: { seq: 1 } });
    await rpc.call('ping');
    expect(got).toEqual([['session.event', { seq: 1 }]]);
    link.close();
  });

  it('fails pending calls when the link ends, and calls after it at once', async () => {
    const { daemon, link, rpc } = await connected(() => NO_REPLY);
    const pending = rpc.call('slow', undefined, { timeoutMs: 10_000 });
    daemon.connections[0]!.close(4403, 'revoked');
    await expect(pending).rejects.toMatchObject({ dataCode: 'closed' });
    expect(link.ended).toEqual({ kind: 'revoked', code: 4403, reason: 'revoked' });
    await expect(rpc.call('x')).rejects.toMatchObject({ dataCode: 'closed' });
  });

  it('times a call out', async () => {
    const { link, rpc } = await connected(() => NO_REPLY);
    await expect(rpc.call('x', undefined, { timeoutMs: 20 })).rejects.toMatchObject({ dataCode: 'timeout' });
    link.close();
  });

  it('closes the link on a frame that fails to decrypt', async () => {
    const { daemon, link } = await connected(() => ({}));
    daemon.connections[0]!.on.message(new Uint8Array(40));
    // Decryption is asynchronous (WebCrypto): wait for the link to end, however loaded the machine.
    await vi.waitFor(() => expect(link.ended?.kind).toBe('protocol'), { timeout: 10_000 });
    expect(daemon.connections[0]!.closedByClient?.code).toBe(4000);
  });
});
