// Daemon benchmarks: `tether daemon` against the Node daemon-style reference
// (bench/peers/daemon/daemon.mjs), side by side in one run with one load generator
// (bench/load/replay_client.mjs), alternating runs, min and median of N repetitions;
// then the scale of history (one session of 1,000,000 events; a store of 10,000 sessions
// and 5,000,000 events). Stores are filled by bench_fill_events (C++), and the reference
// imports the very same rows. Every daemon holds one idle link to one `tether relay`.
//
// node bench/daemon_bench.mjs --tether BIN --tools DIR [--out FILE] [--reps N]
//      [--only idle,replay,history,store] [--no-reference-store] [--smoke]
// --smoke: tiny sizes, every code path, seq order checked in full; no figure kept.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

import { RpcConnection, RssSampler, call, listLatencies, replay, rssKib } from './load/replay_client.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const REFERENCE = path.join(here, 'peers', 'daemon', 'daemon.mjs');

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}
const flag = (name) => process.argv.includes(`--${name}`);

const smoke = flag('smoke');
const tetherBin = path.resolve(arg('tether', ''));
const tools = path.resolve(arg('tools', ''));
if (!arg('tether') || !arg('tools')) {
  console.error('usage: daemon_bench.mjs --tether BIN --tools DIR [--out FILE] [--reps N] [--only LIST] [--smoke]');
  process.exit(2);
}
const only = new Set((arg('only', 'idle,replay,history,store')).split(','));
const referenceStore = !flag('no-reference-store');

const SIZES = smoke
  ? { idleSessions: 5, idleEvents: 20, replay: 300, history: 2000, storeSessions: 20, storeEvents: 50, reps: 1,
      historyReps: 1, settleMs: 200, listCalls: 20 }
  : { idleSessions: 100, idleEvents: 200, replay: 100_000, history: 1_000_000, storeSessions: 10_000, storeEvents: 500,
      reps: 5, historyReps: 3, settleMs: 1500, listCalls: 300 };
SIZES.reps = Number(arg('reps', SIZES.reps));
// The big store's sessions are spread over SPAN_DAYS; the prune keeps RETAIN_DAYS, so it
// deletes the oldest tenth (500,000 events at full size) while requests keep coming.
const SPAN_DAYS = 60;
const RETAIN_DAYS = 54;
const KEEP_ALL_DAYS = 36500;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.round((p / 100) * (s.length - 1)))];
};
const mb = (kib) => kib / 1024;
const round = (x, digits = 3) => (x === null || x === undefined ? null : Number(x.toFixed(digits)));
const log = (...a) => console.log(...a);

function check(cond, what) {
  if (!cond) throw new Error(`check failed: ${what}`);
}

// --- processes -------------------------------------------------------------------------

class Proc {
  constructor(name, cmd, args, socket) {
    this.name = name;
    this.socket = socket;
    this.started = performance.now();
    this.child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    this.stderr = '';
    this.exited = null;
    this.waiters = [];
    this.child.stderr.setEncoding('utf8');
    this.child.stderr.on('data', (t) => {
      this.stderr += t;
      if (this.stderr.length > 1 << 20) this.stderr = this.stderr.slice(-(1 << 19));
      for (const w of [...this.waiters]) w();
    });
    this.child.on('exit', (code, signal) => { this.exited = { code, signal }; for (const w of [...this.waiters]) w(); });
  }

  get pid() { return this.child.pid; }

