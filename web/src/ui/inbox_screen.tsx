// Every pending approval, across computers and sessions, newest first, answerable in place.

import type { AppModel } from './app';
import { ApprovalCard } from './approval_card';
import { hrefFor } from './route';
import { Header, ago } from './widgets';

export function InboxScreen({ model }: { model: AppModel }) {
  const entries = model.live.inbox.value.entries;
  const offline = model.hosts.list.value.filter((h) => model.hosts.statusOf(h.daemon_id).state !== 'connected');
  return (
    <main class="screen">
      <Header title="Inbox" />
      {offline.length > 0 && (
        <p class="banner" role="status">
          Not connected to {offline.map((h) => h.name).join(', ')}: their questions show when they are back.
        </p>
      )}
      {entries.length === 0 ? (
        <p class="empty">Nothing is waiting for you.</p>
      ) : (
        <ul class="list inbox" aria-label="Waiting for you">
          {entries.map((e) => {
            const host = model.hosts.get(e.host);
            const status = model.hosts.statusOf(e.host);
            return (
              <li key={`${e.host}/${e.id}`} class="card">
                <p class="card-where">
                  <a href={hrefFor({ screen: 'session', daemonId: e.host, sessionId: e.session })}>{e.sessionName || `session ${e.session}`}</a>
                  {' · '}
                  {host?.name ?? 'unknown computer'}
                  {e.created ? ` · ${ago(e.created)}` : ''}
                </p>
                <ApprovalCard
                  model={model}
                  readOnly={(status.mode ?? host?.mode) === 'read_only' || status.state !== 'connected'}
                  q={{ daemonId: e.host, approvalId: e.id, tool: e.tool, tier: e.tier, input: e.input, cwd: e.cwd, expires: e.expires }}
                />
              </li>
            );
          })}
        </ul>
      )}
    </main>
  );
}
