// The live side of the paired hosts: one link per host, its connection state as a signal,
// reconnects with backoff and jitter, and calls routed to the right host. Sockets and
// timers live here; what the screens show is derived from the signals. A host whose daemon
// rotates its key moves to the new id and key when the old key's signature checks out.

import { signal } from '@preact/signals';
import { decodeBase64url } from './b64';
import { RpcClient, RpcError } from '../rpc';
import { describeEnd, openLink, type Dial, type Link, type LinkEnd } from './link';
import { endpointsFor } from './offer';
import { verifyRotation, type Rotation } from './rotation';
import type { HostStore, SavedHost } from './store';

export type ConnState = 'connecting' | 'connected' | 'offline' | 'revoked';

export interface HostStatus {
  readonly state: ConnState;
  /** A sentence for a person when offline or revoked. */
  readonly detail: string;
  readonly via?: 'relay' | 'direct';
  /** The mode the daemon gave this connection (it can change after pairing). */
  readonly mode?: 'full' | 'read_only';
}

/** A call's outcome; an RpcError covers the daemon's errors and local ones (dataCode "closed", "timeout", …). */
export type CallResult<T> = { ok: true; value: T } | { ok: false; error: RpcError };

export interface HostsDeps {
  readonly store: HostStore;
  readonly dial: Dial;
  readonly pageOrigin: string;
  readonly random?: () => number;
  /** Backoff bounds; defaults 1 s and 30 s. */
  readonly backoffMinMs?: number;
  readonly backoffMaxMs?: number;
}

interface Live {
  link: Link;
  rpc: RpcClient;
}

type NotificationHandler = (daemonId: string, params: unknown) => void;

const OFFLINE: HostStatus = { state: 'offline', detail: 'Not connected.' };

export class Hosts {
  readonly list = signal<readonly SavedHost[]>([]);
  readonly status = signal<ReadonlyMap<string, HostStatus>>(new Map());
  /** A rotated host's former daemon ids → its id now, so old routes and callers still reach it (until reload). */
  readonly #aliases = signal<ReadonlyMap<string, string>>(new Map());

  #deps: HostsDeps;
  #live = new Map<string, Live>();
  #subscribers = new Map<string, Set<NotificationHandler>>();
  #connectHandlers = new Set<(daemonId: string) => void>();
  #rotateHandlers = new Set<(from: string, to: string) => void>();
  /** Hosts whose rotation was refused already (said once per host). */
  #warned = new Set<string>();
  #dialing = new Set<string>();
  #retry = new Map<string, { timer: ReturnType<typeof setTimeout> | null; attempt: number }>();

  constructor(deps: HostsDeps) {
    this.#deps = deps;
  }

  /** Reads the saved hosts and connects to each. */
  async load(): Promise<void> {
    this.list.value = await this.#deps.store.all();
    for (const h of this.list.value) this.connect(h.daemon_id);
  }

  /** The id a host goes by now: itself, or the new id of a host that rotated its key. */
  resolve(daemonId: string): string {
    return this.#aliases.value.get(daemonId) ?? daemonId;
  }

  get(daemonId: string): SavedHost | undefined {
    const id = this.resolve(daemonId);
    return this.list.value.find((h) => h.daemon_id === id);
  }

  statusOf(daemonId: string): HostStatus {
    return this.status.value.get(this.resolve(daemonId)) ?? OFFLINE;
  }

  /** Saves a freshly paired host and keeps its pairing link as the live connection. */
  async add(host: SavedHost, link: Link, via?: 'relay' | 'direct'): Promise<void> {
    await this.#deps.store.put(host);
    this.#drop(host.daemon_id);
    this.list.value = [...this.list.value.filter((h) => h.daemon_id !== host.daemon_id), host];
    this.#adopt(host.daemon_id, link, link.hello.mode, via);
  }

  /** Forgets a host on this device (the computer still lists the device until revoked there). */
  async remove(given: string): Promise<void> {
    const daemonId = this.resolve(given);
    this.#drop(daemonId);
    await this.#deps.store.remove(daemonId);
    this.list.value = this.list.value.filter((h) => h.daemon_id !== daemonId);
    const s = new Map(this.status.value);
    s.delete(daemonId);
    this.status.value = s;
  }

