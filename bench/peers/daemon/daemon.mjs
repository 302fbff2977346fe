// A Node.js daemon-style reference for bench/daemon_bench.mjs: what a typical Node agent
// daemon is made of — one process, better-sqlite3 in WAL mode (sessions + events tables),
// one idle WebSocket to a relay, and a local JSON-RPC API on a unix socket — serving the
// same subset of tether's local API (session.list, session.subscribe with replay, and
// daemon.info for the relay state) in the same wire format. See README.md.
//
// node daemon.mjs --home DIR [--relay ws://HOST:PORT] [--retention-days D]
// node daemon.mjs --home DIR --import TETHER_DB   (copy a tether store's sessions and events, then exit)
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

import Database from 'better-sqlite3';
import WebSocket from 'ws';

const PAGE_EVENTS = 512;               // rows read per replay step, as tether
const REPLAY_PAUSE_BYTES = 1024 * 1024;  // a replay waits while more than this is queued, as tether
const PRUNE_BATCH = 2000;              // events deleted per transaction while pruning
const MAX_LINE = 1024 * 1024;

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

function openDb(file) {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');  // as tether: a commit is on disk before it is reported
  db.exec(`
    CREATE TABLE IF NOT EXISTS sessions (
      id TEXT PRIMARY KEY, name TEXT NOT NULL DEFAULT '', provider TEXT NOT NULL, cwd TEXT NOT NULL,
      mode TEXT NOT NULL, status TEXT NOT NULL, config TEXT NOT NULL DEFAULT '{}',
      created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, last_seq INTEGER NOT NULL DEFAULT 0);
    CREATE INDEX IF NOT EXISTS sessions_by_updated ON sessions (updated_at);
    CREATE TABLE IF NOT EXISTS events (
      id INTEGER PRIMARY KEY, session_id TEXT NOT NULL, seq INTEGER NOT NULL, time INTEGER NOT NULL,
      kind TEXT NOT NULL, data TEXT NOT NULL);
    CREATE UNIQUE INDEX IF NOT EXISTS events_by_session ON events (session_id, seq);
    CREATE INDEX IF NOT EXISTS events_by_time ON events (time);`);
  return db;
}

// --import: the same sessions and events as a tether store, so both serve identical data.
function importTether(db, tetherDb) {
  const t0 = Date.now();
  db.pragma('synchronous = OFF');
  db.prepare('ATTACH DATABASE ? AS t').run(tetherDb);
  db.transaction(() => {
    db.exec(`INSERT INTO sessions (id, name, provider, cwd, mode, status, config, created_at, updated_at, last_seq)
             SELECT s.id, COALESCE(s.name, ''), s.provider, s.cwd, s.mode, s.status, s.config, s.created_at, s.updated_at,
                    COALESCE((SELECT last_seq FROM t.event_seqs q WHERE q.session_id = s.id), 0)
             FROM t.sessions s`);
    db.exec(`INSERT INTO events (session_id, seq, time, kind, data)
             SELECT session_id, seq, time, kind, data FROM t.events ORDER BY session_id, seq`);
  })();
  db.exec('DETACH DATABASE t');
  db.pragma('wal_checkpoint(TRUNCATE)');
  const n = db.prepare('SELECT COUNT(*) AS n FROM events').get().n;
  console.log(JSON.stringify({ imported_events: n, seconds: (Date.now() - t0) / 1000 }));
}

class Daemon {
  constructor(db, home, relayUrl) {
    this.db = db;
    this.home = home;
    this.relay = { url: relayUrl, state: relayUrl ? 'connecting' : 'off' };
    this.listStmt = db.prepare(
      'SELECT id, name, provider, cwd, mode, status, config, created_at, updated_at, last_seq FROM sessions ' +
      'ORDER BY updated_at DESC, created_at DESC, id LIMIT ?');
    this.lastSeqStmt = db.prepare('SELECT last_seq FROM sessions WHERE id = ?');
    this.pageStmt = db.prepare('SELECT seq, time, kind, data FROM events WHERE session_id = ? AND seq > ? ORDER BY seq LIMIT ?');
    this.methods = {
      'daemon.info': () => ({ pid: process.pid, relay: { state: this.relay.state } }),
      'session.list': (p, conn) => ({ sessions: this.list(p.limit ?? 200) }),
      'session.subscribe': (p, conn) => this.subscribe(p, conn),
    };
  }

  list(limit) {
    if (!Number.isInteger(limit) || limit < 1 || limit > 10000) throw rpcError(-32602, 'limit must be 1..10000');
    return this.listStmt.all(limit).map((r) => {
      let config = {};
      try { config = JSON.parse(r.config); } catch { /* as tether: a bad config reads as {} */ }
      return {
        id: r.id, name: r.name, provider: r.provider, cwd: r.cwd, mode: r.mode, status: r.status,
        model: config.model ?? '', options: config.options ?? {}, created: r.created_at, updated: r.updated_at,
        last_seq: r.last_seq, pending_approvals: 0,
      };
    });
  }

  // The reply first, then the stored events page by page (one write per page), yielding to
  // the event loop between pages and waiting while the socket has more than 1 MiB queued.
  subscribe(p, conn) {
    if (typeof p.session !== 'string') throw rpcError(-32602, 'missing parameter "session"');
    const row = this.lastSeqStmt.get(p.session);
    if (!row) throw rpcError(-32004, `no session ${p.session}`, 'not_found');
    const since = Math.min(Math.max(p.since ?? 0, 0), row.last_seq);
    const generation = (conn.subs.get(p.session)?.generation ?? 0) + 1;
    const sub = { next: since + 1, generation, live: false };
    conn.subs.set(p.session, sub);
    setImmediate(() => this.replayStep(conn, p.session, sub));
    return { session: p.session, last_seq: row.last_seq };
  }

