// Browser test of pairing by QR code: the QR code that `tether pair` draws in the terminal is
// turned into a camera feed (a YUV4MPEG2 file Chromium plays as its fake camera), the Pair
// screen's scanner reads it, and pairing goes on as from a link: the SAS on the page equals
// the one `tether pair` prints, and the computer joins the list. A second browser, whose
// camera shows some other QR code, gets the "not a tether pairing link" message (and axe-core
// finds no WCAG A/AA violation in the scanner) and cancels. Both check that the camera is
// released, that the QR decoder is not in the first load, and that nothing breaks the CSP.
//
// node tests/e2e/web_qr.mjs --tether PATH [--web-root DIR] [--chromium PATH] [--screenshots DIR]
// Without --web-root the app is built into a temp directory first (vite build + sri.mjs).

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  arg,
  axeWcag,
  BrowserTest,
  buildApp,
  CHROMIUM,
  chromium,
  newHome,
  SHOTS,
  startLinkedDaemon,
  startRelay,
  submitPairForm,
  TETHER,
  waitFor,
  webDir,
} from './lib.mjs';

const test = new BrowserTest('web qr');
const { work, procs, step } = test;

/**
 * The modules of the QR code `tether pair` prints (src/cli/qr_text.cpp): two module rows per
 * line, a drawn half block for a light module and a blank for a dark one, quiet zone included.
 * Returns rows of booleans, true for dark.
 */
function modulesFromTerminal(text) {
  const lines = text.split('\n').filter((l) => /^[█▀▄ ]+$/.test(l) && /[█▀▄]/.test(l));
  assert.ok(lines.length > 10, `no QR code in the output of tether pair:\n${text}`);
  const size = [...lines[0]].length;
  const rows = [];
  for (const line of lines) {
    const cells = [...line];
    assert.equal(cells.length, size, 'ragged QR code lines');
    rows.push(cells.map((c) => c !== '█' && c !== '▀'), cells.map((c) => c !== '█' && c !== '▄'));
  }
  // An odd size leaves a last half-line whose lower half is not part of the code.
  return rows.slice(0, size);
}

/** The modules of a fixture drawn by `qrencode -t ASCII` (web/test/host/fixtures/README.md). */
function modulesFromFixture(name) {
  const text = readFileSync(join(webDir, 'test/host/fixtures', name), 'utf8');
  return text.split('\n').filter((l) => l.length > 0).map((l) => Array.from({ length: l.length / 2 }, (_, i) => l[2 * i] === '#'));
}

/**
 * A YUV4MPEG2 file (4:2:0) of a few identical 640×480 frames: the code in black on white in
 * the middle, with a margin of four modules, on a grey background. Chromium plays it in a loop
 * as its camera with --use-file-for-fake-video-capture.
 */
function y4mOf(modules, path) {
  const W = 640;
  const H = 480;
  const n = modules.length;
  const scale = Math.floor((H - 40) / (n + 8));
  const side = (n + 8) * scale;
  const x0 = (W - side) >> 1;
  const y0 = (H - side) >> 1;
  const luma = Buffer.alloc(W * H, 128);
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const dark = modules[Math.floor(y / scale) - 4]?.[Math.floor(x / scale) - 4] ?? false;
      luma[(y0 + y) * W + x0 + x] = dark ? 16 : 235;
    }
  }
  const chroma = Buffer.alloc((W / 2) * (H / 2) * 2, 128);
  const frame = Buffer.concat([Buffer.from('FRAME\n'), luma, chroma]);
  writeFileSync(path, Buffer.concat([Buffer.from(`YUV4MPEG2 W${W} H${H} F10:1 Ip A1:1 C420jpeg\n`), ...Array(5).fill(frame)]));
  return path;
}

/** A browser whose camera shows `video`, with the app's page watched for errors and chunk loads. */
async function openBrowser(video, origin) {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${video}`],
  });
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
  await context.grantPermissions(['camera'], { origin });
  const page = await context.newPage();
  const problems = [];
  const scripts = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
  page.on('request', (r) => r.resourceType() === 'script' && scripts.push(new URL(r.url()).pathname));
  await page.addInitScript(() => {
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
    // Every video that plays, as it starts (the scanner's may be gone by the time it is checked).
    window.__played = [];
    document.addEventListener('playing', (e) => {
      const v = e.target;
      window.__played.push({ label: v.getAttribute('aria-label'), width: v.videoWidth, height: v.videoHeight, muted: v.muted, inline: v.playsInline, camera: v.srcObject instanceof MediaStream });
    }, true);
    // Keep every camera stream the page opens, to check afterwards that it was stopped.
    window.__streams = [];
    const md = navigator.mediaDevices;
    if (md) {
      const gum = md.getUserMedia.bind(md);
      md.getUserMedia = async (c) => {
        const s = await gum(c);
        window.__streams.push(s);
        return s;
      };
    }
  });
  const shot = async (name) => SHOTS && (mkdirSync(SHOTS, { recursive: true }), await page.screenshot({ path: join(SHOTS, `qr-${name}.png`) }));
  return { browser, page, problems, scripts, shot };
}

/** How many camera tracks the page opened, and whether all of them have ended. */
const cameraTracks = (page) =>
  page.evaluate(() => {
    const tracks = window.__streams.flatMap((s) => s.getTracks());
    return { opened: tracks.length, live: tracks.filter((t) => t.readyState !== 'ended').length };
  });

/** Opens the Pair screen and the scanner; returns once the camera's frames play in the page. */
async function openScanner(b, origin) {
  await b.page.goto(`${origin}/#/pair`);
  await b.page.getByRole('button', { name: 'Scan QR code' }).waitFor();
  await b.page.waitForLoadState('networkidle');
  assert.ok(!b.scripts.some((s) => /jsQR/i.test(s)), `the QR decoder is in the first load: ${b.scripts.join(' ')}`);
  await b.shot('pair');
  await b.page.getByRole('button', { name: 'Scan QR code' }).click();
  const played = await waitFor(() => b.page.evaluate(() => window.__played[0]), 'camera frames in the video');
  assert.deepEqual(played, { label: 'Camera view', width: 640, height: 480, muted: true, inline: true, camera: true });
  return b.page.evaluate(() => ('BarcodeDetector' in window ? 'barcode-detector' : 'jsqr'));
}

