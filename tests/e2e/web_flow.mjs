// The web app end to end, as a phone uses it: Debian's Chromium (headless, 390×844) against
// real `tether relay` and `tether daemon` processes running the real `claude` CLI, which talks
// to the fake Anthropic API (tests/fakes/fake_anthropic.py) on 127.0.0.1.
//
// Through the relay: pair by link (the page's SAS equals `tether pair`'s); start a Claude
// session from the app; the approval card comes, Allow once, the tool result shows and the file
// is on disk; another call is denied with a message the model reads back; the inbox lists and
// answers questions; the relay is restarted in the middle of a streamed answer: the page shows
// the offline banner, reconnects, and ends with exactly the events the store holds (seq by seq);
// a terminal session is typed into; a read-only device sees every mutating control disabled and
// a forced call is refused by the daemon. In direct mode (the daemon serves the app): the same
// approval flow, and a page on a foreign origin cannot talk to the daemon. Every screen is
// checked by axe-core (no serious or critical violation) and photographed at 390×844.
//
// node tests/e2e/web_flow.mjs --tether PATH [--web-root DIR] [--chromium PATH] [--screenshots DIR]

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import {
  arg,
  axeSerious,
  BrowserTest,
  buildApp,
  CHROMIUM,
  chromium,
  claudeEnv,
  newHome,
  pairInBrowser,
  repoDir,
  SHOTS,
  startFakeAnthropic,
  startLinkedDaemon,
  startPair,
  startRelay,
  TETHER,
  waitFor,
} from './lib.mjs';

const CLAUDE = process.env.CLAUDE_BIN ?? join(repoDir, 'agents/node_modules/.bin/claude');
const TURN_MS = 90_000;
const test = new BrowserTest('web flow');
const { work, procs, step } = test;

function tether(...args) {
  return execFileSync(TETHER, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 30_000 });
}

/** The store's events of a session, as `tether logs --json` prints them. */
function storedEvents(home, session) {
  return tether('logs', '--home', home, '--json', session)
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
}

/** The FNV-1a digest the app computes over "seq:kind\n" (web/src/host/follow.ts). */
function digest(events) {
  let h = 0x811c9dc5;
  for (const e of events) {
    const s = `${e.seq}:${e.kind}\n`;
    for (let i = 0; i < s.length; i++) {
      h ^= s.charCodeAt(i);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
  }
  return h.toString(16).padStart(8, '0');
}

/**
 * The page's sync record, read in one go, once it has reached the store's last seq, with the
 * store read before and after it and unchanged in between: an event that lands after the
 * session went idle can then not make the count and the digest come from two moments.
 */
async function settledSync(page, home, session) {
  let settled = null;
  await waitFor(async () => {
    const before = storedEvents(home, session);
    const sync = await page.getByTestId('sync').evaluate((el) => ({
      lastSeq: Number(el.dataset.lastSeq),
      applied: Number(el.dataset.applied),
      digest: el.dataset.digest,
    }));
    const after = storedEvents(home, session);
    if (before.length !== after.length || sync.lastSeq !== after.at(-1).seq) return false;
    settled = { events: after, sync };
    return true;
  }, 'the page to hold every stored event');
  return settled;
}

async function newPhone(browser, label) {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(`${label} console: ${m.text()}`));
  page.on('pageerror', (e) => problems.push(`${label} page error: ${e.message}`));
  page.setDefaultTimeout(TURN_MS);
  return { context, page, problems };
}

/** axe-core on the screen as it is, then a screenshot of it into --screenshots. */
async function check(page, name) {
  const bad = await axeSerious(page);
  assert.deepEqual(bad, [], `axe: serious or critical violations on the ${name} screen`);
  if (SHOTS) await page.screenshot({ path: join(SHOTS, `${name}.png`) });
}

/** The session id of the page's session view (from the address). */
function sessionIdOf(page) {
  const m = /\/s\/([A-Za-z0-9_-]+)$/.exec(new URL(page.url()).hash);
  assert.ok(m, `not on a session view: ${page.url()}`);
  return m[1];
}