  // Resolves when stderr matches `re` (with the match), rejects on exit or timeout.
  waitLog(re, timeoutMs = 600_000) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => done(new Error(`${this.name}: no ${re} in ${timeoutMs} ms`)), timeoutMs);
      const done = (err, m) => {
        clearTimeout(timer);
        this.waiters = this.waiters.filter((w) => w !== poll);
        err ? reject(err) : resolve(m);
      };
      const poll = () => {
        const m = re.exec(this.stderr);
        if (m) done(null, Object.assign(m, { at: performance.now() }));
        else if (this.exited) done(new Error(`${this.name} exited (${JSON.stringify(this.exited)}): ${this.stderr.slice(-2000)}`));
      };
      this.waiters.push(poll);
      poll();
    });
  }

  // Seconds from spawn to the first answered session.list.
  async ready(timeoutMs = 60_000) {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      if (this.exited) throw new Error(`${this.name} exited (${JSON.stringify(this.exited)}): ${this.stderr.slice(-2000)}`);
      try {
        await call(this.socket, 'session.list', { limit: 1 });
        return (performance.now() - this.started) / 1000;
      } catch {
        if (performance.now() > deadline) throw new Error(`${this.name} did not start`);
        await sleep(2);
      }
    }
  }

  async linked(timeoutMs = 30_000) {
    const deadline = performance.now() + timeoutMs;
    while ((await call(this.socket, 'daemon.info')).relay?.state !== 'connected') {
      if (performance.now() > deadline) throw new Error(`${this.name} did not link to the relay`);
      await sleep(20);
    }
  }

  // SIGTERM; in --smoke the daemon must then exit 0 with no sanitizer report.
  async stop() {
    if (!this.exited) {
      const gone = new Promise((r) => this.child.once('exit', r));
      this.child.kill('SIGTERM');
      const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
      await gone;
      clearTimeout(timer);
    }
    if (smoke) {
      await new Promise((r) => (this.child.stderr.readableEnded ? r() : this.child.stderr.once('end', r)));
      check(this.exited.code === 0, `${this.name} exits 0 on SIGTERM (${JSON.stringify(this.exited)}): ${this.stderr.slice(-2000)}`);
      check(!/AddressSanitizer|LeakSanitizer|runtime error:/.test(this.stderr), `${this.name}: no sanitizer report: ${this.stderr.slice(-4000)}`);
    }
  }
}

