// A host's session list as the app shows it, from a session.watch (or session.list) snapshot
// and session.changed notifications. Pure; malformed rows are dropped, never thrown on.

import { isObject, num, str } from './json_fields';

export interface SessionSummary {
  readonly id: string;
  readonly name: string;
  readonly provider: string;
  readonly cwd: string;
  readonly mode: string;
  readonly status: string;
  /** Unix ms of the last status change or prompt. */
  readonly updated: number;
  readonly lastSeq: number;
  readonly pendingApprovals: number;
}

export function parseSessionSummary(row: unknown): SessionSummary | null {
  if (!isObject(row)) return null;
  const id = str(row, 'id');
  if (!id) return null;
  return {
    id,
    name: str(row, 'name') ?? '',
    provider: str(row, 'provider') ?? '?',
    cwd: str(row, 'cwd') ?? '',
    mode: str(row, 'mode') ?? 'ask',
    status: str(row, 'status') ?? 'unknown',
    updated: num(row, 'updated') ?? 0,
    lastSeq: num(row, 'last_seq') ?? 0,
    pendingApprovals: num(row, 'pending_approvals') ?? 0,
  };
}

/** A `{"sessions": [...]}` result: the whole list, most recently active first. */
export function sessionListFromSnapshot(result: unknown): readonly SessionSummary[] {
  const rows = isObject(result) && Array.isArray(result['sessions']) ? result['sessions'] : [];
  const out: SessionSummary[] = [];
  for (const row of rows) {
    const s = parseSessionSummary(row);
    if (s && !out.some((o) => o.id === s.id)) out.push(s);
  }
  return sorted(out);
}

/** A session.changed notification: the session's new summary replaces its old one (or is added). */
export function sessionListApplyChange(list: readonly SessionSummary[], params: unknown): readonly SessionSummary[] {
  const s = parseSessionSummary(params);
  if (!s) return list;
  const old = list.find((o) => o.id === s.id);
  // An older summary arriving late (seq and time both behind) must not undo a newer one.
  if (old && old.lastSeq > s.lastSeq && old.updated >= s.updated) return list;
  return sorted([...list.filter((o) => o.id !== s.id), s]);
}

/** Directories of recent sessions, most recent first, without repeats. */
export function recentDirectories(list: readonly SessionSummary[], max = 8): string[] {
  const out: string[] = [];
  for (const s of sorted([...list])) {
    if (s.cwd && !out.includes(s.cwd)) out.push(s.cwd);
    if (out.length >= max) break;
  }
  return out;
}

function sorted(list: SessionSummary[]): SessionSummary[] {
  return list.sort((a, b) => b.updated - a.updated || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
