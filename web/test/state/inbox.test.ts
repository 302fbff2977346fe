// The inbox across hosts and sessions: questions added from events and approval.list
// snapshots, removed when resolved, newest first; replays do not bring answered ones back.

import { describe, expect, it } from 'vitest';
import {
  EMPTY_INBOX,
  inboxApplyChange,
  inboxApplyEvent,
  inboxApplySnapshot,
  inboxRemove,
  inboxRemoveHost,
  type Inbox,
  type SessionEvent,
} from '../../src/state';
import { Log, PHONE, T0, allowFlow, automaticFlow, deepFreeze } from './fixtures';

const H1 = 'daemon-one';
const H2 = 'daemon-two';

function feed(inbox: Inbox, host: string, events: readonly SessionEvent[]): Inbox {
  for (const e of events) inbox = deepFreeze(inboxApplyEvent(inbox, host, e));
  return inbox;
}

function ask(log: Log, id: string, tool = 'Bash') {
  return log.add('approval_requested', {
    approval_id: id,
    tool,
    tier: 'elevated',
    input: { command: `echo ${id}` },
    cwd: '/home/me/proj',
    tool_use_id: `toolu_${id}`,
    expires: T0 + 600_000,
  });
}

function answer(log: Log, id: string) {
  return log.add('approval_resolved', { approval_id: id, decision: 'allow', scope: 'once', by: PHONE, tool_use_id: `toolu_${id}` });
}

const ids = (inbox: Inbox) => inbox.entries.map((e) => `${e.host}/${e.id}`);

describe('inbox from events', () => {
  it('adds a question and removes it when resolved', () => {
    const events = allowFlow().events;
    const asked = feed(EMPTY_INBOX, H1, events.slice(0, 8));
    expect(asked.entries).toEqual([
      {
        host: H1,
        id: 'a91c0d2e7b410',
        session: 's3fa9c01b2d4e',
        tool: 'Bash',
        tier: 'elevated',
        input: { command: 'ls' },
        created: T0 + 800,
        cwd: '/home/me/proj',
        sessionName: null,
        expires: T0 + 600_000,
        toolUseId: 'toolu_1',
      },
    ]);
    expect(feed(asked, H1, events.slice(8)).entries).toEqual([]);
  });

  it('orders newest first across sessions and hosts', () => {
    const a = new Log('sA');
    const b = new Log('sB');
    ask(a, 'a1'); // T0+100
    b.add('status', { status: 'running' });
    b.add('status', { status: 'running' });
    ask(b, 'b1'); // T0+300
    ask(a, 'a2'); // T0+200
    let inbox = feed(EMPTY_INBOX, H1, a.events);
    inbox = feed(inbox, H1, b.events);
    const c = new Log('sA'); // same session id on another host: a different session
    c.add('notice', { text: 'x' });
    c.add('notice', { text: 'x' });
    c.add('notice', { text: 'x' });
    ask(c, 'a1'); // T0+400, same approval id as on H1
    inbox = feed(inbox, H2, c.events);
    expect(ids(inbox)).toEqual([`${H2}/a1`, `${H1}/b1`, `${H1}/a2`, `${H1}/a1`]);
    // Resolving a1 on H2 leaves H1's a1.
    inbox = feed(inbox, H2, [answer(c, 'a1')]);
    expect(ids(inbox)).toEqual([`${H1}/b1`, `${H1}/a2`, `${H1}/a1`]);
  });

  it('ignores automatic decisions and other kinds', () => {
    expect(feed(EMPTY_INBOX, H1, automaticFlow().events).entries).toEqual([]);
  });

  it('does not bring back an answered question when a replay repeats it', () => {
    const log = new Log();
    ask(log, 'a1');
    answer(log, 'a1');
    const inbox = feed(EMPTY_INBOX, H1, log.events);
    const replayed = feed(inbox, H1, log.events);
    expect(replayed.entries).toEqual([]);
    expect(inboxApplyEvent(replayed, H1, log.events[0]!)).toBe(replayed);
  });

  it('adds the same question once', () => {
    const log = new Log();
    const e = ask(log, 'a1');
    const inbox = feed(EMPTY_INBOX, H1, [e, e]);
    expect(ids(inbox)).toEqual([`${H1}/a1`]);
  });
});

