// The relay load generator, one program for every relay under test (tether relay and the
// Node reference speak the same protocol). Two worker processes play the two ends:
//   daemon: D daemons, each linked over /v1/daemon with a signed hello (Ed25519, as
//           `tether daemon` signs it); every accept token opens /v1/accept/<token>, and
//           every binary frame on a data socket is echoed back unchanged;
//   client: P connects to /v1/connect/<daemon id>, round robin over the daemons.
// A pair counts as established when one payload frame has made the round trip.
// Modes:
//   throughput: each pair keeps `window` frames of `frame` bytes outstanding (client ->
//               daemon, echoed back); MB/s = payload bytes through the relay, both
//               directions summed, over `seconds` after a warm-up;
//   latency:    `rate` requests per second in total, round robin over the pairs, at fixed
//               send times (open loop); each request is one frame echoed back; p50/p99;
//   idle:       pairs are added in steps; after each step the relay's RSS is read once it
//               settles; stops at an RSS limit, at the first failed pair or at the last step.
// Usage: node relay_load.mjs --port N --pid PID --mode throughput|latency|idle [options]
// (--help lists them). Prints one JSON object. runLoad() does the same for bench/relay_bench.mjs.
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { connect, headerSize, maskInto, writeHeader, OP_BINARY, OP_TEXT } from './ws_wire.mjs';

const SELF = fileURLToPath(import.meta.url);
const LINK_CONTEXT = Buffer.from('tether-relay-link/1\0', 'latin1');
const PKCS8_ED25519 = Buffer.from('302e020100300506032b657004220420', 'hex');
const DEFAULT_CLIENT_SOURCES = ['127.0.0.2', '127.0.0.3', '127.0.0.4', '127.0.0.5'];
const DEFAULT_DAEMON_SOURCES = ['127.0.0.6', '127.0.0.7', '127.0.0.8', '127.0.0.9'];

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const describe = (e) => (e?.status ? `HTTP ${e.status}` : e?.close ? `close ${e.close.code} ${e.close.reason}` : String(e?.error ?? e?.why ?? e?.message ?? e));

