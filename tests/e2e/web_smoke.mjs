// Browser smoke test of the web app: the production build served by a real `tether relay
// --web-root`, a real `tether daemon` linked to it, and Debian's Chromium driven headless by
// playwright-core at 390×844. Pairs by link (the SAS on the page equals `tether pair`'s),
// lists sessions, reconnects after a reload with the stored key, follows `tether key rotate`
// to the daemon's new id and key, checks that the stored key is a non-extractable CryptoKey,
// that the page logs no error, and that the CSP blocks inline script.
//
// node tests/e2e/web_smoke.mjs --tether PATH [--web-root DIR] [--chromium PATH] [--screenshots DIR]
// Without --web-root the app is built into a temp directory first (vite build + sri.mjs).

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  arg,
  BrowserTest,
  buildApp,
  CHROMIUM,
  chromium,
  newHome as makeHome,
  pairInBrowser as pair,
  SHOTS,
  startLinkedDaemon,
  startPair as pairOffer,
  startRelay,
  TETHER,
  waitFor,
} from './lib.mjs';

const test = new BrowserTest('web smoke');
const { work, procs, step } = test;

const startPair = (home, ...extra) => pairOffer(procs, home, ...extra);
const newHome = (name) => makeHome(work, name);
const pairInBrowser = (page, link, pairDone, shot) => pair(page, link, pairDone, { name: 'smoke phone', shot });

/** A daemon with no relay, serving the app itself on its direct listener; a read-only pairing. */
async function directMode(browser, webRoot) {
  const home = newHome('home-direct');
  const daemon = procs.start(['daemon', '--home', home, '--listen', '127.0.0.1:0', '--web-root', webRoot], /direct: (http:\/\/127\.0\.0\.1:\d+)/);
  const origin = (await daemon.seen)[1];
  const pair = startPair(home, '--read-only');
  const offer = await pair.offer;
  assert.ok(offer.link.startsWith(`${origin}/#offer=`), offer.link);
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  const { sas } = await pairInBrowser(page, offer.link, pair.done);
  await page.getByText('No sessions on this computer yet.').waitFor();
  await page.goto(`${origin}/#/`);
  const row = page.locator('.row').first();
  await row.locator('.badge.conn-connected').waitFor();
  assert.match(await row.innerText(), /via direct · read-only/);
  assert.deepEqual(problems, []);
  await context.close();
  step(`paired directly (read-only) with the app served by the daemon; SAS ${sas}`);
}

