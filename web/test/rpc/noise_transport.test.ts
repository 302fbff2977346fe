// noiseTransport over two Channels from a real in-memory IK handshake, joined by fake sockets:
// messages of every size both ways and in order, RPC end to end, and a broken channel closing.

import { describe, expect, it, vi } from 'vitest';
import { FIRST_CHUNK_DATA, CONT_CHUNK_DATA, MAX_MESSAGE } from '../../src/noise';
import {
  CLOSE_CHANNEL_DEAD,
  CLOSE_TEXT_FRAME,
  RpcClient,
  noiseTransport,
  type BinarySocket,
  type CloseInfo,
  type Transport,
} from '../../src/rpc';
import { ikPair } from '../noise/helpers';
import { settle, socketPair, until, type FakeSocket } from './helpers';

// A browser WebSocket must fit BinarySocket (checked by tsc, never run).
export const fitsWebSocket = (ws: WebSocket): BinarySocket => ws;

interface End {
  socket: FakeSocket;
  transport: Transport;
  got: string[];
  closes: CloseInfo[];
}

async function connected(): Promise<{ phone: End; daemon: End }> {
  const { phone, daemon } = await ikPair();
  const [ps, ds] = socketPair();
  const end = (socket: FakeSocket, transport: Transport): End => {
    const e: End = { socket, transport, got: [], closes: [] };
    transport.onMessage((t) => e.got.push(t));
    transport.onClose((c) => e.closes.push(c));
    return e;
  };
  return { phone: end(ps, noiseTransport(ps, phone)), daemon: end(ds, noiseTransport(ds, daemon)) };
}

/** A message of n UTF-8 bytes mixing 1-, 2-, 3- and 4-byte characters, so chunks split characters. */
function text(n: number): string {
  const parts = ['a', 'é', '€', '😀'];
  let s = '';
  let bytes = 0;
  for (let i = 0; bytes < n; i++) {
    const p = parts[i % parts.length]!;
    const len = new TextEncoder().encode(p).length;
    if (bytes + len > n) {
      s += 'a'.repeat(n - bytes);
      break;
    }
    s += p;
    bytes += len;
  }
  return s;
}

