// The playground's service worker: keeps the page working offline after its first load, reloads
// included. Installing it stores the page's files (PRECACHE, listed by scripts/build-playground.mjs,
// which also names the cache by a hash of their contents, VERSION); it answers the page's own GET
// requests from that cache first, and caches what it fetches besides (the fallback fonts, 3.5 MB
// gzip, only once a text needs them). Requests to any other origin are not touched (there are none).
declare const PRECACHE: string[];
declare const VERSION: string;

interface ExtendableEvent extends Event {
  waitUntil(promise: Promise<unknown>): void;
}
interface FetchEvent extends ExtendableEvent {
  request: Request;
  respondWith(response: Promise<Response>): void;
}
interface ServiceWorkerScope {
  addEventListener(type: 'install' | 'activate', listener: (event: ExtendableEvent) => void): void;
  addEventListener(type: 'fetch', listener: (event: FetchEvent) => void): void;
  skipWaiting(): Promise<void>;
  clients: { claim(): Promise<void> };
  location: Location;
}

const scope = globalThis as unknown as ServiceWorkerScope;
const PREFIX = 'flowlane-playground-';
const CACHE = `${PREFIX}${VERSION}`;

scope.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(PRECACHE))
      .then(() => scope.skipWaiting()),
  );
});

scope.addEventListener('activate', (event) => {
  // An older build's files go: a rebuilt playground is what the next load gets.
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith(PREFIX) && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => scope.clients.claim()),
  );
});

scope.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET' || new URL(request.url).origin !== scope.location.origin) return;
  event.respondWith(
    caches.open(CACHE).then(async (cache) => {
      // A shared link's query or fragment does not make another page.
      const cached = await cache.match(request, { ignoreSearch: true });
      if (cached) return cached;
      const response = await fetch(request);
      if (response.ok) await cache.put(request, response.clone());
      return response;
    }),
  );
});
