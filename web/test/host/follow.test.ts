// Following a session: events folded in order, a gap or overflow answered by subscribing again
// from the last seq held, a reconnect resumes from there, and the digest counts each event once.

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { eventsDigest, SessionFollower } from '../../src/host/follow';
import type { CallResult, Hosts } from '../../src/host/hosts';
import { RpcError } from '../../src/rpc';

const D = 'daemon-1';
const S = 's1';

class FakeHosts {
  calls: { method: string; params: Record<string, unknown> | undefined }[] = [];
  handlers = new Map<string, Set<(id: string, p: unknown) => void>>();
  connects = new Set<(id: string) => void>();
  connected = true;

  call(_id: string, method: string, params?: Record<string, unknown>): Promise<CallResult<unknown>> {
    this.calls.push({ method, params });
    if (!this.connected) return Promise.resolve({ ok: false, error: RpcError.local('closed', 'Not connected.') });
    return Promise.resolve({ ok: true, value: { session: S, last_seq: 0 } });
  }
  onNotification(method: string, cb: (id: string, p: unknown) => void): () => void {
    if (!this.handlers.has(method)) this.handlers.set(method, new Set());
    this.handlers.get(method)!.add(cb);
    return () => this.handlers.get(method)!.delete(cb);
  }
  onConnect(cb: (id: string) => void): () => void {
    this.connects.add(cb);
    return () => this.connects.delete(cb);
  }
  notify(method: string, params: unknown, id = D): void {
    for (const cb of [...(this.handlers.get(method) ?? [])]) cb(id, params);
  }
  subscribes(): unknown[] {
    return this.calls.filter((c) => c.method === 'session.subscribe').map((c) => c.params?.['since']);
  }
}

const ev = (seq: number, kind = 'assistant_delta', session = S) => ({
  session,
  seq,
  time: 1000 + seq,
  kind,
  data: kind === 'assistant_delta' ? { text: `t${seq} `, index: 0 } : { text: 'hi', by: 'owner' },
});

describe('SessionFollower', () => {
  let hosts: FakeHosts;
  let f: SessionFollower;
  beforeEach(() => {
    vi.useFakeTimers();
    hosts = new FakeHosts();
    f = new SessionFollower(hosts as unknown as Hosts, D, S);
  });
  afterEach(() => {
    f.stop();
    vi.useRealTimers();
  });

  it('subscribes from 0, then applies streamed events in batches, each once', async () => {
    expect(hosts.subscribes()).toEqual([0]);
    await vi.runAllTimersAsync();
    expect(f.sync.value.state).toBe('live');
    hosts.notify('session.event', ev(1, 'user_message'));
    for (const s of [2, 3, 2, 3, 4]) hosts.notify('session.event', ev(s)); // duplicates from an overlapping replay
    hosts.notify('session.event', ev(5, 'assistant_delta', 'other')); // another session's
    hosts.notify('session.event', ev(5), 'daemon-2'); // another host's
    expect(f.view.value.lastSeq).toBe(0); // batched, not yet applied
    await vi.advanceTimersByTimeAsync(20);
    expect(f.view.value.lastSeq).toBe(4);
    expect(f.sync.value.applied).toBe(4);
    expect(f.sync.value.digest).toBe(eventsDigest([1, 2, 3, 4].map((seq) => ({ seq, kind: seq === 1 ? 'user_message' : 'assistant_delta' }))));
  });

  it('subscribes again from the last seq after a gap, an overflow and a reconnect', async () => {
    await vi.runAllTimersAsync();
    hosts.notify('session.event', ev(1));
    hosts.notify('session.event', ev(2));
    hosts.notify('session.event', ev(4)); // 3 is missing
    await vi.advanceTimersByTimeAsync(20);
    expect(f.view.value.lastSeq).toBe(2);
    expect(hosts.subscribes()).toEqual([0, 2]);
    hosts.notify('session.overflow', { session: S, last_seq: 2, reason: 'behind' });
    hosts.notify('session.overflow', { session: 'other', last_seq: 9 });
    expect(hosts.subscribes()).toEqual([0, 2, 2]);
    hosts.notify('session.event', ev(3));
    for (const cb of hosts.connects) cb(D);
    expect(hosts.subscribes()).toEqual([0, 2, 2, 3]); // what had arrived was applied first
    for (const cb of hosts.connects) cb('daemon-2');
    expect(hosts.subscribes()).toHaveLength(4);
    expect(f.sync.value.applied).toBe(3);
  });

  it('says offline when there is no link, and stops cleanly', async () => {
    hosts.connected = false;
    for (const cb of hosts.connects) cb(D);
    await vi.runAllTimersAsync();
    expect(f.sync.value.state).toBe('offline');
    f.stop();
    expect(hosts.calls.at(-1)?.method).toBe('session.unsubscribe');
    hosts.notify('session.event', ev(1));
    await vi.advanceTimersByTimeAsync(20);
    expect(f.view.value.lastSeq).toBe(0);
    expect(hosts.handlers.get('session.event')?.size).toBe(0);
  });
});
