// The production build, run into a temporary directory as `npm run build` does: every script
// and stylesheet in index.html carries a Subresource Integrity hash that matches its file,
// there is no inline code, app-hash.txt is the hash of the rest, and the initial JS + CSS
// size is measured (printed, not asserted).

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
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
    const files = walk(out)
      .map((p) => relative(out, p).split(sep).join('/'))
      .filter((p) => p !== 'app-hash.txt')
      .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    const manifest = files.map((p) => `${createHash('sha256').update(readFileSync(join(out, p))).digest('hex')}  ${p}\n`).join('');
    const expected = createHash('sha256').update(manifest).digest('hex');
    expect(readFileSync(join(out, 'app-hash.txt'), 'utf8')).toBe(`${expected}\n`);
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
