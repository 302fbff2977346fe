// The live session lists and inbox: snapshots on connect, changes from notifications, a fresh
// snapshot after an overflow, and a forgotten host's entries gone.

import { describe, expect, it } from 'vitest';
import type { CallResult, Hosts } from '../../src/host/hosts';
import { LiveViews } from '../../src/host/live';

class FakeHosts {
  calls: string[] = [];
  handlers = new Map<string, (id: string, p: unknown) => void>();
  connects: ((id: string) => void)[] = [];
  answers: Record<string, unknown> = {};
  call(id: string, method: string): Promise<CallResult<unknown>> {
    this.calls.push(`${id} ${method}`);
    return Promise.resolve({ ok: true, value: this.answers[method] ?? {} });
  }
  onNotification(method: string, cb: (id: string, p: unknown) => void) {
    this.handlers.set(method, cb);
    return () => {};
  }
  onConnect(cb: (id: string) => void) {
    this.connects.push(cb);
    return () => {};
  }
  onRotate() {
    return () => {};
  }
  connected(): string[] {
    return [];
  }
}

const row = (id: string, status: string, updated: number, pending = 0) => ({ id, status, updated, pending_approvals: pending, last_seq: updated });
const tick = () => new Promise((r) => setTimeout(r, 0));

describe('LiveViews', () => {
  it('watches sessions and the inbox of each host that connects, and applies their changes', async () => {
    const h = new FakeHosts();
    h.answers['session.watch'] = { sessions: [row('s1', 'idle', 1)] };
    h.answers['approval.subscribe'] = { approvals: [{ id: 'a1', session: 's1', tool: 'Bash', status: 'pending', created: 5 }] };
    const live = new LiveViews(h as unknown as Hosts, () => 99);
    h.connects.forEach((cb) => cb('d1'));
    await tick();
    expect(h.calls).toEqual(['d1 session.watch', 'd1 approval.subscribe']);
    expect(live.sessions.value.get('d1')?.map((s) => s.id)).toEqual(['s1']);
    expect(live.sessionsLoad.value.get('d1')).toEqual({ kind: 'loaded' });
    expect(live.inbox.value.entries.map((e) => e.id)).toEqual(['a1']);

    h.handlers.get('session.changed')!('d1', row('s2', 'starting', 7));
    h.handlers.get('session.changed')!('d1', row('s1', 'waiting_for_approval', 8, 2));
    expect(live.sessions.value.get('d1')?.map((s) => [s.id, s.status, s.pendingApprovals])).toEqual([
      ['s1', 'waiting_for_approval', 2],
      ['s2', 'starting', 0],
    ]);
    h.handlers.get('session.changed')!('d2', row('x', 'idle', 1)); // a host not watched yet: ignored
    expect(live.sessions.value.has('d2')).toBe(false);

    h.handlers.get('approval.changed')!('d1', { change: 'requested', approval_id: 'a2', session: 's1', tool: 'Write' });
    expect(live.inbox.value.entries.map((e) => [e.id, e.created])).toEqual([
      ['a2', 99],
      ['a1', 5],
    ]);
    live.answered('d1', 'a2');
    expect(live.inbox.value.entries.map((e) => e.id)).toEqual(['a1']);

    h.handlers.get('session.list_overflow')!('d1', {});
    h.handlers.get('approval.overflow')!('d1', {});
    await tick();
    expect(h.calls.slice(2)).toEqual(['d1 session.watch', 'd1 approval.subscribe']);

    live.forget('d1');
    expect(live.sessions.value.has('d1')).toBe(false);
    expect(live.inbox.value.entries).toEqual([]);
  });

  it('reports a failed watch', async () => {
    const h = new FakeHosts();
    h.call = (id: string, method: string) => {
      h.calls.push(`${id} ${method}`);
      return Promise.resolve({ ok: false, error: { message: 'permission denied' } } as CallResult<unknown>);
    };
    const live = new LiveViews(h as unknown as Hosts);
    h.connects.forEach((cb) => cb('d1'));
    await tick();
    expect(live.sessionsLoad.value.get('d1')).toEqual({ kind: 'error', message: 'permission denied' });
  });
});
