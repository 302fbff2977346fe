// RpcClient over a hand-driven transport: ids, results, error mapping, timeouts (fake timers),
// a closing transport, notifications, and hostile or broken input that must never throw.

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ErrorCode, RpcClient, RpcError } from '../../src/rpc';
import { FakeTransport } from './helpers';

function setup(options?: ConstructorParameters<typeof RpcClient>[1]) {
  const t = new FakeTransport();
  return { t, client: new RpcClient(t, options) };
}

async function rejection(p: Promise<unknown>): Promise<RpcError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(RpcError);
    return e as RpcError;
  }
  throw new Error('expected a rejection');
}

describe('RpcClient calls', () => {
  it('sends JSON-RPC 2.0 requests with increasing ids', () => {
    const { t, client } = setup();
    void client.call('daemon.info');
    void client.call('session.get', { session: 's1' });
    void client.call('session.list', { limit: 5 });
    expect(t.requests()).toEqual([
      { jsonrpc: '2.0', id: 1, method: 'daemon.info' },
      { jsonrpc: '2.0', id: 2, method: 'session.get', params: { session: 's1' } },
      { jsonrpc: '2.0', id: 3, method: 'session.list', params: { limit: 5 } },
    ]);
    expect(client.pendingCount).toBe(3);
  });

  it('resolves each call with its own result, in any reply order', async () => {
    const { t, client } = setup();
    const a = client.call<{ n: number }>('a');
    const b = client.call<{ n: number }>('b');
    t.deliver({ jsonrpc: '2.0', id: 2, result: { n: 2 } });
    t.deliver({ jsonrpc: '2.0', id: 1, result: { n: 1 } });
    expect(await a).toEqual({ n: 1 });
    expect(await b).toEqual({ n: 2 });
    expect(client.pendingCount).toBe(0);
  });

  it('resolves a null result', async () => {
    const { t, client } = setup();
    const p = client.call('x');
    t.deliver({ jsonrpc: '2.0', id: 1, result: null });
    expect(await p).toBeNull();
  });

  it('maps an error reply to RpcError with code, message and dataCode', async () => {
    const { t, client } = setup();
    const p = client.call('approval.respond', { id: 'a1', decision: 'allow' });
    t.deliver({
      jsonrpc: '2.0',
      id: 1,
      error: { code: -32000, message: 'approval a1 was already allowed by owner', data: { code: 'already_resolved' } },
    });
    const e = await rejection(p);
    expect(e.code).toBe(ErrorCode.serverError);
    expect(e.message).toBe('approval a1 was already allowed by owner');
    expect(e.dataCode).toBe('already_resolved');
    expect(e.data).toEqual({ code: 'already_resolved' });
    expect(e.name).toBe('RpcError');
  });

  it('maps an error without data (unknown method)', async () => {
    const { t, client } = setup();
    const p = client.call('sesion.list');
    t.deliver({ jsonrpc: '2.0', id: 1, error: { code: -32601, message: 'unknown method "sesion.list"' } });
    const e = await rejection(p);
    expect(e.code).toBe(ErrorCode.methodNotFound);
    expect(e.message).toBe('unknown method "sesion.list"');
    expect(e.dataCode).toBeUndefined();
  });

  it('keeps a malformed error reply an RpcError', async () => {
    const { t, client } = setup();
    const p1 = client.call('a');
    const p2 = client.call('b');
    t.deliver({ jsonrpc: '2.0', id: 1, error: 'boom' });
    t.deliver({ jsonrpc: '2.0', id: 2, error: { code: 'x', data: { code: 7 } } });
    expect((await rejection(p1)).dataCode).toBe('bad_reply');
    const e2 = await rejection(p2);
    expect(e2.code).toBe(ErrorCode.serverError);
    expect(e2.message).toBe('error without a message');
    expect(e2.dataCode).toBeUndefined();
  });

  it('rejects a reply with both or neither of result and error as bad_reply', async () => {
    const { t, client } = setup();
    const p1 = client.call('a');
    const p2 = client.call('b');
    t.deliver({ jsonrpc: '2.0', id: 1, result: 1, error: { code: 1, message: 'x' } });
    t.deliver({ jsonrpc: '2.0', id: 2 });
    expect((await rejection(p1)).dataCode).toBe('bad_reply');
    expect((await rejection(p2)).dataCode).toBe('bad_reply');
  });

  it('rejects with send_failed when the transport refuses to send', async () => {
    const { t, client } = setup();
    t.failSend = new Error('message too big');
    const e = await rejection(client.call('x'));
    expect(e.dataCode).toBe('send_failed');
    expect(e.message).toContain('message too big');
    expect(client.pendingCount).toBe(0);
  });

  it('rejects params that cannot be serialized without sending anything', async () => {
    const { t, client } = setup();
    await expect(client.call('x', { n: 1n })).rejects.toThrow(TypeError);
    expect(t.sent).toEqual([]);
  });

  it('handles a reply delivered from inside send()', async () => {
    const t = new FakeTransport();
    const client = new RpcClient(t);
    const send = t.send.bind(t);
    t.send = (text) => {
      send(text);
      t.deliver({ jsonrpc: '2.0', id: (JSON.parse(text) as { id: number }).id, result: 'sync' });
    };
    expect(await client.call('x')).toBe('sync');
  });
});

