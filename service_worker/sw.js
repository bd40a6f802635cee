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

// Alerts (Web Push). The payload is JSON: {title, body, url, tag, icon}. Alerts about the
// same thing share a tag, so a newer one replaces the older instead of piling up.
const ALERT_ICON = PRECACHE_URLS.find((url) => url.endsWith("/icons/icon-192.png"));
const ALERT_BADGE = PRECACHE_URLS.find((url) => url.endsWith("/icons/badge-72.png"));

self.addEventListener("push", (event) => {
  event.waitUntil(showAlert(readAlert(event.data)));
});

function readAlert(data) {
  if (!data) return {};
  try {
    return data.json() || {};
  } catch (error) {
    return { body: data.text() };
  }
}

function showAlert(alert) {
  return self.registration.showNotification(alert.title || "Clothing Line", {
    body: alert.body || "",
    icon: alert.icon || ALERT_ICON,
    badge: ALERT_BADGE,
    tag: alert.tag || undefined,
    renotify: false,
    data: { url: alert.url || "/notifications" },
  });
}

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  event.waitUntil(openAlertPage((event.notification.data || {}).url));
});

// Reuse a window of ours when one is open (navigated to the alert's page), else open one.
async function openAlertPage(url) {
  let target = new URL(url || "/notifications", self.location.origin);
  if (target.origin !== self.location.origin) target = new URL("/notifications", self.location.origin);
  const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
  const ours = windows.filter((client) => new URL(client.url).origin === self.location.origin);
  const client = ours.find((candidate) => candidate.focused) || ours[0];
  if (client) {
    // Focusing needs a real tap on the alert; navigating does not.
    await client.focus().catch(() => undefined);
    const navigated = await client.navigate(target.href).catch(() => null);
    if (navigated) return navigated;
  }
  return self.clients.openWindow(target.href);
}

// The push service renewed or dropped the subscription: subscribe again with the same key and
// tell the server. No CSRF token here: the server checks the session cookie, that the request
// is same-origin, and that the old endpoint is this account's.
self.addEventListener("pushsubscriptionchange", (event) => {
  event.waitUntil(renewSubscription(event.oldSubscription, event.newSubscription));
});

async function renewSubscription(oldSubscription, newSubscription) {
  if (!oldSubscription) return;  // nothing to prove it is ours: the alerts page subscribes anew
  const subscription = newSubscription || await self.registration.pushManager.subscribe({
    userVisibleOnly: true,
    applicationServerKey: oldSubscription.options.applicationServerKey,
  });
  await fetch("/push/subscription-change", {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({
      old_endpoint: oldSubscription.endpoint,
      subscription: subscription.toJSON(),
    }),
  });
}
