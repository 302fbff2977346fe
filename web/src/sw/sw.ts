// The app's service worker (built into dist/sw.js by scripts/sw.mjs, which bakes in the
// shell list and the cache name). It precaches the app shell and serves it offline; it never
// caches or answers API traffic. Which request goes where is decided in route.ts.

import { routeRequest, staleCaches } from './route';

/** Written by the build: the shell files (relative to the scope) with their sha384 SRI. */
declare const __TETHER_SHELL__: readonly { readonly path: string; readonly integrity: string }[];
/** Written by the build: CACHE_PREFIX + the hash of every other file of the build. */
declare const __TETHER_CACHE__: string;

// The few worker types used here (the DOM lib, which the rest of the app compiles with,
// lacks them; the WebWorker lib conflicts with it).
interface ExtendableEvent extends Event {
  waitUntil(promise: Promise<unknown>): void;
}
interface FetchEvent extends ExtendableEvent {
  readonly request: Request;
  respondWith(response: Response | Promise<Response>): void;
}
interface WorkerScope {
  readonly registration: ServiceWorkerRegistration;
  skipWaiting(): Promise<void>;
  addEventListener(type: 'install' | 'activate', listener: (e: ExtendableEvent) => void): void;
  addEventListener(type: 'fetch', listener: (e: FetchEvent) => void): void;
}

const worker = globalThis as unknown as WorkerScope;
const SHELL = __TETHER_SHELL__;
const CACHE = __TETHER_CACHE__;
const shellPaths = SHELL.map((f) => f.path);
const scope = () => worker.registration.scope;

worker.addEventListener('install', (e) => {
  // Each file must match the hash the build recorded, or the install fails and nothing is kept.
  const requests = SHELL.map((f) => new Request(new URL(f.path, scope()), { integrity: f.integrity, cache: 'no-cache' }));
  e.waitUntil(
    caches
      .open(CACHE)
      .then((c) => c.addAll(requests))
      .then(() => worker.skipWaiting()),
  );
});

worker.addEventListener('activate', (e) => {
  e.waitUntil(caches.keys().then((names) => Promise.all(staleCaches(names, CACHE).map((n) => caches.delete(n)))));
});

worker.addEventListener('fetch', (e) => {
  const kind = routeRequest(e.request.url, e.request.method, scope(), shellPaths);
  if (kind === 'network') return;
  e.respondWith(kind === 'shell' ? networkFirst(e.request) : cacheFirst(e.request));
});

/** The page: the network's answer when there is one (a new build shows at once), else the cached index.html. */
async function networkFirst(request: Request): Promise<Response> {
  try {
    return await fetch(request);
  } catch (err) {
    const cached = await caches.match(new URL('index.html', scope()).href, { cacheName: CACHE });
    if (cached) return cached;
    throw err;
  }
}

/** The app's code: from the cache; a file not yet cached (a lazily loaded chunk) is kept once fetched. */
async function cacheFirst(request: Request): Promise<Response> {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.status === 200 && response.type === 'basic') await cache.put(request, response.clone());
  return response;
}
