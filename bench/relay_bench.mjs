// The relay figures, tether relay against the Node `ws` relay of bench/peers/relay/, on
// loopback with one load generator (bench/load/relay_load.mjs) for both: throughput of 100
// spliced pairs, round trip at a fixed request rate, memory per idle pair, and the most idle
// pairs held within 2 GiB. Each run gets a fresh relay process; runs alternate between the
// two relays (the order flips every repetition); rows give the median and the min.
//
// node bench/relay_bench.mjs --tether BIN [--out bench/results/relay.json] [--reps 3]
//   [--seconds 5] [--pairs 100] [--window 64] [--rate 1000] [--max-pairs 50000] [--only throughput,latency,idle]
//   [--smoke]: 3 pairs, 1 s, 20 idle pairs, no capacity ramp; checks that every frame came
//              back intact and both relays stop cleanly; keeps no figure unless --out is given.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runLoad } from './load/relay_load.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const NODE_RELAY = path.join(HERE, 'peers/relay/relay.mjs');
const GIB = 1024 ** 3;
const RSS_LIMIT = 2 * GIB;
const DAEMONS = 100;
const SANITIZER_MARKERS = ['ERROR: AddressSanitizer', 'ERROR: LeakSanitizer', 'runtime error:'];

const { values: a } = parseArgs({
  options: {
    tether: { type: 'string' },
    out: { type: 'string' },
    reps: { type: 'string', default: '3' },
    seconds: { type: 'string', default: '5' },
    pairs: { type: 'string', default: '100' },
    rate: { type: 'string', default: '1000' },
    window: { type: 'string', default: '64' },
    'max-pairs': { type: 'string', default: '50000' },
    only: { type: 'string', default: 'throughput,latency,idle' },
    smoke: { type: 'boolean', default: false },
  },
});
if (!a.tether) {
  process.stderr.write('usage: relay_bench.mjs --tether BIN [--out FILE] [--reps N] [--smoke]\n');
  process.exit(2);
}
const smoke = a.smoke;
const out = a.out ?? (smoke ? null : path.join(HERE, 'results/relay.json'));
const reps = smoke ? 1 : Number(a.reps);
const seconds = smoke ? 1 : Number(a.seconds);
const pairs = smoke ? 3 : Number(a.pairs);
const rate = smoke ? 100 : Number(a.rate);
const windowFrames = smoke ? 16 : Number(a.window);
const warmupMs = smoke ? 200 : 1000;
const modes = a.only.split(',');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tether-relay-bench-'));
const hardLimit = Number(execFileSync('/bin/sh', ['-c', 'ulimit -Hn'], { encoding: 'utf8' }).trim());

// Each relay holds two sockets per pair plus the daemons' links; leave room for the rest.
const fdCap = Number.isFinite(hardLimit) ? Math.floor((hardLimit - 64 - DAEMONS) / 2 / 100) * 100 : Infinity;
const maxPairs = Math.min(Number(a['max-pairs']), fdCap);
const steps = smoke ? [20] : [...new Set([1000, 5000, 10000, 20000, 30000, 40000, 50000].map((n) => Math.min(n, maxPairs)))];
const tenK = Math.min(10000, maxPairs);

