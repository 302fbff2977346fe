// A daemon's key rotation seen from the web app: the `rotate` object of message 2, its
// signature check, and a saved host moving to the new daemon id and Noise key.

import { afterEach, describe, expect, it, vi } from 'vitest';
import { encodeBase64url } from '../../src/host/b64';
import { Hosts } from '../../src/host/hosts';
import { parseHello } from '../../src/host/link';
import { LiveViews } from '../../src/host/live';
import { pairWithOffer } from '../../src/host/pairing';
import { rotationStatement, verifyRotation, type Rotation } from '../../src/host/rotation';
import { memoryStore } from '../../src/host/store';
import { generateKeyPair, type KeyPair } from '../../src/noise';
import { resolveRoute } from '../../src/ui/route';
import { FakeDaemon } from './fake_daemon';

const PAGE = 'https://relay.test';
const DEADLINE = 1_900_000_000_000;
const until = async (cond: () => boolean, ms = 2000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 5));
  }
};

/** An Ed25519 identity: its daemon id and a signer. */
async function identity() {
  const k = (await crypto.subtle.generateKey('Ed25519', false, ['sign', 'verify'])) as CryptoKeyPair;
  const id = encodeBase64url(new Uint8Array(await crypto.subtle.exportKey('raw', k.publicKey)));
  const sign = async (bytes: Uint8Array) =>
    encodeBase64url(new Uint8Array(await crypto.subtle.sign('Ed25519', k.privateKey, bytes as Uint8Array<ArrayBuffer>)));
  return { id, sign };
}

/** A paired host whose daemon answers on its old key with `state.rotate` in message 2 (when set). */
async function rotating() {
  const old = await identity();
  const state: { rotate?: unknown; keys: string[] } = { keys: [] };
  const daemon: FakeDaemon = await FakeDaemon.create({
    id: old.id,
    admit: (payload, _remote, staticKey) => {
      const onOld = staticKey === daemon.key;
      state.keys.push(onOld ? 'old' : 'new');
      const hello = { device_id: 'dev1', mode: 'full', name: 'phone' };
      return onOld && payload === null && state.rotate !== undefined ? { ...hello, rotate: state.rotate } : hello;
    },
    handle: (m) => (m === 'session.list' || m === 'session.watch' ? { sessions: [] } : {}),
  });
  const next = await identity();
  const nextNoise: KeyPair = await generateKeyPair();
  daemon.otherKeys.push(nextNoise);
  const unsigned = { daemon_id: next.id, noise_key: encodeBase64url(nextNoise.publicKey), deadline: DEADLINE };
  const valid: Rotation = { ...unsigned, signature: await old.sign(rotationStatement(old.id, unsigned)) };

  const store = memoryStore();
  const hosts = new Hosts({ store, dial: daemon.dial, pageOrigin: PAGE, backoffMinMs: 10, backoffMaxMs: 40, random: () => 1 });
  const r = await pairWithOffer(daemon.offer(), { device: 'phone', host: 'box' }, { dial: daemon.dial, pageOrigin: PAGE });
  if (!r.ok) throw new Error(r.error);
  await hosts.add(r.host, r.link, r.via);
  /** Drops the current link and waits for the next one to come up (under either id). */
  const redial = async () => {
    const n = daemon.connections.length;
    daemon.connections[n - 1]!.close(1001, '');
    await until(() => daemon.connections.length > n && hosts.connected().length === 1);
  };
  return { daemon, store, hosts, state, old, next, nextNoise, valid, paired: r.host, redial };
}

afterEach(() => vi.restoreAllMocks());

/** A browser without Ed25519: importing such a key throws (X25519, which Noise uses, still works). */
function withoutEd25519() {
  const importKey = crypto.subtle.importKey.bind(crypto.subtle) as (...a: unknown[]) => Promise<CryptoKey>;
  vi.spyOn(crypto.subtle, 'importKey').mockImplementation(((...a: unknown[]) => {
    const alg = a[2] as { name?: string } | string;
    if ((typeof alg === 'string' ? alg : alg.name) === 'Ed25519') return Promise.reject(new DOMException('no', 'NotSupportedError'));
    return importKey(...a);
  }) as typeof crypto.subtle.importKey);
}

describe('parseHello and rotate', () => {
  const hello = { device_id: 'dev1', mode: 'full', name: 'phone' };
  const bytes = (n: number, v: number) => encodeBase64url(new Uint8Array(n).fill(v));
  const rotate = { daemon_id: bytes(32, 1), noise_key: bytes(32, 2), deadline: DEADLINE, signature: bytes(64, 3) };
  const parse = (o: unknown) => parseHello(new TextEncoder().encode(JSON.stringify(o)));

  it('keeps a well-formed rotate object', () => {
    expect(parse({ ...hello, rotate })).toEqual({ ...hello, rotate });
  });

  it.each([
    ['not an object', 'rotate'],
    ['null', null],
    ['a numeric id', { ...rotate, daemon_id: 5 }],
    ['a short key', { ...rotate, noise_key: bytes(31, 2) }],
    ['no signature', { ...rotate, signature: undefined }],
    ['a short signature', { ...rotate, signature: bytes(32, 3) }],
    ['a fractional deadline', { ...rotate, deadline: 1.5 }],
    ['a string deadline', { ...rotate, deadline: String(DEADLINE) }],
  ])('drops a rotate with %s and keeps the hello', (_what, bad) => {
    expect(parse({ ...hello, rotate: bad })).toEqual(hello);
  });
});

