// Clothing Line: the little that htmx does not do. Works without it; adds no framework.
(function () {
  "use strict";

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

  // A boosted link that cannot reach the server becomes a real navigation,
  // so the service worker can answer it from the cache or with the offline page.
  document.addEventListener("htmx:sendError", function (event) {
    var detail = event.detail || {};
    var config = detail.requestConfig || {};
    if (config.boosted && (config.verb || "get").toLowerCase() === "get") {
      window.location.href = config.path;
    }
  });
})();
