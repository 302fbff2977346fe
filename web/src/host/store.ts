// Paired hosts and their device keys, kept in IndexedDB. The private key is a
// non-extractable CryptoKey: IndexedDB stores it by structured clone, and no script
// (ours or injected) can read its bytes back, only use it.

import type { KeyPair } from '../noise';

export interface SavedHost {
  readonly daemon_id: string;
  /** The label this device gives the computer. */
  readonly name: string;
  readonly noise_key: string;
  readonly relay: string;
  readonly direct: string;
  /** What the daemon calls this device (handshake message 2). */
  readonly device_id: string;
  readonly device_name: string;
  readonly mode: 'full' | 'read_only';
  readonly paired_at: number;
  /** Kept when this browser pairs with the computer again (it replaces its device there); a revoked key gives way to a fresh one. */
  readonly key: KeyPair;
}

export interface HostStore {
  all(): Promise<SavedHost[]>;
  put(host: SavedHost): Promise<void>;
  remove(daemonId: string): Promise<void>;
}

const DB_NAME = 'tether';
const DB_VERSION = 1;
const HOSTS = 'hosts';

function promised<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
  });
}

function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
  });
}

export async function openIndexedDbStore(factory: IDBFactory = indexedDB): Promise<HostStore> {
  const open = factory.open(DB_NAME, DB_VERSION);
  open.onupgradeneeded = () => {
    const db = open.result;
    if (!db.objectStoreNames.contains(HOSTS)) db.createObjectStore(HOSTS, { keyPath: 'daemon_id' });
  };
  const db = await promised(open);
  return {
    async all() {
      const tx = db.transaction(HOSTS, 'readonly');
      const hosts = await promised(tx.objectStore(HOSTS).getAll() as IDBRequest<SavedHost[]>);
      return hosts.sort((a, b) => a.paired_at - b.paired_at);
    },
    async put(host) {
      const tx = db.transaction(HOSTS, 'readwrite');
      tx.objectStore(HOSTS).put(host);
      await done(tx);
    },
    async remove(daemonId) {
      const tx = db.transaction(HOSTS, 'readwrite');
      tx.objectStore(HOSTS).delete(daemonId);
      await done(tx);
    },
  };
}

/** For tests, and for a browser that refuses IndexedDB (a private window): nothing survives a reload. */
export function memoryStore(): HostStore {
  const hosts = new Map<string, SavedHost>();
  return {
    async all() {
      return [...hosts.values()].sort((a, b) => a.paired_at - b.paired_at);
    },
    async put(host) {
      hosts.set(host.daemon_id, host);
    },
    async remove(daemonId) {
      hosts.delete(daemonId);
    },
  };
}