async function main() {
  assert.ok(existsSync(CHROMIUM), `no Chromium at ${CHROMIUM} (scripts/bootstrap installs Debian's chromium)`);
  const webRoot = arg('web-root', null) ?? buildApp(join(work, 'dist'));

  const { origin } = await startRelay(procs, webRoot);
  const home = newHome(work, 'home');
  await startLinkedDaemon(procs, home, origin);
  step('a daemon is linked to a relay that serves the app');

  // Some other QR code: the scanner says so, keeps looking, and Cancel releases the camera.
  const other = await openBrowser(y4mOf(modulesFromFixture('not_tether.txt'), join(work, 'other.y4m')), origin);
  try {
    const via = await openScanner(other, origin);
    const status = other.page.getByRole('status').filter({ hasText: 'not a tether pairing link' });
    await status.waitFor({ timeout: 20_000 });
    await other.shot('not-tether');
    assert.deepEqual(await axeWcag(other.page), [], 'axe finds WCAG violations in the scanner');
    if (via === 'jsqr') assert.ok(other.scripts.some((s) => /jsQR/i.test(s)), 'the QR decoder chunk was not loaded');
    assert.equal((await cameraTracks(other.page)).live, 1);
    await other.page.getByRole('button', { name: 'Cancel' }).click();
    await other.page.getByRole('button', { name: 'Scan QR code' }).waitFor();
    assert.deepEqual(await cameraTracks(other.page), { opened: 1, live: 0 });
    assert.deepEqual(other.problems, []);
    assert.deepEqual(await other.page.evaluate(() => window.__csp), []);
    step(`another QR code is named as not a pairing link (read by ${via}); no axe violation; Cancel stops the camera`);
  } finally {
    await other.browser.close();
  }

  // The QR code tether pair draws in the terminal, shown to the camera.
  const pair = procs.start(['pair', '--home', home, '--yes', '--name', 'qr phone'], /Open this link[^\n]*:\n\n {2}(\S+)\n/);
  const link = (await pair.seen)[1];
  assert.ok(link.startsWith(`${origin}/#offer=`), link);
  const offer = JSON.parse(Buffer.from(link.split('#offer=')[1], 'base64url').toString('utf8'));
  const video = y4mOf(modulesFromTerminal(pair.log()), join(work, 'pair.y4m'));

  const b = await openBrowser(video, origin);
  try {
    const via = await openScanner(b, origin);
    await b.shot('scanning');
    step(`"Scan QR code" shows the rear camera's video (${via === 'jsqr' ? 'jsQR loaded on demand' : 'BarcodeDetector'})`);

    await b.page.getByRole('button', { name: 'Pair', exact: true }).waitFor({ timeout: 20_000 });
    assert.ok(await b.page.getByText(`${offer.daemon_id.slice(0, 12)}…`).isVisible(), 'the form names another computer');
    assert.deepEqual(await cameraTracks(b.page), { opened: 1, live: 0 });
    if (via === 'jsqr') assert.ok(b.scripts.some((s) => /jsQR/i.test(s)), 'the QR decoder chunk was not loaded');
    await b.shot('scanned');
    step('the scanned offer opens the pairing form for that computer, and the camera is stopped');

    const { sas, out } = await submitPairForm(b.page, 'qr phone', pair.done);
    const printed = /SAS: (\d{3}) (\d{3})/.exec(out);
    assert.ok(printed, out);
    assert.equal(sas, printed[1] + printed[2], 'the SAS on the page differs from tether pair');
    await b.shot('sas');
    step(`both ends show SAS ${sas}`);

    await b.page.getByText('No sessions on this computer yet.').waitFor();
    await b.page.goto(`${origin}/#/`);
    const row = b.page.locator('.row').first();
    await row.locator('.badge.conn-connected').waitFor({ timeout: 20_000 });
    const devices = JSON.parse(execFileSync(TETHER, ['devices', '--home', home, '--json'], { encoding: 'utf8' }));
    assert.ok(JSON.stringify(devices).includes('qr phone'), JSON.stringify(devices));
    await b.shot('hosts');
    step('the computer is in the list, connected, and lists the device');

    assert.deepEqual(b.problems, [], 'the page logged errors');
    assert.deepEqual(await b.page.evaluate(() => window.__csp), []);
    step('no console error, failed request or CSP violation');
  } finally {
    await b.browser.close();
  }
}

await test.run(main, 150_000, 'the whole QR test');
