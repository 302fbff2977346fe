// C++ <-> TypeScript interop of tether's Noise channel. Runs the C++ `noise_peer`
// (tests/tools/noise_peer.cpp, which documents the frame script) against web/src/noise,
// bundled by run_interop.cmake. Env: NOISE_PEER (executable), NOISE_BUNDLE (.mjs bundle).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { afterEach, test } from 'node:test';
import { pathToFileURL } from 'node:url';

const TIMEOUT = 120_000; // per test, so a stuck exchange fails instead of hanging
const PEER = process.env.NOISE_PEER;
const BUNDLE = process.env.NOISE_BUNDLE;
assert.ok(PEER && BUNDLE, 'NOISE_PEER and NOISE_BUNDLE must be set (run through ctest: interop.noise)');
const noise = await import(pathToFileURL(BUNDLE).href);

const hex = (u) => Buffer.from(u).toString('hex');
const ascii = (s) => new Uint8Array(Buffer.from(s, 'latin1'));
const text = (u) => Buffer.from(u).toString('latin1');
const unwrap = (r, what) => {
  assert.ok(r.ok, `${what}: ${r.error}`);
  return r.value;
};

// Every peer still running when a test ends is killed, so a failed test never hangs the run.
const running = new Set();
afterEach(() => {
  for (const peer of running) peer.child.kill('SIGKILL');
});

/** One noise_peer process with 4-byte big-endian length-prefixed frames on its stdio. */
class Peer {
  constructor(args) {
    this.child = spawn(PEER, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    this.buf = Buffer.alloc(0);
    this.ended = false;
    this.waiters = [];
    this.stderr = '';
    this.child.stdout.on('data', (d) => {
      this.buf = this.buf.length ? Buffer.concat([this.buf, d]) : d;
      this.pump();
    });
    this.child.stdout.on('end', () => {
      this.ended = true;
      this.pump();
    });
    this.child.stderr.on('data', (d) => (this.stderr += d));
    this.child.stdin.on('error', () => {}); // the peer may die first: that is what some tests want
    running.add(this);
    this.exit = new Promise((resolve) =>
      this.child.on('close', (code) => {
        running.delete(this);
        resolve(code);
      }),
    );
  }

  pump() {
    while (this.waiters.length) {
      let frame;
      if (this.buf.length >= 4 && this.buf.length >= 4 + this.buf.readUInt32BE(0)) {
        const n = this.buf.readUInt32BE(0);
        frame = new Uint8Array(this.buf.subarray(4, 4 + n)); // a copy with its own ArrayBuffer
        this.buf = this.buf.subarray(4 + n);
      } else if (this.ended) {
        frame = null;
      } else {
        return;
      }
      this.waiters.shift()(frame);
    }
  }

  /** The next frame, or null once the peer closed its output. */
  read() {
    return new Promise((resolve) => {
      this.waiters.push(resolve);
      this.pump();
    });
  }

  write(frame) {
    const header = Buffer.alloc(4);
    header.writeUInt32BE(frame.length);
    this.child.stdin.write(Buffer.concat([header, frame]));
  }

  async close() {
    this.child.stdin.end();
    return this.exit;
  }
}

/** The TS end of one connection: channel + reassembler over a Peer. */
class Conn {
  constructor(peer, channel) {
    this.peer = peer;
    this.channel = channel;
    this.reassembler = new noise.Reassembler();
  }

  async frames(message) {
    const out = [];
    for (const chunk of noise.splitMessage(message)) out.push(unwrap(await this.channel.encrypt(chunk), 'encrypt'));
    return out;
  }

  async send(op, data) {
    const message = new Uint8Array(1 + data.length);
    message[0] = op.charCodeAt(0);
    message.set(data, 1);
    for (const frame of await this.frames(message)) this.peer.write(frame);
  }

