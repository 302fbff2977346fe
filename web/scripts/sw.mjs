// The service worker's part of the build, run by sri.mjs once index.html has its integrity
// hashes: which files are the app shell, and dist/sw.js compiled from src/sw/sw.ts with that
// list (each file with its sha384) and the cache name baked in.

import { buildSync } from 'esbuild';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, posix, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const webDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const SW_FILE = 'sw.js';
const CACHE_PREFIX = 'tether-shell-'; // as in src/sw/route.ts

/** A same-origin URL (relative to `base`, a path inside the build) as a path inside the build, or null. */
function buildPath(url, base = '') {
  if (/^[a-z][a-z0-9+.-]*:/i.test(url) || url.startsWith('//')) return null;
  const clean = url.split(/[?#]/)[0];
  const path = posix.normalize(clean.startsWith('/') ? clean.slice(1) : posix.join(posix.dirname(base), clean));
  return path.startsWith('..') || path === '.' ? null : path;
}

/**
 * The app shell: index.html, every file its <script src> and <link href> tags name (the
 * entry's JS and CSS, icons, the manifest) and the icons the manifest names. Sorted paths.
 */
export function shellFiles(dir, html, fail) {
  const files = new Set(['index.html']);
  const manifests = [];
  for (const m of html.matchAll(/<(script|link)\b([^>]*)>/gi)) {
    const attr = m[1].toLowerCase() === 'script' ? 'src' : 'href';
    const v = new RegExp(`\\s${attr}\\s*=\\s*("[^"]*"|'[^']*'|[^\\s"'>]+)`, 'i').exec(m[2]);
    if (!v) continue;
    const path = buildPath(v[1].replace(/^["']|["']$/g, ''));
    if (path === null) continue;
    files.add(path);
    if (/\srel\s*=\s*["']?manifest\b/i.test(m[2])) manifests.push(path);
  }
  for (const manifest of manifests) {
    let icons;
    try {
      icons = JSON.parse(readFileSync(join(dir, manifest), 'utf8')).icons ?? [];
    } catch (e) {
      fail(`${manifest}: ${e.message}`);
    }
    for (const icon of icons) {
      const path = typeof icon?.src === 'string' ? buildPath(icon.src, manifest) : null;
      if (path === null) fail(`${manifest} names an icon outside the build: ${JSON.stringify(icon?.src)}`);
      files.add(path);
    }
  }
  for (const f of files) if (!existsSync(join(dir, f))) fail(`the shell names ${f}, which the build does not have`);
  return [...files].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
}

/** Compiles src/sw/sw.ts into DIR/sw.js precaching `shell` into the cache `tether-shell-<contentHash>`. */
export function writeServiceWorker(dir, shell, contentHash) {
  const list = shell.map((path) => ({
    path,
    integrity: `sha384-${createHash('sha384').update(readFileSync(join(dir, path))).digest('base64')}`,
  }));
  const cache = `${CACHE_PREFIX}${contentHash}`;
  const out = buildSync({
    entryPoints: ['src/sw/sw.ts'],
    absWorkingDir: webDir, // keeps the paths esbuild writes in comments the same on every machine
    bundle: true,
    format: 'iife',
    target: 'es2022',
    platform: 'browser',
    charset: 'utf8',
    legalComments: 'none',
    write: false,
    define: { __TETHER_SHELL__: JSON.stringify(list), __TETHER_CACHE__: JSON.stringify(cache) },
    logLevel: 'error',
  });
  writeFileSync(join(dir, SW_FILE), out.outputFiles[0].contents);
  return cache;
}
