// The web app as an installable PWA: the production build served by a real `tether relay
// --web-root`, in Debian's Chromium driven headless by playwright-core at 390×844. Checks the
// manifest and its icons, that the service worker registers and controls the page after a
// reload, that its cache holds exactly the app shell (never /v1/ or /healthz, even after the
// page fetched /healthz), that the app still starts with the relay stopped, and that Chromium
// reports no installability error.
//
// node tests/e2e/web_pwa.mjs --tether PATH [--web-root DIR] [--chromium PATH]
// Without --web-root the app is built into a temp directory first (vite build + sri.mjs).

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BrowserTest, CHROMIUM, TETHER, appHash, arg, buildApp, buildFiles, chromium, startRelay, waitFor, withTimeout } from './lib.mjs';

const test = new BrowserTest('web pwa');
const { work, procs, step } = test;

/** The app shell as the build defines it, found independently of sw.js: index.html, what its
 *  <script>/<link> tags load from the build, and the manifest's icons. */
function expectedShell(webRoot) {
  const html = readFileSync(join(webRoot, 'index.html'), 'utf8');
  const shell = new Set(['index.html']);
  for (const m of html.matchAll(/<(?:script|link)\b[^>]*\s(?:src|href)="\.\/([^"]+)"/gi)) shell.add(m[1]);
  const manifest = JSON.parse(readFileSync(join(webRoot, 'manifest.webmanifest'), 'utf8'));
  for (const icon of manifest.icons) shell.add(icon.src);
  return [...shell].sort();
}

/** Width and height from a PNG's IHDR. */
function pngSize(bytes) {
  assert.equal(bytes.subarray(1, 4).toString('latin1'), 'PNG', 'not a PNG');
  return `${bytes.readUInt32BE(16)}x${bytes.readUInt32BE(20)}`;
}