function startRelay() {
  return new Promise((resolve, reject) => {
    const child = spawn(tetherBin, ['relay', '--listen', '127.0.0.1:0', '--insecure-http'], { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (t) => {
      out += t;
      const m = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
      if (m) resolve({ child, url: `ws://127.0.0.1:${m[1]}` });
    });
    child.on('exit', (code) => reject(new Error(`tether relay exited with ${code}`)));
  });
}

// The two implementations, started the same way on their own homes.
const IMPLS = {
  tether: {
    start(home, relayUrl, retentionDays) {
      const args = ['daemon', '--home', home, '--no-direct', '--retention-days', String(retentionDays)];
      if (relayUrl) args.push('--relay', relayUrl);
      return new Proc('tether daemon', tetherBin, args, path.join(home, 'tether.sock'));
    },
  },
  reference: {
    start(home, relayUrl, retentionDays) {
      const args = [REFERENCE, '--home', home, '--retention-days', String(retentionDays)];
      if (relayUrl) args.push('--relay', relayUrl);
      return new Proc('reference daemon', process.execPath, args, path.join(home, 'daemon.sock'));
    },
  },
};
// Alternating runs: rep 0 starts with tether, rep 1 with the reference, and so on.
const order = (rep) => (rep % 2 === 0 ? ['tether', 'reference'] : ['reference', 'tether']);

// --- stores ----------------------------------------------------------------------------

function mkhome(root, name) {
  const dir = path.join(root, name);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}

// A tether home filled by bench_fill_events, and the reference's home importing it.
function fillStores(root, name, perSession, sessions, spanDays = 0, withReference = true) {
  const homes = { tether: mkhome(root, `${name}-tether`), reference: mkhome(root, `${name}-reference`) };
  const raw = { events: perSession * sessions, sessions };
  if (sessions > 0) {
    const t0 = performance.now();
    const newest = execFileSync(path.join(tools, 'bench_fill_events'),
      [homes.tether, String(perSession), String(sessions), String(spanDays)], { encoding: 'utf8' }).trim();
    raw.fill_s = round((performance.now() - t0) / 1000);
    raw.newest = newest;
    raw.db_mb = round(fs.statSync(path.join(homes.tether, 'tether.db')).size / 1e6, 1);
  }
  if (withReference && raw.newest) {
    const t0 = performance.now();
    execFileSync(process.execPath, [REFERENCE, '--home', homes.reference, '--import', path.join(homes.tether, 'tether.db')],
      { encoding: 'utf8' });
    raw.import_s = round((performance.now() - t0) / 1000);
  }
  if (sessions > 0) {
    // The filler and the import write without fsync; flush now, or the first daemon to
    // fsync its store pays for gigabytes of someone else's writes in one of its figures.
    const t0 = performance.now();
    const files = Object.values(homes).flatMap((h) => fs.readdirSync(h).map((f) => path.join(h, f)));
    execFileSync('sync', files);
    raw.sync_s = round((performance.now() - t0) / 1000);
  }
  log(`  ${name}: ${raw.events} events in ${sessions} session(s)` +
      (raw.fill_s !== undefined ? `, filled in ${raw.fill_s} s (${raw.db_mb} MB)` : '') +
      (raw.import_s !== undefined ? `, reference import ${raw.import_s} s` : '') +
      (raw.sync_s !== undefined ? `, sync ${raw.sync_s} s` : ''));
  return { homes, raw };
}

// --- figures ---------------------------------------------------------------------------

async function idleRss(root, relayUrl) {
  const result = {};
  for (const sessions of [0, SIZES.idleSessions]) {
    const { homes, raw } = fillStores(root, `idle${sessions}`, SIZES.idleEvents, sessions);
    const runs = { tether: [], reference: [] };
    for (let rep = 0; rep < SIZES.reps; rep++) {
      for (const impl of order(rep)) {
        const p = IMPLS[impl].start(homes[impl], relayUrl, KEEP_ALL_DAYS);
        try {
          const ready = await p.ready();
          await p.linked();
          const listed = await call(p.socket, 'session.list', {});
          check(listed.sessions.length === (sessions === 0 ? 0 : sessions), `${impl} lists ${sessions} sessions`);
          await sleep(SIZES.settleMs);
          runs[impl].push({ rss_kib: rssKib(p.pid), ready_s: round(ready, 4) });
        } finally {
          await p.stop();
        }
      }
    }
    result[sessions] = { ...raw, runs };
    log(`  idle RSS, ${sessions} sessions: tether ${runs.tether.map((r) => r.rss_kib)} KiB; reference ${runs.reference.map((r) => r.rss_kib)} KiB`);
  }
  return result;
}

// Replays of one session from 0, alternating the implementations, VmRSS sampled throughout.
async function replays(procs, session, reps, expected) {
  const runs = { tether: [], reference: [] };
  for (let rep = 0; rep < reps; rep++) {
    for (const impl of order(rep)) {
      const p = procs[impl];
      if (!p) continue;
      const sampler = new RssSampler(p.pid, 50);
      const r = await replay(p.socket, session, { check: smoke });
      const rss = sampler.stop();
      check(r.events === expected && r.last_seq === expected, `${impl} replayed ${expected} events once each, in order`);
      runs[impl].push({ seconds: round(r.seconds, 4), first_event_s: round(r.first_event_s, 4), peak_rss_kib: rss.peak_kib,
                        events_per_s: Math.round(r.events / r.seconds) });
    }
  }
  return runs;
}

async function startBoth(homes, relayUrl, withReference = true) {
  const procs = { tether: IMPLS.tether.start(homes.tether, relayUrl, KEEP_ALL_DAYS) };
  if (withReference) procs.reference = IMPLS.reference.start(homes.reference, relayUrl, KEEP_ALL_DAYS);
  for (const p of Object.values(procs)) {
    await p.ready();
    await p.linked();
  }
  return procs;
}

async function stopAll(procs) {
  for (const p of Object.values(procs)) await p.stop();
}

async function replay100k(root, relayUrl) {
  const { homes, raw } = fillStores(root, 'replay', SIZES.replay, 1);
  const procs = await startBoth(homes, relayUrl);
  try {
    const runs = await replays(procs, raw.newest, SIZES.reps, SIZES.replay);
    log(`  replay of ${SIZES.replay}: tether ${runs.tether.map((r) => r.seconds)} s; reference ${runs.reference.map((r) => r.seconds)} s`);
    return { ...raw, runs };
  } finally {
    await stopAll(procs);
  }
}

async function history1m(root, relayUrl) {
  const { homes, raw } = fillStores(root, 'history', SIZES.history, 1);
  const procs = await startBoth(homes, relayUrl);
  try {
    await sleep(SIZES.settleMs);
    const idle = Object.fromEntries(Object.entries(procs).map(([k, p]) => [k, rssKib(p.pid)]));
    const runs = await replays(procs, raw.newest, SIZES.historyReps, SIZES.history);
    await sleep(SIZES.settleMs);
    const after = Object.fromEntries(Object.entries(procs).map(([k, p]) => [k, rssKib(p.pid)]));
    log(`  history of ${SIZES.history}: idle RSS tether ${idle.tether} KiB, reference ${idle.reference} KiB; ` +
        `replays tether ${runs.tether.map((r) => `${r.seconds} s/${r.peak_rss_kib} KiB`)}; ` +
        `reference ${runs.reference.map((r) => `${r.seconds} s/${r.peak_rss_kib} KiB`)}`);
    return { ...raw, idle_rss_kib: idle, after_rss_kib: after, runs };
  } finally {
    await stopAll(procs);
  }
}

// session.list on one held connection until `until` resolves; latencies in ms.
async function listWhile(socket, until) {
  const c = await RpcConnection.open(socket);
  const ms = [];
  let done = false;
  until.then(() => { done = true; }, () => { done = true; });
  try {
    while (!done) {
      const t0 = performance.now();
      await c.call('session.list', {});
      ms.push(performance.now() - t0);
    }
  } finally {
    c.close();
  }
  return ms;
}

async function bigStore(root, relayUrl) {
  const impls = referenceStore ? ['tether', 'reference'] : ['tether'];
  const { homes, raw } = fillStores(root, 'store', SIZES.storeEvents, SIZES.storeSessions, SPAN_DAYS, referenceStore);
  const out = { ...raw, span_days: SPAN_DAYS, retain_days: RETAIN_DAYS, start: {}, list_ms: {}, subscribe: {}, prune: {} };
  // Start times with nothing to prune; the last start of each stays up for the rest.
  const procs = {};
  for (let rep = 0; rep < Math.max(SIZES.historyReps, 1); rep++) {
    for (const impl of order(rep).filter((i) => impls.includes(i))) {
      await procs[impl]?.stop();
      const p = IMPLS[impl].start(homes[impl], relayUrl, KEEP_ALL_DAYS);
      (out.start[impl] ??= []).push(round(await p.ready(), 4));
      procs[impl] = p;
    }
  }
  try {
    for (const impl of impls) {
      await procs[impl].linked();
      await listLatencies(procs[impl].socket, 5);  // warm
      out.list_ms[impl] = (await listLatencies(procs[impl].socket, SIZES.listCalls)).map((x) => round(x, 3));
      const listed = await call(procs[impl].socket, 'session.list', {});
      check(listed.sessions.length === Math.min(200, SIZES.storeSessions) && listed.sessions[0].id === raw.newest,
        `${impl}: session.list starts with the newest session`);
      out.rss_after_list_kib = { ...out.rss_after_list_kib, [impl]: rssKib(procs[impl].pid) };
    }
    // tether's daemon.info reports the stored events' count (the reference's only the relay state).
    const info = await RpcConnection.open(procs.tether.socket);
    out.tether_daemon_info_ms = [];
    for (let i = 0; i < 20; i++) {
      const t0 = performance.now();
      const r = await info.call('daemon.info');
      out.tether_daemon_info_ms.push(round(performance.now() - t0, 3));
      check(r.counts.events === raw.events, `daemon.info counts ${raw.events} events (${r.counts.events})`);
    }
    info.close();
    const subs = await replays(procs, raw.newest, SIZES.reps, SIZES.storeEvents);
    out.subscribe = subs;
  } finally {
    await stopAll(procs);
  }
  // The prune: a start whose retention makes the oldest sessions' events expire; session.list
  // runs back to back from the first moment the socket answers until the prune is logged.
  for (const impl of impls) {
    const p = IMPLS[impl].start(homes[impl], null, RETAIN_DAYS);
    try {
      const pruned = p.waitLog(/event retention: pruned (\d+) events[^\n]*?(?: in (\d+) ms)?\n/);
      const ready = await p.ready();
      const readyAt = performance.now();
      const during = await listWhile(p.socket, pruned);
      const m = await pruned;
      // A prune that ends before the socket answers held up every request sent at start.
      const blocking = m.at <= readyAt;
      if (blocking) during.length = 0;
      out.prune[impl] = {
        ready_s: round(ready, 4), events: Number(m[1]), logged_ms: m[2] ? Number(m[2]) : null, before_ready: blocking,
        prune_after_ready_s: round(Math.max(0, m.at - readyAt) / 1000, 4), list_calls_during: during.length,
        list_max_ms: during.length ? round(Math.max(...during), 3) : round(ready * 1000, 1),
        list_p99_ms: during.length ? round(pct(during, 99), 3) : null,
      };
      const expected = Math.round(SIZES.storeSessions * (1 - RETAIN_DAYS / SPAN_DAYS)) * SIZES.storeEvents;
      check(Math.abs(Number(m[1]) - expected) <= SIZES.storeEvents * 2, `${impl} pruned about ${expected} events (${m[1]})`);
      const r = await replay(p.socket, raw.newest, { check: smoke });
      check(r.events === SIZES.storeEvents, `${impl}: the newest session survives the prune`);
    } finally {
      await p.stop();
    }
  }
  log(`  store of ${raw.events} events / ${raw.sessions} sessions: start ${JSON.stringify(out.start)} s; list p50/p99 ` +
      impls.map((i) => `${i} ${round(median(out.list_ms[i]), 2)}/${round(pct(out.list_ms[i], 99), 2)} ms`).join(', ') +
      `; prune ${JSON.stringify(out.prune)}`);
  return out;
}

// --- rows ------------------------------------------------------------------------------

function row(id, figure, unit, better, values, goal, goalMet, note) {
  const t = values.tether ?? [];
  const r = values.reference ?? [];
  return {
    id, figure, unit, better,
    tether: t.length ? round(median(t)) : null,
    reference: r.length ? round(median(r)) : null,
    tether_min: t.length ? round(Math.min(...t)) : null,
    reference_min: r.length ? round(Math.min(...r)) : null,
    goal, goal_met: goalMet === null || !t.length ? null : goalMet(median(t)), note,
  };
}

function buildRows(raw) {
  const rows = [];
  const n = (x) => x.toLocaleString('en-US');
  if (raw.idle) {
    for (const [key, label] of [[0, '0'], [SIZES.idleSessions, String(SIZES.idleSessions)]]) {
      const runs = raw.idle[key].runs;
      rows.push(row(key ? 'daemon_idle_rss_100' : 'daemon_idle_rss_0', `Daemon idle RSS, ${label} stored sessions`, 'MB', 'lower',
        { tether: runs.tether.map((x) => mb(x.rss_kib)), reference: runs.reference.map((x) => mb(x.rss_kib)) },
        '≤ 15 MB', (v) => v <= 15,
        `VmRSS ${SIZES.settleMs / 1000} s after start, linked to a relay` +
        (key ? `, ${n(SIZES.idleEvents)} events per session` : '') + `; median of ${runs.tether.length}`));
    }
  }
  if (raw.replay) {
    const runs = raw.replay.runs;
    rows.push(row('replay_100k_s', `Replay of ${n(SIZES.replay)} events to a client subscribing from 0`, 's', 'lower',
      { tether: runs.tether.map((x) => x.seconds), reference: runs.reference.map((x) => x.seconds) }, '≤ 1 s', (v) => v <= 1,
      `local socket, realistic mix, until the last event is read; median of ${runs.tether.length}`));
  }
  if (raw.history) {
    const h = raw.history;
    const note = `one session of ${n(SIZES.history)} events`;
    rows.push(row('history_1m_idle_rss_mb', `Daemon idle RSS holding ${n(SIZES.history)} events in one session`, 'MB', 'lower',
      { tether: [mb(h.idle_rss_kib.tether)], reference: h.idle_rss_kib.reference ? [mb(h.idle_rss_kib.reference)] : [] },
      '≤ 64 MB', (v) => v <= 64, `${note}, before any replay`));
    const peakNote = raw.replay
      ? `; ${n(SIZES.replay)} events peaked at ${round(mb(median(raw.replay.runs.tether.map((x) => x.peak_rss_kib))), 1)} MB` +
        ` (reference ${round(mb(median(raw.replay.runs.reference.map((x) => x.peak_rss_kib))), 1)} MB)`
      : '';
    rows.push(row('history_1m_replay_peak_rss_mb', `Daemon peak RSS while a client replays all ${n(SIZES.history)} events`,
      'MB', 'lower', { tether: h.runs.tether.map((x) => mb(x.peak_rss_kib)), reference: h.runs.reference.map((x) => mb(x.peak_rss_kib)) },
      '≤ 64 MB, independent of history size', (v) => v <= 64, `VmRSS every 50 ms${peakNote}`));
    rows.push(row('history_1m_replay_events_per_s', `Replay throughput, ${n(SIZES.history)} events`, 'events/s', 'higher',
      { tether: h.runs.tether.map((x) => x.events_per_s), reference: h.runs.reference.map((x) => x.events_per_s) }, '—', null,
      `median of ${h.runs.tether.length}`));
  }
  if (raw.store) {
    const s = raw.store;
    const impls = Object.keys(s.prune);
    const what = `${n(s.sessions)} sessions, ${n(s.events)} events (${s.db_mb} MB)`;
    const refMissing = referenceStore ? '' : '; reference not run (--no-reference-store)';
    rows.push(row('store_10k_start_s', `Daemon start, store of ${what}`, 's', 'lower', s.start, '≤ 1 s', (v) => v <= 1,
      `spawn to the first session.list answered${refMissing}`));
    const list = { tether: s.list_ms.tether, reference: s.list_ms.reference };
    rows.push({ ...row('store_10k_list_p50_ms', `session.list (200 newest), store of ${what}, p50`, 'ms', 'lower', {}, '—', null,
      `${list.tether.length} calls on one connection${refMissing}`),
      tether: round(median(list.tether)), reference: list.reference ? round(median(list.reference)) : null });
    rows.push({ ...row('store_10k_list_p99_ms', `session.list (200 newest), store of ${what}, p99`, 'ms', 'lower', {}, 'p99 ≤ 50 ms',
      null, `${list.tether.length} calls on one connection${refMissing}`),
      tether: round(pct(list.tether, 99)), reference: list.reference ? round(pct(list.reference, 99)) : null,
      goal_met: pct(list.tether, 99) <= 50 });
    rows.push(row('store_10k_subscribe_newest_s', `Subscribe from 0 to the newest session (${n(SIZES.storeEvents)} events), store of ${what}`,
      's', 'lower', { tether: s.subscribe.tether.map((x) => x.seconds), reference: (s.subscribe.reference ?? []).map((x) => x.seconds) },
      '—', null, `median of ${s.subscribe.tether.length}${refMissing}`));
    rows.push(row('store_10k_daemon_info_ms', `daemon.info (with the stored events' count), store of ${what}`, 'ms', 'lower',
      { tether: s.tether_daemon_info_ms }, '—', null,
      `median of ${s.tether_daemon_info_ms.length} calls; the reference's daemon.info counts nothing, so no column`));
    const pr = s.prune;
    const pruneTime = (p) => (p.logged_ms !== null ? p.logged_ms / 1000 : p.before_ready ? p.ready_s : p.prune_after_ready_s);
    rows.push(row('store_10k_prune_s', `Retention prune of ${n(pr.tether.events)} events (the oldest tenth), store of ${what}`, 's', 'lower',
      { tether: [pruneTime(pr.tether)], reference: pr.reference ? [pruneTime(pr.reference)] : [] }, '—', null,
      `as the daemon logs it; it starts with the daemon (start with pruning pending: tether ${pr.tether.ready_s} s` +
      (pr.reference ? `, reference ${pr.reference.ready_s} s` : '') + `)${refMissing}`));
    rows.push(row('store_10k_prune_list_max_ms', 'Longest session.list while the prune runs (stall)', 'ms', 'lower',
      { tether: pr.tether.list_max_ms === null ? [] : [pr.tether.list_max_ms],
        reference: pr.reference?.list_max_ms == null ? [] : [pr.reference.list_max_ms] },
      '≤ 50 ms (no stall)', (v) => v <= 50,
      'back-to-back calls from the first answer until the prune ends: ' +
      impls.map((i) => (pr[i].before_ready ? `${i} pruned before its socket answered (a request sent at start waits the whole start)`
                                          : `${i} ${pr[i].list_calls_during} calls`)).join(', ') + refMissing));
  }
  return rows;
}

// --- main ------------------------------------------------------------------------------

async function main() {
  const t0 = performance.now();
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tether-daemon-bench-'));
  const relay = await startRelay();
  const raw = { sizes: SIZES, load_before: os.loadavg().map((x) => round(x, 2)) };
  try {
    if (only.has('idle')) { log('daemon idle RSS'); raw.idle = await idleRss(root, relay.url); }
    if (only.has('replay')) { log('replay'); raw.replay = await replay100k(root, relay.url); }
    if (only.has('history')) { log('history: one session'); raw.history = await history1m(root, relay.url); }
    if (only.has('store')) { log('history: a big store'); raw.store = await bigStore(root, relay.url); }
  } finally {
    relay.child.kill('SIGTERM');
    fs.rmSync(root, { recursive: true, force: true });
  }
  raw.load_after = os.loadavg().map((x) => round(x, 2));
  raw.total_s = round((performance.now() - t0) / 1000, 1);
  const rows = buildRows(raw);
  for (const r of rows) log(`${r.id}: tether ${r.tether} ${r.unit}, reference ${r.reference} ${r.unit} (goal ${r.goal}: ${r.goal_met})`);
  log(`total ${raw.total_s} s`);
  const out = arg('out');
  if (out && !smoke) {
    const cpu = os.cpus();
    const result = { bench: 'daemon', date: new Date().toISOString(), machine: `${cpu.length} cores, ${cpu[0]?.model.trim()}`, rows, raw };
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, JSON.stringify(result, null, 1) + '\n');
  }
}

main().then(() => process.exit(0), (e) => {
  console.error(e.stack ?? e.message);
  process.exit(1);
});
