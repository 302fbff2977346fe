// What the browser end-to-end tests share: flags, numbered steps and the run that tallies them,
// timeouts, polling, building the web app into a temp directory, starting tether processes
// (resolving once a line of output matches) and stopping them, a relay and a daemon linked to
// it, pairing in the browser, axe-core, and playwright-core from web/node_modules.

import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoDir = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const webDir = join(repoDir, 'web');

/** playwright-core's Chromium driver, as installed for the web app. */
export const { chromium } = createRequire(join(webDir, 'package.json'))('playwright-core');

/** The value after `--name` on the command line, or `fallback`. */
export function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

/** The flags every browser test takes: the tether binary, Chromium, where screenshots go (none without it). */
export const TETHER = arg('tether', process.env.TETHER_BIN ?? 'tether');
export const CHROMIUM = arg('chromium', process.env.CHROMIUM_BIN ?? '/usr/bin/chromium');
export const SHOTS = arg('screenshots', null);

/**
 * One browser test: its temp directory `work` (tether-<title>-…), its tether processes `procs`,
 * and its numbered steps: `step(name)` prints "ok N - name"; `run` runs the test's main within
 * `ms`, then stops the processes, removes `work`, prints "<title>: N passed, F failed" and exits
 * with 1 on a failure.
 */
export class BrowserTest {
  passed = 0;

  constructor(title) {
    this.title = title;
    this.work = mkdtempSync(join(tmpdir(), `tether-${title.replaceAll(' ', '-')}-`));
    this.procs = new Processes(TETHER);
  }

  step = (name) => {
    this.passed += 1;
    console.log(`ok ${this.passed} - ${name}`);
  };

  async run(main, ms, what) {
    let failed = 0;
    try {
      await withTimeout(main(), ms, what);
    } catch (e) {
      failed = 1;
      console.error(`not ok - ${e.stack ?? e}`);
    } finally {
      await this.procs.stopAll();
      rmSync(this.work, { recursive: true, force: true });
    }
    console.log(`${this.title}: ${this.passed} passed, ${failed} failed`);
    process.exit(failed ? 1 : 0);
  }
}

export function withTimeout(promise, ms, what) {
  let t;
  const timeout = new Promise((_, reject) => (t = setTimeout(() => reject(new Error(`timed out: ${what}`)), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(t));
}

/** Polls `check` every 100 ms until it returns something truthy, which it resolves with. */
export async function waitFor(check, what, ms = 30_000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The production build into `out`, as `npm run build` makes it (vite build, then sri.mjs). */
export function buildApp(out) {
  const env = { ...process.env, NODE_ENV: 'production' };
  const opts = { cwd: webDir, env, stdio: ['ignore', 'ignore', 'inherit'] };
  execFileSync(process.execPath, [join(webDir, 'node_modules/vite/bin/vite.js'), 'build', '--outDir', out, '--emptyOutDir', '--logLevel', 'warn'], opts);
  execFileSync(process.execPath, [join(webDir, 'scripts/sri.mjs'), out], opts);
  return out;
}

/** The files of a build as paths relative to it, '/'-separated, sorted bytewise. */
export function buildFiles(dir) {
  const walk = (d) => readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(d, e.name)) : [join(d, e.name)]));
  return walk(dir)
    .map((p) => relative(dir, p).split(sep).join('/'))
    .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
}

/** The app-hash recipe (docs/cli.md) over every file of `dir` but app-hash.txt and `skip`. */
export function appHash(dir, skip = []) {
  const manifest = buildFiles(dir)
    .filter((p) => p !== 'app-hash.txt' && !skip.includes(p))
    .map((p) => `${createHash('sha256').update(readFileSync(join(dir, p))).digest('hex')}  ${p}\n`)
    .join('');
  return createHash('sha256').update(manifest).digest('hex');
}

/** Starts `bin` processes and stops whichever are still running at the end. */
export class Processes {
  constructor(bin) {
    this.bin = bin;
    this.children = [];
  }

