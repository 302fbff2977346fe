// A blind relay in Node.js with `ws`, the way Node-hosted relays are written, speaking
// tether relay's wire protocol (docs/protocol.md, "Relay"): the signed daemon link, connect,
// accept and splice. The benchmarks' reference; see README.md for what it mirrors.
//
// Usage: node relay.mjs [--listen 127.0.0.1:8443] [--max-frame BYTES] [--max-pending-per-daemon N]
//        [--write-queue BYTES] [--idle-timeout S] [--header-timeout S] [--accept-timeout S]
// Prints "node relay listening on http://HOST:PORT" once listening.
import crypto from 'node:crypto';
import http from 'node:http';
import { parseArgs } from 'node:util';
import { WebSocketServer } from 'ws';

const { values: flags } = parseArgs({
  options: {
    listen: { type: 'string', default: '127.0.0.1:8443' },
    'max-frame': { type: 'string', default: String(1024 * 1024) },
    'max-pending-per-daemon': { type: 'string', default: '16' },
    'write-queue': { type: 'string', default: String(4 * 1024 * 1024) },
    'idle-timeout': { type: 'string', default: '60' },
    'header-timeout': { type: 'string', default: '10' },
    'accept-timeout': { type: 'string', default: '10' },
  },
});
const colon = flags.listen.lastIndexOf(':');
const host = flags.listen.slice(0, colon).replace(/^\[|\]$/g, '');
const port = Number(flags.listen.slice(colon + 1));
const maxFrame = Number(flags['max-frame']);
const maxPending = Number(flags['max-pending-per-daemon']);
const writeQueue = Number(flags['write-queue']);
const idleMs = Number(flags['idle-timeout']) * 1000;
const helloMs = Number(flags['header-timeout']) * 1000;
const acceptMs = Number(flags['accept-timeout']) * 1000;

const LINK_CONTEXT = Buffer.from('tether-relay-link/1\0', 'latin1');
const KEY_SHAPED = /^[A-Za-z0-9_-]{43}$/;
const MAX_LINK_MESSAGE = 4096;

const links = new Map();        // daemon id -> link socket
const pending = new Map();      // accept token -> { client, daemonId, timer }
const pendingCount = new Map(); // daemon id -> connects waiting for its accept

// RFC 6455 7.4: the close codes that may be sent on as they are.
const sendable = (code) => (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1013) || (code >= 3000 && code <= 4999);

function route(url) {
  const path = url.split('?')[0];
  if (path === '/v1/daemon') return { kind: 'link' };
  for (const [prefix, kind] of [['/v1/connect/', 'connect'], ['/v1/accept/', 'accept']]) {
    if (path.startsWith(prefix)) {
      const param = path.slice(prefix.length);
      return KEY_SHAPED.test(param) ? { kind, param } : null;
    }
  }
  return null;
}

const server = http.createServer((req, res) => {
  const path = req.url.split('?')[0];
  if (path === '/healthz') {
    res.writeHead(200, { 'Content-Type': 'text/plain' }).end('ok\n');
  } else if (route(req.url)) {
    res.writeHead(426, { 'Content-Type': 'text/plain', Upgrade: 'websocket' }).end('this endpoint needs a WebSocket upgrade\n');
  } else {
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n');
  }
});
server.headersTimeout = helloMs;

// perMessageDeflate off: tether does not negotiate it either, and the payload is ciphertext.
const wss = new WebSocketServer({ noServer: true, maxPayload: maxFrame, perMessageDeflate: false });

server.on('upgrade', (req, socket, head) => {
  const r = route(req.url);
  if (!r) {
    socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
    return;
  }
  wss.handleUpgrade(req, socket, head, (ws) => {
    ws.isAlive = true;
    ws.on('pong', () => { ws.isAlive = true; });
    if (r.kind === 'link') startLink(ws);
    else if (r.kind === 'connect') startConnect(ws, r.param);
    else startAccept(ws, r.param);
  });
});

function startLink(ws) {
  const nonce = crypto.randomBytes(32);
  let linkedId = null;
  const timer = setTimeout(() => ws.close(4408, 'no hello in time'), helloMs);
  ws.send(JSON.stringify({ type: 'challenge', nonce: nonce.toString('base64url') }));
  ws.on('message', (data, isBinary) => {
    ws.isAlive = true;
    if (linkedId) {
      ws.close(4400, 'unexpected message on the link');
      return;
    }
    const hello = !isBinary && data.length <= MAX_LINK_MESSAGE ? parseHello(data.toString()) : null;
    if (!hello) {
      ws.close(4400, 'expected a hello message');
      return;
    }
    clearTimeout(timer);
    const failure = verifyHello(hello, nonce);
    nonce.fill(0);
    if (failure) {
      ws.close(4401, `authentication failed: ${failure}`);
      return;
    }
    linkedId = hello.daemon_id;
    const old = links.get(linkedId);
    links.set(linkedId, ws);
    if (old) old.close(4409, 'replaced by a newer link for this daemon');
    ws.send('{"type":"linked"}');
  });
  ws.on('close', () => {
    clearTimeout(timer);
    if (linkedId && links.get(linkedId) === ws) links.delete(linkedId);
  });
}

