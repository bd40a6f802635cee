// Alerts on this device (Web Push). The alerts page holds the texts and the server's key; this
// shows the state that fits the browser and asks for permission only when the button is tapped.
(function () {
  "use strict";

  function root() {
    return document.getElementById("push-state");
  }

  function message(name) {
    var element = root();
    return (element && element.dataset[name]) || name;
  }

  function supported() {
    return "serviceWorker" in navigator && "PushManager" in window && "Notification" in window;
  }

  // iPhone and iPad offer push only to an app added to the home screen.
  function iosBrowserTab() {
    var ios = /iPhone|iPad|iPod/.test(navigator.userAgent) ||
      (navigator.platform === "MacIntel" && navigator.maxTouchPoints > 1);
    var installed = window.matchMedia("(display-mode: standalone)").matches ||
      navigator.standalone === true;
    return ios && !installed;
  }

  function keyBytes(base64url) {
    var base64 = base64url.replace(/-/g, "+").replace(/_/g, "/");
    var binary = atob(base64 + "===".slice((base64.length + 3) % 4));
    return Uint8Array.from(binary, function (c) { return c.charCodeAt(0); });
  }

  function sameKey(buffer, bytes) {
    if (!buffer) return true;
    var other = new Uint8Array(buffer);
    return other.length === bytes.length && other.every(function (value, i) { return value === bytes[i]; });
  }

  async function registration() {
    var existing = await navigator.serviceWorker.getRegistration("/");
    if (!existing) await navigator.serviceWorker.register("/sw.js", { scope: "/" });
    return navigator.serviceWorker.ready;
  }

  async function currentSubscription() {
    var existing = await navigator.serviceWorker.getRegistration("/");
    return existing ? existing.pushManager.getSubscription() : null;
  }

  // The device list (swapped after every change on the alerts page) knows best; elsewhere the
  // card itself says what the server held when the page was made, or since it saved one.
  function serverKnowsThisDevice() {
    var holder = document.getElementById("push-devices") || root();
    return holder.dataset.thisDevice === "on";
  }

  function show(state) {
    root().querySelectorAll("[data-push-state]").forEach(function (element) {
      element.hidden = element.dataset.pushState !== state;
    });
  }

  function showError(text) {
    var box = root() && root().querySelector("[data-push-error]");
    if (!box) return;
    box.textContent = text || "";
    box.hidden = !text;
  }

  async function refresh() {
    if (!root()) return;
    if (!supported()) return show(iosBrowserTab() ? "ios" : "unsupported");
    if (Notification.permission === "denied") return show("denied");
    var on = Notification.permission === "granted" && serverKnowsThisDevice() &&
      !!(await currentSubscription().catch(function () { return null; }));
    show(on ? "on" : "off");
  }

  function PushProblem(text) {
    this.text = text;
  }

  async function saveOnServer(subscription) {
    var response;
    try {
      response = await fetch("/push/subscriptions", {
        method: "POST",
        credentials: "same-origin",
        headers: window.clothingLine.jsonHeaders(),
        body: JSON.stringify(subscription.toJSON()),
      });
    } catch (error) {
      throw new PushProblem(message("network"));
    }
    if (!response.ok) {
      var data = await response.json().catch(function () { return {}; });
      var problem = new PushProblem(data.error || message("failed"));
      problem.taken = response.status === 409;  // another account's subscription
      throw problem;
    }
  }

  function reloadDevices() {
    if (!document.getElementById("push-devices")) return refresh();  // e.g. on the home page
    if (window.htmx) {
      return window.htmx.ajax("GET", "/account/notifications", { target: "#push-devices", swap: "outerHTML" });
    }
    window.location.reload();
  }

  async function turnOn() {
    var permission = await Notification.requestPermission();
    if (permission !== "granted") {
      await refresh();
      if (permission === "default") throw new PushProblem(message("dismissed"));
      return;
    }
    var key = keyBytes(root().dataset.applicationServerKey);
    var pushManager = (await registration()).pushManager;
    var subscription = await pushManager.getSubscription();
    if (subscription && !sameKey(subscription.options && subscription.options.applicationServerKey, key)) {
      await subscription.unsubscribe();
      subscription = null;
    }
    if (!subscription) {
      subscription = await pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key });
    }
    try {
      await saveOnServer(subscription);
    } catch (error) {
      if (!(error instanceof PushProblem && error.taken)) throw error;
      // Someone else signed in on this browser earlier still holds its subscription: a fresh
      // one (a new endpoint) becomes this account's, and the old one stops working.
      await subscription.unsubscribe();
      subscription = await pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key });
      await saveOnServer(subscription);
    }
    root().dataset.thisDevice = "on";
    await reloadDevices();
  }

  async function unsubscribeHere() {
    var subscription = await currentSubscription().catch(function () { return null; });
    if (subscription) await subscription.unsubscribe().catch(function () { return false; });
  }

  async function run(button, action) {
    showError("");
    button.disabled = true;
    try {
      await action();
    } catch (error) {
      showError(error instanceof PushProblem ? error.text : message("failed"));
    } finally {
      button.disabled = false;
    }
  }

  document.addEventListener("click", function (event) {
    var enable = event.target.closest("[data-push-enable]");
    if (enable) return run(enable, turnOn);
    var disable = event.target.closest("[data-push-disable]");
    if (!disable) return;
    // Removing this device from the list also unsubscribes the browser (below).
    var form = document.querySelector("#push-devices form[data-push-this-device]");
    if (form) return form.requestSubmit();
    run(disable, function () { return unsubscribeHere().then(refresh); });
  });

  // "Stop alerts" on this device's row: the browser forgets the subscription too.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-push-this-device]")) return;
    if (event.defaultPrevented) return void unsubscribeHere();  // htmx sends the form
    event.preventDefault();
    unsubscribeHere().then(function () { form.submit(); });
  });

  document.addEventListener("DOMContentLoaded", refresh);
  document.addEventListener("htmx:afterSettle", refresh);
  if (navigator.permissions) {
    navigator.permissions.query({ name: "notifications" }).then(function (status) {
      status.onchange = refresh;
    }).catch(function () { return null; });
  }
})();
