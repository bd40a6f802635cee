// Passkey sign-up and sign-in. The server sends WebAuthn options as JSON and takes back
// PublicKeyCredential.toJSON(); older browsers get a small hand-made conversion.
(function () {
  "use strict";

  var messagesElement = document.getElementById("passkey-messages");
  function message(name) {
    return (messagesElement && messagesElement.dataset[name]) || name;
  }

  function PasskeyProblem(text, field) {
    this.text = text;
    this.field = field;
  }

  async function postJSON(url, body) {
    var response;
    try {
      response = await fetch(url, {
        method: "POST",
        credentials: "same-origin",
        headers: window.clothingLine.jsonHeaders(),
        body: JSON.stringify(body || {}),
      });
    } catch (error) {
      throw new PasskeyProblem(message("network"));
    }
    var data = {};
    try {
      data = await response.json();
    } catch (error) {
      data = {};
    }
    if (!response.ok) throw new PasskeyProblem(data.error || message("failed"), data.field);
    return data;
  }

  function fromBase64url(value) {
    var base64 = value.replace(/-/g, "+").replace(/_/g, "/");
    var binary = atob(base64 + "===".slice((base64.length + 3) % 4));
    return Uint8Array.from(binary, function (c) { return c.charCodeAt(0); }).buffer;
  }

  function toBase64url(buffer) {
    var bytes = new Uint8Array(buffer);
    var binary = "";
    for (var i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i]);
    return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function withIds(list) {
    return (list || []).map(function (item) {
      return Object.assign({}, item, { id: fromBase64url(item.id) });
    });
  }

  function creationOptions(json) {
    if (PublicKeyCredential.parseCreationOptionsFromJSON) {
      return PublicKeyCredential.parseCreationOptionsFromJSON(json);
    }
    return Object.assign({}, json, {
      challenge: fromBase64url(json.challenge),
      user: Object.assign({}, json.user, { id: fromBase64url(json.user.id) }),
      excludeCredentials: withIds(json.excludeCredentials),
    });
  }

  function requestOptions(json) {
    if (PublicKeyCredential.parseRequestOptionsFromJSON) {
      return PublicKeyCredential.parseRequestOptionsFromJSON(json);
    }
    return Object.assign({}, json, {
      challenge: fromBase64url(json.challenge),
      allowCredentials: withIds(json.allowCredentials),
    });
  }

  function credentialJSON(credential) {
    if (typeof credential.toJSON === "function") return credential.toJSON();
    var response = credential.response;
    var json = {
      id: credential.id,
      rawId: toBase64url(credential.rawId),
      type: credential.type,
      authenticatorAttachment: credential.authenticatorAttachment || undefined,
      clientExtensionResults: credential.getClientExtensionResults(),
      response: { clientDataJSON: toBase64url(response.clientDataJSON) },
    };
    if (response.attestationObject) {
      json.response.attestationObject = toBase64url(response.attestationObject);
      json.response.transports = response.getTransports ? response.getTransports() : [];
    } else {
      json.response.authenticatorData = toBase64url(response.authenticatorData);
      json.response.signature = toBase64url(response.signature);
      if (response.userHandle) json.response.userHandle = toBase64url(response.userHandle);
    }
    return json;
  }

  function explain(error) {
    if (error instanceof PasskeyProblem) return error;
    var name = error && error.name;
    if (name === "NotAllowedError") return new PasskeyProblem(message("notAllowed"));
    if (name === "InvalidStateError") return new PasskeyProblem(message("alreadyRegistered"));
    if (name === "NotSupportedError" || name === "SecurityError") {
      return new PasskeyProblem(message("unsupported"));
    }
    if (name === "AbortError") return null;
    return new PasskeyProblem(message("failed"));
  }

  function show(form, problem) {
    var box = form.querySelector("[data-passkey-error]");
    form.querySelectorAll("[aria-invalid]").forEach(function (el) {
      el.removeAttribute("aria-invalid");
    });
    if (!problem) return;
    if (problem.field) {
      var input = form.querySelector('[name="' + problem.field + '"]');
      if (input) {
        input.setAttribute("aria-invalid", "true");
        input.focus();
      }
    }
    if (box) {
      box.textContent = problem.text;
      box.hidden = false;
    }
  }

  function busy(form, on) {
    form.querySelectorAll("button").forEach(function (button) { button.disabled = on; });
    form.classList.toggle("htmx-request", on);
  }

  function supported() {
    return typeof window.PublicKeyCredential === "function" && !!navigator.credentials;
  }

  function markUnsupported() {
    document.querySelectorAll("[data-passkey-unsupported]").forEach(function (el) {
      el.hidden = false;
    });
    document.querySelectorAll("[data-passkey-form]").forEach(function (form) {
      form.querySelectorAll("button").forEach(function (button) { button.disabled = true; });
    });
  }

  async function register(form) {
    var fields = Object.fromEntries(new FormData(form));
    delete fields._csrf_token;
    var options = await postJSON("/auth/register/options", fields);
    var credential = await navigator.credentials.create({ publicKey: creationOptions(options) });
    var result = await postJSON("/auth/register/verify", credentialJSON(credential));
    var codesForm = document.getElementById("issue-recovery-codes");
    if (result.issue_recovery_codes && codesForm) {
      codesForm.submit();
    } else {
      window.location.assign(result.redirect);
    }
  }

  var conditional = null;

  async function signIn(form, mediation) {
    var options = await postJSON("/auth/login/options", {});
    var request = { publicKey: requestOptions(options) };
    if (mediation) {
      conditional = new AbortController();
      request.mediation = mediation;
      request.signal = conditional.signal;
    }
    var credential = await navigator.credentials.get(request);
    var next = form.dataset.next || "/home";
    var result = await postJSON(
      "/auth/login/verify?next=" + encodeURIComponent(next), credentialJSON(credential)
    );
    window.location.assign(result.redirect);
  }

  async function run(form, action) {
    show(form, null);
    busy(form, true);
    try {
      await action();
    } catch (error) {
      show(form, explain(error));
      busy(form, false);
    }
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var kind = form.dataset && form.dataset.passkeyForm;
    if (!kind) return;
    event.preventDefault();
    if (!supported()) return markUnsupported();
    if (kind === "register") {
      run(form, function () { return register(form); });
    } else if (kind === "login") {
      // The autofill request must end before the modal one may start.
      if (conditional) conditional.abort();
      conditional = null;
      run(form, function () { return signIn(form, null); });
    }
  });

  // Runs on load and after every htmx swap (boosted navigation brings new forms).
  function prepare() {
    if (!supported()) return markUnsupported();
    var loginForm = document.querySelector('[data-passkey-form="login"]');
    if (!loginForm || loginForm.dataset.autofill || !PublicKeyCredential.isConditionalMediationAvailable) {
      return;
    }
    loginForm.dataset.autofill = "started";
    PublicKeyCredential.isConditionalMediationAvailable().then(function (available) {
      if (!available || conditional) return;
      signIn(loginForm, "conditional").catch(function (error) {
        var problem = explain(error);
        if (problem && error.name !== "NotAllowedError") show(loginForm, problem);
      });
    });
  }

  document.addEventListener("DOMContentLoaded", prepare);
  document.addEventListener("htmx:afterSettle", prepare);
  document.addEventListener("htmx:beforeRequest", function (event) {
    // Leaving the sign-in page: the pending autofill request must not outlive it.
    if (conditional && event.detail.boosted) {
      conditional.abort();
      conditional = null;
    }
  });
})();