describe('verifyRotation', () => {
  it('says unsupported, not bad, when the browser has no Ed25519', async () => {
    const { old, valid, hosts } = await rotating();
    hosts.close();
    expect(await verifyRotation(old.id, valid)).toBe('verified');
    withoutEd25519();
    expect(await verifyRotation(old.id, valid)).toBe('unsupported');
  });
});

describe('Hosts following a rotation', () => {
  it('moves a host to the new id and key once the old key signed them; the next dial uses them', async () => {
    const { daemon, store, hosts, state, old, next, valid, paired, redial } = await rotating();
    const rotations: string[][] = [];
    hosts.onRotate((from, to) => rotations.push([from, to]));
    const live = new LiveViews(hosts);
    await until(() => live.sessionsLoad.value.get(old.id)?.kind === 'loaded');
    state.rotate = valid;
    await redial();
    await until(() => live.sessionsLoad.value.get(next.id)?.kind === 'loaded');
    expect([...live.sessions.value.keys()]).toEqual([next.id]); // the lists follow the host
    expect(daemon.connections[1]!.url).toBe(`wss://relay.test/v1/connect/${old.id}`);
    expect(rotations).toEqual([[old.id, next.id]]);

    const saved = await store.all();
    expect(saved).toHaveLength(1);
    expect(saved[0]).toMatchObject({ daemon_id: next.id, noise_key: valid.noise_key, device_id: 'dev1', name: 'box', mode: 'full' });
    expect(saved[0]!.key).toBe(paired.key);
    expect(hosts.list.value.map((h) => h.daemon_id)).toEqual([next.id]);
    expect([...hosts.status.value.keys()]).toEqual([next.id]);
    expect(hosts.connected()).toEqual([next.id]);
    // The old id (a route, a caller) still reaches the same computer.
    expect(hosts.get(old.id)?.daemon_id).toBe(next.id);
    expect(hosts.statusOf(old.id).state).toBe('connected');
    expect(await hosts.call(old.id, 'session.list')).toEqual({ ok: true, value: { sessions: [] } });
    expect(resolveRoute({ screen: 'session', daemonId: old.id, sessionId: 's1' }, (id) => hosts.resolve(id))).toEqual({
      screen: 'session',
      daemonId: next.id,
      sessionId: 's1',
    });

    await redial();
    expect(daemon.connections[2]!.url).toBe(`wss://relay.test/v1/connect/${next.id}`);
    expect(state.keys).toEqual(['old', 'old', 'new']);
    expect(hosts.statusOf(next.id).state).toBe('connected');
    hosts.close();

    // A fresh start reads the host under its new id.
    const again = new Hosts({ store, dial: daemon.dial, pageOrigin: PAGE });
    await again.load();
    await until(() => again.statusOf(next.id).state === 'connected');
    expect(daemon.connections.at(-1)!.url).toBe(`wss://relay.test/v1/connect/${next.id}`);
    expect(state.keys.at(-1)).toBe('new');
    again.close();
  });

  it('ignores a rotation the old key did not sign (another key, a changed deadline), saying so once', async () => {
    const { store, hosts, state, old, next, valid, redial } = await rotating();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const other = await identity();
    const { signature: _s, ...unsigned } = valid;
    state.rotate = { ...valid, signature: await other.sign(rotationStatement(old.id, unsigned)) };
    await redial();
    expect(hosts.connected()).toEqual([old.id]);
    expect(await hosts.call(old.id, 'session.list')).toMatchObject({ ok: true });
    state.rotate = { ...valid, deadline: DEADLINE + 1 };
    await redial();
    expect(hosts.connected()).toEqual([old.id]);
    expect((await store.all()).map((h) => h.daemon_id)).toEqual([old.id]);
    expect(hosts.resolve(old.id)).toBe(old.id);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]![0])).toMatch(/did not sign/);

    state.rotate = valid; // the same host follows a genuine one
    await redial();
    expect(hosts.connected()).toEqual([next.id]);
    hosts.close();
  });

  it('ignores a malformed rotate and keeps the link', async () => {
    const { store, hosts, state, old, next, valid, redial } = await rotating();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    state.rotate = { ...valid, deadline: 'soon' };
    await redial();
    expect(hosts.connected()).toEqual([old.id]);
    expect(hosts.statusOf(old.id).state).toBe('connected');
    expect((await store.all()).map((h) => h.daemon_id)).toEqual([old.id]);
    expect(warn).not.toHaveBeenCalled();

    state.rotate = valid;
    await redial();
    expect((await store.all()).map((h) => h.daemon_id)).toEqual([next.id]);
    hosts.close();
  });

  it('does not follow a rotation this browser cannot check', async () => {
    const { store, hosts, state, old, valid, redial } = await rotating();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    withoutEd25519();
    state.rotate = valid;
    await redial();
    expect(hosts.connected()).toEqual([old.id]);
    expect((await store.all()).map((h) => h.daemon_id)).toEqual([old.id]);
    expect(String(warn.mock.calls[0]![0])).toMatch(/cannot check Ed25519/);
    hosts.close();
  });
});
