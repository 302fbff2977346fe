// What the browser end-to-end tests share: flags, timeouts, polling, building the web app into
// a temp directory, starting tether processes (resolving once a line of output matches) and
// stopping them, and playwright-core from web/node_modules.

import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const webDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../web');

/** playwright-core's Chromium driver, as installed for the web app. */
export const { chromium } = createRequire(join(webDir, 'package.json'))('playwright-core');

/** The value after `--name` on the command line, or `fallback`. */
export function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
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

  /** Starts `bin args`; `seen` resolves with the match once a line of its output matches `ready`. */
  start(args, ready, stream = 'stdout') {
    const p = spawn(this.bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
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
    return { proc: p, seen: ready ? withTimeout(seen, 30_000, `${this.bin} ${args[0]} ready`) : null, log: () => log };
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
