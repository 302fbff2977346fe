// JSON-RPC 2.0 client over a Transport: numbered calls with timeouts, and notification dispatch.
// The daemon's bad input never throws here: it is ignored and counted in `ignored`.
// Not a reconnect policy: a closed client stays closed; make a new one on a new transport.

import { RpcError } from './rpc_error';
import type { CloseInfo, Transport } from './transport';

export interface CallOptions {
  /** Rejects with dataCode "timeout" after this long; Infinity waits for ever. */
  readonly timeoutMs?: number;
}

export interface RpcClientOptions {
  /** Used when a call gives no timeoutMs; default 30 s. */
  readonly defaultTimeoutMs?: number;
  /** A notification or close handler that threw (method "close"); default console.error. */
  readonly onHandlerError?: (error: unknown, method: string) => void;
}

/** Incoming messages that were dropped, by reason. */
export interface IgnoredCounts {
  /** Not JSON, or JSON that is not an object. */
  notJson: number;
  /** An object that is neither a reply nor a notification (no id and no method, wrong jsonrpc, a request). */
  invalid: number;
  /** A reply to no pending call: unknown, or already timed out. */
  unknownId: number;
}

type Params = Readonly<Record<string, unknown>>;
type NotificationHandler = (params: unknown) => void;

interface Pending {
  readonly method: string;
  resolve(value: unknown): void;
  reject(error: RpcError): void;
  timer: ReturnType<typeof setTimeout> | undefined;
}

const DEFAULT_TIMEOUT_MS = 30_000;

export class RpcClient {
  readonly #transport: Transport;
  readonly #defaultTimeoutMs: number;
  readonly #onHandlerError: (error: unknown, method: string) => void;
  readonly #pending = new Map<number, Pending>();
  readonly #handlers = new Map<string, Set<NotificationHandler>>();
  readonly #closeHandlers = new Set<(info: CloseInfo) => void>();
  #nextId = 1;
  #closed: CloseInfo | null = null;
  readonly ignored: IgnoredCounts = { notJson: 0, invalid: 0, unknownId: 0 };

  constructor(transport: Transport, options: RpcClientOptions = {}) {
    this.#transport = transport;
    this.#defaultTimeoutMs = options.defaultTimeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#onHandlerError =
      options.onHandlerError ?? ((e, method) => console.error(`tether rpc: handler for ${method} threw`, e));
    transport.onMessage((text) => this.#receive(text));
    transport.onClose((info) => this.#shut(info));
  }

  get closed(): boolean {
    return this.#closed !== null;
  }

  /** Calls waiting for a reply. */
  get pendingCount(): number {
    return this.#pending.size;
  }

  call<T = unknown>(method: string, params?: Params, options: CallOptions = {}): Promise<T> {
    if (this.#closed) return Promise.reject(closedError(method, this.#closed));
    const id = this.#nextId++;
    const request: Record<string, unknown> = { jsonrpc: '2.0', id, method };
    if (params !== undefined) request['params'] = params;
    let text: string;
    try {
      text = JSON.stringify(request);
    } catch (e) {
      return Promise.reject(e); // our misuse (a cycle, a BigInt): not the connection's fault
    }
    return new Promise<T>((resolve, reject) => {
      const entry: Pending = { method, resolve: resolve as (v: unknown) => void, reject, timer: undefined };
      const timeoutMs = options.timeoutMs ?? this.#defaultTimeoutMs;
      if (Number.isFinite(timeoutMs)) {
        entry.timer = setTimeout(() => {
          this.#pending.delete(id);
          reject(RpcError.local('timeout', `${method}: no reply within ${timeoutMs} ms`));
        }, timeoutMs);
      }
      // Registered before sending: a transport may answer, or close, from inside send().
      this.#pending.set(id, entry);
      try {
        this.#transport.send(text);
      } catch (e) {
        if (this.#pending.delete(id)) {
          clearTimeout(entry.timer);
          reject(RpcError.local('send_failed', `${method}: ${e instanceof Error ? e.message : String(e)}`));
        }
      }
    });
  }

  /** Calls cb with each notification's params; returns the unsubscribe function. */
  onNotification(method: string, cb: NotificationHandler): () => void {
    let set = this.#handlers.get(method);
    if (!set) this.#handlers.set(method, (set = new Set()));
    const wrapped: NotificationHandler = (p) => cb(p); // one registration per call, even for the same cb
    set.add(wrapped);
    return () => {
      set.delete(wrapped);
      if (set.size === 0 && this.#handlers.get(method) === set) this.#handlers.delete(method);
    };
  }

  /** Called once when the client closes (its transport closed, or close() was called). */
  onClose(cb: (info: CloseInfo) => void): () => void {
    if (this.#closed) {
      const info = this.#closed;
      queueMicrotask(() => cb(info));
      return () => undefined;
    }
    this.#closeHandlers.add(cb);
    return () => this.#closeHandlers.delete(cb);
  }

  /** Closes the transport; pending calls reject with dataCode "closed". */
  close(): void {
    if (this.#closed) return;
    this.#shut({ code: 1000, reason: 'closed by the client' });
    this.#transport.close();
  }

  #shut(info: CloseInfo): void {
    if (this.#closed) return;
    this.#closed = info;
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    for (const p of pending) {
      clearTimeout(p.timer);
      p.reject(closedError(p.method, info));
    }
    const handlers = [...this.#closeHandlers];
    this.#closeHandlers.clear();
    for (const cb of handlers) {
      try {
        cb(info);
      } catch (e) {
        this.#onHandlerError(e, 'close');
      }
    }
  }

  #receive(text: string): void {
    let msg: unknown;
    try {
      msg = JSON.parse(text);
    } catch {
      this.ignored.notJson++;
      return;
    }
    if (typeof msg !== 'object' || msg === null || Array.isArray(msg)) {
      this.ignored.notJson++;
      return;
    }
    const m = msg as Record<string, unknown>;
    if (m['jsonrpc'] !== '2.0') {
      this.ignored.invalid++;
      return;
    }
    const hasId = 'id' in m;
    if (typeof m['method'] === 'string' && !hasId) {
      this.#notify(m['method'], m['params']);
    } else if (hasId && !('method' in m)) {
      this.#reply(m);
    } else {
      this.ignored.invalid++;
    }
  }

  #reply(m: Record<string, unknown>): void {
    const id = m['id'];
    const p = typeof id === 'number' ? this.#pending.get(id) : undefined;
    if (typeof id !== 'number' || !p) {
      this.ignored.unknownId++;
      return;
    }
    this.#pending.delete(id);
    clearTimeout(p.timer);
    const hasResult = 'result' in m;
    const hasError = 'error' in m;
    if (hasError && !hasResult) p.reject(RpcError.fromReply(m['error']));
    else if (hasResult && !hasError) p.resolve(m['result']);
    else p.reject(RpcError.local('bad_reply', `${p.method}: a reply needs exactly one of result and error`));
  }

  #notify(method: string, params: unknown): void {
    const set = this.#handlers.get(method);
    if (!set) return;
    for (const cb of [...set]) {
      try {
        cb(params);
      } catch (e) {
        this.#onHandlerError(e, method);
      }
    }
  }
}

function closedError(method: string, info: CloseInfo): RpcError {
  const why = info.reason ? `${info.code} ${info.reason}` : String(info.code);
  return RpcError.local('closed', `${method}: the connection closed (${why})`);
}