  /** Reads frames until one application message is complete; the first error as {error}. */
  async receive() {
    for (;;) {
      const frame = await this.peer.read();
      if (frame === null) return { error: 'eof' };
      const chunk = await this.channel.decrypt(frame);
      if (!chunk.ok) return { error: chunk.error };
      const message = this.reassembler.push(chunk.value);
      if (!message.ok) return { error: message.error };
      if (message.value !== null) return { message: message.value };
    }
  }
}

/** Starts noise_peer in `cppRole` and completes the IK handshake with TS in the other role. */
async function connect(cppRole) {
  const cppSecret = randomBytes(32);
  const cppPublic = (await noise.importPrivateKey(new Uint8Array(cppSecret))).publicKey;
  const tsKey = await noise.generateKeyPair(); // non-extractable, like a real device key
  const peer = new Peer([cppRole, cppSecret.toString('hex'), hex(tsKey.publicKey)]);
  let channel;
  if (cppRole === 'responder') {
    const pending = unwrap(
      await noise.initiatorIK({ staticKey: tsKey, remoteStatic: cppPublic, payload: ascii('hello') }),
      'initiator',
    );
    peer.write(pending.message);
    const m2 = await peer.read();
    assert.ok(m2, `no handshake message 2: ${peer.stderr}`);
    const done = unwrap(await pending.finish(m2), 'read message 2');
    assert.equal(text(done.payload), 'welcome');
    channel = done.channel;
  } else {
    const m1 = await peer.read();
    assert.ok(m1, `no handshake message 1: ${peer.stderr}`);
    const pending = unwrap(await noise.responderIK({ staticKey: tsKey, message: m1 }), 'read message 1');
    assert.equal(hex(pending.remoteStatic), hex(cppPublic));
    assert.equal(text(pending.payload), 'hello');
    const done = unwrap(await pending.accept(ascii('welcome')), 'write message 2');
    peer.write(done.message);
    channel = done.channel;
  }
  const conn = new Conn(peer, channel);
  const sas = await conn.receive();
  assert.equal(sas.error, undefined, `sas: ${sas.error} ${peer.stderr}`);
  assert.equal(text(sas.message), `sas=${channel.sas}`, 'both ends show the same SAS');
  return conn;
}

// 1,000 messages each way (each echoed), sizes across the chunk edges, one of 1 MiB.
function sizes() {
  const out = [];
  for (let i = 0; i < 1000; i++) out.push((i * 7919) % 3000);
  out[1] = 0;
  out[10] = 65513; // with the op byte: exactly one full FIRST chunk
  out[11] = 65514; // one byte into a continuation
  out[12] = 65513 + 65518;
  out[500] = 1 << 20;
  return out;
}

for (const cppRole of ['responder', 'initiator']) {
  test(`C++ ${cppRole}, TS ${cppRole === 'responder' ? 'initiator' : 'responder'}: 1,000 messages each way incl. 1 MiB`, { timeout: TIMEOUT }, async () => {
    const conn = await connect(cppRole);
    for (const size of sizes()) {
      const data = new Uint8Array(randomBytes(size));
      await conn.send('E', data);
      const reply = await conn.receive();
      assert.equal(reply.error, undefined, `echo of ${size}: ${reply.error} ${conn.peer.stderr}`);
      assert.ok(Buffer.from(reply.message).equals(Buffer.from(data)), `echo of ${size} differs`);
    }
    assert.equal(await conn.peer.close(), 0);
    assert.match(conn.peer.stderr, /closed received=1000 sent=1000/);
  });

  // TS tampers with what it sends: the C++ side must die (exit 3) and close the connection.
  const tsTampering = {
    'flipped bit': (frames) => {
      frames[0][frames[0].length - 1] ^= 0x01;
      return frames;
    },
    'replayed frame': (frames) => [...frames, frames[frames.length - 1]],
    'truncated frame': (frames) => [frames[0].subarray(0, frames[0].length - 1)],
  };
  for (const [name, tamper] of Object.entries(tsTampering)) {
    test(`C++ ${cppRole} dies on a ${name} from TS`, { timeout: TIMEOUT }, async () => {
      const conn = await connect(cppRole);
      await conn.send('E', ascii('before'));
      assert.equal(text((await conn.receive()).message), 'before');
      const frames = await conn.frames(new Uint8Array([0x45, ...ascii('payload')]));
      for (const frame of tamper(frames)) conn.peer.write(frame);
      if (name === 'replayed frame') assert.equal(text((await conn.receive()).message), 'payload');
      assert.equal(await conn.peer.exit, 3, conn.peer.stderr);
      assert.match(conn.peer.stderr, /dead bad_mac/);
      assert.deepEqual(await conn.receive(), { error: 'eof' }, 'the C++ side closed the connection');
    });
  }

  // C++ tampers with what it sends (ops F, R, T): the TS channel must die, and TS closes.
  for (const [op, name] of [['F', 'flipped bit'], ['R', 'replayed frame'], ['T', 'truncated frame']]) {
    test(`TS dies on a ${name} from C++ ${cppRole}`, { timeout: TIMEOUT }, async () => {
      const conn = await connect(cppRole);
      await conn.send(op, ascii('payload'));
      if (op === 'R') assert.equal(text((await conn.receive()).message), 'payload');
      const bad = await conn.receive();
      assert.equal(bad.error, 'bad_mac');
      const after = await conn.channel.decrypt(new Uint8Array(32));
      assert.deepEqual(after, { ok: false, error: 'dead' }, 'the TS channel stays dead');
      assert.equal(await conn.peer.close(), 0, conn.peer.stderr);
      assert.match(conn.peer.stderr, /closed/);
    });
  }
}
