// Continuing a view after a reconnect or an overflow: subscribe with since = resumeSince(view),
// feed the replay to resume(). Events already held are skipped by seq, so the result equals one
// pass over the store's events; an event out of order stops at the gap and asks for a resync.

import type { SessionEvent } from './events';
import { applyEvents, type ApplyOptions, type ApplyResult } from './session_reducer';
import type { SessionView } from './session_view';

/** The `since` for session.subscribe / session.events: everything after what the view holds. */
export function resumeSince(view: SessionView): number {
  return view.lastSeq;
}

export function resume(view: SessionView, replay: Iterable<SessionEvent>, options?: ApplyOptions): ApplyResult {
  return applyEvents(view, replay, options);
}
