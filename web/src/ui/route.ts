// Screens are addressed by the URL fragment (`#/`, `#/pair`, `#/host/<daemon id>`, `#/settings`),
// so the server only ever serves index.html. A pairing link's `#offer=…` is taken out of the
// address bar as soon as it is read: the secret should not linger in history.

import { signal } from '@preact/signals';

export type Route =
  | { screen: 'hosts' }
  | { screen: 'pair' }
  | { screen: 'sessions'; daemonId: string }
  | { screen: 'settings' };

export function parseRoute(hash: string): Route {
  const h = hash.replace(/^#/, '');
  if (h === '/pair' || h.startsWith('offer=')) return { screen: 'pair' };
  if (h === '/settings') return { screen: 'settings' };
  const m = /^\/host\/([A-Za-z0-9_-]{43})$/.exec(h);
  if (m) return { screen: 'sessions', daemonId: m[1]! };
  return { screen: 'hosts' };
}

export function hrefFor(r: Route): string {
  switch (r.screen) {
    case 'hosts':
      return '#/';
    case 'pair':
      return '#/pair';
    case 'settings':
      return '#/settings';
    case 'sessions':
      return `#/host/${r.daemonId}`;
  }
}

export const route = signal<Route>({ screen: 'hosts' });

export function navigate(r: Route): void {
  const href = hrefFor(r);
  if (location.hash !== href) location.hash = href;
  route.value = r;
}
