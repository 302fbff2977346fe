// The inbox: pending approvals across hosts and sessions, newest first, from approval.list
// snapshots and approval_requested / approval_resolved events. Pure; an event at or below the
// last seq seen for its host and session (a replay) is skipped.

import type { SessionEvent } from './events';
import { isObject, num, obj, str, type JsonObject } from './json_fields';

export interface InboxEntry {
  /** Which daemon: the app's name for the host (e.g. its daemon id). */
  readonly host: string;
  readonly id: string;
  readonly session: string;
  readonly tool: string;
  readonly tier: string;
  readonly input: JsonObject;
  /** Unix ms. */
  readonly created: number;
  readonly cwd: string | null;
  readonly sessionName: string | null;
  readonly expires: number | null;
  readonly toolUseId: string | null;
}

export interface Inbox {
  readonly entries: readonly InboxEntry[];
  /** host + session → the last seq seen there. */
  readonly seen: Readonly<Record<string, number>>;
}

export const EMPTY_INBOX: Inbox = { entries: [], seen: {} };

export function inboxApplyEvent(inbox: Inbox, host: string, event: SessionEvent): Inbox {
  const key = seenKey(host, event.session);
  if (event.seq <= (inbox.seen[key] ?? 0)) return inbox;
  const seen = { ...inbox.seen, [key]: event.seq };
  const id = str(event.data, 'approval_id');
  if (event.kind === 'approval_requested' && id) {
    const d = event.data;
    const entry: InboxEntry = {
      host,
      id,
      session: event.session,
      tool: str(d, 'tool') ?? '',
      tier: str(d, 'tier') ?? '',
      input: obj(d, 'input'),
      created: event.time,
      cwd: str(d, 'cwd'),
      sessionName: null,
      expires: num(d, 'expires'),
      toolUseId: str(d, 'tool_use_id') || null,
    };
    const old = find(inbox, host, id);
    // A snapshot may have brought it already, with the session's name: keep what it knew.
    const merged = old ? { ...entry, sessionName: old.sessionName, cwd: entry.cwd ?? old.cwd } : entry;
    return { entries: sorted([...without(inbox.entries, host, id), merged]), seen };
  }
  if (event.kind === 'approval_resolved' && id) return { entries: without(inbox.entries, host, id), seen };
  return { entries: inbox.entries, seen };
}

/**
 * An approval.list result for one host replaces what the inbox holds for that host: replies and
 * notifications share one ordered connection, so the snapshot already reflects earlier events.
 */
export function inboxApplySnapshot(inbox: Inbox, host: string, result: unknown): Inbox {
  const rows = isObject(result) && Array.isArray(result['approvals']) ? result['approvals'] : [];
  const fresh: InboxEntry[] = [];
  for (const row of rows) {
    const e = isObject(row) ? fromRow(host, row) : null;
    if (e && !fresh.some((f) => f.id === e.id)) fresh.push(e);
  }
  const others = inbox.entries.filter((e) => e.host !== host);
  return { entries: sorted([...others, ...fresh]), seen: inbox.seen };
}

/**
 * An approval.changed notification (the inbox stream of approval.subscribe): `requested` adds
 * the question with its session's name, `resolved` removes it. These carry no seq: they come
 * in order on the same connection as the snapshot they follow. `now` dates a new question.
 */
export function inboxApplyChange(inbox: Inbox, host: string, params: unknown, now: number): Inbox {
  if (!isObject(params)) return inbox;
  const id = str(params, 'approval_id');
  const session = str(params, 'session');
  if (!id || !session) return inbox;
  const change = str(params, 'change');
  if (change === 'resolved') return inboxRemove(inbox, host, id);
  if (change !== 'requested') return inbox;
  const entry = entryOf(host, id, session, params, now);
  return { entries: sorted([...without(inbox.entries, host, id), entry]), seen: inbox.seen };
}

/** After this device answered: drop the entry without waiting for approval_resolved. */
export function inboxRemove(inbox: Inbox, host: string, id: string): Inbox {
  return find(inbox, host, id) ? { ...inbox, entries: without(inbox.entries, host, id) } : inbox;
}

/** A host forgotten by the app. */
export function inboxRemoveHost(inbox: Inbox, host: string): Inbox {
  const prefix = seenKey(host, '');
  const seen = Object.fromEntries(Object.entries(inbox.seen).filter(([k]) => !k.startsWith(prefix)));
  return { entries: inbox.entries.filter((e) => e.host !== host), seen };
}

function fromRow(host: string, row: JsonObject): InboxEntry | null {
  const id = str(row, 'id');
  const session = str(row, 'session');
  if (!id || !session) return null;
  if ((str(row, 'status') ?? 'pending') !== 'pending') return null;
  return entryOf(host, id, session, row, num(row, 'created') ?? 0);
}

/** The fields an approval.list row and an approval.changed notification share. */
function entryOf(host: string, id: string, session: string, o: JsonObject, created: number): InboxEntry {
  return {
    host,
    id,
    session,
    tool: str(o, 'tool') ?? '',
    tier: str(o, 'tier') ?? '',
    input: obj(o, 'input'),
    created,
    cwd: str(o, 'cwd'),
    sessionName: str(o, 'session_name'),
    expires: num(o, 'expires'),
    toolUseId: str(o, 'tool_use_id') || null,
  };
}

function seenKey(host: string, session: string): string {
  return `${host}\u0000${session}`;
}

function find(inbox: Inbox, host: string, id: string): InboxEntry | undefined {
  return inbox.entries.find((e) => e.host === host && e.id === id);
}

function without(entries: readonly InboxEntry[], host: string, id: string): InboxEntry[] {
  return entries.filter((e) => !(e.host === host && e.id === id));
}

/** Newest first; ties in a fixed order so equal inputs give equal inboxes. */
function sorted(entries: InboxEntry[]): InboxEntry[] {
  return entries.sort(
    (a, b) => b.created - a.created || cmp(a.host, b.host) || cmp(a.session, b.session) || cmp(a.id, b.id),
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