// Deterministic bytes from a seed and a label.
function seeded(seed, label, n) {
  const out = Buffer.alloc(n);
  for (let i = 0, block = 0; i < n; block++) {
    i += crypto.createHash('sha256').update(`${seed}/${label}/${block}`).digest().copy(out, i);
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// Relay process figures, from /proc.

export function rssBytes(pid) {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : 0;
}

// User + system CPU seconds of a process so far.
export function cpuSeconds(pid) {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;  // utime, stime in USER_HZ (100 on Linux)
}

// Polls RSS until two readings 500 ms apart differ by under 1 %, or maxMs passes.
async function settledRss(pid, maxMs = 6000) {
  let last = rssBytes(pid);
  const deadline = Date.now() + maxMs;
  for (;;) {
    await sleep(500);
    const now = rssBytes(pid);
    if (Math.abs(now - last) <= last * 0.01 || Date.now() > deadline) return now;
    last = now;
  }
}

// ---------------------------------------------------------------------------------------
// The daemon worker.

function daemonWorker() {
  const data = new Set();
  const stats = { linked: 0, accepts: 0, acceptFailures: 0, dataEnded: 0, failures: [] };
  let port = 0;
  let sources = DEFAULT_DAEMON_SOURCES;
  let next = 0;

  function echo(ws) {
    ws.start({
      onFrames(frames) {
        let size = 0;
        for (const [op, p] of frames) if (op === OP_BINARY) size += headerSize(p.length) + p.length;
        if (size === 0) return;
        const out = Buffer.allocUnsafe(size);
        let at = 0;
        for (const [op, p] of frames) {
          if (op !== OP_BINARY) continue;
          at = writeHeader(out, at, OP_BINARY, p.length);
          maskInto(out, at, p, 0, p.length);
          at += p.length;
        }
        ws.write(out);
      },
      onEnd() {
        data.delete(ws);
        stats.dataEnded++;
      },
    });
  }

  async function accept(token) {
    stats.accepts++;
    try {
      const ws = await connect({ port, path: `/v1/accept/${token}`, localAddress: sources[next++ % sources.length] });
      data.add(ws);
      echo(ws);
    } catch (e) {
      stats.acceptFailures++;
      if (stats.failures.length < 10) stats.failures.push(describe(e));
    }
  }

  async function link(seed, i) {
    const priv = crypto.createPrivateKey({ key: Buffer.concat([PKCS8_ED25519, seeded(seed, `daemon-${i}`, 32)]), format: 'der', type: 'pkcs8' });
    const id = crypto.createPublicKey(priv).export({ format: 'jwk' }).x;
    const ws = await connect({ port, path: '/v1/daemon', localAddress: sources[i % sources.length] });
    return new Promise((resolve, reject) => {
      let linked = false;
      ws.start({
        onFrames(frames) {
          for (const [op, p] of frames) {
            if (op !== OP_TEXT) continue;
            const m = JSON.parse(p.toString());
            if (m.type === 'challenge') {
              const sig = crypto.sign(null, Buffer.concat([LINK_CONTEXT, Buffer.from(m.nonce, 'base64url')]), priv);
              ws.send(OP_TEXT, JSON.stringify({ type: 'hello', daemon_id: id, signature: sig.toString('base64url') }));
            } else if (m.type === 'linked') {
              linked = true;
              stats.linked++;
              resolve({ id, ws });
            } else if (m.type === 'accept' && linked) {
              accept(m.token);
            }
          }
        },
        onEnd(info) {
          if (!linked) reject(new Error(`link ${i} ended: ${describe(info)}`));
          else stats.linkLost = (stats.linkLost ?? 0) + 1;
        },
      });
    });
  }

  const links = [];
  return {
    async link(o) {
      port = o.port;
      sources = o.sources ?? sources;
      const made = await Promise.all(Array.from({ length: o.daemons }, (_, i) => link(o.seed, i)));
      links.push(...made);
      return made.map((l) => l.id);
    },
    stats: () => ({ ...stats, open: data.size }),
    close() {
      for (const ws of data) ws.destroy();
      for (const l of links) l.ws.destroy();
      return true;
    },
  };
}

// ---------------------------------------------------------------------------------------
// The client worker. Payload frames: 4 bytes pair index, 4 bytes sequence (little endian),
// then a pattern shared by all pairs; all are checked on the way back, in order.

function clientWorker() {
  const pairs = [];
  let ended = 0;
  let endReasons = [];
  let pattern = null;        // the plain payload (sequence fields zero)
  let maskedPattern = null;  // the same, masked, so frames are copied, not masked, per send
  let size = 0;
  let verify = false;
  let onEcho = null;         // (pair, seq, now) for the running mode
  let fault = null;          // the first wrong echo

  const fields = Buffer.alloc(8);

  function makeFrames(pair, count) {
    const one = headerSize(size) + size;
    const out = Buffer.allocUnsafe(one * count);
    for (let j = 0, at = 0; j < count; j++, at += one) {
      const p = writeHeader(out, at, OP_BINARY, size);
      maskedPattern.copy(out, p);
      fields.writeUInt32LE(pair.index, 0);
      fields.writeUInt32LE(pair.sent++, 4);
      maskInto(out, p, fields, 0, 8);
    }
    return out;
  }

  function received(pair, frames) {
    const now = performance.now();
    let n = 0;
    for (const [op, p] of frames) {
      if (op !== OP_BINARY) continue;
      const seq = p.readUInt32LE(4);
      if (p.length !== size || p.readUInt32LE(0) !== pair.index || seq !== pair.acked ||
          (verify && p.compare(pattern, 8, size, 8, size) !== 0)) {
        fault ??= `pair ${pair.index}: echo ${pair.acked} arrived wrong (${p.length} bytes, seq ${seq})`;
      }
      pair.acked++;
      n++;
      onEcho?.(pair, seq, now);
    }
    return n;
  }

  async function openPair(o, index) {
    const pair = { index, ws: null, sent: 0, acked: 0, times: null, ready: null };
    pair.ws = await connect({ port: o.port, path: `/v1/connect/${o.ids[index % o.ids.length]}`,
                              localAddress: o.sources[index % o.sources.length] });
    await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject({ error: 'no echo in time' }), o.timeoutMs);
      pair.ready = () => { clearTimeout(timer); pair.ready = null; resolve(); };
      pair.ws.start({
        onFrames(frames) {
          received(pair, frames);
          if (pair.ready && pair.acked > 0) pair.ready();
        },
        onEnd(info) {
          clearTimeout(timer);
          if (pair.ready) {
            reject(info);
          } else {
            ended++;
            if (endReasons.length < 10) endReasons.push(describe(info));
          }
        },
      });
      pair.ws.write(makeFrames(pair, 1));
    }).catch((e) => {
      pair.ws.destroy();
      throw e;
    });
    return pair;
  }

  return {
    setup(o) {
      size = o.frame;
      verify = o.verify;
      pattern = seeded(o.seed, 'payload', size);
      pattern.fill(0, 0, 8);
      maskedPattern = Buffer.alloc(size);
      maskInto(maskedPattern, 0, pattern, 0, size);
      return true;
    },

    // Adds `count` pairs, `concurrency` at a time; stops starting new ones after a failure.
    async open(o) {
      const sources = o.sources ?? DEFAULT_CLIENT_SOURCES;
      const start = performance.now();
      let next = 0;
      let failures = 0;
      const reasons = [];
      const base = pairs.length;
      const lane = async () => {
        while (next < o.count && failures === 0) {
          const index = base + next++;
          try {
            pairs.push(await openPair({ ...o, sources, timeoutMs: o.timeoutMs ?? 30000 }, index));
          } catch (e) {
            failures++;
            if (reasons.length < 10) reasons.push(describe(e));
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(o.concurrency ?? 128, o.count) }, lane));
      return { open: pairs.length, added: pairs.length - base, failures, reasons, seconds: (performance.now() - start) / 1000, fault };
    },

    async throughput(o) {
      let echoed = 0;
      let running = true;
      for (const pair of pairs) {
        pair.ws.onFrames = (frames) => {
          const n = received(pair, frames);
          echoed += n;
          if (running && n > 0) pair.ws.write(makeFrames(pair, n));
        };
      }
      const cpu0 = process.cpuUsage();
      for (const pair of pairs) pair.ws.write(makeFrames(pair, o.window));
      await sleep(o.warmupMs);
      const t0 = performance.now();
      const e0 = echoed;
      await sleep(o.seconds * 1000);
      const e1 = echoed;
      const t1 = performance.now();
      running = false;
      const cpu = process.cpuUsage(cpu0);
      const drainBy = Date.now() + 5000;
      while (pairs.some((p) => p.acked < p.sent) && Date.now() < drainBy) await sleep(20);
      const frames = e1 - e0;
      const seconds = (t1 - t0) / 1000;
      return { frames, seconds, bytes: frames * size * 2, mb_per_s: (frames * size * 2) / seconds / 1e6,
               frames_per_s: frames / seconds, generator_client_cpu_s: (cpu.user + cpu.system) / 1e6,
               drained: pairs.every((p) => p.acked === p.sent), fault, ended };
    },

    async latency(o) {
      const samples = [];
      let t0 = 0;
      const from = o.warmupMs;
      const until = o.warmupMs + o.seconds * 1000;
      for (const pair of pairs) {
        pair.times = new Map();
        pair.ws.onFrames = (frames) => received(pair, frames);
      }
      onEcho = (pair, seq, now) => {
        const sentAt = pair.times.get(seq);
        pair.times.delete(seq);
        if (sentAt - t0 >= from && sentAt - t0 < until) samples.push(now - sentAt);
      };
      let sent = 0;
      t0 = performance.now();
      await new Promise((resolve) => {
        const timer = setInterval(() => {
          const now = performance.now();
          const due = Math.min(Math.floor(((now - t0) * o.rate) / 1000), Math.floor((until * o.rate) / 1000));
          for (; sent < due; sent++) {
            const pair = pairs[sent % pairs.length];
            pair.times.set(pair.sent, performance.now());
            pair.ws.write(makeFrames(pair, 1));
          }
          if (now - t0 >= until) {
            clearInterval(timer);
            resolve();
          }
        }, 1);
      });
      const drainBy = Date.now() + 5000;
      while (pairs.some((p) => p.acked < p.sent) && Date.now() < drainBy) await sleep(20);
      onEcho = null;
      samples.sort((a, b) => a - b);
      const pct = (q) => (samples.length ? samples[Math.min(samples.length - 1, Math.round((q / 100) * (samples.length - 1)))] : null);
      return { requests: sent, samples: samples.length, p50_ms: pct(50), p90_ms: pct(90), p99_ms: pct(99),
               max_ms: samples.at(-1) ?? null, lost: pairs.reduce((n, p) => n + p.sent - p.acked, 0), fault, ended };
    },

    // One round trip on every pair: are they all still spliced?
    async check(o) {
      let ok = 0;
      for (const pair of pairs) {
        pair.ws.onFrames = (frames) => { ok += received(pair, frames); };
        pair.ws.write(makeFrames(pair, 1));
      }
      const by = Date.now() + (o.timeoutMs ?? 20000);
      while (ok < pairs.length && Date.now() < by) await sleep(20);
      return { pairs: pairs.length, answered: ok, fault, ended };
    },

    stats: () => ({ open: pairs.length, ended, endReasons, fault }),

    close() {
      for (const p of pairs) p.ws.destroy();
      return true;
    },
  };
}

