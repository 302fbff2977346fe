// The report generator's table: ratios in tether's favour whichever way a figure runs, goal
// marks, missing references, notes appended; and the web app's initial size read from a build.

import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { initialSize, render, rowsFromNoise, rowsFromSessions } from './report.mjs';

const stamp = { machine: '2 cores, Test CPU', date: '2026-11-24', commit: 'abc1234' };

test('rows: ratio, goal mark, missing reference, notes', () => {
  const md = render(
    [
      { figure: 'Relay throughput', unit: 'MB/s', better: 'higher', tether: 500, reference: 50, goal: '≥ 5×', goal_met: true, ...stamp },
      { figure: 'RTT p99', unit: 'ms', better: 'lower', tether: 2, reference: 8, goal: '≤ 1/3', goal_met: true, ...stamp },
      { figure: 'Handshakes', unit: '/s', better: 'higher', tether: 4000, reference: null, goal: '≥ 10,000', goal_met: false, note: 'CPU-bound', ...stamp },
    ],
    '## Notes\n\nWhy.',
    'make bench',
  );
  const rows = md.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| figure'));
  assert.deepEqual(rows, [
    '| Relay throughput | 500 MB/s | 50.0 MB/s | 10× | ≥ 5× | met | 2 cores, Test CPU | 2026-11-24 | abc1234 |',
    '| RTT p99 | 2.00 ms | 8.00 ms | 4.00× | ≤ 1/3 | met | 2 cores, Test CPU | 2026-11-24 | abc1234 |',
    '| Handshakes — CPU-bound | 4,000/s | — | — | ≥ 10,000 | **missed** | 2 cores, Test CPU | 2026-11-24 | abc1234 |',
  ]);
  assert.match(md, /^# Benchmarks/);
  assert.match(md, /## Notes\n\nWhy\.\n$/);
});

test('initial size: the scripts and stylesheets index.html loads, gzipped', () => {
  const dist = mkdtempSync(join(tmpdir(), 'tether-report-'));
  const js = Buffer.from('console.log("x");'.repeat(100));
  const css = Buffer.from('a{color:red}'.repeat(50));
  writeFileSync(join(dist, 'a.js'), js);
  writeFileSync(join(dist, 'a.css'), css);
  writeFileSync(join(dist, 'lazy.js'), 'not loaded by index.html');
  writeFileSync(
    join(dist, 'index.html'),
    '<script type="module" crossorigin src="./a.js" integrity="sha384-x"></script><link rel="stylesheet" crossorigin href="./a.css" integrity="sha384-y">',
  );
  assert.deepEqual(initialSize(dist), {
    raw: js.length + css.length,
    gz: gzipSync(js, { level: 9 }).length + gzipSync(css, { level: 9 }).length,
    files: 2,
  });
  assert.equal(initialSize(join(dist, 'missing')), null);
});

test('session rows: approvals and ingestion, each only when measured', () => {
  const ingest = { deltas: 5000, seconds: [1.2, 1.0, 0.9], median_s: 1.0, events_per_s_median: 5000, daemon_cpu_ms_per_1k_median: 60,
                   alone_median_s: 0.95 };
  const approval = { approvals: 40, p50_ms: 3.9, p99_ms: 25 };
  const rows = rowsFromSessions({ approval_round_trip: approval, ingest }, stamp);
  assert.deepEqual(rows.map((r) => [r.id, r.tether, r.goal_met]), [
    ['approval_rtt_p50', 3.9, undefined],
    ['approval_rtt_p99', 25, false],
    ['ingest_events_per_s', 5000, undefined],
    ['ingest_cpu_per_1k', 60, undefined],
  ]);
  assert.match(rows[2].figure, /5,000 text deltas .* median of 3/);
  assert.equal(rows[2].note, 'the turn took 1.00 s through the daemon and 0.95 s with the CLI driven directly');
  assert.deepEqual(rowsFromSessions({ ingest }, stamp).map((r) => r.id), ['ingest_events_per_s', 'ingest_cpu_per_1k']);
  assert.deepEqual(rowsFromSessions(null, stamp), []);
});

test('noise rows: the medians of repeated runs when there are any, else the single runs', () => {
  const run = (name, mbs, extra = {}) => ({ name, run_type: 'iteration', bytes_per_second: mbs * 1e6, ...extra });
  const median = (name, mbs, extra = {}) => ({ ...run(`${name}_median`, mbs, extra), run_type: 'aggregate', aggregate_name: 'median' });
  const repeated = {
    benchmarks: [
      run('BM_NoiseTransport/1', 500, { label: 'openssl' }),
      run('BM_RawOpensslAesGcm', 1000),
      { ...median('BM_NoiseTransport/1', 950, { label: 'openssl' }), name: 'BM_NoiseTransport/1_mean', aggregate_name: 'mean' },
      median('BM_NoiseTransport/1', 960, { label: 'openssl' }),
      median('BM_RawOpensslAesGcm', 1000),
      median('BM_IkResponderSide', 0, { 'handshakes/s': 4000 }),
    ],
  };
  const rows = rowsFromNoise(repeated, stamp);
  assert.deepEqual(rows.map((r) => [r.id, r.tether, r.reference, r.goal_met]), [
    ['noise_transport_openssl', 960, 1000, true],
    ['ik_handshakes_responder', 4000, null, false],
  ]);
  const single = { benchmarks: [run('BM_NoiseTransport/1', 850, { label: 'openssl' }), run('BM_RawOpensslAesGcm', 1000)] };
  assert.deepEqual(rowsFromNoise(single, stamp).map((r) => [r.tether, r.goal_met]), [[850, false]]);
});
