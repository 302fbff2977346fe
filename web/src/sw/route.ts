// What the service worker does with a request, decided from the request alone: the page
// itself (network first, the cached index.html when offline), a file of the app's code
// (cache first), or anything else, which it leaves to the network untouched.

/** The page (network first), the app's code (cache first), or not ours (never intercepted). */
export type RouteKind = 'shell' | 'asset' | 'network';

/** Every cache the app's service worker creates starts with this; others are not ours. */
export const CACHE_PREFIX = 'tether-shell-';

/** Where hashed build output lives; a file there may be cached the first time it is used. */
const ASSETS_DIR = 'assets/';

/**
 * How to answer `method url` for an app whose service worker scope is `scope` and whose
 * precached files are `shell` (paths relative to the scope, `index.html` among them).
 * Only GET requests for same-origin paths inside the scope, with no query, are handled:
 * the scope itself and `index.html` are the page; the other shell files and anything
 * under `assets/` are the app's code. Everything else — `/healthz`, `/metrics`, `/v1/…`,
 * `app-hash.txt`, other origins — is 'network'.
 */
export function routeRequest(url: string, method: string, scope: string, shell: readonly string[]): RouteKind {
  if (method !== 'GET') return 'network';
  let u: URL;
  let base: URL;
  try {
    u = new URL(url);
    base = new URL(scope);
  } catch {
    return 'network';
  }
  if (u.origin !== base.origin || u.search !== '') return 'network';
  const root = base.pathname.endsWith('/') ? base.pathname : base.pathname.replace(/[^/]*$/, '');
  if (!u.pathname.startsWith(root)) return 'network';
  const path = u.pathname.slice(root.length);
  if (path === '' || path === 'index.html') return 'shell';
  if (shell.includes(path)) return 'asset';
  if (path.startsWith(ASSETS_DIR) && path.length > ASSETS_DIR.length && isPlainPath(path)) return 'asset';
  return 'network';
}

/** No empty, dot or dot-led segment and nothing percent-encoded: a file the build wrote. */
function isPlainPath(path: string): boolean {
  return !path.includes('%') && path.split('/').every((s) => s !== '' && !s.startsWith('.'));
}

/** The caches an activating worker deletes: ours (by prefix) but for the current one. */
export function staleCaches(names: readonly string[], current: string): string[] {
  return names.filter((n) => n.startsWith(CACHE_PREFIX) && n !== current);
}
