// Following one session: subscribe from the last seq the view holds, fold the streamed events
// into the view, and subscribe again from there after a reconnect, an overflow or a gap — so
// the view ends with every stored event exactly once, in order. Events are applied in batches
// (a replay of thousands arrives at once); `digest` sums what was applied, seq by seq.

import { signal } from '@preact/signals';
import {
  applyEvents,
  emptySessionView,
  parseOverflow,
  parseSessionEvent,
  resumeSince,
  type SessionEvent,
  type SessionView,
} from '../state';
import type { Hosts } from './hosts';

/** 'offline': the last subscribe found no link; the next connect subscribes again. */
export type FollowState = 'subscribing' | 'live' | 'offline' | 'error';

export interface Sync {
  readonly state: FollowState;
  /** Events applied to the view: equals lastSeq when none was missed or doubled. */
  readonly applied: number;
  /** FNV-1a over "seq:kind\n" of every applied event, as 8 hex digits. */
  readonly digest: string;
  readonly error: string | null;
}

const FLUSH_MS = 16;

export class SessionFollower {
  readonly view = signal<SessionView>(emptySessionView(''));
  readonly sync = signal<Sync>({ state: 'subscribing', applied: 0, digest: fnvHex(FNV_OFFSET), error: null });

  readonly #hosts: Hosts;
  readonly #daemonId: string;
  readonly #sessionId: string;
  #queue: SessionEvent[] = [];
  #timer: ReturnType<typeof setTimeout> | null = null;
  #hash = FNV_OFFSET;
  #applied = 0;
  #stopped = false;
  #off: (() => void)[] = [];

  constructor(hosts: Hosts, daemonId: string, sessionId: string) {
    this.#hosts = hosts;
    this.#daemonId = daemonId;
    this.#sessionId = sessionId;
    this.view.value = emptySessionView(sessionId);
    this.#off.push(
      hosts.onNotification('session.event', (id, params) => {
        if (id !== daemonId) return;
        const e = parseSessionEvent(params);
        if (!e || e.session !== sessionId) return;
        this.#queue.push(e);
        this.#timer ??= setTimeout(() => this.#flush(), FLUSH_MS);
      }),
      hosts.onNotification('session.overflow', (id, params) => {
        const o = parseOverflow(params);
        if (id === daemonId && o?.session === sessionId) this.#resubscribe();
      }),
      hosts.onConnect((id) => {
        if (id === daemonId) this.#resubscribe();
      }),
    );
    this.#resubscribe();
  }

  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    for (const off of this.#off) off();
    if (this.#timer) clearTimeout(this.#timer);
    void this.#hosts.call(this.#daemonId, 'session.unsubscribe', { session: this.#sessionId });
  }

  #resubscribe(): void {
    if (this.#stopped) return;
    this.#flush(); // what has arrived counts before asking from where to go on
    this.#setSync({ state: 'subscribing', error: null });
    void this.#hosts
      .call(this.#daemonId, 'session.subscribe', { session: this.#sessionId, since: resumeSince(this.view.value) })
      .then((r) => {
        if (this.#stopped) return;
        if (r.ok) this.#setSync({ state: 'live' });
        else if (r.error.dataCode === 'closed') this.#setSync({ state: 'offline' });
        else this.#setSync({ state: 'error', error: r.error.message });
      });
  }

  #flush(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    if (this.#queue.length === 0) return;
    const batch = this.#queue;
    this.#queue = [];
    const before = this.view.value.lastSeq;
    const r = applyEvents(this.view.value, batch);
    if (r.applied > 0) {
      // The reducer applies seq before+1, before+2, … in order; hash exactly those.
      const kinds = new Map(batch.map((e) => [e.seq, e.kind]));
      for (let seq = before + 1; seq <= r.view.lastSeq; seq++) this.#hash = fnv(this.#hash, `${seq}:${kinds.get(seq)}\n`);
      this.#applied += r.applied;
      this.view.value = r.view;
      this.#setSync({});
    }
    if (r.needResync) this.#resubscribe();
  }

  #setSync(change: Partial<Sync>): void {
    this.sync.value = { ...this.sync.value, applied: this.#applied, digest: fnvHex(this.#hash), ...change };
  }
}

const FNV_OFFSET = 0x811c9dc5;

function fnv(h: number, s: string): number {
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

function fnvHex(h: number): string {
  return h.toString(16).padStart(8, '0');
}

/** The digest `SessionFollower` computes, for a list of (seq, kind) — what a test compares. */
export function eventsDigest(events: Iterable<{ seq: number; kind: string }>): string {
  let h = FNV_OFFSET;
  for (const e of events) h = fnv(h, `${e.seq}:${e.kind}\n`);
  return fnvHex(h);
}
