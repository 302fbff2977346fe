// The daemon benchmarks' one load generator, used unchanged against `tether daemon` and
// the Node reference (bench/peers/daemon): newline-delimited JSON-RPC on a unix socket.
// A replay subscribes from 0 and counts `session.event` lines until the reply's
// last_seq, checking each seq arrives once and in order; `listLatencies` times
// `session.list` calls on one held connection; `RssSampler` reads VmRSS from /proc.
//
// As a command: node replay_client.mjs SOCKET replay SESSION [--check]
//               node replay_client.mjs SOCKET list K [LIMIT]
import fs from 'node:fs';
import net from 'node:net';
import { performance } from 'node:perf_hooks';

const NL = 10;
const SEQ = Buffer.from('"seq":');
const EVENT_PREFIX = '{"jsonrpc":"2.0","method":"session.event",';

// One connection, requests answered in order; notifications go to `onNotification`.
export class RpcConnection {
  static open(path, timeoutMs = 30000) {
    return new Promise((resolve, reject) => {
      const sock = net.createConnection(path);
      const timer = setTimeout(() => { sock.destroy(); reject(new Error(`connect ${path}: timed out`)); }, timeoutMs);
      sock.once('connect', () => { clearTimeout(timer); resolve(new RpcConnection(sock)); });
      sock.once('error', (e) => { clearTimeout(timer); reject(e); });
    });
  }

  constructor(sock) {
    this.sock = sock;
    this.nextId = 1;
    this.waiting = new Map();
    this.carry = '';
    this.onNotification = null;
    this.closed = null;
    sock.setEncoding('utf8');
    sock.on('data', (text) => this.#data(text));
    sock.on('close', () => {
      this.closed = this.closed || new Error('connection closed');
      for (const w of this.waiting.values()) w.reject(this.closed);
      this.waiting.clear();
    });
    sock.on('error', (e) => { this.closed = e; });
  }

  #data(text) {
    let start = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
      const line = this.carry + text.slice(start, nl);
      this.carry = '';
      start = nl + 1;
      const msg = JSON.parse(line);
      if (msg.id !== undefined && this.waiting.has(msg.id)) {
        const w = this.waiting.get(msg.id);
        this.waiting.delete(msg.id);
        if (msg.error) w.reject(new Error(`${w.method}: ${JSON.stringify(msg.error)}`));
        else w.resolve(msg.result);
      } else if (this.onNotification) {
        this.onNotification(msg);
      }
    }
    this.carry += text.slice(start);
  }

  call(method, params = {}) {
    if (this.closed) return Promise.reject(this.closed);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject, method });
      this.sock.write(JSON.stringify({ jsonrpc: '2.0', id, method, params }) + '\n');
    });
  }

  close() { this.sock.destroy(); }
}

export async function call(path, method, params = {}) {
  const c = await RpcConnection.open(path);
  try {
    return await c.call(method, params);
  } finally {
    c.close();
  }
}

// Seconds of `session.list` on one held connection, K calls one after another.
export async function listLatencies(path, k, params = {}) {
  const c = await RpcConnection.open(path);
  const ms = [];
  try {
    for (let i = 0; i < k; i++) {
      const t0 = performance.now();
      const r = await c.call('session.list', params);
      ms.push(performance.now() - t0);
      if (!Array.isArray(r.sessions)) throw new Error('session.list: no sessions array');
    }
  } finally {
    c.close();
  }
  return ms;
}

