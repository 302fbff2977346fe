// Entry point: opens the host store, reads a pairing offer from the fragment, starts the
// links to saved hosts, and renders the app.

import { render } from 'preact';
import { dialWebSocket } from './host/link';
import { Hosts } from './host/hosts';
import { LiveViews } from './host/live';
import { pageBaseOf, readOffer } from './host/offer';
import { memoryStore, openIndexedDbStore, type HostStore } from './host/store';
import { App, type AppModel } from './ui/app';
import { parseRoute, route } from './ui/route';
import { registerServiceWorker } from './pwa';
import { signal } from '@preact/signals';
import './ui/app.css';

async function openStore(): Promise<{ store: HostStore; persistent: boolean }> {
  try {
    return { store: await openIndexedDbStore(), persistent: true };
  } catch {
    return { store: memoryStore(), persistent: false };
  }
}

async function boot(): Promise<void> {
  const offer: AppModel['offer'] = signal(null);
  const takeOffer = () => {
    if (!location.hash.startsWith('#offer=')) return false;
    // The page is the link: its base is the link's.
    offer.value = readOffer(location.hash, pageBaseOf(location));
    history.replaceState(null, '', `${location.pathname}${location.search}#/pair`);
    return true;
  };
  takeOffer();
  route.value = parseRoute(location.hash);
  window.addEventListener('hashchange', () => {
    takeOffer();
    route.value = parseRoute(location.hash);
  });

  const { store, persistent } = await openStore();
  const hosts = new Hosts({ store, dial: dialWebSocket, pageOrigin: location.origin });
  const live = new LiveViews(hosts);
  const model: AppModel = { hosts, live, offer, persistent };
  window.addEventListener('online', () => hosts.wake());
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') hosts.wake();
  });
  await hosts.load();
  render(<App model={model} />, document.getElementById('app')!);
}

registerServiceWorker();
void boot();
