// What stays live across all hosts while the app runs: each host's session list
// (session.watch + session.changed) and the inbox of pending approvals (approval.subscribe +
// approval.changed). Both are made again each time a host's link comes up, and after an
// overflow; the pure reducers in state/ do the rest.

import { signal } from '@preact/signals';
import {
  EMPTY_INBOX,
  inboxApplyChange,
  inboxApplySnapshot,
  inboxRemove,
  inboxRemoveHost,
  sessionListApplyChange,
  sessionListFromSnapshot,
  type Inbox,
  type SessionSummary,
} from '../state';
import type { Hosts } from './hosts';

export type ListLoad = { readonly kind: 'loading' } | { readonly kind: 'loaded' } | { readonly kind: 'error'; readonly message: string };

export class LiveViews {
  /** daemon id → its sessions, most recently active first. */
  readonly sessions = signal<ReadonlyMap<string, readonly SessionSummary[]>>(new Map());
  readonly sessionsLoad = signal<ReadonlyMap<string, ListLoad>>(new Map());
  readonly inbox = signal<Inbox>(EMPTY_INBOX);

  readonly #hosts: Hosts;
  readonly #now: () => number;

  constructor(hosts: Hosts, now: () => number = Date.now) {
    this.#hosts = hosts;
    this.#now = now;
    hosts.onNotification('session.changed', (id, params) => {
      const list = this.sessions.value.get(id);
      if (list) this.#setList(id, sessionListApplyChange(list, params));
    });
    hosts.onNotification('session.list_overflow', (id) => void this.watchSessions(id));
    hosts.onNotification('approval.changed', (id, params) => {
      this.inbox.value = inboxApplyChange(this.inbox.value, id, params, this.#now());
    });
    hosts.onNotification('approval.overflow', (id) => void this.#subscribeInbox(id));
    hosts.onRotate((from) => this.forget(from)); // the new id's lists come with its connect
    hosts.onConnect((id) => {
      void this.watchSessions(id);
      void this.#subscribeInbox(id);
    });
    for (const id of hosts.connected()) {
      void this.watchSessions(id);
      void this.#subscribeInbox(id);
    }
  }

  /** The session list of a host, fetched again (the feed keeps it current after that). */
  async watchSessions(id: string): Promise<void> {
    this.#setLoad(id, { kind: 'loading' });
    const r = await this.#hosts.call(id, 'session.watch', { limit: 200 });
    if (!r.ok) return this.#setLoad(id, { kind: 'error', message: r.error.message });
    this.#setList(id, sessionListFromSnapshot(r.value));
    this.#setLoad(id, { kind: 'loaded' });
  }

  /** After this device answered: the entry goes at once, before approval.changed comes. */
  answered(id: string, approvalId: string): void {
    this.inbox.value = inboxRemove(this.inbox.value, id, approvalId);
  }

  /** A host forgotten on this device. */
  forget(id: string): void {
    const m = new Map(this.sessions.value);
    m.delete(id);
    this.sessions.value = m;
    this.inbox.value = inboxRemoveHost(this.inbox.value, id);
  }

  async #subscribeInbox(id: string): Promise<void> {
    const r = await this.#hosts.call(id, 'approval.subscribe');
    if (r.ok) this.inbox.value = inboxApplySnapshot(this.inbox.value, id, r.value);
  }

  #setList(id: string, list: readonly SessionSummary[]): void {
    const m = new Map(this.sessions.value);
    m.set(id, list);
    this.sessions.value = m;
  }

  #setLoad(id: string, load: ListLoad): void {
    const m = new Map(this.sessionsLoad.value);
    m.set(id, load);
    this.sessionsLoad.value = m;
  }
}