// ---------------------------------------------------------------------------------------
// Worker processes and their requests.

function runWorker(role) {
  const api = role === 'daemon' ? daemonWorker() : clientWorker();
  process.on('message', async ({ id, method, args }) => {
    try {
      process.send({ id, result: await api[method](args ?? {}) });
    } catch (e) {
      process.send({ id, error: describe(e) });
    }
  });
  process.on('disconnect', () => process.exit(0));
}

// Starts a worker with the open-file limit raised to the hard limit.
function startWorker(role) {
  const child = spawn('/bin/sh', ['-c', 'ulimit -n "$(ulimit -Hn)"; exec "$0" "$@"', process.execPath, SELF, '--worker', role],
                      { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  let nextId = 1;
  const waiting = new Map();
  child.on('message', ({ id, result, error }) => {
    const w = waiting.get(id);
    waiting.delete(id);
    if (error !== undefined) w.reject(new Error(`${role} worker: ${error}`));
    else w.resolve(result);
  });
  child.on('exit', (code, signal) => {
    for (const w of waiting.values()) w.reject(new Error(`${role} worker exited (${code ?? signal})`));
    waiting.clear();
  });
  return {
    pid: () => child.pid,
    call(method, args) {
      return new Promise((resolve, reject) => {
        const id = nextId++;
        waiting.set(id, { resolve, reject });
        child.send({ id, method, args });
      });
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.disconnect();
        await Promise.race([exited, new Promise((r) => setTimeout(r, 3000).unref())]);
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      }
    },
  };
}

// ---------------------------------------------------------------------------------------
// One measurement against a running relay (port, pid).

export async function runLoad(o) {
  const opts = { frame: 1024, window: 16, rate: 1000, seconds: 5, warmupMs: 1000, seed: 1, concurrency: 128,
                 verify: false, rssLimit: 2 * 1024 ** 3, ...o };
  const daemon = startWorker('daemon');
  const client = startWorker('client');
  try {
    const firstStep = opts.mode === 'idle' ? opts.steps[0] : opts.pairs;
    const daemons = Math.max(1, Math.min(opts.daemons ?? 100, firstStep));
    const ids = await daemon.call('link', { port: opts.port, daemons, seed: opts.seed });
    await client.call('setup', { frame: opts.frame, seed: opts.seed, verify: opts.verify });
    const out = { mode: opts.mode, frame_bytes: opts.frame, daemons };
    const open = async (count) => client.call('open', { port: opts.port, ids, count, concurrency: opts.concurrency });

    if (opts.mode === 'throughput' || opts.mode === 'latency') {
      const opened = await open(opts.pairs);
      if (opened.failures) throw new Error(`could not establish ${opts.pairs} pairs: ${opened.reasons.join('; ')}`);
      out.pairs = opened.open;
      const measuring = client.call(opts.mode, { window: opts.window, rate: opts.rate, seconds: opts.seconds, warmupMs: opts.warmupMs });
      await sleep(opts.warmupMs);
      const a = [cpuSeconds(opts.pid), cpuSeconds(daemon.pid())];
      await sleep(opts.seconds * 1000);
      const b = [cpuSeconds(opts.pid), cpuSeconds(daemon.pid())];
      Object.assign(out, await measuring);
      out.relay_cpu_s = b[0] - a[0];
      out.relay_cpu_share = out.relay_cpu_s / opts.seconds;
      out.generator_daemon_cpu_s = b[1] - a[1];
      if (opts.mode === 'throughput') {
        out.mb_per_relay_cpu_s = out.relay_cpu_s > 0 ? out.bytes / out.relay_cpu_s / 1e6 : null;
        out.window = opts.window;
      } else {
        out.rate = opts.rate;
      }
      out.daemon_side = await daemon.call('stats');
      if (out.fault) throw new Error(out.fault);
    } else if (opts.mode === 'idle') {
      out.rss_before = await settledRss(opts.pid);
      out.steps = [];
      out.stopped_by = 'last step';
      for (const target of opts.steps) {
        const opened = await open(target - (out.steps.at(-1)?.pairs ?? 0));
        const rss = await settledRss(opts.pid);
        const step = { pairs: opened.open, seconds_to_open: opened.seconds, rss, bytes_per_pair: (rss - out.rss_before) / opened.open };
        if (opened.failures) step.failures = opened.reasons;
        if (rss <= opts.rssLimit && opened.open > 0) out.steps.push(step);
        if (opened.fault) throw new Error(opened.fault);
        if (rss > opts.rssLimit) {
          out.stopped_by = `RSS ${rss} over the limit at ${opened.open} pairs`;
          break;
        }
        if (opened.failures) {
          out.stopped_by = `a pair failed: ${opened.reasons[0]}`;
          break;
        }
      }
      out.max_pairs_held = out.steps.at(-1)?.pairs ?? 0;
      out.check = await client.call('check', {});
      out.daemon_side = await daemon.call('stats');
      out.client_side = await client.call('stats');
    } else {
      throw new Error(`unknown mode ${opts.mode}`);
    }
    await client.call('close');
    await daemon.call('close');
    return out;
  } finally {
    await client.stop();
    await daemon.stop();
  }
}

// ---------------------------------------------------------------------------------------

async function main() {
  const { values } = parseArgs({
    options: {
      worker: { type: 'string' },
      port: { type: 'string' },
      pid: { type: 'string' },
      mode: { type: 'string' },
      pairs: { type: 'string', default: '100' },
      steps: { type: 'string', default: '1000' },
      seconds: { type: 'string', default: '5' },
      window: { type: 'string', default: '16' },
      rate: { type: 'string', default: '1000' },
      frame: { type: 'string', default: '1024' },
      seed: { type: 'string', default: '1' },
      verify: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.worker) return runWorker(values.worker);
  if (values.help || !values.port || !values.pid || !values.mode) {
    process.stdout.write('usage: relay_load.mjs --port N --pid PID --mode throughput|latency|idle [--pairs 100] ' +
                         '[--steps 1000,10000] [--seconds 5] [--window 16] [--rate 1000] [--frame 1024] [--seed 1] [--verify]\n');
    process.exit(values.help ? 0 : 2);
  }
  const result = await runLoad({
    port: Number(values.port), pid: Number(values.pid), mode: values.mode, pairs: Number(values.pairs),
    steps: values.steps.split(',').map(Number), seconds: Number(values.seconds), window: Number(values.window),
    rate: Number(values.rate), frame: Number(values.frame), seed: values.seed, verify: values.verify,
  });
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}

if (process.argv[1] === SELF) {
  main().catch((e) => {
    process.stderr.write(`relay_load: ${e.message}\n`);
    process.exit(1);
  });
}
