// After `vite build`: gives every <script src> and <link rel=stylesheet|modulepreload> in
// index.html a Subresource Integrity hash (sha384) and `crossorigin`, refuses inline scripts
// and styles (the CSP would block them anyway), writes the service worker sw.js (scripts/sw.mjs),
// writes app-hash.txt, and prints the size of the initial JS + CSS, raw and gzipped.
//
// app-hash.txt holds one line: the SHA-256 (hex) of the manifest `<sha256 hex>  <path>\n` of
// every other file under the output directory, sorted by path (bytewise), which is what
//   cd DIR && find . -type f ! -name app-hash.txt | sed 's|^\./||' | LC_ALL=C sort | xargs sha256sum | sha256sum
// prints. sw.js is one of those files; its cache name is the same hash taken without sw.js
// (it cannot contain a hash of itself). Usage: node scripts/sri.mjs DIR

import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, posix, relative, sep } from 'node:path';
import { gzipSync } from 'node:zlib';
import { SW_FILE, shellFiles, writeServiceWorker } from './sw.mjs';

const HASH_FILE = 'app-hash.txt';

function fail(message) {
  console.error(`sri: ${message}`);
  process.exit(1);
}

const ATTR = /([^\s=/>]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'>]+))?/g;

function parseAttrs(text) {
  const attrs = [];
  for (const m of text.matchAll(ATTR)) {
    const raw = m[2];
    const value = raw === undefined ? null : raw.replace(/^["']|["']$/g, '');
    attrs.push([m[1].toLowerCase(), value]);
  }
  return attrs;
}

function renderTag(name, attrs) {
  const parts = attrs.map(([k, v]) => (v === null ? k : `${k}="${v.replaceAll('"', '&quot;')}"`));
  return `<${name} ${parts.join(' ')}>`;
}

/** The file under DIR a same-origin relative or root-relative URL names; refuses anything else. */
function localFile(dir, url, tag) {
  if (/^[a-z][a-z0-9+.-]*:/i.test(url) || url.startsWith('//')) fail(`${tag} loads ${url} from elsewhere; only the app's own files are allowed`);
  const path = posix.normalize(url.split(/[?#]/)[0].replace(/^\.?\//, ''));
  if (path.startsWith('..')) fail(`${tag} points outside the build: ${url}`);
  return join(dir, path);
}

function sri(bytes) {
  return `sha384-${createHash('sha384').update(bytes).digest('base64')}`;
}

function walk(dir) {
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...walk(p));
    else if (e.isFile()) out.push(p);
  }
  return out;
}

/** The app hash of DIR, leaving out app-hash.txt and the files in `skip`. */
function appHash(dir, skip = []) {
  const files = walk(dir)
    .map((p) => relative(dir, p).split(sep).join('/'))
    .filter((p) => p !== HASH_FILE && !skip.includes(p))
    .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  const manifest = files
    .map((p) => `${createHash('sha256').update(readFileSync(join(dir, p))).digest('hex')}  ${p}\n`)
    .join('');
  return createHash('sha256').update(manifest).digest('hex');
}

function main() {
  const dir = process.argv[2];
  if (!dir) fail('usage: node scripts/sri.mjs DIR');
  const indexPath = join(dir, 'index.html');
  let html = readFileSync(indexPath, 'utf8');

  if (/<style[\s>]/i.test(html)) fail('index.html has an inline <style>');
  if (/\sstyle\s*=/i.test(html)) fail('index.html has a style attribute');
  if (/\son[a-z]+\s*=/i.test(html)) fail('index.html has an inline event handler');

  const initial = [];
  html = html.replace(/<(script|link)\b([^>]*)>/gi, (whole, rawName, rawAttrs) => {
    const name = rawName.toLowerCase();
    const attrs = parseAttrs(rawAttrs.replace(/\/\s*$/, ''));
    const get = (k) => attrs.find(([a]) => a === k)?.[1];
    let url;
    if (name === 'script') {
      url = get('src');
      if (url === undefined || url === null) fail('index.html has an inline <script>');
    } else {
      const rel = (get('rel') ?? '').toLowerCase().split(/\s+/);
      if (!rel.includes('stylesheet') && !rel.includes('modulepreload')) return whole;
      url = get('href');
      if (!url) fail(`a <link rel=${rel.join(' ')}> without href`);
    }
    const file = localFile(dir, url, `<${name}>`);
    const bytes = readFileSync(file);
    initial.push({ url, bytes });
    const kept = attrs.filter(([k]) => k !== 'integrity' && k !== 'crossorigin');
    kept.push(['crossorigin', null], ['integrity', sri(bytes)]);
    return renderTag(name, kept);
  });
  writeFileSync(indexPath, html);

  const shell = shellFiles(dir, html, fail);
  const cache = writeServiceWorker(dir, shell, appHash(dir, [SW_FILE]));

  const hash = appHash(dir);
  writeFileSync(join(dir, HASH_FILE), `${hash}\n`);

  const raw = initial.reduce((n, f) => n + f.bytes.length, 0);
  const gz = initial.reduce((n, f) => n + gzipSync(f.bytes, { level: 9 }).length, 0);
  const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
  console.log(`sri: ${initial.length} file(s) in index.html carry integrity hashes`);
  console.log(`sri: initial JS+CSS ${kib(raw)}, ${kib(gz)} gzipped (${gz} bytes)`);
  console.log(`sri: ${SW_FILE} precaches ${shell.length} file(s) in cache ${cache}`);
  console.log(`sri: app hash ${hash} (${HASH_FILE})`);
}

main();