  /**
   * Starts `bin args` (in `env`); `seen` resolves with the match once a line of its output
   * matches `ready`, `done` with its exit code and output once it exits.
   */
  start(args, ready, stream = 'stdout', env = process.env) {
    const p = spawn(this.bin, args, { stdio: ['ignore', 'pipe', 'pipe'], env });
    this.children.push(p);
    let log = '';
    const seen = new Promise((resolveSeen, reject) => {
      let buf = '';
      const onData = (d) => {
        buf += d;
        const m = ready && ready.exec(buf);
        if (m) resolveSeen(m);
      };
      p.stdout.setEncoding('utf8').on('data', (d) => ((log += d), stream === 'stdout' && onData(d)));
      p.stderr.setEncoding('utf8').on('data', (d) => ((log += d), stream === 'stderr' && onData(d)));
      p.on('exit', (code) => reject(new Error(`${this.bin} ${args[0]} exited ${code}:\n${log}`)));
    });
    seen.catch(() => {}); // an exit after the ready line (or during teardown) is not an error here
    const done = new Promise((r) => p.on('exit', (code) => r({ code, out: log })));
    return { proc: p, seen: ready ? withTimeout(seen, 30_000, `${this.bin} ${args[0]} ready`) : null, done, log: () => log };
  }

  /** SIGTERM to one process; resolves with its exit code. */
  async stop(proc) {
    if (proc.exitCode !== null || proc.signalCode !== null) return proc.exitCode;
    const exited = new Promise((r) => proc.on('exit', (code) => r(code)));
    proc.kill('SIGTERM');
    return withTimeout(exited, 20_000, `${this.bin} to stop`);
  }

  async stopAll() {
    const running = this.children.filter((c) => c.exitCode === null && c.signalCode === null);
    for (const c of running) c.kill('SIGTERM');
    await Promise.all(running.map((c) => new Promise((r) => (c.exitCode !== null || c.signalCode !== null ? r() : c.on('exit', r)))));
  }
}

/** A fresh 0700 directory `name` under `parent` (a tether home must not be open to others). */
export function newHome(parent, name) {
  const dir = join(parent, name);
  mkdirSync(dir);
  chmodSync(dir, 0o700);
  return dir;
}

/** `tether relay --web-root` on `listen`; resolves once it listens, with its origin and port. */
export async function startRelay(procs, webRoot, listen = '127.0.0.1:0') {
  const relay = procs.start(['relay', '--listen', listen, '--insecure-http', '--web-root', webRoot], /listening on (http:\/\/127\.0\.0\.1:(\d+))/);
  const [, origin, port] = await relay.seen;
  return { ...relay, origin, port };
}

/** `tether status --json` of the daemon of `home`. */
export function tetherStatus(bin, home) {
  return JSON.parse(execFileSync(bin, ['status', '--home', home, '--json'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 30_000 }));
}

/**
 * `tether daemon` on `home` with no direct listener, linked to the relay at `origin` (with
 * `extra` arguments, in `env`); resolves once `tether status` says the link is up.
 */
export async function startLinkedDaemon(procs, home, origin, extra = [], env = process.env) {
  const daemon = procs.start(['daemon', '--home', home, '--no-direct', '--relay', origin.replace(/^http/, 'ws'), '--relay-backoff-max', '1', ...extra], null, 'stdout', env);
  await waitFor(() => {
    try {
      return tetherStatus(procs.bin, home).relay?.state === 'connected';
    } catch {
      return false;
    }
  }, 'the daemon to link to the relay');
  return daemon;
}

/**
 * `tether pair --json --no-qr --yes` (the computer's end says the codes match; the page still
 * has to): `offer` resolves with its offer, `done` with its exit code and output.
 */
export function startPair(procs, home, ...extra) {
  const pair = procs.start(['pair', '--home', home, '--json', '--no-qr', '--yes', ...extra], /^(\{.*\})\n/m);
  return { offer: pair.seen.then((m) => JSON.parse(m[1])), done: pair.done };
}

