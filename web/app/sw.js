// The service worker: keeps the page's shell (HTML, script, styles, the
// Automerge wasm) in a cache named after the build, so a tablet that lost its
// connection can still open or reload a class page; the board itself comes from
// IndexedDB (storage.js). Pages are fetched network-first (a new build arrives
// when online), falling back to the cached shell; assets are cache-first, since
// a new build brings a new service worker and a new cache.

/* global __HOMEROOM_VERSION__ */
const CACHE = `homeroom-${__HOMEROOM_VERSION__}`
const SHELL = ['/', '/static/app.js', '/static/app.css', '/static/automerge.wasm', '/static/icon.svg', '/static/manifest.webmanifest']
/** A page request slower than this is answered from the cache (a flaky network). */
const NETWORK_TIMEOUT_MS = 4000

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(SHELL))
      .then(() => self.skipWaiting()),
  )
})

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('homeroom-') && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  )
})

/** A class page or the start page: any of them is the same shell. */
const isPage = (url) => url.pathname === '/' || url.pathname.startsWith('/s/')

self.addEventListener('fetch', (event) => {
  const req = event.request
  if (req.method !== 'GET') return
  const url = new URL(req.url)
  if (url.origin !== self.location.origin) return
  if (req.mode === 'navigate' && isPage(url)) {
    event.respondWith(page(req))
  } else if (url.pathname.startsWith('/static/')) {
    event.respondWith(asset(req))
  }
  // Everything else (/ws, /healthz, /admin/) goes to the network untouched.
})

async function page(req) {
  const cache = await caches.open(CACHE)
  try {
    const res = await withTimeout(fetch(req), NETWORK_TIMEOUT_MS)
    if (res.ok) {
      cache.put('/', res.clone())
      return res
    }
    return (await cache.match('/')) ?? res
  } catch {
    const cached = await cache.match('/')
    if (cached) return cached
    return new Response('Homeroom is offline and this page was never opened here while online.', {
      status: 503,
      headers: { 'Content-Type': 'text/plain; charset=utf-8' },
    })
  }
}

async function asset(req) {
  const cache = await caches.open(CACHE)
  const cached = await cache.match(req, { ignoreSearch: true })
  if (cached) return cached
  const res = await fetch(req)
  if (res.ok) cache.put(req, res.clone())
  return res
}

function withTimeout(promise, ms) {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('timeout')), ms)
    promise.then(
      (v) => {
        clearTimeout(t)
        resolve(v)
      },
      (e) => {
        clearTimeout(t)
        reject(e)
      },
    )
  })
}
