// The production build, run into a temporary directory as `npm run build` does: every script
// and stylesheet in index.html carries a Subresource Integrity hash that matches its file,
// there is no inline code, app-hash.txt is the hash of the rest (sw.js included), sw.js
// precaches exactly the app shell with matching hashes, and the initial JS + CSS size is
// measured (printed, not asserted).

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runInNewContext } from 'node:vm';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const web = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
let out = '';
let html = '';

function attrsOf(tag: string): Map<string, string | null> {
  const m = new Map<string, string | null>();
  for (const a of tag.matchAll(/([^\s=<>/]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'>]+))?/g)) {
    m.set(a[1]!.toLowerCase(), a[2] === undefined ? null : a[2].replace(/^["']|["']$/g, ''));
  }
  return m;
}

const fileFor = (url: string) => join(out, url.replace(/^\.?\//, ''));
const sha384 = (b: Buffer) => `sha384-${createHash('sha384').update(b).digest('base64')}`;

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)],
  );
}

/** The app-hash recipe over every file but app-hash.txt and `skip`. */
function hashOfBuild(skip: string[] = []): string {
  const files = walk(out)
    .map((p) => relative(out, p).split(sep).join('/'))
    .filter((p) => p !== 'app-hash.txt' && !skip.includes(p))
    .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  const manifest = files.map((p) => `${createHash('sha256').update(readFileSync(join(out, p))).digest('hex')}  ${p}\n`).join('');
  return createHash('sha256').update(manifest).digest('hex');
}

beforeAll(() => {
  out = mkdtempSync(join(tmpdir(), 'tether-web-build-'));
  const node = process.execPath;
  // Vitest sets NODE_ENV=test, which Vite would keep (a development build of Preact): build as npm does.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST')));
  env.NODE_ENV = 'production';
  const opts = { cwd: web, env, stdio: ['ignore', 'inherit', 'inherit'] as ('ignore' | 'inherit')[] };
  execFileSync(node, [join(web, 'node_modules/vite/bin/vite.js'), 'build', '--outDir', out, '--emptyOutDir', '--logLevel', 'warn'], opts);
  execFileSync(node, [join(web, 'scripts/sri.mjs'), out], opts);
  html = readFileSync(join(out, 'index.html'), 'utf8');
}, 120_000);

afterAll(() => {
  if (out) rmSync(out, { recursive: true, force: true });
});

describe('the built index.html', () => {
  it('has an integrity hash matching the file on every script and stylesheet', () => {
    const tags = [...html.matchAll(/<(script|link)\b[^>]*>/gi)].map((m) => ({ name: m[1]!.toLowerCase(), attrs: attrsOf(m[0]) }));
    const scripts = tags.filter((t) => t.name === 'script');
    const sheets = tags.filter((t) => t.name === 'link' && /\b(stylesheet|modulepreload)\b/.test(t.attrs.get('rel') ?? ''));
    expect(scripts.length).toBeGreaterThan(0);
    expect(sheets.length).toBeGreaterThan(0);
    for (const t of [...scripts, ...sheets]) {
      const url = t.attrs.get(t.name === 'script' ? 'src' : 'href');
      expect(url, 'an inline script').toBeTruthy();
      expect(url!).not.toMatch(/^[a-z]+:|^\/\//i);
      expect(t.attrs.get('integrity')).toBe(sha384(readFileSync(fileFor(url!))));
      expect(t.attrs.has('crossorigin')).toBe(true);
    }
  });

  it('has no inline script, style or event handler', () => {
    for (const m of html.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/gi)) {
      expect(m[1]!.trim()).toBe('');
      expect(attrsOf(m[0]).get('src')).toBeTruthy();
    }
    expect(html).not.toMatch(/<style[\s>]/i);
    expect(html).not.toMatch(/\sstyle\s*=/i);
    expect(html).not.toMatch(/\son[a-z]+\s*=/i);
    expect(html).not.toMatch(/https?:\/\//i);
  });

  it('writes app-hash.txt: SHA-256 of the sorted `sha256sum` manifest of every other file', () => {
    expect(walk(out).map((p) => relative(out, p))).toContain('sw.js');
    expect(readFileSync(join(out, 'app-hash.txt'), 'utf8')).toBe(`${hashOfBuild()}\n`);
  });

  it('measures the initial JS + CSS, gzipped', () => {
    const urls = [...html.matchAll(/<(?:script|link)\b[^>]*\s(?:src|href)="([^"]+\.(?:js|css))"/gi)].map((m) => m[1]!);
    let raw = 0;
    let gz = 0;
    for (const u of urls) {
      const b = readFileSync(fileFor(u));
      raw += b.length;
      gz += gzipSync(b, { level: 9 }).length;
    }
    console.log(`initial JS+CSS: ${urls.length} files, ${raw} bytes, ${gz} bytes gzipped (${(gz / 1024).toFixed(1)} KiB)`);
    expect(gz).toBeGreaterThan(0);
  });
});

/** Runs the built sw.js with stand-ins for the worker's globals and records what it does. */
async function runServiceWorker(scope: string) {
  const listeners = new Map<string, (e: unknown) => void>();
  const opened: string[] = [];
  const added: { url: string; integrity: string }[] = [];
  const responded: string[] = [];
  const context = {
    URL,
    registration: { scope },
    addEventListener: (type: string, f: (e: unknown) => void) => listeners.set(type, f),
    skipWaiting: async () => {},
    Request: class {
      readonly url: string;
      readonly integrity: string;
      constructor(url: URL | string, init: { integrity: string }) {
        this.url = String(url);
        this.integrity = init.integrity;
      }
    },
    caches: {
      open: async (name: string) => {
        opened.push(name);
        return { addAll: async (rs: { url: string; integrity: string }[]) => void added.push(...rs) };
      },
    },
  };
  runInNewContext(readFileSync(join(out, 'sw.js'), 'utf8'), context);
  let installed: Promise<unknown> = Promise.resolve();
  listeners.get('install')!({ waitUntil: (p: Promise<unknown>) => (installed = p) });
  await installed;
  const fetchEvent = (url: string, method = 'GET') =>
    listeners.get('fetch')!({
      request: { url, method },
      // The answer itself needs a real Cache; only whether the worker answers is checked here.
      respondWith: (answer: Promise<Response>) => {
        responded.push(`${method} ${url}`);
        answer.catch(() => {});
      },
    });
  return { opened, added, responded, fetchEvent, types: [...listeners.keys()].sort() };
}

describe('the built sw.js', () => {
  it('precaches exactly the app shell, each file with its sha384, in a cache named by the hash of the rest', async () => {
    const scope = 'https://relay.example/';
    const sw = await runServiceWorker(scope);
    expect(sw.types).toEqual(['activate', 'fetch', 'install']);
    expect(sw.opened).toEqual([`tether-shell-${hashOfBuild(['sw.js'])}`]);

    const shell = new Set(['index.html']);
    for (const m of html.matchAll(/<(?:script|link)\b[^>]*\s(?:src|href)="\.\/([^"]+)"/gi)) shell.add(m[1]!);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.webmanifest'), 'utf8')) as { icons: { src: string }[] };
    for (const icon of manifest.icons) shell.add(icon.src);
    expect(shell).toContain('manifest.webmanifest');
    expect(shell).toContain('icons/apple-touch-icon.png');
    expect(sw.added.map((r) => r.url.slice(scope.length)).sort()).toEqual([...shell].sort());
    for (const r of sw.added) expect(r.integrity, r.url).toBe(sha384(readFileSync(fileFor(r.url.slice(scope.length)))));
  });

  it('answers only the page and the app code, never API, health or metrics requests', async () => {
    const sw = await runServiceWorker('https://relay.example/');
    for (const path of ['v1/direct', 'v1/connect/x', 'healthz', 'metrics', 'app-hash.txt']) sw.fetchEvent(`https://relay.example/${path}`);
    sw.fetchEvent('https://relay.example/', 'POST');
    expect(sw.responded).toEqual([]);
    const js = /src="\.\/(assets\/[^"]+\.js)"/.exec(html)![1]!;
    sw.fetchEvent('https://relay.example/');
    sw.fetchEvent(`https://relay.example/${js}`);
    expect(sw.responded).toEqual(['GET https://relay.example/', `GET https://relay.example/${js}`]);
  });
});

describe('the committed icons', () => {
  it('are the pixels scripts/icons.mjs draws', () => {
    execFileSync(process.execPath, [join(web, 'scripts/icons.mjs'), '--check'], { stdio: ['ignore', 'ignore', 'inherit'] });
  });
});