describe('noiseTransport', () => {
  it('sets the socket to deliver ArrayBuffers', async () => {
    const { phone } = await connected();
    expect(phone.socket.binaryType).toBe('arraybuffer');
  });

  it('carries messages both ways, one Noise message per frame', async () => {
    const { phone, daemon } = await connected();
    phone.transport.send('{"jsonrpc":"2.0","id":1,"method":"daemon.info"}');
    await until(() => daemon.got.length === 1);
    expect(daemon.got).toEqual(['{"jsonrpc":"2.0","id":1,"method":"daemon.info"}']);
    daemon.transport.send('{"jsonrpc":"2.0","id":1,"result":{}}');
    await until(() => phone.got.length === 1);
    expect(phone.got).toEqual(['{"jsonrpc":"2.0","id":1,"result":{}}']);
    expect(phone.socket.frames).toHaveLength(1);
    // Ciphertext: the frame does not contain the text.
    expect(Buffer.from(phone.socket.frames[0]!).toString('latin1')).not.toContain('daemon.info');
  });

  const sizes = [0, 1, FIRST_CHUNK_DATA, FIRST_CHUNK_DATA + 1, FIRST_CHUNK_DATA + CONT_CHUNK_DATA + 3, 1 << 20];
  for (const size of sizes) {
    it(`reassembles a ${size}-byte message split into chunks`, async () => {
      const { phone, daemon } = await connected();
      const msg = text(size);
      phone.transport.send(msg);
      await until(() => daemon.got.length === 1);
      expect(daemon.got[0]!.length).toBe(msg.length);
      expect(daemon.got[0] === msg).toBe(true);
      const chunks = size <= FIRST_CHUNK_DATA ? 1 : 1 + Math.ceil((size - FIRST_CHUNK_DATA) / CONT_CHUNK_DATA);
      expect(phone.socket.frames).toHaveLength(chunks);
      for (const f of phone.socket.frames) expect(f.length).toBeLessThanOrEqual(MAX_MESSAGE);
    });
  }

  it('keeps many quick sends in order, large and small mixed', async () => {
    const { phone, daemon } = await connected();
    const msgs = Array.from({ length: 30 }, (_, i) => (i % 7 === 3 ? `${i}:${text(100_000)}` : `${i}`));
    for (const m of msgs) phone.transport.send(m);
    await until(() => daemon.got.length === msgs.length);
    expect(daemon.got.map((m) => m.slice(0, 3))).toEqual(msgs.map((m) => m.slice(0, 3)));
    expect(daemon.got.every((m, i) => m === msgs[i])).toBe(true);
  });

  it('accepts Uint8Array frames as well as ArrayBuffers', async () => {
    const { phone, daemon } = await connected();
    daemon.socket.deliverAs = 'uint8array';
    phone.transport.send('one');
    await until(() => daemon.got.length === 1);
    expect(daemon.got).toEqual(['one']);
  });

  it('holds messages that arrive before anyone listens', async () => {
    const { phone, daemon } = await ikPair();
    const [ps, ds] = socketPair();
    const tp = noiseTransport(ps, phone);
    const td = noiseTransport(ds, daemon);
    tp.send('early 1');
    tp.send('early 2');
    await settle();
    await new Promise((r) => setTimeout(r, 50));
    const got: string[] = [];
    td.onMessage((t) => got.push(t));
    expect(got).toEqual(['early 1', 'early 2']);
  });

  it('runs JSON-RPC end to end', async () => {
    const { phone, daemon } = await connected();
    // A tiny daemon: answers daemon.info, then pushes a notification.
    daemon.transport.onMessage((t) => {
      const req = JSON.parse(t) as { id: number; method: string };
      daemon.transport.send(JSON.stringify({ jsonrpc: '2.0', id: req.id, result: { method: req.method } }));
      daemon.transport.send(
        JSON.stringify({ jsonrpc: '2.0', method: 'session.event', params: { session: 's1', seq: req.id } }),
      );
    });
    const client = new RpcClient(phone.transport);
    const seqs: number[] = [];
    client.onNotification('session.event', (p) => seqs.push((p as { seq: number }).seq));
    const [a, b] = await Promise.all([client.call('daemon.info'), client.call('session.list')]);
    expect(a).toEqual({ method: 'daemon.info' });
    expect(b).toEqual({ method: 'session.list' });
    await until(() => seqs.length === 2);
    expect(seqs).toEqual([1, 2]);
  });

  it('reports the peer closing, once, and refuses to send after', async () => {
    const { phone, daemon } = await connected();
    daemon.socket.close(4403, 'revoked');
    await settle();
    expect(phone.closes).toEqual([{ code: 4403, reason: 'revoked' }]);
    expect(() => phone.transport.send('x')).toThrow(/closed/);
    const late = vi.fn();
    phone.transport.onClose(late);
    await settle();
    expect(late).toHaveBeenCalledWith({ code: 4403, reason: 'revoked' });
  });

  it('delivers what the peer sent before it closed, then the close', async () => {
    const { phone, daemon } = await connected();
    const client = new RpcClient(phone.transport);
    const order: string[] = [];
    client.onNotification('bye', () => order.push('bye'));
    client.onClose((c) => order.push(`close ${c.code}`));
    const p = expect(client.call('x')).rejects.toMatchObject({ code: -32600, message: 'line too long' });
    await until(() => daemon.got.length === 1);
    // As for a line over 1 MiB: an error reply, then the connection is closed.
    daemon.transport.send('{"jsonrpc":"2.0","id":1,"error":{"code":-32600,"message":"line too long"}}');
    daemon.transport.send('{"jsonrpc":"2.0","method":"bye"}');
    await until(() => daemon.socket.frames.length === 2);
    daemon.socket.close(1008, 'done');
    await p;
    await until(() => order.length === 2);
    expect(order).toEqual(['bye', 'close 1008']);
  });

  it('close() closes the socket with 1000 and reports it once', async () => {
    const { phone, daemon } = await connected();
    phone.transport.close();
    phone.transport.close();
    await settle();
    expect(phone.socket.closed).toEqual({ code: 1000, reason: undefined });
    expect(phone.closes).toEqual([{ code: 1000, reason: 'closed by the client' }]);
    expect(daemon.closes).toEqual([{ code: 1000, reason: '' }]);
  });

  it('rejects pending calls when the socket closes', async () => {
    const { phone, daemon } = await connected();
    const client = new RpcClient(phone.transport);
    const p = client.call('session.send', { session: 's1', text: 'hi' });
    await until(() => daemon.got.length === 1);
    daemon.socket.close(1001, 'the daemon is stopping');
    await expect(p).rejects.toMatchObject({ dataCode: 'closed' });
  });

  it('a tampered frame kills the channel: close 1008, nothing delivered, calls rejected', async () => {
    const { phone, daemon } = await connected();
    daemon.socket.tamper = (f, i) => {
      if (i === 1) f[f.length - 1]! ^= 1;
      return f;
    };
    const client = new RpcClient(phone.transport);
    daemon.transport.send('{"jsonrpc":"2.0","method":"hello"}');
    const p = client.call('x');
    await until(() => phone.got.length === 1);
    daemon.transport.send('{"jsonrpc":"2.0","id":1,"result":1}'); // tampered
    daemon.transport.send('{"jsonrpc":"2.0","id":1,"result":2}');
    await expect(p).rejects.toMatchObject({ dataCode: 'closed' });
    expect(phone.closes).toHaveLength(1);
    expect(phone.closes[0]!.code).toBe(CLOSE_CHANNEL_DEAD);
    expect(phone.closes[0]!.reason).toBe('decrypt failed: bad_mac');
    expect(phone.got).toHaveLength(1);
    // Browsers may only close with 1000 or 3000-4999.
    expect(phone.socket.closed).toEqual({ code: 1000, reason: 'decrypt failed: bad_mac' });
  });

  it('a dropped frame is detected at the next one', async () => {
    const { phone, daemon } = await connected();
    daemon.socket.tamper = (f, i) => (i === 0 ? null : f);
    daemon.transport.send('lost');
    daemon.transport.send('next');
    await until(() => phone.closes.length === 1);
    expect(phone.closes[0]).toEqual({ code: CLOSE_CHANNEL_DEAD, reason: 'decrypt failed: bad_mac' });
    expect(phone.got).toEqual([]);
  });

  it('a replayed frame kills the channel', async () => {
    const { phone, daemon } = await connected();
    daemon.transport.send('once');
    await until(() => phone.got.length === 1);
    phone.socket.receive(daemon.socket.frames[0]!);
    await until(() => phone.closes.length === 1);
    expect(phone.closes[0]!.code).toBe(CLOSE_CHANNEL_DEAD);
  });

  it('a broken chunk (valid Noise, bad framing) kills the channel', async () => {
    const { phone, daemon } = await ikPair();
    const [ps] = socketPair();
    const t = noiseTransport(ps, phone);
    const closes: CloseInfo[] = [];
    t.onClose((c) => closes.push(c));
    const sealed = await daemon.encrypt(new Uint8Array([0x00, 0x41])); // CONTINUATION with nothing pending
    if (!sealed.ok) throw new Error(sealed.error);
    ps.receive(sealed.value);
    await until(() => closes.length === 1);
    expect(closes[0]).toEqual({ code: CLOSE_CHANNEL_DEAD, reason: 'broken chunk: malformed' });
  });

  it('a message over the limit: refused on send, fatal on receive', async () => {
    const { phone, daemon } = await ikPair();
    const [ps, ds] = socketPair();
    const tp = noiseTransport(ps, phone, { maxMessage: 100 });
    const td = noiseTransport(ds, daemon);
    expect(() => tp.send('x'.repeat(101))).toThrow(RangeError);
    const closes: CloseInfo[] = [];
    tp.onClose((c) => closes.push(c));
    td.send('y'.repeat(101));
    await until(() => closes.length === 1);
    expect(closes[0]).toEqual({ code: CLOSE_CHANNEL_DEAD, reason: 'broken chunk: too_large' });
  });

  it('a message that is not UTF-8 closes the channel', async () => {
    const { phone, daemon } = await ikPair();
    const [ps] = socketPair();
    const t = noiseTransport(ps, phone);
    const closes: CloseInfo[] = [];
    t.onClose((c) => closes.push(c));
    const sealed = await daemon.encrypt(new Uint8Array([0x01, 0, 0, 0, 2, 0xc3, 0x28]));
    if (!sealed.ok) throw new Error(sealed.error);
    ps.receive(sealed.value);
    await until(() => closes.length === 1);
    expect(closes[0]!.reason).toBe('a message that is not UTF-8');
  });

  it('a text frame closes with 1003', async () => {
    const { phone } = await connected();
    phone.socket.receive('{"jsonrpc":"2.0"}');
    expect(phone.closes).toEqual([{ code: CLOSE_TEXT_FRAME, reason: 'binary frames only' }]);
  });

  it('a listener that throws does not stop later messages', async () => {
    const { phone, daemon } = await connected();
    const spy = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      let n = 0;
      daemon.transport.onMessage(() => {
        if (n++ === 0) throw new Error('listener bug');
      });
      phone.transport.send('a');
      phone.transport.send('b');
      await until(() => daemon.got.length === 2);
      expect(daemon.got).toEqual(['a', 'b']);
      expect(daemon.closes).toEqual([]);
      expect(spy).toHaveBeenCalledTimes(1);
    } finally {
      spy.mockRestore();
    }
  });
});
