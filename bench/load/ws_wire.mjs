// A minimal WebSocket client on node:net for the load generator: the upgrade request, then
// frames parsed straight from the socket's chunks and written in batches. Not a general
// client: no extensions, no fragmentation on send. Every frame it sends is masked with one
// fixed non-zero key (payloads can be masked ahead of time), so the relay under test always
// unmasks; what a relay sends back is unmasked by RFC 6455.
import crypto from 'node:crypto';
import net from 'node:net';

export const MASK = Buffer.from([0x5a, 0x3c, 0x96, 0xe1]);
const MASK32 = new Uint32Array(MASK.buffer.slice(MASK.byteOffset, MASK.byteOffset + 4))[0];
const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

export const OP_TEXT = 0x1;
export const OP_BINARY = 0x2;
const OP_CLOSE = 0x8;
const OP_PING = 0x9;
const OP_PONG = 0xa;

// Bytes of a client frame header (with the mask key) for a payload of n bytes.
export const headerSize = (n) => (n < 126 ? 6 : n < 65536 ? 8 : 14);

// Writes a client frame header for an n-byte payload at dst[off]; returns the payload's offset.
export function writeHeader(dst, off, opcode, n) {
  dst[off] = 0x80 | opcode;
  let at = off + 2;
  if (n < 126) {
    dst[off + 1] = 0x80 | n;
  } else if (n < 65536) {
    dst[off + 1] = 0x80 | 126;
    dst.writeUInt16BE(n, off + 2);
    at = off + 4;
  } else {
    dst[off + 1] = 0x80 | 127;
    dst.writeBigUInt64BE(BigInt(n), off + 2);
    at = off + 10;
  }
  MASK.copy(dst, at);
  return at + 4;
}

// dst[off..off+n) = src[from..from+n) XOR the mask (key position 0 at dst[off]); src and
// dst must not overlap. Where dst is 4-byte aligned the bytes are copied (memcpy) and
// XORed in place a word at a time, whatever src's alignment: socket chunks often are not.
export function maskInto(dst, off, src, from, n) {
  let i = 0;
  if (((dst.byteOffset + off) & 3) === 0) {
    src.copy(dst, off, from, from + n);
    const words = n >>> 2;
    const d = new Uint32Array(dst.buffer, dst.byteOffset + off, words);
    for (let w = 0; w < words; w++) d[w] ^= MASK32;
    for (i = words << 2; i < n; i++) dst[off + i] ^= MASK[i & 3];
    return;
  }
  for (; i < n; i++) dst[off + i] = src[from + i] ^ MASK[i & 3];
}

export function frame(opcode, payload) {
  const p = typeof payload === 'string' ? Buffer.from(payload) : payload;
  const out = Buffer.alloc(headerSize(p.length) + p.length);
  maskInto(out, writeHeader(out, 0, opcode, p.length), p, 0, p.length);
  return out;
}

