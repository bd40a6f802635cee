// Clothing Line service worker. The server prepends VERSION, PRECACHE_URLS and OFFLINE_URL.
// Strategies are listed in service_worker/README.md.
/* global VERSION, PRECACHE_URLS, OFFLINE_URL, OUTBOX_URL */
"use strict";

const SHELL_CACHE = "shell-" + VERSION;
// Saved pages are kept per account, in "pages-v2-<key>": the key is the X-Account header the
// server sends with every page to a signed-in person (an HMAC of the account, never its id), or
// "visitor". One holder's pages exist at a time: a page for someone else, or for nobody (the
// sign-in page after a sign-out, an expiry, a revocation from another phone), removes them.
const PAGES_PREFIX = "pages-v2-";
const VISITOR = "visitor";
// A saved page older than this is not shown (the offline page and the README say 7 days).
const SAVED_PAGE_MAX_AGE_MS = 7 * 24 * 60 * 60 * 1000;
const SAVED_AT = "Saved-At";
const NETWORK_TIMEOUT_MS = 4000;

self.addEventListener("install", (event) => {
  // Without cookies: the offline page must not be rendered for whoever is signed in today.
  const requests = PRECACHE_URLS.map((url) => new Request(url, { credentials: "omit" }));
  event.waitUntil(
    caches.open(SHELL_CACHE)
      .then((cache) => cache.addAll(requests))
      .then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(
        names.filter((name) => name !== SHELL_CACHE && !name.startsWith(PAGES_PREFIX))
          .map((name) => caches.delete(name))
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
  } else if (url.pathname.startsWith("/media/")) {
    event.respondWith(holdersPhoto(request));
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

// Photos never change under their id, but they are private, so the browser's cache may not keep
// them (no-store): the worker keeps them with the pages of the account that saw them, for as
// long, and shows them offline and without a download on the next visit.
async function holdersPhoto(request) {
  const holder = await holderPages();
  if (holder) {
    const saved = await fresh(holder.cache, request.url);
    if (saved) return saved;
  }
  const response = await fetch(request);
  if (holder && response.ok && PAGES_PREFIX + response.headers.get("X-Account") === holder.name) {
    await holder.cache.put(request.url, await stamped(response.clone()));
  }
  return response;
}

// Pages: fresh from the network when it answers in time; else the saved copy; else offline.
// A saved copy is offered to the server by its ETag: "unchanged" (304) costs no body.
async function networkFirstPage(event) {
  const request = event.request;
  const key = pageKey(request.url);
  const held = await savedPage(request);
  const tag = held && held.headers.get("ETag");
  const network = fetch(tag ? revalidation(request, tag) : request).then(async (response) => {
    if (response.status === 304 && held) return refiled(key, held);
    await file(key, response);
    return response;
  });
  event.waitUntil(network.catch(() => undefined));
  const timeout = new Promise((resolve) => setTimeout(resolve, NETWORK_TIMEOUT_MS));
  try {
    const first = await Promise.race([network, timeout]);
    if (first) return first;
    const saved = await savedPage(request);
    if (!saved) return await network;
    // The saved copy is shown; a late redirect (to sign in?) must still be read.
    event.waitUntil(network.then((late) => followRedirect(late)).catch(() => undefined));
    return saved;
  } catch (error) {
    return (await savedPage(request)) || (await offlinePage()) || Response.error();
  }
}

// What the server's answer to a navigation says about who is signed in here. A redirect is
// opaque to the worker: the page it leads to is a navigation of its own, and tells.
async function file(key, response) {
  if (response.status === 401 || response.status === 403) return forgetPages();
  const type = response.headers.get("Content-Type") || "";
  if (!response.ok || !type.startsWith("text/html")) return;
  const cache = await pagesOf(response.headers.get("X-Account") || VISITOR);
  if (response.headers.get("Offline-Cache") === "page") {
    await cache.put(key, await stamped(response.clone()));
    prune(cache).catch(() => undefined);
  }
}

// The navigation as it is, asking for the body only if the page changed since `tag`. A
// navigation request cannot be copied with new headers, so this is a request of its own; it
// hands any redirect back to the browser as the navigation would.
function revalidation(request, tag) {
  const headers = new Headers(request.headers);
  headers.set("If-None-Match", tag);
  return new Request(request.url, {
    headers,
    credentials: "same-origin",
    redirect: "manual",
    referrer: request.referrer,
  });
}

// The server says the saved copy is what it would send now: it is shown as current, saved
// again with a new Saved-At and the moment it was confirmed as its rendering time (the
// offline banner reads that age).
async function refiled(key, held) {
  const confirmed = new Date().toISOString();
  const html = (await held.text())
    .replace(/data-rendered-at="[^"]*"/, 'data-rendered-at="' + confirmed + '"');
  const headers = new Headers(held.headers);
  headers.set(SAVED_AT, String(Date.now()));
  const current = new Response(html, { status: held.status, statusText: held.statusText, headers });
  const holder = await holderPages();
  if (holder) await holder.cache.put(key, current.clone());
  return current;
}

async function followRedirect(response) {
  if (response.type !== "opaqueredirect") return;
  const followed = await fetch(response.url, { credentials: "same-origin" });
  await file(pageKey(followed.url), followed);
}

// The holder's cache; any other holder's pages are removed on the way.
async function pagesOf(holder) {
  const name = PAGES_PREFIX + holder;
  const names = await caches.keys();
  await Promise.all(
    names.filter((other) => other.startsWith(PAGES_PREFIX) && other !== name)
      .map((other) => caches.delete(other))
  );
  return caches.open(name);
}

async function forgetPages() {
  const names = await caches.keys();
  await Promise.all(names.filter((name) => name.startsWith(PAGES_PREFIX)).map((name) => caches.delete(name)));
}

async function stamped(response) {
  const headers = new Headers(response.headers);
  headers.set(SAVED_AT, String(Date.now()));
  const body = await response.blob();
  return new Response(body, { status: response.status, statusText: response.statusText, headers });
}

function pageKey(href) {
  const url = new URL(href);
  url.hash = "";
  return url.href;
}

// The current holder's cache: the one pages cache there is (none, or a race: nobody's).
async function holderPages() {
  const names = (await caches.keys()).filter((name) => name.startsWith(PAGES_PREFIX));
  if (names.length !== 1) return undefined;
  return { name: names[0], cache: await caches.open(names[0]) };
}

async function savedPage(request) {
  const holder = await holderPages();
  return holder && fresh(holder.cache, pageKey(request.url));
}

// A saved copy younger than the stated age; an older one is deleted instead.
async function fresh(cache, key) {
  const saved = await cache.match(key, { ignoreVary: true });
  if (!saved) return undefined;
  const age = Date.now() - Number(saved.headers.get(SAVED_AT));
  if (age >= 0 && age < SAVED_PAGE_MAX_AGE_MS) return saved;
  await cache.delete(key, { ignoreVary: true });
  return undefined;
}

// Copies past their age go when a page is saved, so photos seen once do not pile up.
async function prune(cache) {
  const now = Date.now();
  for (const key of await cache.keys()) {
    const saved = await cache.match(key, { ignoreVary: true });
    const age = now - Number(saved && saved.headers.get(SAVED_AT));
    if (!(age >= 0 && age < SAVED_PAGE_MAX_AGE_MS)) await cache.delete(key, { ignoreVary: true });
  }
}

function offlinePage() {
  return caches.open(SHELL_CACHE).then((cache) => cache.match(OFFLINE_URL));
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

// The outbox (static/js/outbox.js): actions kept on the phone without signal. The worker sends
// them when the browser says the signal is back (Background Sync, tag "outbox") and when it starts;
// the pages send them too (the online event, page load, "Kirim sekarang", a retry timer).
// A lock keeps page and worker from sending the same item at once.
importScripts(OUTBOX_URL);

self.addEventListener("sync", (event) => {
  if (event.tag === self.clothingLineOutbox.SYNC_TAG) event.waitUntil(replayOutbox());
});

self.addEventListener("activate", (event) => {
  event.waitUntil(replayOutbox().catch(() => undefined));
});

// A sync that leaves items for want of signal fails, so the browser tries again later.
async function replayOutbox() {
  const result = await self.clothingLineOutbox.replay();
  if (result.offline) throw new Error("the outbox waits for signal");
  return result;
}