/** Starts a Claude session from the New session screen; returns its id. */
async function startClaudeSession(page, cwd, prompt) {
  await page.getByRole('link', { name: 'New session' }).click();
  await page.getByRole('radio', { name: 'Claude Code' }).check();
  await page.getByLabel(/^Directory on/).fill(cwd);
  await page.getByLabel('First prompt').fill(prompt);
  await page.getByRole('button', { name: 'Start' }).click();
  await page.locator('.session .timeline').waitFor();
  return sessionIdOf(page);
}

async function sendPrompt(page, text) {
  await page.getByLabel('Message to the agent').fill(text);
  await page.getByRole('button', { name: 'Send' }).click();
}

async function waitIdle(page) {
  await page.locator('.header .badge.status-idle').waitFor({ timeout: TURN_MS });
}

/** Allow once: the card goes, the tool's result shows, the file is written. */
async function allowWrite(page, file, text, shotName) {
  const card = page.locator('.approval', { hasText: 'Allow Write?' });
  await card.waitFor();
  assert.match(await card.innerText(), new RegExp(file.split('/').pop().replace('.', '\\.')), 'the card names the file');
  if (shotName) await check(page, shotName);
  await card.getByRole('button', { name: 'Allow once' }).click();
  await page.locator('.tool.tool-done').first().waitFor();
  await waitIdle(page);
  assert.equal(readFileSync(file, 'utf8'), text);
}

/** Deny with a message: the model's next answer quotes it, the command never ran. */
async function denyBash(page, cwd) {
  const file = join(cwd, 'denied.txt');
  await sendPrompt(page, `please [bash:echo no > ${file}]`);
  const card = page.locator('.approval', { hasText: 'Allow Bash?' });
  await card.waitFor();
  await card.getByRole('button', { name: 'Deny…' }).click();
  await card.getByLabel(/What should the agent do instead/).fill('use the notes file instead');
  await card.getByRole('button', { name: 'Deny', exact: true }).click();
  await page.locator('.assistant', { hasText: 'use the notes file instead' }).waitFor();
  await waitIdle(page);
  assert.ok(!existsSync(file), 'a denied command ran');
  assert.match(await page.locator('.tool.tool-denied .decision').last().textContent(), /Denied by device .*use the notes file instead/);
}

