// The app's frame: the current screen, and a bottom bar within thumb reach.

import type { Signal } from '@preact/signals';
import type { Hosts } from '../host/hosts';
import type { LiveViews } from '../host/live';
import type { OfferResult } from '../host/offer';
import { DevicesScreen } from './devices_screen';
import { HostsScreen } from './hosts_screen';
import { InboxScreen } from './inbox_screen';
import { NewSessionScreen } from './new_session_screen';
import { PairScreen } from './pair_screen';
import { resolveRoute, route, type Route } from './route';
import { SessionScreen } from './session_screen';
import { SessionsScreen } from './sessions_screen';
import { SettingsScreen } from './settings_screen';

export interface AppModel {
  readonly hosts: Hosts;
  /** Session lists and the inbox, kept live across hosts. */
  readonly live: LiveViews;
  /** The offer read from a pairing link, until it is used or dismissed. */
  readonly offer: Signal<OfferResult | null>;
  /** False when IndexedDB is unavailable (a private window): pairings last until reload. */
  readonly persistent: boolean;
}

function Screen({ model, r }: { model: AppModel; r: Route }) {
  switch (r.screen) {
    case 'hosts':
      return <HostsScreen model={model} />;
    case 'pair':
      return <PairScreen model={model} />;
    case 'inbox':
      return <InboxScreen model={model} />;
    case 'settings':
      return <SettingsScreen model={model} />;
    case 'sessions':
      return <SessionsScreen model={model} daemonId={r.daemonId} />;
    case 'new':
      return <NewSessionScreen model={model} daemonId={r.daemonId} />;
    case 'devices':
      return <DevicesScreen model={model} daemonId={r.daemonId} />;
    case 'session':
      return <SessionScreen key={`${r.daemonId}/${r.sessionId}`} model={model} daemonId={r.daemonId} sessionId={r.sessionId} />;
  }
}

function NavLink({ href, label, current, count }: { href: string; label: string; current: boolean; count?: number }) {
  return (
    <a class="nav-link" href={href} aria-current={current ? 'page' : undefined}>
      {label}
      {count ? (
        <span class="nav-count" aria-label={`${count} waiting`}>
          {count}
        </span>
      ) : null}
    </a>
  );
}

export function App({ model }: { model: AppModel }) {
  const r = resolveRoute(route.value, (id) => model.hosts.resolve(id));
  const waiting = model.live.inbox.value.entries.length;
  const onHost = r.screen === 'hosts' || r.screen === 'sessions' || r.screen === 'session' || r.screen === 'new' || r.screen === 'devices';
  return (
    <div class="app">
      {!model.persistent && (
        <p class="banner" role="status">
          This browser keeps no storage here (private window?): pairings are lost on reload.
        </p>
      )}
      <Screen model={model} r={r} />
      <nav class="bottom-nav" aria-label="Main">
        <NavLink href="#/" label="Computers" current={onHost} />
        <NavLink href="#/inbox" label="Inbox" current={r.screen === 'inbox'} count={waiting} />
        <NavLink href="#/pair" label="Pair" current={r.screen === 'pair'} />
        <NavLink href="#/settings" label="Settings" current={r.screen === 'settings'} />
      </nav>
    </div>
  );
}
