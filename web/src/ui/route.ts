// Screens are addressed by the URL fragment (`#/`, `#/pair`, `#/inbox`, `#/settings`,
// `#/host/<daemon id>`, `#/host/<id>/new`, `#/host/<id>/devices`, `#/host/<id>/s/<session>`),
// so the server only ever serves index.html. A pairing link's `#offer=…` is taken out of the
// address bar as soon as it is read: the secret should not linger in history.

import { signal } from '@preact/signals';

export type Route =
  | { screen: 'hosts' }
  | { screen: 'pair' }
  | { screen: 'inbox' }
  | { screen: 'settings' }
  | { screen: 'sessions'; daemonId: string }
  | { screen: 'new'; daemonId: string }
  | { screen: 'devices'; daemonId: string }
  | { screen: 'session'; daemonId: string; sessionId: string };

const DAEMON = '([A-Za-z0-9_-]{43})';

export function parseRoute(hash: string): Route {
  const h = hash.replace(/^#/, '');
  if (h === '/pair' || h.startsWith('offer=')) return { screen: 'pair' };
  if (h === '/settings') return { screen: 'settings' };
  if (h === '/inbox') return { screen: 'inbox' };
  let m = new RegExp(`^/host/${DAEMON}$`).exec(h);
  if (m) return { screen: 'sessions', daemonId: m[1]! };
  m = new RegExp(`^/host/${DAEMON}/(new|devices)$`).exec(h);
  if (m) return { screen: m[2] as 'new' | 'devices', daemonId: m[1]! };
  m = new RegExp(`^/host/${DAEMON}/s/([A-Za-z0-9_-]{1,64})$`).exec(h);
  if (m) return { screen: 'session', daemonId: m[1]!, sessionId: m[2]! };
  return { screen: 'hosts' };
}

export function hrefFor(r: Route): string {
  switch (r.screen) {
    case 'hosts':
      return '#/';
    case 'pair':
      return '#/pair';
    case 'inbox':
      return '#/inbox';
    case 'settings':
      return '#/settings';
    case 'sessions':
      return `#/host/${r.daemonId}`;
    case 'new':
    case 'devices':
      return `#/host/${r.daemonId}/${r.screen}`;
    case 'session':
      return `#/host/${r.daemonId}/s/${r.sessionId}`;
  }
}

/** The route with its daemon id as `resolve` gives it (a host that rotated its key answers to its old id too). */
export function resolveRoute(r: Route, resolve: (daemonId: string) => string): Route {
  if (!('daemonId' in r)) return r;
  const daemonId = resolve(r.daemonId);
  return daemonId === r.daemonId ? r : { ...r, daemonId };
}

export const route = signal<Route>({ screen: 'hosts' });

export function navigate(r: Route): void {
  const href = hrefFor(r);
  if (location.hash !== href) location.hash = href;
  route.value = r;
}
