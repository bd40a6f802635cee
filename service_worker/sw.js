// Clothing Line service worker. The server prepends VERSION, PRECACHE_URLS and OFFLINE_URL.
// Strategies are listed in service_worker/README.md.
/* global VERSION, PRECACHE_URLS, OFFLINE_URL */
"use strict";

const SHELL_CACHE = "shell-" + VERSION;
const PAGES_CACHE = "pages-v1";
const KNOWN_CACHES = [SHELL_CACHE, PAGES_CACHE];
const NETWORK_TIMEOUT_MS = 4000;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(SHELL_CACHE)
      .then((cache) => cache.addAll(PRECACHE_URLS))
      .then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(
        names.filter((name) => !KNOWN_CACHES.includes(name)).map((name) => caches.delete(name))
      ))
      .then(() => self.clients.claim())
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    event.respondWith(networkFirstPage(event));
  } else if (url.pathname.startsWith("/static/")) {
    event.respondWith(cacheFirstAsset(request));
  }
  // Everything else (htmx fragments, JSON) goes to the network only.
});

// Hashed, immutable files: the cache is always right once it has them.
async function cacheFirstAsset(request) {
  const cached = await caches.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) {
    const cache = await caches.open(SHELL_CACHE);
    cache.put(request, response.clone());
  }
  return response;
}

// Pages: fresh from the network when it answers in time; else the saved copy; else offline.
async function networkFirstPage(event) {
  const request = event.request;
  const network = fetch(request).then(async (response) => {
    if (response.ok && response.headers.get("Offline-Cache") === "page") {
      const cache = await caches.open(PAGES_CACHE);
      await cache.put(pageKey(request), response.clone());
    }
    return response;
  });
  event.waitUntil(network.catch(() => undefined));
  const timeout = new Promise((resolve) => setTimeout(resolve, NETWORK_TIMEOUT_MS));
  try {
    const first = await Promise.race([network, timeout]);
    if (first) return first;
    const saved = await savedPage(request);
    return saved || await network;
  } catch (error) {
    return (await savedPage(request)) || (await caches.match(OFFLINE_URL)) || Response.error();
  }
}

function pageKey(request) {
  const url = new URL(request.url);
  url.hash = "";
  return url.href;
}

function savedPage(request) {
  return caches.open(PAGES_CACHE).then((cache) => cache.match(pageKey(request), { ignoreVary: true }));
}
