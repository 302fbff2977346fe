// The sessions of one computer, live: session.watch when its link comes up, then every change.

import type { AppModel } from './app';
import { READ_ONLY_REASON } from './approval_card';
import { hrefFor, navigate } from './route';
import { ago, ConnBadge, Header, shortPath, StatusBadge } from './widgets';

export function SessionsScreen({ model, daemonId }: { model: AppModel; daemonId: string }) {
  const host = model.hosts.get(daemonId);
  const status = model.hosts.statusOf(daemonId);
  const connected = status.state === 'connected';
  const load = model.live.sessionsLoad.value.get(daemonId) ?? { kind: 'loading' };
  const sessions = model.live.sessions.value.get(daemonId) ?? [];
  const readOnly = (status.mode ?? host?.mode) === 'read_only';
  if (!host) {
    return (
      <main class="screen">
        <Header title="Unknown computer" back="#/" />
        <p class="empty">This computer is not paired with this device.</p>
      </main>
    );
  }
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
      {connected && load.kind === 'error' && (
        <p class="error" role="alert">
          {load.message}
        </p>
      )}
      {load.kind === 'loaded' && sessions.length === 0 && <p class="empty">No sessions on this computer yet.</p>}
      {sessions.length > 0 && (
        <ul class="list" aria-label="Sessions">
          {sessions.map((s) => (
            <li key={s.id}>
              <a class="row" href={hrefFor({ screen: 'session', daemonId, sessionId: s.id })}>
                <span class="row-main">
                  <span class="row-title">{s.name || `${s.provider} in ${s.cwd.split('/').filter(Boolean).pop() ?? '/'}`}</span>
                  <span class="row-sub">
                    {s.provider} · <span title={s.cwd}>{shortPath(s.cwd)}</span>
                  </span>
                  <span class="row-sub">
                    <span class="id">{s.id}</span>
                    {s.updated ? ` · ${ago(s.updated)}` : ''}
                    {s.pendingApprovals > 0 ? ` · ${s.pendingApprovals} waiting for you` : ''}
                  </span>
                </span>
                <StatusBadge status={s.status} />
              </a>
            </li>
          ))}
        </ul>
      )}
      <div class="actions">
        {connected ? (
          readOnly ? (
            <>
              <p class="note">{READ_ONLY_REASON}</p>
              <button class="button primary" type="button" disabled>
                New session
              </button>
            </>
          ) : (
            <a class="button primary" href={hrefFor({ screen: 'new', daemonId })}>
              New session
            </a>
          )
        ) : status.state !== 'revoked' ? (
          <button class="button" type="button" disabled={status.state === 'connecting'} onClick={() => model.hosts.connect(daemonId)}>
            Connect now
          </button>
        ) : null}
        <a class="button" href={hrefFor({ screen: 'devices', daemonId })}>
          Devices
        </a>
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
              model.live.forget(daemonId);
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
