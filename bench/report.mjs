// Writes docs/benchmarks.md from the raw results of one `make bench` run: bench/results/
// {relay,daemon}.json (rows already side by side), noise.json (Google Benchmark), sessions.json
// (session_bench.py) and the built web app's initial size. The analysis that goes with the
// figures (profiles, what was fixed, why a goal is missed) is kept by hand in bench/notes.md
// and appended.
//
// node bench/report.mjs [--results DIR] [--web-dist DIR] [--out FILE] [--notes FILE]

import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

const results = arg('results', join(repo, 'bench/results'));
const webDist = arg('web-dist', join(repo, 'web/dist'));
const out = arg('out', join(repo, 'docs/benchmarks.md'));
const notes = arg('notes', join(repo, 'bench/notes.md'));

function readJson(name) {
  const p = join(results, name);
  return existsSync(p) ? JSON.parse(readFileSync(p, 'utf8')) : null;
}

export function machine() {
  const c = cpus();
  return `${c.length} cores, ${c[0]?.model.trim() ?? 'unknown CPU'}`;
}

function commit() {
  try {
    // A tree with uncommitted changes to tracked files is not the commit: say so.
    const head = execFileSync('git', ['-C', repo, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['-C', repo, 'status', '--porcelain', '--untracked-files=no', '--', 'src', 'bench', 'CMakeLists.txt'],
      { encoding: 'utf8' }).trim();
    return dirty ? `${head}+changes` : head;
  } catch {
    return 'unknown';
  }
}

/**
 * A row: { id, figure, unit, better: 'higher'|'lower', tether, reference?, goal, goal_met?, note?,
 * date, commit, machine } — `goal_met` may be given, else it is left empty.
 */
export function rowsFromNoise(gb, stamp) {
  if (!gb) return [];
  // With repetitions, the medians (the per-repetition rows and other aggregates are skipped).
  const medians = gb.benchmarks.some((b) => b.aggregate_name === 'median');
  const kept = gb.benchmarks.filter((b) => (medians ? b.aggregate_name === 'median' : b.run_type !== 'aggregate'));
  const by = (name, label) => kept.find((b) => b.name.startsWith(name) && (label === undefined || b.label === label));
  const mbs = (b) => (b ? b.bytes_per_second / 1e6 : null);
  const rows = [];
  for (const backend of ['openssl', 'libsodium']) {
    const t = by('BM_NoiseTransport', backend);
    const raw = by(backend === 'openssl' ? 'BM_RawOpensslAesGcm' : 'BM_RawSodiumAesGcm');
    if (!t || !raw) continue;
    const ratio = mbs(t) / mbs(raw);
    rows.push({
      id: `noise_transport_${backend}`,
      figure: `Noise transport, 65,519-byte messages, ${backend} AES-256-GCM backend (reference: raw ${backend} AES-256-GCM on the same buffers)`,
      unit: 'MB/s',
      better: 'higher',
      tether: mbs(t),
      reference: mbs(raw),
      goal: '≥ 0.9× raw AES-256-GCM',
      goal_met: ratio >= 0.9,
      ...stamp,
    });
  }
  for (const [name, side] of [
    ['BM_IkResponderSide', 'responder'],
    ['BM_IkInitiatorSide', 'initiator'],
  ]) {
    const b = by(name);
    if (!b) continue;
    rows.push({
      id: `ik_handshakes_${side}`,
      figure: `Noise IK handshakes per second per core, ${side} side`,
      unit: '/s',
      better: 'higher',
      tether: b['handshakes/s'],
      reference: null,
      goal: '≥ 10,000',
      goal_met: b['handshakes/s'] >= 10_000,
      ...stamp,
    });
  }
  return rows;
}

export function rowsFromSessions(s, stamp) {
  const a = s?.approval_round_trip;
  const rows = [];
  if (a) rows.push(
    {
      id: 'approval_rtt_p50',
      figure: `Approval round trip device → relay → daemon → device, real Claude Code CLI, p50 of ${a.approvals}`,
      unit: 'ms',
      better: 'lower',
      tether: a.p50_ms,
      reference: null,
      goal: '—',
      ...stamp,
    },
    {
      id: 'approval_rtt_p99',
      figure: `Approval round trip, p99 of ${a.approvals}`,
      unit: 'ms',
      better: 'lower',
      tether: a.p99_ms,
      reference: null,
      goal: 'p99 ≤ 20 ms',
      goal_met: a.p99_ms <= 20,
      ...stamp,
    },
  );
  const i = s?.ingest;
  if (i) rows.push(
    {
      id: 'ingest_events_per_s',
      figure: `Agent output ingested: ${i.deltas.toLocaleString('en-US')} text deltas streamed by the real Claude Code CLI in one turn, each committed and delivered to a client following the session, median of ${i.seconds.length}`,
      unit: '/s',
      better: 'higher',
      tether: i.events_per_s_median,
      reference: null,
      goal: '—',
      note: `the turn took ${i.median_s.toFixed(2)} s through the daemon and ${i.alone_median_s.toFixed(2)} s with the CLI driven directly`,
      ...stamp,
    },
    {
      id: 'ingest_cpu_per_1k',
      figure: 'Daemon CPU time per 1,000 ingested events (SQLite and its fsyncs included)',
      unit: 'ms',
      better: 'lower',
      tether: i.daemon_cpu_ms_per_1k_median,
      reference: null,
      goal: '—',
      ...stamp,
    },
  );
  return rows;
}

/** The gzipped size of what index.html loads (its scripts and stylesheets). */
export function initialSize(dist) {
  const index = join(dist, 'index.html');
  if (!existsSync(index)) return null;
  const html = readFileSync(index, 'utf8');
  const refs = [...html.matchAll(/<(?:script[^>]*\ssrc|link[^>]*rel="stylesheet"[^>]*\shref)="([^"]+)"/g)].map((m) => m[1]);
  let raw = 0;
  let gz = 0;
  for (const r of refs) {
    const bytes = readFileSync(join(dist, r.replace(/^\.\//, '')));
    raw += bytes.length;
    gz += gzipSync(bytes, { level: 9 }).length;
  }
  return { raw, gz, files: refs.length };
}

function rowsFromWeb(dist, stamp) {
  const s = initialSize(dist);
  if (!s) return [];
  return [
    {
      id: 'web_initial_gz',
      figure: `Web app initial JS + CSS, gzipped (${s.files} files, ${(s.raw / 1024).toFixed(1)} KiB raw; the terminal and QR decoder load later)`,
      unit: 'KiB',
      better: 'lower',
      tether: s.gz / 1024,
      reference: null,
      goal: '≤ 150 KB',
      goal_met: s.gz <= 150_000,
      ...stamp,
    },
  ];
}

function fmt(v, unit) {
  if (v === null || v === undefined) return '—';
  const n = Math.abs(v) >= 100 ? Math.round(v).toLocaleString('en-US') : Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(2);
  return unit === '/s' ? `${n}/s` : `${n} ${unit}`;
}

/** How many times better tether is (>1 is better), whichever direction the figure runs. */
function ratio(r) {
  if (r.reference === null || r.reference === undefined || !r.tether || !r.reference) return '—';
  const x = r.better === 'lower' ? r.reference / r.tether : r.tether / r.reference;
  return `${x >= 10 ? x.toFixed(0) : x.toFixed(2)}×`;
}

function met(r) {
  if (r.goal_met === true) return 'met';
  if (r.goal_met === false) return '**missed**';
  return '';
}

export function render(rows, notesText, cmd) {
  const lines = [
    '# Benchmarks',
    '',
    `Generated by \`${cmd}\` (\`bench/report.mjs\`) from the raw results in \`bench/results/\`;`,
    'edit `bench/notes.md` for the analysis below the table. Every figure comes from real',
    'processes on loopback; each comparison ran tether and the reference in the same run with',
    'the same load generator, alternating, and shows the median (min and every run are in the',
    'JSON). "Ratio" is how many times better tether is, whichever way the figure runs.',
    '',
    '| figure | tether | reference | ratio | goal | | machine | date | commit |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of rows) {
    const figure = r.note ? `${r.figure} — ${r.note}` : r.figure;
    lines.push(
      `| ${figure} | ${fmt(r.tether, r.unit)} | ${fmt(r.reference, r.unit)} | ${ratio(r)} | ${r.goal ?? '—'} | ${met(r)} | ${r.machine} | ${r.date} | ${r.commit} |`,
    );
  }
  lines.push('');
  if (notesText) lines.push(notesText.trim(), '');
  return lines.join('\n');
}

function stampOf(json, fallback) {
  return {
    date: (json?.date ?? fallback.date).slice(0, 10),
    commit: json?.commit ?? fallback.commit,
    machine: typeof json?.machine === 'string' ? json.machine : fallback.machine,
  };
}

function main() {
  const fallback = { date: new Date().toISOString(), commit: commit(), machine: machine() };
  const relay = readJson('relay.json');
  const daemon = readJson('daemon.json');
  const noise = readJson('noise.json');
  const sessions = readJson('sessions.json');
  const rows = [
    ...(relay?.rows ?? []).map((r) => ({ ...r, ...stampOf(relay, fallback) })),
    ...rowsFromNoise(noise, stampOf(null, { ...fallback, date: noise?.context?.date ?? fallback.date })),
    ...(daemon?.rows ?? []).map((r) => ({ ...r, ...stampOf(daemon, fallback) })),
    ...rowsFromSessions(sessions, stampOf(sessions, fallback)),
    ...rowsFromWeb(webDist, stampOf(null, fallback)),
  ];
  if (rows.length === 0) throw new Error(`no results in ${results}: run \`make bench\` first`);
  const notesText = existsSync(notes) ? readFileSync(notes, 'utf8') : '';
  writeFileSync(out, render(rows, notesText, 'make bench'));
  console.log(`report: ${rows.length} figures → ${out}`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