async function relayMode(browser, webRoot, fake) {
  let relay = await startRelay(procs, webRoot);
  const { origin, port } = relay;
  const home = newHome(work, 'home-relay');
  const project = newHome(work, 'project');
  await startLinkedDaemon(procs, home, origin, ['--claude-bin', CLAUDE], claudeEnv(fake.url, join(work, 'agent')));

  const daemonId = JSON.parse(tether('status', '--home', home, '--json')).daemon_id;
  assert.match(daemonId, /^[A-Za-z0-9_-]{43}$/);

  // Pairing, through the relay.
  const phone = await newPhone(browser, 'phone');
  const { page } = phone;
  const pair = startPair(procs, home, '--name', 'phone');
  const offer = await pair.offer;
  const { sas } = await pairInBrowser(page, offer.link, pair.done, { name: 'phone', shot: (n) => check(page, n) });
  await page.getByText('No sessions on this computer yet.').waitFor();
  step(`paired through the relay; the page and tether pair show the same SAS ${sas}`);

  // A Claude session from the app: allow a write, deny a command with a message.
  const notes = join(project, 'notes.txt');
  const sid = await startClaudeSession(page, project, `please [write:${notes}:hi from the phone]`);
  await page.locator('.approval', { hasText: 'Allow Write?' }).waitFor();
  await page.getByRole('link', { name: /^Inbox/ }).click();
  const entry = page.locator('.inbox .card', { hasText: 'Allow Write?' });
  await entry.waitFor();
  await check(page, 'inbox');
  await page.getByRole('link', { name: sid }).click();
  await allowWrite(page, notes, 'hi from the phone', 'session-approval');
  step('a Claude session started from the app asked through the relay; Allow once wrote the file and the result shows');
  await denyBash(page, project);
  step('a command denied with a message never ran, and the model read the message');

  // The inbox answers in place.
  tether('send', '--home', home, sid, `again [write:${join(project, 'inbox.txt')}:from the inbox]`);
  await page.getByRole('link', { name: /^Inbox/ }).click();
  await page.locator('.inbox .card', { hasText: 'Allow Write?' }).getByRole('button', { name: 'Allow once' }).click();
  await page.getByText('Nothing is waiting for you.').waitFor();
  await waitFor(() => existsSync(join(project, 'inbox.txt')), 'the file allowed from the inbox', TURN_MS);
  step('a question asked by a prompt from the computer reached the inbox and was allowed there');

  // The relay restarts in the middle of a streamed answer.
  await page.evaluate((h) => (location.hash = h), `#/host/${daemonId}/s/${sid}`);
  await sendPrompt(page, 'talk slowly [slow]');
  await page.locator('.assistant-streaming', { hasText: 'slow slow' }).waitFor();
  const before = phone.problems.length;
  await procs.stop(relay.proc);
  await page.locator('.banner.offline').waitFor();
  if (SHOTS) await page.screenshot({ path: join(SHOTS, 'offline.png') });
  relay = await startRelay(procs, webRoot, `127.0.0.1:${port}`);
  await page.locator('.banner.offline').waitFor({ state: 'detached', timeout: 60_000 });
  // A reconnect tried while the relay was down is refused, and Chromium logs that: expected here, nothing else is.
  const refused = new RegExp(`WebSocket connection to 'ws://127\\.0\\.0\\.1:${port}/v1/connect/[^']*' failed: .*ERR_CONNECTION_REFUSED`);
  phone.problems.splice(before, phone.problems.length - before, ...phone.problems.slice(before).filter((p) => !refused.test(p)));
  await waitIdle(page);
  const { events, sync } = await settledSync(page, home, sid);
  assert.deepEqual(
    [sync.applied, sync.digest],
    [events.length, digest(events)],
    'the page holds exactly the stored events, each once, in order',
  );
  assert.deepEqual(events.map((e) => e.seq), events.map((_, i) => i + 1));
  // The streamed answer is on the page (rendered once the replay has caught up, however loaded the machine).
  await page.locator('.assistant', { hasText: /(slow ){10,}/ }).last().waitFor({ timeout: 30_000 });
  step(`the relay restarted mid-answer: offline banner, reconnect, and the page holds the store's ${events.length} events seq by seq`);

  await page.getByRole('link', { name: 'Computers' }).click();
  await page.locator('.row .badge.conn-connected').waitFor();
  await check(page, 'hosts');
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByRole('heading', { name: 'Settings' }).waitFor();
  await check(page, 'settings');
  await page.getByRole('link', { name: 'Computers' }).click();
  await page.locator('.row').first().click();
  await page.locator('.row', { hasText: sid }).waitFor();
  await check(page, 'sessions');

  // A terminal session, typed into from the app.
  await page.getByRole('link', { name: 'New session' }).click();
  await page.getByRole('radio', { name: 'Terminal' }).check();
  await page.getByLabel(/^Directory on/).fill(project);
  await page.getByLabel(/^Name/).fill('shell');
  await check(page, 'new-session');
  await page.getByRole('button', { name: 'Start' }).click();
  const term = page.getByTestId('terminal');
  await term.locator('.xterm-rows').waitFor();
  await term.click();
  await page.keyboard.type('echo $((6*7))\n');
  await waitFor(async () => /^42$/m.test(await term.locator('.xterm-rows').innerText()), 'the shell to answer 42');
  await page.getByRole('button', { name: 'Up arrow' }).click();
  await check(page, 'terminal');
  step('a terminal session started from the app answers typed input (xterm.js, loaded on demand)');
  const terminalSession = sessionIdOf(page);

  // Devices: the phone sees itself; a read-only device then sees every mutating control disabled.
  const reader = await newPhone(browser, 'reader');
  const pair2 = startPair(procs, home, '--read-only', '--name', 'reader');
  const offer2 = await pair2.offer;
  await pairInBrowser(reader.page, offer2.link, pair2.done, { name: 'reader' });
  const rp = reader.page;
  await rp.locator('.row', { hasText: sid }).waitFor();
  assert.ok(await rp.getByRole('button', { name: 'New session' }).isDisabled(), 'New session is enabled on a read-only device');
  tether('send', '--home', home, sid, `one more [write:${join(project, 'ro.txt')}:no]`);
  await rp.locator('.row', { hasText: sid }).click();
  const roCard = rp.locator('.approval', { hasText: 'Allow Write?' });
  await roCard.waitFor();
  for (const name of ['Allow once', 'For this session', 'Always here', 'Deny…']) {
    assert.ok(await roCard.getByRole('button', { name }).isDisabled(), `${name} is enabled on a read-only device`);
  }
  assert.ok(await rp.getByLabel('Message to the agent').isDisabled());
  for (const name of ['Send', 'Interrupt', 'Stop']) assert.ok(await rp.getByRole('button', { name }).isDisabled(), `${name} is enabled`);
  for (const radio of await rp.getByRole('radio').all()) assert.ok(await radio.isDisabled(), 'a mode switch is enabled');
  await rp.getByText(/This device is read-only/).first().waitFor();
  await check(rp, 'read-only');
  // Forced: the disabled button is enabled by hand and pressed; the daemon refuses the call.
  await roCard.getByRole('button', { name: 'Allow once' }).evaluate((b) => b.removeAttribute('disabled'));
  await roCard.getByRole('button', { name: 'Allow once' }).click();
  await roCard.getByRole('alert').filter({ hasText: /permission|not allowed|read.only/i }).waitFor();
  assert.ok(!existsSync(join(project, 'ro.txt')), 'a read-only device allowed a write');
  await rp.goto(`${origin}/#/host/${daemonId}/s/${terminalSession}`);
  await rp.getByTestId('terminal').locator('.xterm-rows').waitFor();
  for (const name of ['Ctrl', 'Esc', 'Fit']) assert.ok(await rp.getByRole('button', { name }).isDisabled(), `${name} is enabled`);
  await rp.goto(`${origin}/#/host/${daemonId}/devices`);
  await rp.locator('.card', { hasText: 'reader' }).waitFor();
  for (const b of await rp.getByRole('button', { name: /Rename|Make|Revoke/ }).all()) assert.ok(await b.isDisabled());
  step('a read-only device: approval, prompt, stop, mode, terminal and device controls disabled; a forced answer refused by the daemon');

  // Devices screen of the full device: make the reader full again, then revoke it.
  await page.goto(`${origin}/#/host/${daemonId}/devices`);
  const readerCard = page.locator('.card', { hasText: 'reader' });
  await readerCard.waitFor();
  await check(page, 'devices');
  page.once('dialog', (d) => d.accept());
  await readerCard.getByRole('button', { name: 'Revoke' }).click();
  await page.getByText('Revoked (1)').waitFor();
  await rp.goto(`${origin}/#/`);
  await rp.locator('.badge.conn-revoked').waitFor();
  step('the devices screen revokes a device, which then shows as revoked');

  // "They differ" on a new phone: the computer revokes that device at once and tether pair says why.
  const stranger = await newPhone(browser, 'stranger');
  const pair3 = startPair(procs, home, '--name', 'stranger');
  await stranger.page.goto((await pair3.offer).link);
  await stranger.page.getByLabel(/This device's name/).fill('stranger');
  await stranger.page.getByRole('button', { name: 'Pair', exact: true }).click();
  await stranger.page.locator('.sas').waitFor({ timeout: 20_000 });
  await stranger.page.getByRole('button', { name: 'They differ' }).click();
  await stranger.page.getByText(/the computer has revoked this pairing/).waitFor();
  const declined = await pair3.done;
  assert.equal(declined.code, 1, declined.out);
  assert.match(declined.out, /the device says the codes differ/);
  const listed = JSON.parse(tether('devices', '--home', home, '--json')).devices.find((d) => d.name === 'stranger');
  assert.ok(listed && listed.revoked_at !== null, JSON.stringify(listed));
  await stranger.context.close();
  step('"They differ" on the phone revokes the device at once, and tether pair exits 1 saying so');

  // The pending question of the read-only step: answered from the full phone's inbox.
  await page.getByRole('link', { name: /^Inbox/ }).click();
  await page.locator('.inbox .card', { hasText: 'Allow Write?' }).getByRole('button', { name: 'Deny…' }).click();
  await page.getByRole('button', { name: 'Deny', exact: true }).click();
  await page.getByText('Nothing is waiting for you.').waitFor();

  assert.deepEqual([...phone.problems, ...reader.problems], [], 'the pages logged errors');
  await phone.context.close();
  await reader.context.close();
  return { home };
}

async function directMode(browser, webRoot, fake) {
  const home = newHome(work, 'home-direct');
  const project = newHome(work, 'project-direct');
  const daemon = procs.start(['daemon', '--home', home, '--listen', '127.0.0.1:0', '--web-root', webRoot, '--claude-bin', CLAUDE],
    /direct: (http:\/\/127\.0\.0\.1:(\d+))/, 'stdout', claudeEnv(fake.url, join(work, 'agent-direct')));
  const [, origin, port] = await daemon.seen;
  const phone = await newPhone(browser, 'direct');
  const { page } = phone;
  const pair = startPair(procs, home, '--name', 'direct phone');
  const offer = await pair.offer;
  assert.ok(offer.link.startsWith(`${origin}/#offer=`), offer.link);
  await pairInBrowser(page, offer.link, pair.done, { name: 'direct phone' });
  await page.getByText('No sessions on this computer yet.').waitFor();
  const notes = join(project, 'direct.txt');
  await startClaudeSession(page, project, `please [write:${notes}:direct]`);
  await allowWrite(page, notes, 'direct');
  await denyBash(page, project);
  assert.deepEqual(phone.problems, []);
  await phone.context.close();
  step('direct mode (the daemon serves the app): pair, allow a write, deny a command with a message');

  // A page from another origin tries the daemon's Noise endpoint and its HTTP side.
  const foreign = createServer((_, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>elsewhere</title>'));
  await new Promise((r) => foreign.listen(0, '127.0.0.1', r));
  try {
    const ctx = await browser.newContext();
    const other = await ctx.newPage();
    await other.goto(`http://127.0.0.1:${foreign.address().port}/`);
    const outcome = await other.evaluate(async (target) => {
      const ws = await new Promise((done) => {
        const s = new WebSocket(`ws://127.0.0.1:${target}/v1/direct`);
        s.onopen = () => done('open');
        s.onclose = (e) => done(`closed ${e.code}`);
      });
      const http = await fetch(`http://127.0.0.1:${target}/healthz`).then(
        (r) => `read ${r.status}`,
        () => 'blocked',
      );
      return { ws, http };
    }, port);
    assert.deepEqual(outcome, { ws: 'closed 1006', http: 'blocked' }, 'a foreign origin reached the daemon');
    await ctx.close();
  } finally {
    foreign.close();
  }
  step('a page on a foreign origin can neither open the Noise socket nor read the daemon over HTTP');
}

async function main() {
  if (SHOTS) mkdirSync(SHOTS, { recursive: true });
  assert.ok(existsSync(CHROMIUM), `no Chromium at ${CHROMIUM} (scripts/bootstrap installs Debian's chromium)`);
  assert.ok(existsSync(CLAUDE), `no claude CLI at ${CLAUDE} (scripts/bootstrap installs it into agents/)`);
  const webRoot = arg('web-root', null) ?? buildApp(join(work, 'dist'));
  const fake = await startFakeAnthropic(work);
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
  try {
    await relayMode(browser, webRoot, fake);
    await directMode(browser, webRoot, fake);
  } finally {
    await browser.close();
    fake.stop();
  }
}

await test.run(main, 280_000, 'the whole web flow test');
