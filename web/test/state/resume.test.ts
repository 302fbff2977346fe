// Resuming after a reconnect: a replay that overlaps what the view holds gives the view a
// single pass over the store gives, at every cut and overlap; reordered or missing events
// stop at the gap and a resubscribe from resumeSince() completes the view.

import { describe, expect, it } from 'vitest';
import {
  applyEvents,
  emptySessionView,
  parseOverflow,
  resume,
  resumeSince,
  type SessionEvent,
  type SessionView,
} from '../../src/state';
import { Log, allowFlow, deepFreeze, longSession, rng, terminalFlow } from './fixtures';

const once = (events: readonly SessionEvent[]): SessionView =>
  applyEvents(emptySessionView(events[0]!.session), events).view;

/** What session.subscribe(since) replays from the store. */
const storeSince = (events: readonly SessionEvent[], since: number) => events.filter((e) => e.seq > since);

describe('resume', () => {
  for (const [name, log] of [
    ['allow flow', allowFlow()],
    ['terminal', terminalFlow()],
    ['long session', longSession()],
  ] as const) {
    it(`${name}: every cut and every overlap gives the single-pass view`, () => {
      const events = log.events;
      const full = once(events);
      for (let cut = 0; cut <= events.length; cut++) {
        const before = deepFreeze(applyEvents(emptySessionView(log.session), events.slice(0, cut)).view);
        for (let k = 0; k <= cut; k++) {
          // Reconnected with since = lastSeq - k: k events come again.
          const r = resume(before, storeSince(events, resumeSince(before) - k));
          expect(r.needResync).toBe(false);
          expect(r.applied).toBe(events.length - cut);
          expect(r.view).toEqual(full);
        }
      }
    });
  }

  it('random batches with random overlaps and repeats equal one pass (long session)', () => {
    const events = longSession().events;
    const full = once(events);
    for (let seed = 1; seed <= 50; seed++) {
      const rand = rng(seed);
      let view = emptySessionView(events[0]!.session);
      let guard = 0;
      while (view.lastSeq < events.length) {
        if (guard++ > 1000) throw new Error('no progress');
        // A reconnect: resubscribe from somewhere at or before lastSeq, and receive a prefix of the replay.
        const since = Math.max(0, resumeSince(view) - Math.floor(rand() * 6));
        const replay = storeSince(events, since).slice(0, 1 + Math.floor(rand() * 8));
        // Sometimes the same notification arrives twice in a row.
        const delivered = replay.flatMap((e) => (rand() < 0.2 ? [e, e] : [e]));
        const r = resume(view, delivered);
        expect(r.needResync).toBe(false);
        view = r.view;
      }
      expect(view).toEqual(full);
    }
  });

  it('out-of-order arrival stops at the gap; resubscribing completes the view', () => {
    const events = allowFlow().events;
    const before = once(events.slice(0, 5));
    const swapped = [events[6]!, events[5]!, ...events.slice(7)];
    const r = resume(before, swapped);
    expect(r.needResync).toBe(true);
    expect(r.view).toBe(before);
    expect(resumeSince(r.view)).toBe(5);
    const again = resume(r.view, storeSince(events, resumeSince(r.view)));
    expect(again.needResync).toBe(false);
    expect(again.view).toEqual(once(events));
  });

  it('a lost notification is caught at the next one', () => {
    const events = allowFlow().events;
    let v = once(events.slice(0, 8));
    const r = resume(v, [events[9]!]); // seq 9 lost
    expect(r.needResync).toBe(true);
    v = resume(r.view, storeSince(events, resumeSince(r.view))).view;
    expect(v).toEqual(once(events));
  });

  it('after session.overflow, resubscribing from the view (not the overflow seq) loses nothing', () => {
    const log = new Log();
    for (let i = 0; i < 30; i++) log.add('notice', { text: `line ${i}` });
    const overflow = parseOverflow({ session: log.session, last_seq: 25, reason: 'too far behind; subscribe again with since=last_seq' });
    expect(overflow).toEqual({ session: log.session, lastSeq: 25, reason: 'too far behind; subscribe again with since=last_seq' });
    // The client had processed only 20 when the overflow came; 21..25 were queued and may still arrive.
    let v = once(log.events.slice(0, 20));
    v = resume(v, log.events.slice(20, 23)).view;
    v = resume(v, storeSince(log.events, resumeSince(v))).view;
    expect(v).toEqual(once(log.events));
  });
});
