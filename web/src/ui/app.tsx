// The app's frame: a title bar, the current screen, and a bottom bar within thumb reach.

import type { Signal } from '@preact/signals';
import type { Hosts } from '../host/hosts';
import type { OfferResult } from '../host/offer';
import { HostsScreen } from './hosts_screen';
import { PairScreen } from './pair_screen';
import { route, type Route } from './route';
import { SessionsScreen } from './sessions_screen';
import { SettingsScreen } from './settings_screen';

export interface AppModel {
  readonly hosts: Hosts;
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
    case 'sessions':
      return <SessionsScreen model={model} daemonId={r.daemonId} />;
    case 'settings':
      return <SettingsScreen model={model} />;
  }
}

function NavLink({ href, label, current }: { href: string; label: string; current: boolean }) {
  return (
    <a class="nav-link" href={href} aria-current={current ? 'page' : undefined}>
      {label}
    </a>
  );
}

export function App({ model }: { model: AppModel }) {
  const r = route.value;
  return (
    <div class="app">
      {!model.persistent && (
        <p class="banner" role="status">
          This browser keeps no storage here (private window?): pairings are lost on reload.
        </p>
      )}
      <Screen model={model} r={r} />
      <nav class="bottom-nav" aria-label="Main">
        <NavLink href="#/" label="Computers" current={r.screen === 'hosts' || r.screen === 'sessions'} />
        <NavLink href="#/pair" label="Pair" current={r.screen === 'pair'} />
        <NavLink href="#/settings" label="Settings" current={r.screen === 'settings'} />
      </nav>
    </div>
  );
}
