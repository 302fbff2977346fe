// The live session list: a session.watch snapshot, then session.changed summaries.

import { describe, expect, it } from 'vitest';
import { recentDirectories, sessionListApplyChange, sessionListFromSnapshot } from '../../src/state';

const row = (id: string, updated: number, extra: Record<string, unknown> = {}) => ({
  id,
  name: `n-${id}`,
  provider: 'claude',
  cwd: `/work/${id}`,
  mode: 'ask',
  status: 'idle',
  updated,
  last_seq: 5,
  pending_approvals: 0,
  ...extra,
});

describe('session list', () => {
  it('reads a snapshot, most recently active first, dropping malformed rows and repeats', () => {
    const list = sessionListFromSnapshot({
      sessions: [row('a', 1), null, { name: 'no id' }, row('b', 3), row('a', 9), 'x', row('c', 2)],
    });
    expect(list.map((s) => s.id)).toEqual(['b', 'c', 'a']);
    expect(list[0]).toEqual({
      id: 'b',
      name: 'n-b',
      provider: 'claude',
      cwd: '/work/b',
      mode: 'ask',
      status: 'idle',
      updated: 3,
      lastSeq: 5,
      pendingApprovals: 0,
    });
    expect(sessionListFromSnapshot({ sessions: 'nope' })).toEqual([]);
    expect(sessionListFromSnapshot(null)).toEqual([]);
  });

  it('applies a change: replaces the session, adds a new one, keeps the order', () => {
    let list = sessionListFromSnapshot({ sessions: [row('a', 1), row('b', 2)] });
    list = sessionListApplyChange(list, row('a', 5, { status: 'waiting_for_approval', pending_approvals: 1, last_seq: 9 }));
    expect(list.map((s) => [s.id, s.status, s.pendingApprovals])).toEqual([
      ['a', 'waiting_for_approval', 1],
      ['b', 'idle', 0],
    ]);
    list = sessionListApplyChange(list, row('n', 7, { status: 'starting' }));
    expect(list.map((s) => s.id)).toEqual(['n', 'a', 'b']);
  });

  it('ignores malformed changes and an older summary arriving late', () => {
    const list = sessionListFromSnapshot({ sessions: [row('a', 5, { last_seq: 20, status: 'running' })] });
    expect(sessionListApplyChange(list, { status: 'idle' })).toBe(list);
    expect(sessionListApplyChange(list, 42)).toBe(list);
    expect(sessionListApplyChange(list, row('a', 4, { last_seq: 10, status: 'starting' }))).toBe(list);
    expect(sessionListApplyChange(list, row('a', 6, { last_seq: 21, status: 'idle' }))[0]!.status).toBe('idle');
  });

  it('offers recent directories without repeats', () => {
    const list = sessionListFromSnapshot({
      sessions: [row('a', 1, { cwd: '/x' }), row('b', 3, { cwd: '/y' }), row('c', 2, { cwd: '/x' }), row('d', 0, { cwd: '' })],
    });
    expect(recentDirectories(list)).toEqual(['/y', '/x']);
    expect(recentDirectories(list, 1)).toEqual(['/y']);
  });
});
