// Clothing Line's outbox: actions taken without signal are kept on the phone (IndexedDB) and
// sent once the signal is back, in the order they were taken, each exactly once (its
// Idempotency-Key). Loaded by the pages (static/js/outbox-page.js draws it) and by the service
// worker (sw.js, for Background Sync). Described in service_worker/README.md.
(function (scope) {
  "use strict";

  const DATABASE = "clothing-line-outbox";
  const STORE = "items";
  const LOCK = "clothing-line-outbox";
  const CHANNEL = "clothing-line-outbox";
  const SYNC_TAG = "outbox";

  const WAITING = "waiting";    // not sent yet, or the network failed: sent on the next trigger
  const SIGN_IN = "sign-in";    // the session ended: sent once the person signed in again
  const REFUSED = "refused";    // the server said no (409/422/...): kept to be read, then deleted

  function available() {
    return Boolean(scope.indexedDB) && typeof fetch === "function";
  }

  function open() {
    return new Promise((resolve, reject) => {
      const request = scope.indexedDB.open(DATABASE, 1);
      request.onupgradeneeded = () => {
        request.result.createObjectStore(STORE, { keyPath: "seq", autoIncrement: true });
      };
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  }

  async function transact(mode, work) {
    const database = await open();
    try {
      return await new Promise((resolve, reject) => {
        const transaction = database.transaction(STORE, mode);
        const store = transaction.objectStore(STORE);
        let result;
        Promise.resolve(work(store)).then((value) => { result = value; }, reject);
        transaction.oncomplete = () => resolve(result);
        transaction.onerror = () => reject(transaction.error);
        transaction.onabort = () => reject(transaction.error);
      });
    } finally {
      database.close();
    }
  }

  function asPromise(request) {
    return new Promise((resolve, reject) => {
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  }

  // Every item, oldest first (the key grows with each item queued).
  function all() {
    return transact("readonly", (store) => asPromise(store.getAll()));
  }

  function add(item) {
    return transact("readwrite", (store) => asPromise(store.add(item))).then(changed);
  }

  function put(item) {
    return transact("readwrite", (store) => asPromise(store.put(item)));
  }

  function remove(seq) {
    return transact("readwrite", (store) => asPromise(store.delete(seq))).then(changed);
  }

  // Pages and the worker hear of each change, so every open page shows the outbox as it is.
  function announce(message) {
    if (typeof BroadcastChannel !== "function") return;
    const channel = new BroadcastChannel(CHANNEL);
    channel.postMessage(message);
    channel.close();
  }

  function changed(value) {
    announce({ type: "changed" });
    return value;
  }

  function uuid() {
    if (scope.crypto && scope.crypto.randomUUID) return scope.crypto.randomUUID();
    const bytes = scope.crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join("-");
  }

  // Ask the browser to wake the worker once the signal is back (Background Sync, where it is).
  async function askForSync() {
    const registration = scope.registration
      || (scope.navigator.serviceWorker && await scope.navigator.serviceWorker.getRegistration());
    if (registration && registration.sync) {
      await registration.sync.register(SYNC_TAG).catch(() => undefined);
    }
  }

  // The CSRF token and account of the session now: read at send time, never kept in an item.
  async function session() {
    let response;
    try {
      response = await fetch("/outbox/token", {
        credentials: "same-origin",
        cache: "no-store",
        headers: { "Accept": "application/json", "Outbox": "1" },
      });
    } catch (error) {
      return { offline: true };
    }
    if (response.status === 401) return { signedOut: true };
    if (!response.ok) return { offline: true };
    const body = await response.json();
    return { token: body.csrf_token, account: body.account };
  }

  function body(item, token) {
    const fields = item.fields.filter((field) => field[0] !== "_csrf_token");
    if (item.multipart) {
      const form = new FormData();
      fields.forEach(([name, value]) => {
        if (value && typeof value === "object") form.append(name, value.blob, value.name);
        else form.append(name, value);
      });
      form.append("_csrf_token", token);
      return form;
    }
    const form = new URLSearchParams();
    fields.forEach(([name, value]) => form.append(name, value));
    form.append("_csrf_token", token);
    return form;
  }

  // One item to the server: "delivered", "refused" (with the reason), "sign-in", "csrf",
  // "later" (rate limit or a server error) or "offline".
  async function send(item, token) {
    const headers = {
      "Idempotency-Key": item.key,
      "x-csrftoken": token,
      "HX-Request": "true",
      "Outbox": "1",
    };
    if (item.revision) headers["Order-Revision"] = item.revision;
    let response;
    try {
      response = await fetch(item.url, {
        method: "POST",
        body: body(item, token),
        headers: headers,
        credentials: "same-origin",
        redirect: "manual",
        cache: "no-store",
      });
    } catch (error) {
      return { result: "offline" };
    }
    const status = response.status;
    if (response.type === "opaqueredirect" || (status >= 200 && status < 400)) return { result: "delivered" };
    if (status === 401) return { result: "sign-in" };
    if (status === 403) return { result: "csrf", reason: refusal(response) };
    if (status === 429 || status >= 500) return { result: "later" };
    return { result: "refused", reason: refusal(response), status: status };
  }

  function refusal(response) {
    const text = response.headers.get("Refusal-Text");
    if (!text) return "";
    try {
      return decodeURIComponent(text);
    } catch (error) {
      return text;
    }
  }

  // The order an item belongs to: one at a time per order, in the order queued.
  function orderOf(item) {
    const match = new URL(item.url, scope.location.href).pathname.match(/^\/orders\/([^/]+)/);
    return match ? match[1] : item.url;
  }

  // Send what waits, oldest first. Page and worker may both try: the lock makes one wait for
  // the other, and the second finds only what is left. Answers what is left to send.
  function replay() {
    if (!available()) return Promise.resolve({ left: 0 });
    const locks = scope.navigator && scope.navigator.locks;
    return locks ? locks.request(LOCK, replayHoldingLock) : replayHoldingLock();
  }

  async function replayHoldingLock() {
    const waiting = (await all()).filter((item) => item.state !== REFUSED);
    if (!waiting.length) return { left: 0 };
    let now = await session();
    if (now.offline) return { left: waiting.length, offline: true };
    if (now.signedOut) {
      for (const item of waiting) {
        if (item.state !== SIGN_IN) await put(Object.assign(item, { state: SIGN_IN }));
      }
      announce({ type: "changed" });
      return { left: waiting.length, signedOut: true };
    }
    const stalled = new Set();
    let left = 0;
    let offline = false;
    for (const item of waiting) {
      if (item.account !== now.account) continue;  // another person's: waits for their sign-in
      const order = orderOf(item);
      if (stalled.has(order) || offline) {
        left += 1;
        continue;
      }
      let outcome = await send(item, now.token);
      if (outcome.result === "csrf") {
        now = await session();
        outcome = now.token ? await send(item, now.token) : { result: "offline" };
        if (outcome.result === "csrf") outcome = { result: "refused", reason: outcome.reason, status: 403 };
      }
      if (outcome.result === "delivered") {
        await remove(item.seq);
        announce({ type: "delivered", url: item.url, path: item.path });
      } else if (outcome.result === "refused") {
        await put(Object.assign(item, { state: REFUSED, reason: outcome.reason, status: outcome.status }));
        announce({ type: "changed" });
      } else if (outcome.result === "sign-in") {
        for (const rest of waiting.filter((other) => other.account === item.account)) {
          await put(Object.assign(rest, { state: SIGN_IN }));
        }
        announce({ type: "changed" });
        return { left: waiting.length, signedOut: true };
      } else {
        // The network failed, or the server asks to wait: this order's later items wait too.
        if (item.state !== WAITING) await put(Object.assign(item, { state: WAITING }));
        stalled.add(order);
        offline = offline || outcome.result === "offline";
        left += 1;
      }
    }
    return { left: left, offline: offline };
  }

  scope.clothingLineOutbox = {
    available: available,
    all: all,
    add: add,
    put: put,
    remove: remove,
    replay: replay,
    askForSync: askForSync,
    uuid: uuid,
    CHANNEL: CHANNEL,
    SYNC_TAG: SYNC_TAG,
    WAITING: WAITING,
    SIGN_IN: SIGN_IN,
    REFUSED: REFUSED,
  };
})(self);