describe('inbox from approval.list', () => {
  const snapshot = {
    approvals: [
      { id: 'a3', session: 's2', tool: 'Write', tier: 'standard', input: { file_path: 'x' }, status: 'pending', created: T0 + 30, cwd: '/p', session_name: 'docs' },
      { id: 'a1', session: 's1', tool: 'Bash', tier: 'elevated', input: { command: 'ls' }, status: 'pending', created: T0 + 10 },
      { id: 'a2', session: 's1', tool: 'WebFetch', tier: 'unknown', input: {}, status: 'pending', created: T0 + 20 },
    ],
  };

  it('reads the rows, newest first', () => {
    const inbox = inboxApplySnapshot(EMPTY_INBOX, H1, snapshot);
    expect(ids(inbox)).toEqual([`${H1}/a3`, `${H1}/a2`, `${H1}/a1`]);
    expect(inbox.entries[0]).toEqual({
      host: H1,
      id: 'a3',
      session: 's2',
      tool: 'Write',
      tier: 'standard',
      input: { file_path: 'x' },
      created: T0 + 30,
      cwd: '/p',
      sessionName: 'docs',
      expires: null,
      toolUseId: null,
    });
    expect(inbox.entries[1]).toMatchObject({ cwd: null, sessionName: null });
  });

  it("replaces that host's entries and keeps the other hosts'", () => {
    let inbox = inboxApplySnapshot(EMPTY_INBOX, H1, snapshot);
    inbox = inboxApplySnapshot(inbox, H2, { approvals: [{ id: 'z', session: 's9', tool: 'Bash', tier: 'elevated', input: {}, status: 'pending', created: T0 + 25 }] });
    expect(ids(inbox)).toEqual([`${H1}/a3`, `${H2}/z`, `${H1}/a2`, `${H1}/a1`]);
    inbox = inboxApplySnapshot(inbox, H1, { approvals: [snapshot.approvals[1]] });
    expect(ids(inbox)).toEqual([`${H2}/z`, `${H1}/a1`]);
  });

  it('skips malformed rows, duplicates and rows that are not pending', () => {
    const inbox = inboxApplySnapshot(EMPTY_INBOX, H1, {
      approvals: [null, 5, { session: 's' }, { id: 'x' }, { id: 'd', session: 's', status: 'denied' }, snapshot.approvals[0], snapshot.approvals[0]],
    });
    expect(ids(inbox)).toEqual([`${H1}/a3`]);
    expect(inboxApplySnapshot(EMPTY_INBOX, H1, 'nonsense').entries).toEqual([]);
    expect(inboxApplySnapshot(EMPTY_INBOX, H1, { approvals: 'x' }).entries).toEqual([]);
  });

  it('is removed from by approval_resolved, and merged with approval_requested', () => {
    const log = new Log('s2');
    ask(log, 'a3', 'Write');
    let inbox = inboxApplySnapshot(EMPTY_INBOX, H1, snapshot);
    inbox = feed(inbox, H1, log.events);
    expect(inbox.entries.filter((e) => e.id === 'a3')).toEqual([
      expect.objectContaining({ sessionName: 'docs', cwd: '/home/me/proj', toolUseId: 'toolu_a3' }),
    ]);
    expect(inbox.entries).toHaveLength(3);
    inbox = feed(inbox, H1, [answer(log, 'a3')]);
    expect(ids(inbox)).toEqual([`${H1}/a2`, `${H1}/a1`]);
  });
});

describe('inbox edits', () => {
  it('removes one answered entry, and a whole host', () => {
    const a = new Log('sA');
    ask(a, 'a1');
    ask(a, 'a2');
    let inbox = feed(EMPTY_INBOX, H1, a.events);
    inbox = feed(inbox, H2, a.events);
    const removed = inboxRemove(inbox, H1, 'a2');
    expect(ids(removed)).toEqual([`${H2}/a2`, `${H1}/a1`, `${H2}/a1`]);
    expect(inboxRemove(removed, H1, 'nope')).toBe(removed);
    const gone = inboxRemoveHost(removed, H1);
    expect(ids(gone)).toEqual([`${H2}/a2`, `${H2}/a1`]);
    expect(Object.keys(gone.seen)).toHaveLength(1);
    // A forgotten host starts afresh: its replays count again.
    expect(ids(feed(gone, H1, a.events))).toHaveLength(4);
  });
});

describe('inbox from approval.changed', () => {
  const requested = (id: string, extra: Record<string, unknown> = {}) => ({
    change: 'requested',
    approval_id: id,
    session: 's1',
    session_name: 'fix tests',
    tool: 'Bash',
    tier: 'elevated',
    input: { command: 'make' },
    cwd: '/p',
    tool_use_id: `toolu_${id}`,
    expires: 99,
    ...extra,
  });

  it('adds a question with its session name, dated now, and removes it when resolved', () => {
    let inbox = inboxApplyChange(EMPTY_INBOX, H1, requested('a1'), 1000);
    inbox = inboxApplyChange(inbox, H1, requested('a2'), 2000);
    expect(inbox.entries.map((e) => [e.id, e.sessionName, e.created, e.toolUseId])).toEqual([
      ['a2', 'fix tests', 2000, 'toolu_a2'],
      ['a1', 'fix tests', 1000, 'toolu_a1'],
    ]);
    inbox = inboxApplyChange(inbox, H1, { change: 'resolved', approval_id: 'a2', session: 's1', decision: 'allow' }, 3000);
    expect(ids(inbox)).toEqual([`${H1}/a1`]);
  });

  it('keeps hosts apart and ignores malformed or unknown changes', () => {
    const inbox = inboxApplyChange(EMPTY_INBOX, H1, requested('a1'), 1);
    expect(inboxApplyChange(inbox, H2, { change: 'resolved', approval_id: 'a1', session: 's1' }, 2)).toBe(inbox);
    expect(inboxApplyChange(inbox, H1, null, 2)).toBe(inbox);
    expect(inboxApplyChange(inbox, H1, { change: 'requested', session: 's1' }, 2)).toBe(inbox);
    expect(inboxApplyChange(inbox, H1, { ...requested('a9'), change: 'other' }, 2)).toBe(inbox);
  });
});