const log = (s) => process.stderr.write(`relay_bench: ${s}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
// For races against an exit: does not keep the process alive.
const timeout = (ms) => new Promise((r) => setTimeout(r, ms).unref());

// Starts a relay with the open-file limit at the hard limit; resolves once it listens.
function startRelay(kind, run) {
  const logPath = path.join(tmp, `${kind}-${run}.log`);
  const logFd = fs.openSync(logPath, 'w');
  const argv = kind === 'tether'
    ? [a.tether, 'relay', '--listen', '127.0.0.1:0', '--insecure-http',
       '--max-connections', '1000000', '--max-connections-per-ip', '1000000', '--max-links-per-ip', '1000000']
    : [process.execPath, NODE_RELAY, '--listen', '127.0.0.1:0'];
  const child = spawn('/bin/sh', ['-c', 'ulimit -n "$(ulimit -Hn)"; exec "$0" "$@"', ...argv],
                      { stdio: ['ignore', 'pipe', logFd] });
  fs.closeSync(logFd);
  return new Promise((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => reject(new Error(`${kind} relay did not start: ${fs.readFileSync(logPath, 'utf8')}`)), 30000);
    child.stdout.on('data', (d) => {
      buf += d;
      const m = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(buf);
      if (!m) return;
      clearTimeout(timer);
      child.stdout.removeAllListeners('data');
      child.stdout.resume();
      resolve({ kind, child, port: Number(m[1]), pid: child.pid, logPath });
    });
    child.on('exit', (code) => reject(new Error(`${kind} relay exited (${code}): ${fs.readFileSync(logPath, 'utf8')}`)));
  });
}

async function stopRelay(r) {
  if (r.child.exitCode === null && r.child.signalCode === null) {
    const exited = new Promise((res) => r.child.once('exit', (code, signal) => res({ code, signal })));
    r.child.kill('SIGTERM');
    const done = await Promise.race([exited, timeout(10000).then(() => null)]);
    if (!done) {
      r.child.kill('SIGKILL');
      throw new Error(`${r.kind} relay did not stop within 10 s of SIGTERM`);
    }
    if (done.code !== 0) throw new Error(`${r.kind} relay exited with ${done.code ?? done.signal} after SIGTERM`);
  }
  const text = fs.readFileSync(r.logPath, 'utf8');
  for (const marker of SANITIZER_MARKERS) {
    if (text.includes(marker)) throw new Error(`${r.kind} relay log has "${marker}":\n${text.slice(-4000)}`);
  }
}

// The smoke checks correctness only; figures are never checked.
function checkRun(mode, kind, res) {
  const fail = (why) => { throw new Error(`${mode} against the ${kind} relay: ${why}`); };
  if (res.fault) fail(res.fault);
  if (mode === 'throughput') {
    if (!(res.frames > 0)) fail('no frame came back');
    if (!res.drained) fail('frames were lost');
  } else if (mode === 'latency') {
    if (!(res.samples > 0)) fail('no sample');
    if (res.lost !== 0) fail(`${res.lost} requests unanswered`);
  } else {
    if (res.max_pairs_held !== steps.at(-1)) fail(`held ${res.max_pairs_held} pairs (${res.stopped_by})`);
    if (res.check.answered !== res.check.pairs) fail(`${res.check.pairs - res.check.answered} pairs no longer answer`);
  }
  if (res.ended) fail(`${res.ended} pairs ended during the run`);
}

const raw = { throughput: { tether: [], reference: [] }, latency: { tether: [], reference: [] }, idle: { tether: [], reference: [] } };

async function run(mode, kind, index) {
  const r = await startRelay(kind, `${mode}-${index}`);
  let res;
  try {
    const load = { port: r.port, pid: r.pid, mode, seed: index + 1, warmupMs, seconds, verify: smoke || mode === 'idle' };
    if (mode === 'throughput') res = await runLoad({ ...load, pairs, window: windowFrames });
    else if (mode === 'latency') res = await runLoad({ ...load, pairs, rate });
    else res = await runLoad({ ...load, steps, rssLimit: RSS_LIMIT });
  } finally {
    await stopRelay(r);
  }
  if (smoke) checkRun(mode, kind, res);
  return res;
}

const median = (xs) => {
  const s = xs.filter((x) => x !== null && x !== undefined).sort((x, y) => x - y);
  if (!s.length) return null;
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const round = (x, d = 2) => (x === null || x === undefined ? null : Number(x.toFixed(d)));
// "min" is the best run for a figure where lower is better, the worst where higher is: the
// smallest value in both cases, as asked for by the issue ("min/median of N").
const minOf = (xs) => (xs.length ? Math.min(...xs) : null);

function row(id, figure, unit, better, t, r, goal, goalMet, note, d = 2) {
  return { id, figure, unit, better, tether: round(median(t), d), reference: round(median(r), d),
           tether_min: round(minOf(t), d), reference_min: round(minOf(r), d), goal, goal_met: goalMet, note };
}

function rows() {
  const out = [];
  const t = raw.throughput;
  if (t.tether.length && t.reference.length) {
    const mt = median(t.tether.map((x) => x.mb_per_s));
    const mr = median(t.reference.map((x) => x.mb_per_s));
    const share = (xs) => median(xs.map((x) => x.relay_cpu_share)).toFixed(2);
    const perCpu = (xs) => Math.round(median(xs.map((x) => x.mb_per_relay_cpu_s)));
    out.push(row('relay_throughput', `Relay throughput, ${pairs} spliced pairs, 1 KiB frames`, 'MB/s', 'higher',
      t.tether.map((x) => x.mb_per_s), t.reference.map((x) => x.mb_per_s), '≥ 5× the Node relay', mt >= 5 * mr,
      `window ${windowFrames} frames per pair, echoed, both directions summed, ${seconds} s; relay CPU ${share(t.tether)} vs ` +
      `${share(t.reference)} of a core, ${perCpu(t.tether)} vs ${perCpu(t.reference)} MB per relay CPU-second; ` +
      'generator and relay share the machine', 1));
  }
  const l = raw.latency;
  if (l.tether.length && l.reference.length) {
    const note = `${pairs} pairs, ${rate} requests/s in total (1 KiB, echoed by the daemon side), ${seconds} s; generator and relay share the machine`;
    out.push(row('relay_rtt_p50', 'Relay round trip p50 at a fixed request rate', 'ms', 'lower',
      l.tether.map((x) => x.p50_ms), l.reference.map((x) => x.p50_ms), null, null, note, 3));
    const p99t = median(l.tether.map((x) => x.p99_ms));
    const p99r = median(l.reference.map((x) => x.p99_ms));
    out.push(row('relay_rtt_p99', 'Relay round trip p99 at a fixed request rate', 'ms', 'lower',
      l.tether.map((x) => x.p99_ms), l.reference.map((x) => x.p99_ms), '≤ 1/3 of the Node relay', p99t <= p99r / 3, note, 3));
  }
  const i = raw.idle;
  if (i.tether.length && i.reference.length) {
    const at = (runs, n) => runs.map((x) => x.steps.find((s) => s.pairs === n)?.bytes_per_pair).filter((v) => v !== undefined);
    for (const [n, id, label] of [[1000, 'relay_idle_pair_bytes_1k', '1,000'], [tenK, 'relay_idle_pair_bytes_10k', '10,000']]) {
      const vt = at(i.tether, n);
      const vr = at(i.reference, n);
      const mt = median(vt);
      const mr = median(vr);
      const where = n === 1000 || n === 10000 ? ''
        : ` (measured at ${n.toLocaleString('en-US')} pairs: the open-file hard limit here is ${hardLimit.toLocaleString('en-US')})`;
      out.push(row(id, `Relay memory per idle spliced pair, ${label} pairs`, 'bytes', 'lower', vt, vr,
        '≤ 1/10 of the Node relay and ≤ 8 KiB', mt !== null && mr !== null ? mt <= mr / 10 && mt <= 8192 : null,
        `relay RSS after − before, settled, each pair after one 1 KiB round trip${where}`, 0));
    }
    const held = (runs) => runs.map((x) => x.max_pairs_held);
    const mt = median(held(i.tether));
    const byFds = maxPairs < Number(a['max-pairs']) && mt === maxPairs;
    const perPair = median(at(i.tether, steps.at(-1)));
    const reach = perPair ? Math.floor((RSS_LIMIT - median(i.tether.map((x) => x.rss_before))) / perPair) : null;
    out.push(row('relay_max_idle_pairs', 'Idle spliced pairs held within 2 GiB RSS', 'pairs', 'higher', held(i.tether),
      held(i.reference), `measured up to ${Number(a['max-pairs']).toLocaleString('en-US')} within 2 GiB`,
      byFds ? null : mt >= Number(a['max-pairs']),
      byFds ? `bounded here by the open-file hard limit (${hardLimit.toLocaleString('en-US')}, 2 descriptors per pair), ` +
              `not by memory: at tether's measured cost 2 GiB would hold ≈ ${reach?.toLocaleString('en-US')}`
            : `stopped by: ${i.tether.map((x) => x.stopped_by).join('; ')}`, 0));
  }
  return out;
}