// One client connection, handed over paused. start() sets the handlers and reads on:
// onFrames(list) gets each chunk's complete data frames as [opcode, payload] pairs
// (payloads are views into the chunk: copy to keep); pings are answered, a close frame is
// answered and the socket ended. onEnd({ why, close }) runs once.
export class WireSocket {
  constructor(socket, leftover) {
    this.socket = socket;
    this.rest = leftover.length ? Buffer.from(leftover) : null;
    this.onFrames = null;
    this.onEnd = null;
    this.closed = null;  // { code, reason } of the close frame received
    this.sentClose = false;
    this.ended = false;
    socket.on('error', (err) => this.#end(err.code || err.message));
    socket.on('close', () => this.#end('closed'));
  }

  start({ onFrames, onEnd }) {
    this.onFrames = onFrames;
    this.onEnd = onEnd;
    this.socket.on('data', (chunk) => this.#data(chunk));
    if (this.rest) this.#data(Buffer.alloc(0));
    if (this.ended) onEnd?.(this.endInfo);
    else this.socket.resume();
  }

  send(opcode, payload) {
    if (!this.ended) this.socket.write(frame(opcode, payload));
  }

  // Frames built by the caller (headers from writeHeader, payloads masked).
  write(buf) {
    if (!this.ended) this.socket.write(buf);
  }

  close(code = 1000, reason = '') {
    if (this.ended || this.sentClose) return;
    this.sentClose = true;
    const r = Buffer.from(reason);
    const p = Buffer.alloc(2 + r.length);
    p.writeUInt16BE(code, 0);
    r.copy(p, 2);
    this.socket.write(frame(OP_CLOSE, p));
  }

  destroy() {
    this.socket.destroy();
  }

  #end(why) {
    if (this.ended) return;
    this.ended = true;
    this.endInfo = { why, close: this.closed };
    this.onEnd?.(this.endInfo);
  }

  #data(chunk) {
    let buf = this.rest ? Buffer.concat([this.rest, chunk]) : chunk;
    this.rest = null;
    let at = 0;
    let frames = null;
    while (buf.length - at >= 2) {
      const b0 = buf[at];
      let len = buf[at + 1] & 0x7f;
      let hdr = 2;
      if (len === 126) {
        if (buf.length - at < 4) break;
        len = buf.readUInt16BE(at + 2);
        hdr = 4;
      } else if (len === 127) {
        if (buf.length - at < 10) break;
        len = Number(buf.readBigUInt64BE(at + 2));
        hdr = 10;
      }
      if (buf.length - at < hdr + len) break;
      const payload = buf.subarray(at + hdr, at + hdr + len);
      at += hdr + len;
      const opcode = b0 & 0x0f;
      if (opcode === OP_PING) {
        this.send(OP_PONG, payload);
      } else if (opcode === OP_CLOSE) {
        this.closed = { code: len >= 2 ? payload.readUInt16BE(0) : 1005, reason: payload.subarray(2).toString() };
        if (!this.sentClose) {
          this.sentClose = true;
          this.socket.write(frame(OP_CLOSE, payload.subarray(0, 2)));
        }
        this.socket.end();
      } else if (opcode !== OP_PONG) {
        if (!(b0 & 0x80)) throw new Error('fragmented message from the relay (not expected)');
        (frames ??= []).push([opcode, payload]);
      }
    }
    if (at < buf.length) this.rest = Buffer.from(buf.subarray(at));
    if (frames && this.onFrames) this.onFrames(frames);
  }
}

// Opens ws://host:port<path> from localAddress; resolves with a WireSocket after the 101,
// rejects with { status } for another answer or { error } when the connection failed.
export function connect({ host = '127.0.0.1', port, path, localAddress }) {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port, localAddress, noDelay: true });
    const key = crypto.randomBytes(16).toString('base64');
    let head = Buffer.alloc(0);
    const fail = (e) => { socket.destroy(); reject(e); };
    socket.on('error', (err) => fail({ error: err.code || err.message }));
    socket.on('close', () => reject({ error: 'closed before the answer' }));
    socket.on('connect', () => {
      socket.write(`GET ${path} HTTP/1.1\r\nHost: ${host}:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
                   `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`);
    });
    const onData = (chunk) => {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) {
        if (head.length > 16384) fail({ error: 'answer headers too long' });
        return;
      }
      socket.pause();
      socket.off('data', onData);
      socket.removeAllListeners('error');
      socket.removeAllListeners('close');
      const lines = head.subarray(0, end).toString('latin1').split('\r\n');
      const status = Number(lines[0].split(' ')[1]);
      if (status !== 101) return fail({ status });
      const accept = crypto.createHash('sha1').update(key + GUID).digest('base64');
      if (!lines.some((l) => /^sec-websocket-accept:/i.test(l) && l.split(':')[1].trim() === accept)) {
        return fail({ error: 'bad Sec-WebSocket-Accept' });
      }
      resolve(new WireSocket(socket, head.subarray(end + 4)));
    };
    socket.on('data', onData);
  });
}
