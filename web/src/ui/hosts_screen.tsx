// The paired computers and how each is connected.

import type { AppModel } from './app';
import { hrefFor } from './route';
import { ConnBadge, Header } from './widgets';

export function HostsScreen({ model }: { model: AppModel }) {
  const hosts = model.hosts.list.value;
  const status = model.hosts.status.value;
  const pending = (id: string) => model.live.inbox.value.entries.filter((e) => e.host === id).length;
  return (
    <main class="screen">
      <Header title="Computers" />
      {hosts.length === 0 ? (
        <section class="empty">
          <p>No computer is paired with this device yet.</p>
          <p>
            On your computer run <code>tether pair</code> and open the link it prints on this device.
          </p>
        </section>
      ) : (
        <ul class="list" aria-label="Paired computers">
          {hosts.map((h) => {
            const s = status.get(h.daemon_id) ?? { state: 'offline' as const, detail: 'Not connected.' };
            return (
              <li key={h.daemon_id}>
                <a class="row" href={hrefFor({ screen: 'sessions', daemonId: h.daemon_id })}>
                  <span class="row-main">
                    <span class="row-title">{h.name}</span>
                    <span class="row-sub">
                      {s.state === 'connected' ? `via ${s.via ?? 'link'}` : s.detail}
                      {(s.mode ?? h.mode) === 'read_only' ? ' · read-only' : ''}
                      {pending(h.daemon_id) > 0 ? ` · ${pending(h.daemon_id)} waiting for you` : ''}
                    </span>
                  </span>
                  <ConnBadge state={s.state} />
                </a>
              </li>
            );
          })}
        </ul>
      )}
      <div class="actions">
        <a class="button primary" href="#/pair">
          Pair a computer
        </a>
      </div>
    </main>
  );
}