/**
 * On the pairing form: names the device, presses Pair, presses "They match" under the SAS, and
 * once `tether pair` has exited 0 returns the SAS the page showed and the output of `tether
 * pair`. `shot(name)` is called on the form and on the SAS.
 */
export async function submitPairForm(page, name, pairDone, shot = async () => {}) {
  await page.getByLabel(/This device's name/).fill(name);
  await shot('pair');
  await page.getByRole('button', { name: 'Pair', exact: true }).click();
  const sasEl = page.locator('.sas');
  await sasEl.waitFor({ timeout: 20_000 });
  const sas = await sasEl.getAttribute('data-sas');
  await shot('pair-sas');
  await page.getByRole('button', { name: 'They match' }).click();
  const done = await withTimeout(pairDone, 20_000, 'tether pair to finish');
  assert.equal(done.code, 0, done.out);
  return { sas, out: done.out };
}

/**
 * Opens a pairing link, pairs under `name`, and checks the page's SAS against `tether pair`'s.
 * `shot(name)` is called on the pair screen and on the SAS.
 */
export async function pairInBrowser(page, link, pairDone, { name = 'phone', shot = async () => {} } = {}) {
  await page.goto(link);
  await page.getByRole('button', { name: 'Pair', exact: true }).waitFor();
  assert.ok(!page.url().includes('offer='), 'the offer stays in the address bar');
  const { sas, out } = await submitPairForm(page, name, pairDone, shot);
  const result = JSON.parse(out.trim().split('\n').at(-1));
  assert.equal(sas, result.sas, 'the SAS on the page differs from tether pair');
  return { sas, result };
}

/** axe.run(document, options) on the page as it is (run through the debugger, which the CSP does not govern); its violations. */
async function axeRun(page, options) {
  await page.evaluate(readFileSync(join(webDir, 'node_modules/axe-core/axe.min.js'), 'utf8'));
  const r = await page.evaluate((o) => window.axe.run(document, o), options);
  return r.violations;
}

/** The elements a violation names, as "a b, c d". */
const targets = (v) => v.nodes.map((n) => n.target.join(' ')).join(', ');

/** axe-core's serious and critical violations on the page as it is. */
export async function axeSerious(page) {
  return (await axeRun(page, { resultTypes: ['violations'] }))
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${targets(v)}`);
}

/** axe-core's WCAG 2 A/AA violations on the page as it is. */
export async function axeWcag(page) {
  return (await axeRun(page, { runOnly: ['wcag2a', 'wcag2aa'] })).map((v) => `${v.id}: ${targets(v)}`);
}

/** The environment for the real claude CLI against a fake API at `baseUrl` (tests/fakes/claude_env.py). */
export function claudeEnv(baseUrl, tmp) {
  const home = join(tmp, 'home');
  const cctmp = join(tmp, 'cctmp');
  mkdirSync(home, { recursive: true });
  mkdirSync(cctmp, { recursive: true });
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    LANG: process.env.LANG ?? 'C.UTF-8',
    HOME: home,
    ANTHROPIC_BASE_URL: baseUrl,
    ANTHROPIC_API_KEY: 'sk-test',
    DISABLE_TELEMETRY: '1',
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    DISABLE_AUTOUPDATER: '1',
    CLAUDE_CODE_MAX_RETRIES: '0',
    CLAUDE_CODE_TMPDIR: cctmp,
  };
}

/** tests/fakes/fake_anthropic.py as a process on 127.0.0.1; resolves with its url and stop(). */
export async function startFakeAnthropic(work) {
  const portFile = join(work, 'fake-anthropic.port');
  const p = spawn('python3', [join(repoDir, 'tests/fakes/fake_anthropic.py'), '--port-file', portFile], { stdio: ['ignore', 'ignore', 'inherit'] });
  const port = await waitFor(() => existsSync(portFile) && readFileSync(portFile, 'utf8').trim(), 'the fake Anthropic API', 20_000);
  return { url: `http://127.0.0.1:${port}`, stop: () => p.kill('SIGTERM') };
}
