// The live host list: connection states, reconnects with backoff, revocation, forgetting.

import { describe, expect, it } from 'vitest';
import { Hosts, type HostsDeps } from '../../src/host/hosts';
import { pairWithOffer } from '../../src/host/pairing';
import { memoryStore } from '../../src/host/store';
import { FakeDaemon } from './fake_daemon';

const PAGE = 'https://relay.test';
const until = async (cond: () => boolean, ms = 2000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 5));
  }
};

async function paired(opts: Partial<HostsDeps> = {}) {
  const daemon = await FakeDaemon.create({
    admit: () => ({ device_id: 'dev1', mode: 'full', name: 'phone' }),
    handle: (m) => (m === 'session.list' ? { sessions: [] } : {}),
  });
  const store = memoryStore();
  const hosts = new Hosts({ store, dial: daemon.dial, pageOrigin: PAGE, backoffMinMs: 10, backoffMaxMs: 40, random: () => 1, ...opts });
  const r = await pairWithOffer(daemon.offer(), { device: 'phone', host: 'box' }, { dial: daemon.dial, pageOrigin: PAGE });
  if (!r.ok) throw new Error(r.error);
  await hosts.add(r.host, r.link, r.via);
  return { daemon, store, hosts, id: r.host.daemon_id };
}

describe('Hosts', () => {
  it('keeps the pairing link as the live connection and saves the host', async () => {
    const { daemon, store, hosts, id } = await paired();
    expect(hosts.statusOf(id)).toMatchObject({ state: 'connected', via: 'relay', mode: 'full' });
    expect((await store.all()).map((h) => h.name)).toEqual(['box']);
    expect(await hosts.call(id, 'session.list')).toEqual({ ok: true, value: { sessions: [] } });
    expect(daemon.connections).toHaveLength(1);
    hosts.close();
  });

  it('reconnects after the link drops, with its key alone', async () => {
    const { daemon, hosts, id } = await paired();
    daemon.connections[0]!.close(1001, 'peer went away');
    await until(() => hosts.statusOf(id).state === 'offline');
    expect(hosts.statusOf(id).detail).toMatch(/peer went away/);
    await until(() => hosts.statusOf(id).state === 'connected');
    expect(daemon.connections).toHaveLength(2);
    expect(daemon.payloads[1]).toBeNull(); // no pairing secret the second time
    hosts.close();
  });

  it('backs off while the computer stays away', async () => {
    const { daemon, hosts, id } = await paired();
    const url = daemon.connections[0]!.url;
    daemon.unreachable.set(url, 4404);
    daemon.connections[0]!.close(1001, '');
    await until(() => daemon.connections.length >= 4);
    expect(hosts.statusOf(id).state).not.toBe('connected');
    daemon.unreachable.delete(url);
    await until(() => hosts.statusOf(id).state === 'connected');
    hosts.close();
  });

  it('stops at revoked and does not retry', async () => {
    const { daemon, hosts, id } = await paired();
    daemon.connections[0]!.close(4403, 'revoked');
    await until(() => hosts.statusOf(id).state === 'revoked');
    await new Promise((r) => setTimeout(r, 60));
    expect(daemon.connections).toHaveLength(1);
    hosts.wake();
    expect(daemon.connections).toHaveLength(1);
    hosts.close();
  });

  it('loads saved hosts and connects to each; forgetting one closes it', async () => {
    const first = await paired();
    first.hosts.close();
    const again = new Hosts({ store: first.store, dial: first.daemon.dial, pageOrigin: PAGE });
    await again.load();
    await until(() => again.statusOf(first.id).state === 'connected');
    await again.remove(first.id);
    expect(again.list.value).toEqual([]);
    expect(await first.store.all()).toEqual([]);
    expect((await again.call(first.id, 'x')).ok).toBe(false);
  });
});