  replayStep(conn, session, sub) {
    if (conn.closed || conn.subs.get(session) !== sub) return;
    if (conn.sock.writableLength > REPLAY_PAUSE_BYTES) {
      conn.sock.once('drain', () => this.replayStep(conn, session, sub));
      return;
    }
    const rows = this.pageStmt.all(session, sub.next - 1, PAGE_EVENTS);
    if (rows.length > 0) {
      const sid = JSON.stringify(session);
      let out = '';
      for (const e of rows) {
        // Built by hand as tether does, so the stored JSON is not parsed and printed again.
        out += `{"jsonrpc":"2.0","method":"session.event","params":{"session":${sid},"seq":${e.seq},"time":${e.time},` +
               `"kind":${JSON.stringify(e.kind)},"data":${e.data || '{}'}}}\n`;
      }
      sub.next = rows[rows.length - 1].seq + 1;
      conn.sock.write(out);
    }
    if (rows.length < PAGE_EVENTS) {
      sub.live = true;
      return;
    }
    setImmediate(() => this.replayStep(conn, session, sub));
  }

  // Retention: delete events older than the cutoff in small transactions, yielding between
  // them so requests are served while it runs.
  prune(retentionDays) {
    const cutoff = Date.now() - retentionDays * 86400_000;
    const del = this.db.prepare('DELETE FROM events WHERE id IN (SELECT id FROM events WHERE time < ? ORDER BY time LIMIT ?)');
    const t0 = Date.now();
    let total = 0;
    const step = () => {
      const n = del.run(cutoff, PRUNE_BATCH).changes;
      total += n;
      if (n === PRUNE_BATCH) return setImmediate(step);
      console.error(`event retention: pruned ${total} events older than ${retentionDays} days in ${Date.now() - t0} ms`);
    };
    setImmediate(step);
  }

  serve(socketPath) {
    fs.rmSync(socketPath, { force: true });
    const server = net.createServer((sock) => this.accept(sock));
    return new Promise((resolve) => server.listen(socketPath, () => {
      fs.chmodSync(socketPath, 0o600);
      resolve(server);
    }));
  }

  accept(sock) {
    const conn = { sock, subs: new Map(), closed: false, carry: '' };
    sock.setEncoding('utf8');
    sock.on('close', () => { conn.closed = true; conn.subs.clear(); });
    sock.on('error', () => {});
    sock.on('data', (text) => {
      let start = 0;
      for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
        const line = conn.carry + text.slice(start, nl);
        conn.carry = '';
        start = nl + 1;
        this.handle(conn, line);
      }
      conn.carry += text.slice(start);
      if (conn.carry.length > MAX_LINE) {
        sock.end(JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: -32600, message: 'line too long' } }) + '\n');
      }
    });
  }

  handle(conn, line) {
    let id = null;
    let reply;
    try {
      const req = JSON.parse(line);
      id = req.id ?? null;
      if (req.jsonrpc !== '2.0' || typeof req.method !== 'string' || id === null) throw rpcError(-32600, 'invalid request');
      const method = this.methods[req.method];
      if (!method) throw rpcError(-32601, `unknown method "${req.method}"`);
      reply = { jsonrpc: '2.0', id, result: method(req.params ?? {}, conn) };
    } catch (e) {
      const error = e.rpc ?? { code: e instanceof SyntaxError ? -32700 : -32603, message: e.message };
      reply = { jsonrpc: '2.0', id, error };
    }
    conn.sock.write(JSON.stringify(reply) + '\n');
  }

  // The relay link tether's daemon holds, with the same handshake: sign the relay's nonce
  // with an Ed25519 key, then stay linked (the ws library answers the relay's pings).
  linkRelay() {
    const { publicKey, privateKey } = crypto.generateKeyPairSync('ed25519');
    const daemonId = publicKey.export({ format: 'jwk' }).x;
    const ws = new WebSocket(this.relay.url.replace(/\/$/, '') + '/v1/daemon');
    ws.on('message', (data) => {
      const msg = JSON.parse(data.toString());
      if (msg.type === 'challenge') {
        const signed = Buffer.concat([Buffer.from('tether-relay-link/1\0'), Buffer.from(msg.nonce, 'base64url')]);
        const signature = crypto.sign(null, signed, privateKey).toString('base64url');
        ws.send(JSON.stringify({ type: 'hello', daemon_id: daemonId, signature }));
      } else if (msg.type === 'linked') {
        this.relay.state = 'connected';
      }
    });
    ws.on('close', () => { this.relay.state = 'disconnected'; });
    ws.on('error', (e) => { console.error(`relay: ${e.message}`); });
    this.ws = ws;
  }
}

function rpcError(code, message, dataCode) {
  const e = new Error(message);
  e.rpc = { code, message, ...(dataCode ? { data: { code: dataCode } } : {}) };
  return e;
}

async function main() {
  const home = arg('home');
  if (!home) {
    console.error('usage: daemon.mjs --home DIR [--relay URL] [--retention-days D] | --home DIR --import TETHER_DB');
    process.exit(2);
  }
  fs.mkdirSync(home, { recursive: true, mode: 0o700 });
  const db = openDb(path.join(home, 'daemon.db'));
  if (arg('import')) {
    importTether(db, arg('import'));
    db.close();
    return;
  }
  const daemon = new Daemon(db, home, arg('relay'));
  const server = await daemon.serve(path.join(home, 'daemon.sock'));
  daemon.prune(Number(arg('retention-days', '30')));
  if (daemon.relay.url) daemon.linkRelay();
  const stop = () => {
    server.close();
    daemon.ws?.close();
    db.close();
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((e) => {
  console.error(e.stack ?? e.message);
  process.exit(1);
});
