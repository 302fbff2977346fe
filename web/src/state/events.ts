// A session's events as the daemon sends them (session.event notifications, session.events
// pages); kinds and data are specified in docs/protocol.md "Events and the stream". Pure.

import { isObject, num, str, type JsonObject } from './json_fields';

export type EventKind =
  | 'user_message'
  | 'assistant_delta'
  | 'assistant_text'
  | 'thinking'
  | 'tool_call'
  | 'tool_result'
  | 'approval_requested'
  | 'approval_resolved'
  | 'status'
  | 'usage'
  | 'mode'
  | 'notice'
  | 'error'
  | 'raw'
  | 'terminal_started'
  | 'terminal_output'
  | 'terminal_resize';

export interface SessionEvent {
  readonly session: string;
  /** Starts at 1 and has no gaps within a session. */
  readonly seq: number;
  /** Unix milliseconds. */
  readonly time: number;
  /** An EventKind, or a kind this client does not know yet (it still takes a seq). */
  readonly kind: string;
  readonly data: JsonObject;
}

/** The params of a session.event notification; null when they are not an event. */
export function parseSessionEvent(params: unknown): SessionEvent | null {
  if (!isObject(params)) return null;
  const session = str(params, 'session');
  const seq = num(params, 'seq');
  const kind = str(params, 'kind');
  if (session === null || kind === null || seq === null || !Number.isSafeInteger(seq) || seq < 1) return null;
  const data = params['data'];
  return { session, seq, time: num(params, 'time') ?? 0, kind, data: isObject(data) ? data : {} };
}

/** One row of a session.events page, which carries no session field. */
export function parseStoredEvent(session: string, row: unknown): SessionEvent | null {
  return isObject(row) ? parseSessionEvent({ ...row, session }) : null;
}

export interface Overflow {
  readonly session: string;
  readonly lastSeq: number;
  readonly reason: string;
}

/** The params of a session.overflow notification: subscribe again with since = lastSeq. */
export function parseOverflow(params: unknown): Overflow | null {
  if (!isObject(params)) return null;
  const session = str(params, 'session');
  const lastSeq = num(params, 'last_seq');
  if (session === null || lastSeq === null || !Number.isSafeInteger(lastSeq) || lastSeq < 0) return null;
  return { session, lastSeq, reason: str(params, 'reason') ?? '' };
}