// Subscribes from 0 on a fresh connection and reads until the reply's last_seq.
// Every event line's seq must be the next one (seq has no gaps unless pruned; with
// `allowGaps` it must only increase). `check` parses every line in full.
// Returns {seconds, events, last_seq, first_event_s}.
export function replay(path, session, { check = false, allowGaps = false, timeoutMs = 600000 } = {}) {
  return new Promise((resolve, reject) => {
    const sock = net.createConnection(path);
    let t0 = 0;
    let lastSeq = -1;  // from the reply
    let prev = 0;
    let events = 0;
    let firstEvent = 0;
    let carry = null;
    let replied = false;
    let done = false;
    const timer = setTimeout(() => fail(new Error(`replay of ${session}: timed out after ${events} events`)), timeoutMs);
    const fail = (e) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      sock.destroy();
      reject(e);
    };
    const finish = () => {
      const seconds = (performance.now() - t0) / 1000;
      done = true;
      clearTimeout(timer);
      sock.destroy();
      resolve({ seconds, events, last_seq: lastSeq, first_event_s: firstEvent ? (firstEvent - t0) / 1000 : null });
    };
    // One complete line in buf[from, to).
    const line = (buf, from, to) => {
      if (!replied) {
        const reply = JSON.parse(buf.toString('utf8', from, to));
        if (reply.error) return fail(new Error(`session.subscribe: ${JSON.stringify(reply.error)}`));
        if (reply.id !== 1 || reply.result?.session !== session) return fail(new Error('unexpected first line'));
        replied = true;
        lastSeq = reply.result.last_seq;
        if (lastSeq === 0) finish();
        return;
      }
      let seq;
      if (check) {
        const m = JSON.parse(buf.toString('utf8', from, to));
        if (m.method !== 'session.event' || m.params?.session !== session || typeof m.params.kind !== 'string' ||
            typeof m.params.time !== 'number' || typeof m.params.data !== 'object') {
          return fail(new Error(`not a session.event of ${session}: ${buf.toString('utf8', from, Math.min(to, from + 200))}`));
        }
        seq = m.params.seq;
      } else {
        if (buf.toString('latin1', from, from + EVENT_PREFIX.length) !== EVENT_PREFIX) {
          return fail(new Error(`not a session.event: ${buf.toString('utf8', from, Math.min(to, from + 200))}`));
        }
        const at = buf.indexOf(SEQ, from);
        if (at < 0 || at >= to) return fail(new Error('an event without seq'));
        seq = 0;
        for (let i = at + SEQ.length; i < to; i++) {
          const c = buf[i];
          if (c < 48 || c > 57) break;
          seq = seq * 10 + (c - 48);
        }
      }
      if (allowGaps ? seq <= prev : seq !== prev + 1) {
        return fail(new Error(`seq ${seq} after ${prev}: ${allowGaps ? 'not increasing' : 'not the next one'}`));
      }
      if (events === 0) firstEvent = performance.now();
      prev = seq;
      events++;
      if (seq === lastSeq) finish();
      else if (seq > lastSeq) fail(new Error(`seq ${seq} beyond last_seq ${lastSeq}`));
    };
    sock.on('data', (chunk) => {
      if (done) return;
      let start = 0;
      let nl = chunk.indexOf(NL);
      if (carry && nl >= 0) {
        const whole = Buffer.concat([carry, chunk.subarray(0, nl)]);
        carry = null;
        line(whole, 0, whole.length);
        start = nl + 1;
        nl = chunk.indexOf(NL, start);
      }
      while (nl >= 0 && !done) {
        line(chunk, start, nl);
        start = nl + 1;
        nl = chunk.indexOf(NL, start);
      }
      if (start < chunk.length && !done) carry = carry ? Buffer.concat([carry, chunk.subarray(start)]) : chunk.subarray(start);
    });
    sock.on('error', fail);
    sock.on('close', () => fail(new Error(`replay of ${session}: connection closed after ${events} events`)));
    sock.on('connect', () => {
      t0 = performance.now();
      sock.write(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'session.subscribe', params: { session, since: 0 } }) + '\n');
    });
  });
}

export function rssKib(pid) {
  try {
    const m = /VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

// VmRSS every `intervalMs` until stop(); stop() returns {peak_kib, samples}.
export class RssSampler {
  constructor(pid, intervalMs = 50) {
    this.pid = pid;
    this.samples = [rssKib(pid)];
    this.timer = setInterval(() => this.samples.push(rssKib(pid)), intervalMs);
  }

  stop() {
    clearInterval(this.timer);
    this.samples.push(rssKib(this.pid));
    return { peak_kib: Math.max(...this.samples), samples: this.samples.length };
  }
}

async function main(argv) {
  const [path, what, ...rest] = argv;
  if (what === 'replay' && rest[0]) {
    const r = await replay(path, rest[0], { check: rest.includes('--check') });
    console.log(JSON.stringify(r));
  } else if (what === 'list' && rest[0]) {
    const ms = await listLatencies(path, Number(rest[0]), rest[1] ? { limit: Number(rest[1]) } : {});
    ms.sort((a, b) => a - b);
    console.log(JSON.stringify({ calls: ms.length, p50_ms: ms[Math.floor(ms.length / 2)], max_ms: ms[ms.length - 1] }));
  } else {
    console.error('usage: replay_client.mjs SOCKET replay SESSION [--check] | SOCKET list K [LIMIT]');
    process.exit(2);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main(process.argv.slice(2)).catch((e) => {
    console.error(e.message);
    process.exit(1);
  });
}