function machine() {
  const model = /model name\s*:\s*(.*)/.exec(fs.readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? 'unknown CPU';
  return `${os.cpus().length} cores, ${model}`;
}

function commit() {
  try {
    // A tree with uncommitted changes to tracked files is not the commit: say so.
    const head = execFileSync('git', ['-C', HERE, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['-C', HERE, 'status', '--porcelain', '--untracked-files=no', '--', 'src', 'bench', 'CMakeLists.txt'],
      { encoding: 'utf8' }).trim();
    return dirty ? `${head}+changes` : head;
  } catch {
    return 'unknown';
  }
}

async function main() {
  const started = Date.now();
  log(`open-file hard limit ${hardLimit}; idle steps ${steps.join(', ')}; ${reps} repetitions`);
  for (const mode of ['throughput', 'latency', 'idle'].filter((m) => modes.includes(m))) {
    for (let rep = 0; rep < reps; rep++) {
      const order = rep % 2 === 0 ? ['tether', 'reference'] : ['reference', 'tether'];
      for (const side of order) {
        const res = await run(mode, side === 'tether' ? 'tether' : 'node', rep);
        raw[mode][side].push(res);
        const fig = mode === 'throughput' ? `${res.mb_per_s.toFixed(1)} MB/s (relay CPU ${res.relay_cpu_share.toFixed(2)})`
          : mode === 'latency' ? `p50 ${res.p50_ms.toFixed(3)} ms, p99 ${res.p99_ms.toFixed(3)} ms`
          : res.steps.map((s) => `${s.pairs}: ${Math.round(s.bytes_per_pair)} B/pair`).join(', ') + ` (${res.stopped_by})`;
        log(`${mode} #${rep + 1} ${side}: ${fig}`);
      }
    }
  }
  const result = {
    bench: 'relay',
    date: new Date().toISOString(),
    commit: commit(),
    machine: machine(),
    conditions: {
      loopback: true, reps, seconds, pairs, rate, frame_bytes: 1024, window: windowFrames, daemons: DAEMONS, idle_steps: steps,
      open_file_hard_limit: hardLimit, rss_limit_bytes: RSS_LIMIT,
      tether: `${a.tether} relay --insecure-http --max-connections 1000000 --max-connections-per-ip 1000000 --max-links-per-ip 1000000 (other limits at their defaults)`,
      reference: 'bench/peers/relay/relay.mjs (ws 8.23.0), defaults',
      generator: 'bench/load/relay_load.mjs: two Node worker processes (daemon side, client side) on the same machine as the relay',
    },
    rows: rows(),
    raw,
    seconds_total: (Date.now() - started) / 1000,
  };
  if (out) {
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
    log(`wrote ${out}`);
  }
  if (smoke) {
    log(`smoke: every run correct against both relays in ${result.seconds_total.toFixed(0)} s (no figure is checked)`);
    return;
  }
  for (const r of result.rows) {
    log(`${r.id}: tether ${r.tether} ${r.unit} (min ${r.tether_min}), Node ${r.reference} (min ${r.reference_min})` +
        (r.goal ? ` — goal ${r.goal}: ${r.goal_met === null ? 'not measurable here' : r.goal_met ? 'met' : 'missed'}` : ''));
  }
  log(`done in ${result.seconds_total.toFixed(0)} s`);
}

main()
  .then(() => fs.rmSync(tmp, { recursive: true, force: true }))
  .catch((e) => {
    process.stderr.write(`relay_bench: ${e.stack ?? e.message}\n(logs kept in ${tmp})\n`);
    process.exit(1);
  });