describe('RpcClient timeouts', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('rejects with dataCode timeout after timeoutMs, and ignores the late reply', async () => {
    const { t, client } = setup();
    const p = client.call('slow', undefined, { timeoutMs: 1000 });
    const caught = rejection(p);
    vi.advanceTimersByTime(999);
    expect(client.pendingCount).toBe(1);
    vi.advanceTimersByTime(1);
    const e = await caught;
    expect(e.dataCode).toBe('timeout');
    expect(e.code).toBe(ErrorCode.serverError);
    expect(e.message).toContain('slow');
    expect(client.pendingCount).toBe(0);
    t.deliver({ jsonrpc: '2.0', id: 1, result: 'late' });
    expect(client.ignored.unknownId).toBe(1);
  });

  it('uses the default timeout (30 s unless configured)', async () => {
    const { client } = setup();
    const caught = rejection(client.call('x'));
    vi.advanceTimersByTime(29_999);
    expect(client.pendingCount).toBe(1);
    vi.advanceTimersByTime(1);
    expect((await caught).dataCode).toBe('timeout');

    const other = setup({ defaultTimeoutMs: 50 });
    const c2 = rejection(other.client.call('y'));
    vi.advanceTimersByTime(50);
    expect((await c2).dataCode).toBe('timeout');
  });

  it('waits for ever with timeoutMs Infinity', async () => {
    const { t, client } = setup();
    const p = client.call('subscribe', undefined, { timeoutMs: Infinity });
    vi.advanceTimersByTime(24 * 3600 * 1000);
    t.deliver({ jsonrpc: '2.0', id: 1, result: 'ok' });
    expect(await p).toBe('ok');
  });

  it('clears the timer of an answered call', async () => {
    const { t, client } = setup();
    const p = client.call('x', undefined, { timeoutMs: 10 });
    t.deliver({ jsonrpc: '2.0', id: 1, result: 1 });
    expect(await p).toBe(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('times out only the calls that are late', async () => {
    const { t, client } = setup();
    const fast = client.call('fast', undefined, { timeoutMs: 100 });
    const slow = rejection(client.call('slow', undefined, { timeoutMs: 100 }));
    t.deliver({ jsonrpc: '2.0', id: 1, result: 'f' });
    vi.advanceTimersByTime(100);
    expect(await fast).toBe('f');
    expect((await slow).dataCode).toBe('timeout');
  });
});

describe('RpcClient and a closing transport', () => {
  it('rejects every pending call with dataCode closed, naming the close', async () => {
    vi.useFakeTimers();
    try {
      const { t, client } = setup();
      const calls = [client.call('a'), client.call('b'), client.call('c')].map(rejection);
      const closes: unknown[] = [];
      client.onClose((info) => closes.push(info));
      t.peerClose(4403, 'revoked');
      const errors = await Promise.all(calls);
      for (const e of errors) {
        expect(e.dataCode).toBe('closed');
        expect(e.message).toContain('4403 revoked');
      }
      expect(client.closed).toBe(true);
      expect(client.pendingCount).toBe(0);
      expect(closes).toEqual([{ code: 4403, reason: 'revoked' }]);
      expect(vi.getTimerCount()).toBe(0); // their timers are gone too
    } finally {
      vi.useRealTimers();
    }
  });

  it('rejects calls made after the close at once, without sending', async () => {
    const { t, client } = setup();
    t.peerClose(1001, 'the daemon is stopping');
    const e = await rejection(client.call('x'));
    expect(e.dataCode).toBe('closed');
    expect(t.sent).toEqual([]);
  });

  it('tells a late onClose listener, once', async () => {
    const { t, client } = setup();
    t.peerClose(1000, '');
    t.peerClose(1000, 'again');
    const cb = vi.fn();
    client.onClose(cb);
    await Promise.resolve();
    expect(cb).toHaveBeenCalledTimes(1);
    expect(cb).toHaveBeenCalledWith({ code: 1000, reason: '' });
  });

  it('close() closes the transport and rejects pending calls', async () => {
    const { t, client } = setup();
    const p = rejection(client.call('x'));
    const cb = vi.fn();
    const off = client.onClose(cb);
    client.close();
    client.close();
    expect(t.closedByClient).toBe(true);
    expect((await p).dataCode).toBe('closed');
    expect(cb).toHaveBeenCalledTimes(1);
    off();
  });

  it('an unsubscribed onClose listener is not called', () => {
    const { t, client } = setup();
    const cb = vi.fn();
    client.onClose(cb)();
    t.peerClose(1000, '');
    expect(cb).not.toHaveBeenCalled();
  });
});

describe('RpcClient notifications', () => {
  const event = (seq: number) => ({
    jsonrpc: '2.0',
    method: 'session.event',
    params: { session: 's1', seq, time: 1, kind: 'notice', data: { text: 'hi' } },
  });

  it('dispatches by method to every handler, in registration order', () => {
    const { t, client } = setup();
    const got: string[] = [];
    client.onNotification('session.event', (p) => got.push(`a${(p as { seq: number }).seq}`));
    client.onNotification('session.event', (p) => got.push(`b${(p as { seq: number }).seq}`));
    client.onNotification('session.overflow', () => got.push('overflow'));
    t.deliver(event(1));
    t.deliver({ jsonrpc: '2.0', method: 'session.overflow', params: { session: 's1', last_seq: 1, reason: 'slow' } });
    expect(got).toEqual(['a1', 'b1', 'overflow']);
  });

  it('passes undefined params through, and ignores methods nobody listens to', () => {
    const { t, client } = setup();
    const cb = vi.fn();
    client.onNotification('ping', cb);
    t.deliver({ jsonrpc: '2.0', method: 'ping' });
    t.deliver({ jsonrpc: '2.0', method: 'nobody.listens', params: {} });
    expect(cb).toHaveBeenCalledWith(undefined);
    expect(client.ignored).toEqual({ notJson: 0, invalid: 0, unknownId: 0 });
  });

  it('unsubscribes one registration only', () => {
    const { t, client } = setup();
    const cb = vi.fn();
    const off1 = client.onNotification('session.event', cb);
    client.onNotification('session.event', cb);
    off1();
    off1();
    t.deliver(event(1));
    expect(cb).toHaveBeenCalledTimes(1);
  });

  it('a handler may unsubscribe itself while being called', () => {
    const { t, client } = setup();
    const second = vi.fn();
    const off = client.onNotification('session.event', () => off());
    client.onNotification('session.event', second);
    t.deliver(event(1));
    t.deliver(event(2));
    expect(second).toHaveBeenCalledTimes(2);
  });

  it('a throwing handler is reported and does not stop the others', () => {
    const errors: [unknown, string][] = [];
    const { t, client } = setup({ onHandlerError: (e, m) => errors.push([e, m]) });
    const after = vi.fn();
    client.onNotification('session.event', () => {
      throw new Error('ui bug');
    });
    client.onNotification('session.event', after);
    expect(() => t.deliver(event(1))).not.toThrow();
    expect(after).toHaveBeenCalledTimes(1);
    expect(errors).toHaveLength(1);
    expect(errors[0]![1]).toBe('session.event');
  });
});

describe('RpcClient ignores malformed input and counts it', () => {
  it('never throws and never settles a call on garbage', async () => {
    const { t, client } = setup();
    const p = client.call('x');
    const bad = [
      'not json',
      '',
      '{"jsonrpc":"2.0","id":1,"result":',
      '[{"jsonrpc":"2.0","id":1,"result":1}]',
      '42',
      'null',
      '"text"',
    ];
    for (const b of bad) expect(() => t.deliver(b)).not.toThrow();
    expect(client.ignored.notJson).toBe(bad.length);

    const invalid = [
      { jsonrpc: '2.0' }, // no id and no method
      { jsonrpc: '2.0', result: 1 }, // a reply without id
      { jsonrpc: '1.0', id: 1, result: 1 }, // wrong version
      { id: 1, result: 1 }, // no version
      { jsonrpc: '2.0', method: 5 }, // method not a string
      { jsonrpc: '2.0', id: 9, method: 'client.ask' }, // a request: the daemon sends none
    ];
    for (const m of invalid) t.deliver(m);
    expect(client.ignored.invalid).toBe(invalid.length);

    const unknown = [
      { jsonrpc: '2.0', id: 99, result: 1 },
      { jsonrpc: '2.0', id: '1', result: 1 }, // our ids are numbers
      { jsonrpc: '2.0', id: null, error: { code: -32600, message: 'batch requests are not supported' } },
    ];
    for (const m of unknown) t.deliver(m);
    expect(client.ignored.unknownId).toBe(unknown.length);

    expect(client.pendingCount).toBe(1);
    t.deliver({ jsonrpc: '2.0', id: 1, result: 'fine' });
    expect(await p).toBe('fine');
    // A second reply to the same id is a reply to no pending call.
    t.deliver({ jsonrpc: '2.0', id: 1, result: 'again' });
    expect(client.ignored.unknownId).toBe(unknown.length + 1);
  });
});
