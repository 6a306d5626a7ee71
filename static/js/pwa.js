/* The installed app on every page: registers the service worker, shows what waits in the outbox and sends it when
   the connection is back, makes SOS work offline, subscribes to Web Push on request, and forgets everything this
   phone holds for the user at logout. Words come from the page (#pwa-strings), in the page's language. */
(function () {
  "use strict";

  var body = document.body;
  var stringsNode = document.getElementById("pwa-strings");
  var T = stringsNode ? JSON.parse(stringsNode.textContent) : {};
  var user = body.getAttribute("data-user") || "";
  var Outbox = window.QorgauOutbox;
  if (Outbox) {
    Outbox.configure({ stateUrl: body.getAttribute("data-state-url") || "/app/state/" });
  }

  function format(text, values) {
    return String(text || "").replace(/%\((\w+)\)s/g, function (all, name) {
      return values[name] !== undefined ? String(values[name]) : all;
    });
  }

  /* The service worker, from the root so that it controls every page. */
  var registration = null;
  if ("serviceWorker" in navigator && body.getAttribute("data-sw")) {
    navigator.serviceWorker.register(body.getAttribute("data-sw"), { scope: "/" }).then(function (reg) {
      registration = reg;
      return navigator.serviceWorker.ready;
    }).then(function (reg) {
      /* Keep this user's home page and report form for use with no connection. */
      if (user && navigator.onLine && reg.active) {
        reg.active.postMessage({ type: "warm", user: user });
      }
    }).catch(function () { /* no worker (private mode, old browser): the site works as plain pages */ });
  }

  function askForSync() {
    if (!("serviceWorker" in navigator) || !Outbox) {
      return Promise.resolve();
    }
    return navigator.serviceWorker.ready.then(function (reg) {
      if (reg.sync && reg.sync.register) {
        return reg.sync.register(Outbox.SYNC_TAG);
      }
      return undefined;
    }).catch(function () { /* no Background Sync: the `online` event and the next visit send instead */ });
  }

  /* "Waiting for connection" with the count, wherever the page has a place for it (home page, report form). */
  function showWaiting(note) {
    var boxes = document.querySelectorAll("[data-outbox-status]");
    if (!Outbox || !user || !boxes.length) {
      return Promise.resolve(0);
    }
    return Outbox.waiting(user).then(function (items) {
      var reports = items.filter(function (item) { return item.kind === "report"; }).length;
      var alarms = items.length - reports;
      boxes.forEach(function (box) {
        var lines = [];
        if (items.length) {
          lines.push(T.waiting);
          if (reports) {
            lines.push(format(T.waitingCount, { count: reports }));
          }
          if (alarms) {
            lines.push(format(T.alarmsWaiting, { count: alarms }));
          }
        }
        if (note) {
          lines.push(note);
        }
        box.textContent = "";
        lines.forEach(function (line, index) {
          var p = document.createElement("p");
          p.className = index === lines.length - 1 ? "mb-0" : "mb-1";
          p.textContent = line;
          if (index === 0 && items.length) {
            p.className += " fw-semibold";
          }
          box.appendChild(p);
        });
        box.setAttribute("data-outbox-count", String(reports));
        box.hidden = lines.length === 0;
      });
      return items.length;
    }).catch(function () { return 0; });
  }

  var flushing = null;
  function flush() {
    if (!Outbox || !user) {
      return Promise.resolve();
    }
    if (flushing) {
      return flushing;
    }
    flushing = Outbox.flush().then(function (result) {
      return Outbox.takeSent().then(function (sent) {
        var notes = [];
        var done = sent.filter(function (entry) { return !entry.attention; }).length;
        var attention = sent.length - done;
        if (done) {
          notes.push(format(T.sent, { count: done }));
        }
        if (attention) {
          notes.push(T.attention);
        }
        if (result.login) {
          notes.push(T.login);
        }
        return showWaiting(notes.join(" ")).then(function () {
          if (result.login) {
            showLogin();
          }
          body.setAttribute("data-outbox-flushed", String(Date.now()));
        });
      });
    }).catch(function () { /* tried again at the next `online` or visit */ }).then(function () {
      flushing = null;
    });
    return flushing;
  }

  function showLogin() {
    var box = document.querySelector("[data-outbox-status]");
    if (!box || box.querySelector("a[data-outbox-login]")) {
      return;
    }
    var link = document.createElement("a");
    link.className = "btn btn-primary btn-sm mt-2";
    link.href = (body.getAttribute("data-login-url") || "/accounts/login/") + "?next=" +
      encodeURIComponent(window.location.pathname);
    link.setAttribute("data-outbox-login", "");
    link.textContent = T.loginButton;
    box.appendChild(link);
  }

  window.QorgauApp = { showWaiting: showWaiting, flush: flush, askForSync: askForSync, strings: T, format: format };

  showWaiting("");
  if (navigator.onLine) {
    flush();
  }
  window.addEventListener("online", function () { flush(); });

  /* SOS (the alarm form, #sos-form): with no connection it says "call 102" and queues the alarm under its key. */
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form || form.id !== "sos-form" || navigator.onLine || !Outbox || !user) {
      return;
    }
    event.preventDefault();
    var keyField = form.querySelector("[name=idempotency_key]");
    var key = keyField && keyField.value ? keyField.value : Outbox.newKey();
    var entries = [];
    new FormData(form).forEach(function (value, name) {
      if (name !== "idempotency_key") {
        entries.push([name, value]);
      }
    });
    entries.push(["idempotency_key", key]);
    var notice = document.getElementById("sos-offline");
    if (!notice) {
      notice = document.createElement("div");
      notice.id = "sos-offline";
      notice.className = "alert alert-danger mt-2";
      notice.setAttribute("role", "alert");
      form.insertAdjacentElement("afterend", notice);
    }
    notice.textContent = "";
    var text = document.createElement("p");
    text.className = "mb-2 fw-semibold";
    text.textContent = T.sosOffline;
    var call = document.createElement("a");
    call.className = "btn btn-danger btn-lg w-100";
    call.href = "tel:102";
    call.textContent = T.call102;
    notice.appendChild(text);
    notice.appendChild(call);
    Outbox.add({ key: key, kind: "alarm", user: user, endpoint: form.getAttribute("action"), accept: "application/json", entries: entries })
      .then(askForSync).then(function () { return showWaiting(""); })
      .catch(function () { text.textContent = T.sosNotKept; });
  });

  /* Logout: queued reports cannot outlive the session's owner on this phone. Warn when some wait, then forget the
     outbox (and its key) and the pages kept for offline use. */
  document.querySelectorAll("form[data-logout]").forEach(function (logout) {
    logout.addEventListener("submit", function (event) {
      if (logout.hasAttribute("data-outbox-cleared")) {
        return;
      }
      event.preventDefault();
      var go = function () {
        logout.setAttribute("data-outbox-cleared", "");
        logout.submit();
      };
      var forgetAll = function () {
        var steps = [];
        if (Outbox) {
          steps.push(Outbox.forget());
        }
        if (window.caches) {
          steps.push(caches.keys().then(function (names) {
            return Promise.all(names.filter(function (name) { return name.indexOf("qorgau-pages-") === 0; })
              .map(function (name) { return caches.delete(name); }));
          }));
        }
        return Promise.all(steps).catch(function () { return null; });
      };
      var count = Outbox && user ? Outbox.waiting(user).then(function (items) { return items.length; }) : Promise.resolve(0);
      count.catch(function () { return 0; }).then(function (n) {
        if (n && !window.confirm(format(T.logoutWarning, { count: n }))) {
          return;
        }
        forgetAll().then(go);
      });
    });
  });

  /* Install help page: the browser's own install prompt where it offers one, and the push switch. */
  var deferredPrompt = null;
  var installButton = document.getElementById("pwa-install-button");
  window.addEventListener("beforeinstallprompt", function (event) {
    event.preventDefault();
    deferredPrompt = event;
    if (installButton) {
      installButton.hidden = false;
    }
  });
  if (installButton) {
    installButton.addEventListener("click", function () {
      if (deferredPrompt) {
        deferredPrompt.prompt();
        deferredPrompt = null;
        installButton.hidden = true;
      }
    });
  }

  function urlBase64ToBytes(text) {
    var padded = (text + "===".slice((text.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    var raw = window.atob(padded);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) {
      bytes[i] = raw.charCodeAt(i);
    }
    return bytes;
  }

  function csrfToken() {
    var field = document.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  /* Web Push: subscribe after the user presses the button, and store the subscription on the server
     (POST /push/subscriptions/, JSON {endpoint, keys: {p256dh, auth}}). Anything missing is said, never thrown. */
  var pushButton = document.getElementById("pwa-push-button");
  var pushStatus = document.getElementById("pwa-push-status");
  function sayPush(text) {
    if (pushStatus) {
      pushStatus.textContent = text;
    }
  }
  if (pushButton) {
    var vapid = document.querySelector("meta[name=vapid-public-key]");
    var supported = "serviceWorker" in navigator && "PushManager" in window && "Notification" in window;
    if (!supported || !vapid || !vapid.content) {
      pushButton.disabled = true;
      sayPush(T.pushUnavailable);
    }
    pushButton.addEventListener("click", function () {
      if (pushButton.disabled) {
        return;
      }
      pushButton.disabled = true;
      Notification.requestPermission().then(function (permission) {
        if (permission !== "granted") {
          throw Object.assign(new Error("denied"), { code: "denied" });
        }
        return navigator.serviceWorker.ready;
      }).then(function (reg) {
        return reg.pushManager.getSubscription().then(function (existing) {
          return existing || reg.pushManager.subscribe({
            userVisibleOnly: true, applicationServerKey: urlBase64ToBytes(vapid.content)
          });
        });
      }).then(function (subscription) {
        var json = subscription.toJSON();
        return fetch(pushButton.getAttribute("data-endpoint"), {
          method: "POST",
          credentials: "same-origin",
          headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken(), Accept: "application/json" },
          body: JSON.stringify({ endpoint: json.endpoint, keys: { p256dh: json.keys.p256dh, auth: json.keys.auth } })
        });
      }).then(function (response) {
        if (!response.ok) {
          throw new Error("push subscription " + response.status);
        }
        sayPush(T.pushOn);
        pushButton.setAttribute("data-subscribed", "");
      }).catch(function (error) {
        sayPush(error && error.code === "denied" ? T.pushDenied : T.pushFailed);
        pushButton.disabled = false;
      });
    });
  }
})();
