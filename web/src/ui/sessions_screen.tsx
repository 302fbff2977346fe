// The sessions of one computer (session.list), fetched whenever its link comes up.

import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import type { AppModel } from './app';
import { navigate } from './route';
import { ago, ConnBadge, Header, shortPath, StatusBadge } from './widgets';

export interface SessionSummary {
  readonly id: string;
  readonly name: string;
  readonly provider: string;
  readonly cwd: string;
  readonly status: string;
  readonly updated: number;
  readonly pending_approvals: number;
}

/** Keeps what the list shows from a `session.list` result, dropping malformed entries. */
export function sessionSummaries(result: unknown): SessionSummary[] {
  const list = (result as { sessions?: unknown } | null)?.sessions;
  if (!Array.isArray(list)) return [];
  const out: SessionSummary[] = [];
  for (const s of list as Record<string, unknown>[]) {
    if (typeof s !== 'object' || s === null || typeof s.id !== 'string') continue;
    out.push({
      id: s.id,
      name: typeof s.name === 'string' ? s.name : '',
      provider: typeof s.provider === 'string' ? s.provider : '?',
      cwd: typeof s.cwd === 'string' ? s.cwd : '',
      status: typeof s.status === 'string' ? s.status : 'unknown',
      updated: typeof s.updated === 'number' ? s.updated : 0,
      pending_approvals: typeof s.pending_approvals === 'number' ? s.pending_approvals : 0,
    });
  }
  return out;
}

type Load = { kind: 'idle' } | { kind: 'loading' } | { kind: 'loaded'; sessions: SessionSummary[] } | { kind: 'error'; message: string };

export function SessionsScreen({ model, daemonId }: { model: AppModel; daemonId: string }) {
  const host = model.hosts.get(daemonId);
  const status = model.hosts.statusOf(daemonId);
  const load = useSignal<Load>({ kind: 'idle' });
  const connected = status.state === 'connected';

  const refresh = async () => {
    load.value = { kind: 'loading' };
    const r = await model.hosts.call(daemonId, 'session.list', { limit: 200 });
    load.value = r.ok ? { kind: 'loaded', sessions: sessionSummaries(r.value) } : { kind: 'error', message: r.error.message };
  };
  useEffect(() => {
    if (connected) void refresh();
  }, [daemonId, connected]);

  if (!host) {
    return (
      <main class="screen">
        <Header title="Unknown computer" back="#/" />
        <p class="empty">This computer is not paired with this device.</p>
      </main>
    );
  }
  const l = load.value;
  return (
    <main class="screen">
      <Header title={host.name} back="#/">
        <ConnBadge state={status.state} />
      </Header>
      {!connected && (
        <p class={status.state === 'revoked' ? 'error' : 'banner'} role="status">
          {status.detail}
        </p>
      )}
      {l.kind === 'error' && (
        <p class="error" role="alert">
          {l.message}
        </p>
      )}
      {l.kind === 'loaded' && l.sessions.length === 0 && <p class="empty">No sessions on this computer yet.</p>}
      {l.kind === 'loaded' && l.sessions.length > 0 && (
        <ul class="list" aria-label="Sessions">
          {l.sessions.map((s) => (
            <li key={s.id} class="row">
              <span class="row-main">
                <span class="row-title">{s.name || s.id}</span>
                <span class="row-sub">
                  {s.provider} · <span title={s.cwd}>{shortPath(s.cwd)}</span>
                </span>
                <span class="row-sub">
                  {s.updated ? ago(s.updated) : ''}
                  {s.pending_approvals > 0 ? ` · ${s.pending_approvals} waiting for you` : ''}
                </span>
              </span>
              <StatusBadge status={s.status} />
            </li>
          ))}
        </ul>
      )}
      <div class="actions">
        {connected ? (
          <button class="button" type="button" disabled={l.kind === 'loading'} onClick={() => void refresh()}>
            {l.kind === 'loading' ? 'Loading…' : 'Refresh'}
          </button>
        ) : status.state !== 'revoked' ? (
          <button class="button" type="button" disabled={status.state === 'connecting'} onClick={() => model.hosts.connect(daemonId)}>
            Connect now
          </button>
        ) : null}
        <details class="more">
          <summary>This computer</summary>
          <dl>
            <dt>Computer id</dt>
            <dd class="id">{host.daemon_id}</dd>
            <dt>This device</dt>
            <dd>
              {host.device_name} (<span class="id">{host.device_id}</span>), {(status.mode ?? host.mode).replace('_', '-')}
            </dd>
            <dt>Reached via</dt>
            <dd>{[host.relay && `relay ${host.relay}`, host.direct && `direct ${host.direct}`].filter(Boolean).join(', ')}</dd>
          </dl>
          <button
            class="button danger"
            type="button"
            onClick={async () => {
              if (!confirm(`Forget ${host.name} on this device? The computer keeps listing it until you revoke it there.`)) return;
              await model.hosts.remove(daemonId);
              navigate({ screen: 'hosts' });
            }}
          >
            Forget this computer
          </button>
        </details>
      </div>
    </main>
  );
}
