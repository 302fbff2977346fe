// One browser profile paired with two real `tether daemon`s (two homes, both linked to the same
// real `tether relay`, which serves the app): each computer's sessions show on its own screen
// and never on the other's; `tether devices revoke` at one daemon shows that computer as revoked
// while the other stays connected, its sessions still load and a new one still appears.
//
// node tests/e2e/web_two_daemons.mjs --tether PATH [--web-root DIR] [--chromium PATH]
// Without --web-root the app is built into a temp directory first (vite build + sri.mjs).

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  arg,
  BrowserTest,
  buildApp,
  CHROMIUM,
  chromium,
  newHome,
  pairInBrowser,
  startLinkedDaemon,
  startPair,
  startRelay,
  TETHER,
  tetherStatus,
} from './lib.mjs';

const test = new BrowserTest('web two daemons');
const { work, procs, step } = test;

function tether(...args) {
  return execFileSync(TETHER, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 30_000 });
}

/** A terminal session on the daemon of `home` that prints `marker` and then waits. */
function terminalSession(home, name, marker) {
  return tether('run', '--home', home, '--provider', 'terminal', '--detach', '--name', name, '--cwd', work, '--', 'sh', '-c', `echo ${marker}; sleep 120`).trim();
}

/** The names on the sessions screen of `daemonId`, once `expected` are all there. */
async function sessionNames(page, origin, daemonId, expected) {
  await page.goto(`${origin}/#/host/${daemonId}`);
  for (const name of expected) await page.locator('.row', { hasText: name }).waitFor();
  return page.locator('.row .row-title').allInnerTexts();
}

async function main() {
  assert.ok(existsSync(CHROMIUM), `no Chromium at ${CHROMIUM} (scripts/bootstrap installs Debian's chromium)`);
  const webRoot = arg('web-root', null) ?? buildApp(join(work, 'dist'));
  const { origin } = await startRelay(procs, webRoot);
  const homes = { alpha: newHome(work, 'home-alpha'), beta: newHome(work, 'home-beta') };
  await Promise.all(Object.values(homes).map((home) => startLinkedDaemon(procs, home, origin)));
  const ids = Object.fromEntries(Object.entries(homes).map(([k, home]) => [k, tetherStatus(TETHER, home).daemon_id]));
  assert.notEqual(ids.alpha, ids.beta);
  step('two daemons on two homes are linked to one relay');

  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
  try {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    const problems = [];
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));

    const devices = {};
    for (const [k, home] of Object.entries(homes)) {
      const pair = startPair(procs, home);
      const { result } = await pairInBrowser(page, (await pair.offer).link, pair.done, { name: `phone-${k}` });
      devices[k] = result.device_id;
      await page.getByText('No sessions on this computer yet.').waitFor();
    }
    await page.goto(`${origin}/#/`);
    for (const id of Object.values(ids)) {
      await page.locator(`a.row[href="#/host/${id}"] .badge.conn-connected`).waitFor();
    }
    assert.equal(await page.locator('ul[aria-label="Paired computers"] a.row').count(), 2);
    step('one browser profile paired with both daemons; both connected at once');

    terminalSession(homes.alpha, 'alpha-term', 'alpha-ready');
    const betaTerm = terminalSession(homes.beta, 'beta-term', 'beta-ready');
    assert.deepEqual(await sessionNames(page, origin, ids.alpha, ['alpha-term']), ['alpha-term']);
    assert.deepEqual(await sessionNames(page, origin, ids.beta, ['beta-term']), ['beta-term']);
    step("each computer's screen lists its own session and not the other's");

    tether('devices', 'revoke', '--home', homes.alpha, devices.alpha);
    await page.goto(`${origin}/#/`);
    await page.locator(`a.row[href="#/host/${ids.alpha}"] .badge.conn-revoked`).waitFor();
    await page.locator(`a.row[href="#/host/${ids.beta}"] .badge.conn-connected`).waitFor();
    await page.goto(`${origin}/#/host/${ids.alpha}`);
    await page.locator('p.error[role="status"]').waitFor();
    step('a revoke at one daemon shows that computer as revoked; the other stays connected');

    assert.deepEqual(await sessionNames(page, origin, ids.beta, ['beta-term']), ['beta-term']);
    terminalSession(homes.beta, 'beta-two', 'beta-two-ready');
    await page.locator('.row', { hasText: 'beta-two' }).waitFor();
    await page.goto(`${origin}/#/host/${ids.beta}/s/${betaTerm}`);
    const rows = page.getByTestId('terminal').locator('.xterm-rows');
    await rows.waitFor();
    await page.waitForFunction((el) => el.innerText.includes('beta-ready'), await rows.elementHandle());
    step('the other computer still loads its sessions, and a new one appears by itself');

    assert.deepEqual(problems, [], 'the page threw');
  } finally {
    await browser.close();
  }
}

await test.run(main, 120_000, 'the two-daemon test');