  /** Connects unless connected, connecting, or revoked. */
  connect(given: string): void {
    const daemonId = this.resolve(given);
    const host = this.get(daemonId);
    if (!host || this.#live.has(daemonId) || this.#dialing.has(daemonId)) return;
    if (this.statusOf(daemonId).state === 'revoked') return;
    const r = this.#retry.get(daemonId);
    if (r?.timer) clearTimeout(r.timer);
    if (r) r.timer = null;
    void this.#dial(host);
  }

  /** Every offline host now, without waiting for its backoff (the page came back, the network did). */
  wake(): void {
    for (const h of this.list.value) {
      if (this.statusOf(h.daemon_id).state === 'offline') this.connect(h.daemon_id);
    }
  }

  call<T = unknown>(daemonId: string, method: string, params?: Readonly<Record<string, unknown>>): Promise<CallResult<T>> {
    const live = this.#live.get(this.resolve(daemonId));
    if (!live) return Promise.resolve({ ok: false, error: RpcError.local('closed', 'Not connected.') });
    return live.rpc.call<T>(method, params).then(
      (value): CallResult<T> => ({ ok: true, value }),
      (e: unknown): CallResult<T> => {
        if (e instanceof RpcError) return { ok: false, error: e };
        throw e; // our misuse (params that are not JSON), not the connection's
      },
    );
  }

  /** Calls cb with each `method` notification from any host, across reconnects; returns the unsubscribe function. */
  onNotification(method: string, cb: NotificationHandler): () => void {
    let set = this.#subscribers.get(method);
    if (!set) {
      this.#subscribers.set(method, (set = new Set()));
      for (const [id, live] of this.#live) this.#listen(id, live.rpc, method);
    }
    const wrapped: NotificationHandler = (id, p) => cb(id, p);
    set.add(wrapped);
    return () => set.delete(wrapped);
  }

  /**
   * Calls cb each time a host's link comes up (subscriptions live on a connection, so this is
   * where they are made again); returns the unsubscribe function.
   */
  onConnect(cb: (daemonId: string) => void): () => void {
    const wrapped = (id: string) => cb(id);
    this.#connectHandlers.add(wrapped);
    return () => this.#connectHandlers.delete(wrapped);
  }

  /** Calls cb when a host moves from daemon id `from` to `to` (a verified key rotation); returns the unsubscribe function. */
  onRotate(cb: (from: string, to: string) => void): () => void {
    const wrapped = (from: string, to: string) => cb(from, to);
    this.#rotateHandlers.add(wrapped);
    return () => this.#rotateHandlers.delete(wrapped);
  }

  /** Hosts connected now. */
  connected(): string[] {
    return [...this.#live.keys()];
  }

  /** Closes every link and stops every retry. */
  close(): void {
    for (const id of [...this.#live.keys(), ...this.#retry.keys()]) this.#drop(id);
  }

  async #dial(host: SavedHost): Promise<void> {
    const id = host.daemon_id;
    this.#dialing.add(id);
    this.#set(id, { state: 'connecting', detail: 'Connecting…' });
    const remoteStatic = decodeBase64url(host.noise_key);
    let last: LinkEnd = { kind: 'closed', code: 0, reason: 'no address' };
    for (const ep of endpointsFor(host, this.#deps.pageOrigin)) {
      if (!remoteStatic) break;
      const r = await openLink({ dial: this.#deps.dial, url: ep.url, staticKey: host.key, remoteStatic });
      if (!this.#dialing.has(id)) {
        if (r.ok) r.link.close(); // removed while dialing
        return;
      }
      if (r.ok) {
        const to = r.link.hello.rotate ? await this.#follow(host, r.link.hello.rotate) : id;
        if (!this.#dialing.has(to)) return r.link.close(); // removed meanwhile
        this.#dialing.delete(to);
        this.#adopt(to, r.link, r.link.hello.mode, ep.via);
        return;
      }
      last = r.end;
      if (r.end.kind !== 'closed' && r.end.kind !== 'timeout') break;
    }
    this.#dialing.delete(id);
    this.#ended(id, last);
  }

  /**
   * A daemon answering on its old key named its new one: with the old key's signature, the host
   * is saved under the new id and key (same device key and id) and what is keyed by id moves
   * with it. Gives back the id the host goes by now (the old one when the rotation is refused).
   */
  async #follow(host: SavedHost, rotate: Rotation): Promise<string> {
    const from = host.daemon_id;
    const to = rotate.daemon_id;
    const check = await verifyRotation(from, rotate);
    if (check !== 'verified') {
      if (!this.#warned.has(from)) {
        this.#warned.add(from);
        console.warn(
          check === 'unsupported'
            ? `tether: ${host.name} rotated its key, but this browser cannot check Ed25519 signatures; pair again before ${new Date(rotate.deadline).toISOString()}`
            : `tether: ignored a key rotation from ${host.name} that its key did not sign`,
        );
      }
      return from;
    }
    const moved: SavedHost = { ...host, daemon_id: to, noise_key: rotate.noise_key };
    try {
      await this.#deps.store.put(moved);
      await this.#deps.store.remove(from);
    } catch (e) {
      console.warn(`tether: could not save ${host.name}'s new key:`, e);
      return from;
    }
    if (!this.#dialing.has(from)) {
      await this.#deps.store.remove(to); // forgotten while saving
      return from;
    }
    this.#drop(to); // an earlier record of the new id gives way
    this.#drop(from);
    this.#dialing.add(to);
    this.list.value = this.list.value.filter((h) => h.daemon_id !== to).map((h) => (h.daemon_id === from ? moved : h));
    const s = new Map(this.status.value);
    s.delete(from);
    this.status.value = s;
    const aliases = new Map([...this.#aliases.value].map(([a, b]): [string, string] => [a, b === from ? to : b]));
    aliases.set(from, to);
    aliases.delete(to);
    this.#aliases.value = aliases;
    for (const cb of [...this.#rotateHandlers]) cb(from, to);
    return to;
  }

  #adopt(id: string, link: Link, mode?: 'full' | 'read_only', via?: 'relay' | 'direct'): void {
    const rpc = new RpcClient(link.transport);
    for (const method of this.#subscribers.keys()) this.#listen(id, rpc, method);
    this.#live.set(id, { link, rpc });
    this.#retry.delete(id);
    this.#set(id, { state: 'connected', detail: 'Connected.', ...(via ? { via } : {}), ...(mode ? { mode } : {}) });
    link.onEnd((end) => {
      if (this.#live.get(id)?.link !== link) return;
      this.#live.delete(id);
      this.#ended(id, end);
    });
    for (const cb of [...this.#connectHandlers]) cb(id);
  }

  #listen(id: string, rpc: RpcClient, method: string): void {
    rpc.onNotification(method, (params) => {
      for (const cb of [...(this.#subscribers.get(method) ?? [])]) cb(id, params);
    });
  }

  #ended(id: string, end: LinkEnd): void {
    if (end.kind === 'local') return;
    if (end.kind === 'refused' || end.kind === 'revoked') {
      this.#set(id, { state: 'revoked', detail: describeEnd(end) });
      return;
    }
    const r = this.#retry.get(id) ?? { timer: null, attempt: 0 };
    const min = this.#deps.backoffMinMs ?? 1000;
    const max = this.#deps.backoffMaxMs ?? 30_000;
    const base = Math.min(max, min * 2 ** r.attempt);
    const wait = base / 2 + (base / 2) * (this.#deps.random ?? Math.random)();
    r.attempt += 1;
    r.timer = setTimeout(() => {
      r.timer = null;
      this.connect(id);
    }, wait);
    this.#retry.set(id, r);
    this.#set(id, { state: 'offline', detail: describeEnd(end) });
  }

  #drop(id: string): void {
    this.#dialing.delete(id);
    const r = this.#retry.get(id);
    if (r?.timer) clearTimeout(r.timer);
    this.#retry.delete(id);
    const live = this.#live.get(id);
    this.#live.delete(id);
    live?.link.close();
  }

  #set(id: string, s: HostStatus): void {
    const m = new Map(this.status.value);
    m.set(id, s);
    this.status.value = m;
  }
}
