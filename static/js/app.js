// Clothing Line: the little that htmx does not do. Works without it; adds no framework.
(function () {
  "use strict";

  // For the scripts that post JSON themselves (passkeys.js, push.js, loaded after this one):
  // the headers of such a request, with the CSRF token htmx sends on every request.
  window.clothingLine = {
    jsonHeaders: function () {
      var token = "";
      try {
        token = JSON.parse(document.body.getAttribute("hx-headers"))["x-csrftoken"];
      } catch (error) {
        token = "";
      }
      return { "Content-Type": "application/json", "Accept": "application/json", "x-csrftoken": token };
    },
  };

  if ("serviceWorker" in navigator) {
    window.addEventListener("load", function () {
      navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function (error) {
        console.warn("service worker not registered", error);
      });
    });
  }

  // Offline, or a copy served from the cache: say so, with the age of what is shown.
  var STALE_AFTER_MS = 2 * 60 * 1000;
  function showOfflineBanner() {
    var banner = document.getElementById("offline-banner");
    var renderedAt = Date.parse(document.documentElement.dataset.renderedAt || "");
    if (!banner || isNaN(renderedAt)) return;
    var ageMs = Date.now() - renderedAt;
    if (navigator.onLine && ageMs < STALE_AFTER_MS) {
      banner.hidden = true;
      return;
    }
    var age = banner.querySelector("[data-offline-age]");
    if (age) {
      var minutes = Math.max(0, Math.round(ageMs / 60000));
      var relative = new Intl.RelativeTimeFormat(document.documentElement.lang, { numeric: "auto" });
      var phrase = minutes < 60
        ? relative.format(-minutes, "minute")
        : minutes < 48 * 60
          ? relative.format(-Math.round(minutes / 60), "hour")
          : relative.format(-Math.round(minutes / 1440), "day");
      age.textContent = age.dataset.template.replace("{age}", phrase);
    }
    banner.hidden = false;
  }
  showOfflineBanner();
  window.addEventListener("offline", showOfflineBanner);
  window.addEventListener("online", showOfflineBanner);
  window.addEventListener("pageshow", showOfflineBanner);

  // The sign-in page means nobody is signed in here any more (signed out, revoked from another
  // phone, expired): what was kept of the last person's pages goes, the service worker's saved
  // pages (caches "pages-…", see sw.js) and htmx's snapshots for Back.
  function forgetSavedPages() {
    if (!document.querySelector("[data-forget-saved-pages]")) return;
    [window.sessionStorage, window.localStorage].forEach(function (storage) {
      try {
        storage.removeItem("htmx-history-cache");
      } catch (error) {
        // storage switched off: nothing was kept there either
      }
    });
    if (!("caches" in window)) return;
    caches.keys().then(function (names) {
      names.filter(function (name) { return name.indexOf("pages-") === 0; }).forEach(function (name) {
        caches.delete(name);
      });
    });
  }
  forgetSavedPages();
  document.addEventListener("htmx:afterSettle", forgetSavedPages);

  // A boosted link that cannot reach the server becomes a real navigation,
  // so the service worker can answer it from the cache or with the offline page.
  document.addEventListener("htmx:sendError", function (event) {
    var detail = event.detail || {};
    var config = detail.requestConfig || {};
    if (config.boosted && (config.verb || "get").toLowerCase() === "get") {
      window.location.href = config.path;
    }
  });

  // "Use my location": the position goes to the server, which keeps it rounded to ~100 m.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-geolocate] button");
    if (!button) return;
    var form = button.closest("form");
    var problem = form.querySelector("[data-geolocate-error]");
    button.disabled = true;
    navigator.geolocation.getCurrentPosition(
      function (position) {
        form.elements.latitude.value = position.coords.latitude.toFixed(5);
        form.elements.longitude.value = position.coords.longitude.toFixed(5);
        form.requestSubmit();
      },
      function () {
        button.disabled = false;
        if (problem) problem.hidden = false;
      },
      { enableHighAccuracy: false, timeout: 15000, maximumAge: 600000 }
    );
  });
  function offerGeolocation() {
    if (!("geolocation" in navigator)) return;
    document.querySelectorAll("[data-geolocate][hidden]").forEach(function (form) {
      form.hidden = false;
    });
  }
  document.addEventListener("DOMContentLoaded", offerGeolocation);
  document.addEventListener("htmx:afterSettle", offerGeolocation);

  // Uploads on a slow link: show how far along they are.
  document.addEventListener("htmx:xhr:progress", function (event) {
    var form = event.target.closest && event.target.closest("form");
    var bar = form && form.querySelector("progress");
    if (!bar || !event.detail.total) return;
    bar.hidden = false;
    bar.value = Math.round((event.detail.loaded / event.detail.total) * 100);
  });

  // The order form: pieces × budget per piece, shown as the designer types.
  document.addEventListener("input", function (event) {
    var form = event.target.closest && event.target.closest("[data-order-total]");
    if (!form) return;
    var output = form.querySelector("[data-total]");
    var digits = function (value) { return parseInt(String(value).replace(/[^0-9]/g, ""), 10) || 0; };
    var pieces = 0;
    form.querySelectorAll("[data-quantity]").forEach(function (input) { pieces += digits(input.value); });
    var price = digits((form.querySelector("[data-price]") || {}).value || "");
    if (!output) return;
    if (!pieces || !price) {
      output.textContent = "";
      return;
    }
    var format = new Intl.NumberFormat(document.documentElement.lang === "en" ? "en" : "id-ID");
    output.textContent = output.dataset.template
      .replace("{pieces}", format.format(pieces))
      .replace("{amount}", "Rp" + format.format(pieces * price));
  });

  // Polled fragments (data-poll="<seconds>", hx-trigger="poll", their ETag in hx-headers as
  // If-None-Match): asked every few seconds while the page is seen, six times less often when
  // it is hidden; the server answers 304 with no body when nothing changed. A fragment rendered
  // without data-poll (a finished order) is asked no more.
  var HIDDEN_SLOWDOWN = 6;
  var lastPolled = new WeakMap();
  function poll(force) {
    if (!window.htmx) return;
    var now = Date.now();
    document.querySelectorAll("[data-poll]").forEach(function (element) {
      var every = (parseInt(element.dataset.poll, 10) || 10) * 1000;
      if (document.hidden) every *= HIDDEN_SLOWDOWN;
      if (!lastPolled.has(element)) lastPolled.set(element, now);
      if (force || now - lastPolled.get(element) >= every) {
        lastPolled.set(element, now);
        window.htmx.trigger(element, "poll");
      }
    });
  }
  setInterval(poll, 1000);
  document.addEventListener("visibilitychange", function () {
    if (!document.hidden) poll(true);
  });
  // Never replace a polled fragment under someone's fingers: what they type stays; the next
  // poll brings the change once they are done.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    if (!target || !target.hasAttribute("data-poll") || event.detail.requestConfig.verb !== "get") return;
    var typing = Array.prototype.some.call(
      target.querySelectorAll("input:not([type=hidden]), textarea, select"),
      function (field) {
        if (field.type === "file") return field.files && field.files.length > 0;
        if (field.type === "checkbox" || field.type === "radio") return field.checked !== field.defaultChecked;
        if (field.tagName === "SELECT") return field === document.activeElement;
        return field.value !== field.defaultValue || field === document.activeElement;
      }
    );
    if (typing) event.detail.shouldSwap = false;
  });

  // Recovery codes: copy them all at once (one per line), or print them.
  function offerCodeTools() {
    document.querySelectorAll("[data-code-tools][hidden]").forEach(function (tools) {
      tools.hidden = false;
    });
  }
  document.addEventListener("DOMContentLoaded", offerCodeTools);
  document.addEventListener("htmx:afterSettle", offerCodeTools);
  document.addEventListener("click", function (event) {
    var print = event.target.closest("[data-print]");
    if (print) window.print();
    var copy = event.target.closest("[data-copy-codes]");
    if (!copy) return;
    var feedback = copy.parentElement.querySelector("[data-copied]");
    var codes = Array.prototype.map.call(document.querySelectorAll(copy.dataset.copyCodes), function (code) {
      return code.textContent.trim();
    });
    var say = function (key) { if (feedback) feedback.textContent = feedback.dataset[key]; };
    if (!navigator.clipboard) return say("copyFailed");
    navigator.clipboard.writeText(codes.join("\n")).then(
      function () { say("copied"); },
      function () { say("copyFailed"); }
    );
  });

  // A refused action (4xx) answers with its region again, the reason shown: what was typed in
  // the form comes back into the fields of the same id, so nothing has to be typed twice.
  var typedBeforeRefusal = new WeakMap();
  function typedFields(form) {
    return Array.prototype.filter.call(form.elements, function (field) {
      if (!field.id || field.type === "hidden" || field.type === "file") return false;
      if (field.type === "checkbox" || field.type === "radio") return field.checked;
      return field.value !== "";
    });
  }
  document.addEventListener("htmx:beforeSwap", function (event) {
    var source = (event.detail.requestConfig || {}).elt;
    var form = source && source.closest && source.closest("form");
    var status = event.detail.xhr.status;
    if (!form || status < 400 || status >= 500 || !event.detail.shouldSwap) return;
    typedBeforeRefusal.set(event.detail.xhr, typedFields(form).map(function (field) {
      return { id: field.id, value: field.value, checked: field.checked, type: field.type };
    }));
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    var typed = typedBeforeRefusal.get(event.detail.xhr);
    if (!typed) return;
    typedBeforeRefusal.delete(event.detail.xhr);
    typed.forEach(function (saved) {
      var field = document.getElementById(saved.id);
      if (!field || field.type !== saved.type) return;
      if (field.type === "checkbox" || field.type === "radio") {
        var group = field.form ? field.form.elements[field.name] : null;
        var chosen = group && group.length ? Array.prototype.some.call(group, function (f) { return f.checked; }) : field.checked;
        if (!chosen) field.checked = saved.checked;
      } else if (field.value === "") {
        field.value = saved.value;
      }
    });
  });

  // A form that posts a message (data-reset-on-success) empties once the server took it.
  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.target;
    if (form.matches && form.matches("form[data-reset-on-success]") && event.detail.successful) {
      form.reset();
    }
  });

  // A refusal shown in #notice (e.g. "try again in 3 minutes") goes when closed, or once a
  // later action goes through (not a poll: that would take it away before it is read).
  function clearNotice() {
    var notice = document.getElementById("notice");
    if (notice) notice.replaceChildren();
  }
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-dismiss-notice]")) clearNotice();
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    var verb = (event.detail.requestConfig || {}).verb;
    if (event.detail.successful && verb && verb !== "get") clearNotice();
  });
})();
