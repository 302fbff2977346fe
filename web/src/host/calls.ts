// A minimal JSON-RPC 2.0 caller over a Link: requests with ids, replies matched back,
// notifications handed on. Enough for the first screens; web/src/rpc is the full client.

import type { Link, LinkEnd } from './link';

export interface RpcError {
  readonly code: number;
  readonly message: string;
  /** `error.data.code`, the stable machine-readable reason, when the daemon gives one. */
  readonly reason?: string;
}

export type CallResult<T> = { ok: true; value: T } | { ok: false; error: RpcError };

/** Local error codes, outside JSON-RPC's range: the link ended, or the call timed out. */
export const LINK_ENDED = -1;
export const CALL_TIMEOUT = -2;

type Pending = { resolve: (r: CallResult<unknown>) => void; timer: ReturnType<typeof setTimeout> };

export class Calls {
  #link: Pick<Link, 'send'>;
  #nextId = 1;
  #pending = new Map<number, Pending>();
  #onNotification: (method: string, params: unknown) => void = () => {};

  constructor(link: Pick<Link, 'send' | 'onMessage' | 'onEnd'>) {
    this.#link = link;
    link.onMessage((text) => this.#receive(text));
    link.onEnd((end) => this.#endAll(end));
  }

  onNotification(fn: (method: string, params: unknown) => void): void {
    this.#onNotification = fn;
  }

  call<T = unknown>(method: string, params?: object, timeoutMs = 30_000): Promise<CallResult<T>> {
    const id = this.#nextId++;
    const req = params === undefined ? { jsonrpc: '2.0', id, method } : { jsonrpc: '2.0', id, method, params };
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        resolve({ ok: false, error: { code: CALL_TIMEOUT, message: `${method}: no answer in time` } });
      }, timeoutMs);
      this.#pending.set(id, { resolve: resolve as (r: CallResult<unknown>) => void, timer });
      if (!this.#link.send(JSON.stringify(req))) this.#settle(id, { ok: false, error: ended() });
    });
  }

  #receive(text: string): void {
    let m: Record<string, unknown>;
    try {
      m = JSON.parse(text) as Record<string, unknown>;
    } catch {
      return; // not ours to judge; the daemon only sends JSON
    }
    if (typeof m !== 'object' || m === null) return;
    if (typeof m.method === 'string' && m.id === undefined) return this.#onNotification(m.method, m.params);
    if (typeof m.id !== 'number') return;
    if ('error' in m) {
      const e = (m.error ?? {}) as Record<string, unknown>;
      const data = (e.data ?? {}) as Record<string, unknown>;
      const error: RpcError = {
        code: typeof e.code === 'number' ? e.code : -32603,
        message: typeof e.message === 'string' ? e.message : 'error',
        ...(typeof data.code === 'string' ? { reason: data.code } : {}),
      };
      return this.#settle(m.id, { ok: false, error });
    }
    this.#settle(m.id, { ok: true, value: m.result });
  }

  #settle(id: number, r: CallResult<unknown>): void {
    const p = this.#pending.get(id);
    if (!p) return;
    this.#pending.delete(id);
    clearTimeout(p.timer);
    p.resolve(r);
  }

  #endAll(end: LinkEnd): void {
    for (const id of [...this.#pending.keys()]) this.#settle(id, { ok: false, error: ended(end) });
  }
}

function ended(end?: LinkEnd): RpcError {
  return { code: LINK_ENDED, message: end ? `connection ended (${end.kind})` : 'not connected' };
}