async function main() {
  assert.ok(existsSync(CHROMIUM), `no Chromium at ${CHROMIUM} (scripts/bootstrap installs Debian's chromium)`);
  const webRoot = arg('web-root', null) ?? buildApp(join(work, 'dist'));
  const appHash = readFileSync(join(webRoot, 'app-hash.txt'), 'utf8').trim();

  const { origin } = await startRelay(procs, webRoot);

  const res = await fetch(`${origin}/`);
  assert.equal(res.status, 200);
  const csp = res.headers.get('content-security-policy') ?? '';
  assert.match(csp, /script-src 'self'/);
  assert.match(csp, /connect-src 'self'/);
  step('the relay serves index.html with its CSP');

  const home = newHome('home');
  let daemon = await startLinkedDaemon(procs, home, origin);
  step('the daemon is linked to the relay');

  const pair = startPair(home, '--name', 'smoke phone');
  const offer = await pair.offer;
  assert.ok(offer.link.startsWith(`${origin}/#offer=`), offer.link);
  const pairDone = pair.done;

  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
  try {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    const problems = [];
    page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    // ERR_ABORTED is a load cut short by the next navigation (the reload below), not a failure.
    page.on('requestfailed', (r) => r.failure()?.errorText !== 'net::ERR_ABORTED' && problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
    await page.addInitScript(() => {
      window.__csp = [];
      document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
    });
    const shot = async (name) => SHOTS && (mkdirSync(SHOTS, { recursive: true }), await page.screenshot({ path: join(SHOTS, `${name}.png`) }));

    const { sas, result } = await pairInBrowser(page, offer.link, pairDone, shot);
    step(`paired through the relay; both ends show SAS ${sas}`);

    await page.getByText('No sessions on this computer yet.').waitFor();
    execFileSync(TETHER, ['run', '--home', home, '--provider', 'terminal', '--detach', '--name', 'smoke-term', '--cwd', work, '--', 'sleep', '120'],
      { stdio: ['ignore', 'ignore', 'inherit'], timeout: 20_000 });
    const row = page.locator('.row', { hasText: 'smoke-term' });
    await row.waitFor();
    assert.match(await row.innerText(), /terminal/);
    await row.locator('.badge.status-running').waitFor();
    await shot('sessions');
    step('a session started on the computer appears on the sessions screen by itself (session.watch)');

    /** The hosts saved in IndexedDB, as the page stored them. */
    const saved = () =>
      page.evaluate(async () => {
        const db = await new Promise((ok, bad) => {
          const r = indexedDB.open('tether');
          r.onsuccess = () => ok(r.result);
          r.onerror = () => bad(r.error);
        });
        const hosts = await new Promise((ok, bad) => {
          const r = db.transaction('hosts').objectStore('hosts').getAll();
          r.onsuccess = () => ok(r.result);
          r.onerror = () => bad(r.error);
        });
        return hosts.map((h) => {
          const k = h.key?.privateKey;
          const key = { isKey: k instanceof CryptoKey, extractable: k?.extractable, alg: k?.algorithm?.name };
          return { daemon_id: h.daemon_id, noise_key: h.noise_key, device: h.device_id, key };
        });
      });
    const before = await saved();
    assert.equal(before.length, 1);
    assert.deepEqual(before[0].key, { isKey: true, extractable: false, alg: 'X25519' });
    assert.equal(before[0].device, result.device_id);
    step('the device key in IndexedDB is a non-extractable X25519 CryptoKey');

    await page.goto(`${origin}/#/`);
    await page.reload(); // a new document: the pairing's link is gone, the stored key dials again
    await page.locator('.badge.conn-connected').waitFor({ timeout: 20_000 });
    await shot('hosts');
    assert.equal(daemon.log().match(/device \S+ connected/g)?.length, 2, daemon.log());
    step('after a reload the host reconnects with its stored key');

    const sockets = [];
    page.on('websocket', (ws) => sockets.push(ws.url()));
    await procs.stop(daemon.proc);
    const rotated = JSON.parse(execFileSync(TETHER, ['key', 'rotate', '--home', home, '--json'], { encoding: 'utf8', timeout: 30_000 }));
    assert.equal(rotated.old_daemon_id, before[0].daemon_id);
    daemon = await startLinkedDaemon(procs, home, origin);
    await waitFor(async () => (await saved())[0]?.daemon_id === rotated.daemon_id, 'the page to follow the key rotation');
    const after = await saved();
    assert.equal(after.length, 1);
    assert.notEqual(after[0].noise_key, before[0].noise_key);
    assert.deepEqual({ ...after[0], daemon_id: '', noise_key: '' }, { ...before[0], daemon_id: '', noise_key: '' });
    assert.ok(sockets.at(-1).endsWith(`/v1/connect/${before[0].daemon_id}`), sockets.join(' '));
    await page.reload();
    await page.locator('.badge.conn-connected').waitFor({ timeout: 20_000 });
    assert.ok(sockets.at(-1).endsWith(`/v1/connect/${rotated.daemon_id}`), sockets.join(' '));
    step('after `tether key rotate` the page saves the host under the new id and key, and dials the new id next');

    await page.goto(`${origin}/#/settings`);
    await page.getByText(appHash).waitFor();
    await shot('settings');
    step('settings shows the app hash from app-hash.txt');

    assert.deepEqual(problems, [], 'the page logged errors');
    assert.deepEqual(await page.evaluate(() => window.__csp), []);
    step('no console error, failed request or CSP violation');

    const ran = await page.evaluate(async () => {
      const s = document.createElement('script');
      s.textContent = 'window.__inlineRan = true';
      document.head.append(s);
      await new Promise((r) => setTimeout(r, 50));
      return { ran: window.__inlineRan === true, violations: window.__csp };
    });
    assert.equal(ran.ran, false, 'an inline script ran');
    assert.ok(ran.violations.some((v) => v.startsWith('script-src')), JSON.stringify(ran.violations));
    step('the CSP blocks an injected inline script');

    await directMode(browser, webRoot);
  } finally {
    await browser.close();
  }
}

await test.run(main, 150_000, 'the whole smoke test');