async function checkManifest(page, origin) {
  const href = await page.locator('link[rel="manifest"]').getAttribute('href');
  assert.equal(href, './manifest.webmanifest');
  const res = await fetch(`${origin}/manifest.webmanifest`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /^application\/manifest\+json/);
  const m = JSON.parse(await res.text());
  assert.equal(m.name, 'tether');
  assert.ok(m.short_name, 'short_name');
  assert.equal(m.start_url, './');
  assert.equal(m.scope, './');
  assert.equal(m.display, 'standalone');
  assert.match(m.background_color, /^#[0-9a-f]{6}$/i);
  const themeMeta = await page.locator('meta[name="theme-color"]').getAttribute('content');
  assert.equal(m.theme_color, themeMeta, 'the manifest theme_color differs from index.html');

  const pngs = m.icons.filter((i) => i.type === 'image/png');
  for (const want of [
    { sizes: '192x192', purpose: 'any' },
    { sizes: '512x512', purpose: 'any' },
    { sizes: '512x512', purpose: 'maskable' },
  ]) {
    assert.ok(pngs.some((i) => i.sizes === want.sizes && (i.purpose ?? 'any').split(' ').includes(want.purpose)), `no ${want.purpose} ${want.sizes} PNG icon`);
  }
  assert.ok(m.icons.some((i) => i.type === 'image/svg+xml' && i.src === 'icon.svg'), 'the SVG icon is not listed');
  for (const icon of m.icons) {
    const r = await fetch(new URL(icon.src, `${origin}/manifest.webmanifest`));
    assert.equal(r.status, 200, icon.src);
    assert.equal((r.headers.get('content-type') ?? '').split(';')[0], icon.type, icon.src);
    if (icon.type === 'image/png') assert.equal(pngSize(Buffer.from(await r.arrayBuffer())), icon.sizes, icon.src);
  }
  const touch = await page.locator('link[rel="apple-touch-icon"]').getAttribute('href');
  const t = await fetch(new URL(touch, `${origin}/`));
  assert.equal(t.headers.get('content-type'), 'image/png');
  assert.equal(pngSize(Buffer.from(await t.arrayBuffer())), '180x180');
  return m;
}

/** Every cache of the page's origin, with its entries as paths. */
function listCaches(page) {
  return page.evaluate(async () => {
    const out = {};
    for (const name of await caches.keys()) {
      const keys = await (await caches.open(name)).keys();
      out[name] = keys.map((r) => new URL(r.url).pathname.replace(/^\//, '')).sort();
    }
    return out;
  });
}

async function main() {
  assert.ok(existsSync(CHROMIUM), `no Chromium at ${CHROMIUM} (scripts/bootstrap installs Debian's chromium)`);
  const webRoot = arg('web-root', null) ?? buildApp(join(work, 'dist'));
  const recorded = readFileSync(join(webRoot, 'app-hash.txt'), 'utf8').trim();
  const shell = expectedShell(webRoot);

  const cli = JSON.parse(execFileSync(TETHER, ['app-hash', '--json', webRoot], { encoding: 'utf8' }));
  assert.ok(buildFiles(webRoot).includes('sw.js'), 'the build has no sw.js');
  assert.equal(cli.hash, recorded, 'tether app-hash differs from app-hash.txt');
  assert.equal(cli.matches, true);
  step(`tether app-hash agrees with app-hash.txt over ${cli.files} files, sw.js among them`);

  const relay = await startRelay(procs, webRoot);
  const { origin } = relay;
  const sw = await fetch(`${origin}/sw.js`);
  assert.equal(sw.status, 200);
  assert.match(sw.headers.get('content-type') ?? '', /^text\/javascript/);
  step('the relay serves sw.js as JavaScript');

  // A persistent profile: Chromium reports an incognito context (newContext) as not installable.
  const context = await chromium.launchPersistentContext(join(work, 'profile'), {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox'],
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    serviceWorkers: 'allow',
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    const problems = [];
    page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    await page.goto(`${origin}/`);
    await page.getByRole('navigation', { name: 'Main' }).waitFor();

    const manifest = await checkManifest(page, origin);
    step(`the manifest is linked, has the required fields and ${manifest.icons.length} icons served with their types`);

    await waitFor(
      () => page.evaluate(async () => (await navigator.serviceWorker.getRegistration()) !== undefined),
      'a service worker registration (the app calls registerServiceWorker() from src/pwa.ts at start)',
      15_000,
    );
    const active = await withTimeout(
      page.evaluate(async () => {
        const r = await navigator.serviceWorker.ready;
        const w = r.active;
        if (w.state !== 'activated') await new Promise((ok) => w.addEventListener('statechange', () => w.state === 'activated' && ok()));
        return { script: w.scriptURL, scope: r.scope };
      }),
      30_000,
      'the service worker to activate',
    );
    assert.deepEqual(active, { script: `${origin}/sw.js`, scope: `${origin}/` });
    await page.reload();
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
    const controller = await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL ?? null);
    assert.equal(controller, `${origin}/sw.js`);
    step('the service worker registers with scope ./ and controls the page after a reload');

    const health = await page.evaluate(async () => {
      const r = await fetch('./healthz');
      return { status: r.status, body: await r.text() };
    });
    assert.equal(health.status, 200, JSON.stringify(health));
    const cached = await listCaches(page);
    const cacheName = `tether-shell-${appHash(webRoot, ['sw.js'])}`;
    assert.deepEqual(Object.keys(cached), [cacheName], 'one cache, named by the hash of the build');
    assert.deepEqual(cached[cacheName], shell, 'the cache holds exactly the app shell');
    assert.ok(!cached[cacheName].some((p) => p.startsWith('v1/') || p === 'healthz' || p === 'metrics'));
    step(`the cache holds exactly the ${shell.length} shell files, nothing fetched from /healthz or /v1/`);

    const cdp = await context.newCDPSession(page);
    const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
    assert.deepEqual(installabilityErrors, [], JSON.stringify(installabilityErrors));
    const appManifest = await cdp.send('Page.getAppManifest');
    assert.deepEqual(appManifest.errors, [], JSON.stringify(appManifest.errors));
    step('Chromium reports no installability error and no manifest error');

    assert.deepEqual(problems, [], 'the page logged errors');
    step('no console error while online');

    assert.equal(await procs.stop(relay.proc), 0, relay.log());
    const down = await page.evaluate(() => fetch('./healthz').then((r) => r.status, () => 'failed'));
    assert.equal(down, 'failed', '/healthz was answered with the relay stopped');
    await page.reload();
    await page.getByRole('navigation', { name: 'Main' }).waitFor({ timeout: 15_000 });
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('heading', { name: 'Settings' }).waitFor();
    assert.equal(await page.evaluate(() => navigator.serviceWorker.controller !== null), true);
    step('with the relay stopped the app shell still starts from the cache (and /healthz is not served from it)');
  } finally {
    await context.close();
  }
}

await test.run(main, 150_000, 'the whole PWA test');
