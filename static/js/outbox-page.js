// The outbox on the page: a form marked data-outbox, sent without signal, is kept on the phone
// (static/js/outbox.js) instead of failing; the page shows it as waiting under its form and in
// the outbox panel of the layout (#outbox), and sends it once the signal is back. Without
// IndexedDB or a service worker nothing here runs: forms post as they always did. Every text
// comes from the panel's data attributes, rendered by the server in the person's language.
(function () {
  "use strict";

  var outbox = window.clothingLineOutbox;
  if (!outbox || !outbox.available() || !("serviceWorker" in navigator)) return;

  // After a failed send (a flaky network, a busy server): again in 5 s, then ever less often.
  var FIRST_RETRY_MS = 5 * 1000;
  var LAST_RETRY_MS = 5 * 60 * 1000;

  function panel() {
    return document.getElementById("outbox");
  }

  function account() {
    var element = panel();
    return element ? element.dataset.account || "" : "";
  }

  function text(name) {
    var element = panel();
    return (element && element.dataset[name]) || "";
  }

  function clock(moment) {
    var lang = document.documentElement.lang || "id";
    var day = new Date(moment).toDateString() === new Date().toDateString();
    var options = day ? { hour: "2-digit", minute: "2-digit" } : { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" };
    return new Intl.DateTimeFormat(lang === "en" ? "en-GB" : "id-ID", options).format(new Date(moment));
  }

  function stateText(item) {
    if (item.state === outbox.REFUSED) {
      return text("refused").replace("{reason}", item.reason || text("refusedUnknown").replace("{status}", item.status || ""));
    }
    if (item.state === outbox.SIGN_IN) return text("signIn");
    return text("waiting").replace("{time}", clock(item.queuedAt));
  }

  function pathOf(url) {
    return new URL(url, window.location.href).pathname;
  }

  // What a person would call the item: the form's label (or its button), and what was typed.
  function describe(form, submitter) {
    var button = submitter || form.querySelector("button[type=submit], button:not([type])");
    var label = form.dataset.outbox || (button ? button.textContent.trim() : "");
    var typed = Array.prototype.filter.call(form.querySelectorAll("textarea, input[type=text], input:not([type])"), function (field) {
      return field.value.trim() !== "";
    }).map(function (field) { return field.value.trim(); }).join(" · ");
    var heading = document.querySelector("main h1");
    return { label: label, snippet: typed.slice(0, 140), title: heading ? heading.textContent.trim() : "" };
  }

  function fieldsOf(form, submitter) {
    var fields = [];
    new FormData(form, submitter || undefined).forEach(function (value, name) {
      if (name === "_csrf_token") return;
      if (typeof value === "string") {
        fields.push([name, value]);
      } else if (value.size || value.name) {
        fields.push([name, { blob: value, name: value.name, type: value.type }]);
      }
    });
    return fields;
  }

  // Keep the form's action in the outbox. `key` is the Idempotency-Key: a new one for a form
  // that never left the phone, the form's own when the network failed after it was sent (the
  // server may have it: the same key makes the second send harmless).
  function queue(form, submitter, key) {
    var ready = window.clothingLine && window.clothingLine.photosReady
      ? Promise.resolve(window.clothingLine.photosReady(form)).catch(function () { return undefined; })
      : Promise.resolve();
    return ready.then(function () {
      var revisionHolder = form.closest("[data-order-revision]");
      var about = describe(form, submitter);
      var item = {
        key: key || outbox.uuid(),
        account: account(),
        url: new URL(form.getAttribute("action"), window.location.href).href,
        multipart: (form.getAttribute("enctype") || form.getAttribute("hx-encoding") || "").indexOf("multipart") === 0,
        fields: fieldsOf(form, submitter),
        revision: revisionHolder ? revisionHolder.dataset.orderRevision : "",
        label: about.label,
        snippet: about.snippet,
        title: about.title,
        path: window.location.pathname,
        queuedAt: Date.now(),
        state: outbox.WAITING,
      };
      form.reset();
      renewKey(form);
      return outbox.add(item).then(function () {
        outbox.askForSync();
        render();
      });
    });
  }

  // The form stays on the page: the next action from it needs its own key.
  function renewKey(form) {
    var field = form.querySelector("input[name=_idempotency_key]");
    if (!field) return;
    var fresh = outbox.uuid();
    field.setAttribute("value", fresh);
    field.value = fresh;
  }

  function canQueue(form) {
    return form && form.matches && form.matches("form[data-outbox]") && account() !== "";
  }

  // Without signal: the form goes into the outbox, not to the network (htmx never sees it).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (navigator.onLine || !canQueue(form) || event.defaultPrevented) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    queue(form, event.submitter);
  }, true);

  // The phone said it had signal, but the request did not get through.
  document.addEventListener("htmx:sendError", function (event) {
    var source = event.detail && event.detail.elt;
    var form = source && source.closest && source.closest("form");
    if (!canQueue(form)) return;
    var sent = form.querySelector("input[name=_idempotency_key]");
    queue(form, null, sent && /^[A-Za-z0-9_-]{16,100}$/.test(sent.value) ? sent.value : "").then(function () {
      later(FIRST_RETRY_MS);  // no "online" event will come: the phone thinks it has signal
    });
  });

  // The panel (every page) and the line under each form whose action waits.
  function render() {
    return outbox.all().then(function (items) {
      var mine = items.filter(function (item) { return item.account === account(); });
      drawPanel(mine);
      drawPending(mine);
      return mine;
    });
  }

  function drawPanel(items) {
    var section = panel();
    if (!section) return;
    var list = section.querySelector("[data-outbox-list]");
    var row = section.querySelector("template[data-outbox-row]");
    // Drawn again only when something changed: a button is never taken from under a finger.
    var drawn = items.map(function (item) { return item.seq + ":" + stateText(item); }).join("|");
    if (list.dataset.drawn !== drawn || list.children.length !== items.length) {
      list.dataset.drawn = drawn;
      list.replaceChildren.apply(list, rowsOf(items, row));
    }
    section.hidden = items.length === 0;
    var signIn = section.querySelector("[data-outbox-sign-in]");
    if (signIn) signIn.hidden = !items.some(function (item) { return item.state === outbox.SIGN_IN; });
    document.querySelectorAll("[data-outbox-count]").forEach(function (count) {
      count.textContent = String(items.length);
    });
    document.querySelectorAll("[data-outbox-link]").forEach(function (link) {
      link.hidden = items.length === 0;
    });
  }

  function rowsOf(items, row) {
    return items.map(function (item) {
      var line = row.content.firstElementChild.cloneNode(true);
      line.dataset.seq = String(item.seq);
      line.dataset.state = item.state;
      var link = line.querySelector("[data-outbox-label]");
      link.textContent = item.label;
      link.setAttribute("href", item.path);
      line.querySelector("[data-outbox-title]").textContent = item.title;
      line.querySelector("[data-outbox-snippet]").textContent = item.snippet;
      line.querySelector("[data-outbox-state]").textContent = stateText(item);
      var hint = line.querySelector("[data-outbox-refused-hint]");
      hint.hidden = item.state !== outbox.REFUSED;
      return line;
    });
  }

  // Under each form, a line per item of its action: kept as it is while nothing changed.
  function drawPending(items) {
    var forms = Array.prototype.slice.call(document.querySelectorAll("form[data-outbox]"));
    var wanted = new Set();
    forms.forEach(function (form) {
      var action = pathOf(form.getAttribute("action"));
      var after = form;
      items.filter(function (item) { return pathOf(item.url) === action; }).forEach(function (item) {
        var id = item.seq + ":" + stateText(item);
        wanted.add(id);
        var next = after.nextElementSibling;
        if (next && next.dataset.outboxPending === id) {
          after = next;
          return;
        }
        after.insertAdjacentElement("afterend", pendingLine(item, id));
        after = after.nextElementSibling;
      });
    });
    document.querySelectorAll("[data-outbox-pending]").forEach(function (line) {
      var previous = line.previousElementSibling;
      var placed = previous && (previous.matches("form[data-outbox]") || previous.hasAttribute("data-outbox-pending"));
      if (!wanted.has(line.dataset.outboxPending) || !placed) line.remove();
    });
  }

  function pendingLine(item, id) {
    var line = document.createElement("p");
    line.className = "outbox-pending " + (item.state === outbox.REFUSED ? "notice warning" : "notice");
    line.dataset.outboxPending = id;
    line.setAttribute("role", "status");
    var what = document.createElement("strong");
    what.textContent = item.label;
    line.append(what, " ", stateText(item));
    if (item.snippet) {
      var typed = document.createElement("span");
      typed.className = "meta";
      typed.textContent = " " + item.snippet;
      line.append(typed);
    }
    return line;
  }

  // What was delivered shows where it belongs: the regions that poll are asked again now.
  function refreshRegions() {
    if (!window.htmx) return;
    document.querySelectorAll("[data-poll]").forEach(function (region) {
      window.htmx.trigger(region, "poll");
    });
  }

  var retry = null;
  var retryAfter = FIRST_RETRY_MS;
  function later(delay) {
    clearTimeout(retry);
    retry = setTimeout(send, delay);
  }
  function send() {
    clearTimeout(retry);
    return outbox.replay().then(function (result) {
      render();
      if (result.left && !result.signedOut) {
        later(retryAfter);
        retryAfter = Math.min(retryAfter * 2, LAST_RETRY_MS);
      } else {
        retryAfter = FIRST_RETRY_MS;
      }
      return result;
    }, function (error) {
      console.warn("outbox not sent", error);
    });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-outbox-send], [data-outbox-delete]");
    if (!button) return;
    var row = button.closest("[data-seq]");
    var seq = Number(row.dataset.seq);
    if (button.hasAttribute("data-outbox-delete")) {
      outbox.remove(seq).then(render);
      return;
    }
    outbox.all().then(function (items) {
      var item = items.find(function (candidate) { return candidate.seq === seq; });
      if (item && item.state === outbox.REFUSED) {
        item.state = outbox.WAITING;
        return outbox.put(item);
      }
      return undefined;
    }).then(send);
  });

  if (typeof BroadcastChannel === "function") {
    var channel = new BroadcastChannel(outbox.CHANNEL);
    channel.onmessage = function (event) {
      render();
      if (event.data && event.data.type === "delivered") refreshRegions();
    };
  }

  window.addEventListener("online", send);
  document.addEventListener("htmx:afterSettle", render);
  function start() {
    render();
    if (navigator.onLine) send();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