// Strict, as tether's parse_link_message: an object with "type":"hello" and exactly the two string fields.
function parseHello(text) {
  let m;
  try { m = JSON.parse(text); } catch { return null; }
  if (!m || typeof m !== 'object' || Array.isArray(m) || Object.keys(m).length !== 3) return null;
  if (m.type !== 'hello' || typeof m.daemon_id !== 'string' || typeof m.signature !== 'string') return null;
  return m;
}

function verifyHello(hello, nonce) {
  const key = Buffer.from(hello.daemon_id, 'base64url');
  if (key.length !== 32) return 'daemon_id is not a base64url Ed25519 key';
  const signature = Buffer.from(hello.signature, 'base64url');
  if (signature.length !== 64) return 'signature is not 64 base64url bytes';
  try {
    const publicKey = crypto.createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: key.toString('base64url') }, format: 'jwk' });
    if (crypto.verify(null, Buffer.concat([LINK_CONTEXT, nonce]), publicKey, signature)) return null;
  } catch {
    return 'daemon_id is not a base64url Ed25519 key';
  }
  return 'the signature does not match this challenge';
}

function startConnect(client, daemonId) {
  const link = links.get(daemonId);
  if (!link) {
    client.close(4404, 'daemon not linked');
    return;
  }
  const waiting = pendingCount.get(daemonId) ?? 0;
  if (waiting >= maxPending) {
    client.close(4429, 'too many pending connections for this daemon');
    return;
  }
  // The client waits unread until spliced; a frame already parsed is held, as tether holds one.
  client.pause();
  client.early = [];
  client.on('message', (data, isBinary) => { if (client.early) client.early.push([data, isBinary]); });
  const token = crypto.randomBytes(32).toString('base64url');
  const timer = setTimeout(() => {
    forget(token);
    client.close(4408, 'daemon did not accept in time');
  }, acceptMs);
  pending.set(token, { client, daemonId, timer });
  pendingCount.set(daemonId, waiting + 1);
  client.once('close', () => { if (pending.get(token)?.client === client) forget(token); });
  link.send(JSON.stringify({ type: 'accept', token }));
}

function forget(token) {
  const p = pending.get(token);
  if (!p) return;
  clearTimeout(p.timer);
  pending.delete(token);
  const n = pendingCount.get(p.daemonId) - 1;
  if (n === 0) pendingCount.delete(p.daemonId);
  else pendingCount.set(p.daemonId, n);
}

function startAccept(daemonSide, token) {
  const p = pending.get(token);
  if (!p) {
    daemonSide.close(4410, 'unknown or expired accept token');
    return;
  }
  forget(token);
  const { client } = p;
  const early = client.early;
  client.early = null;
  client.removeAllListeners('message');
  splice(client, daemonSide);
  splice(daemonSide, client);
  for (const [data, isBinary] of early) client.emit('message', data, isBinary);
  client.resume();
}

// Every binary message from `from` goes out as one binary frame on `to`; a close on one
// side closes the other with the same code, or 1001 when it ended without a close frame.
function splice(from, to) {
  from.on('message', (data, isBinary) => {
    from.isAlive = true;
    if (!isBinary) {
      from.close(1003, 'binary frames only');
      return;
    }
    if (to.readyState !== to.OPEN) return;
    // A peer whose queue would pass --write-queue is cut off; one message always fits.
    if (to.bufferedAmount > 0 && to.bufferedAmount + data.length > writeQueue) {
      to.terminate();
      return;
    }
    to.send(data, { binary: true });
  });
  from.on('close', (code, reason) => {
    if (to.readyState === to.CLOSED || to.readyState === to.CLOSING) return;
    if (sendable(code)) to.close(code, reason);
    else to.close(1001, 'peer went away');
  });
}

// The `ws` heartbeat: ping every socket every half idle timeout; one that answered nothing
// since the last round is dropped.
const heartbeat = setInterval(() => {
  for (const ws of wss.clients) {
    if (!ws.isAlive) {
      ws.terminate();
      continue;
    }
    ws.isAlive = false;
    ws.ping();
  }
}, idleMs / 2);

server.listen(port, host, () => {
  const a = server.address();
  const shown = a.family === 'IPv6' ? `[${a.address}]` : a.address;
  process.stdout.write(`node relay listening on http://${shown}:${a.port}\n`);
});

function shutdown() {
  clearInterval(heartbeat);
  server.close();
  for (const ws of wss.clients) ws.close(1001, 'relay shutting down');
  setTimeout(() => process.exit(0), 2000).unref();
  const check = setInterval(() => { if (wss.clients.size === 0) process.exit(0); }, 50);
  check.unref();
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
