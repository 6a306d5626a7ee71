/* Qorgau's service worker. Served by config/pwa.py at /sw.js with `self.QORGAU_SW` (version, shell addresses) set
   before this code. It keeps the application shell so the home page and the report form open with no connection,
   sends the reports waiting on the phone when Background Sync says the connection is back (static/js/outbox.js),
   and shows Web Push notifications. */
/* global QorgauOutbox */
"use strict";

var CONFIG = self.QORGAU_SW;
var PREFIX = "qorgau-";
var STATIC_CACHE = PREFIX + "static-" + CONFIG.version;
var PAGES_CACHE = PREFIX + "pages-" + CONFIG.version;
var CURRENT = [STATIC_CACHE, PAGES_CACHE];
var OWNER = "/__qorgau-pages-owner"; /* an entry of the pages cache naming the user the pages are for */

importScripts(CONFIG.outboxScript);

self.addEventListener("install", function (event) {
  event.waitUntil((async function () {
    var statics = await caches.open(STATIC_CACHE);
    await statics.addAll(CONFIG.static);
    /* Pages come with the user's session: a page this user may not open (a redirect to the login, a 403) is left
       out, and the worker still installs. */
    var pages = await caches.open(PAGES_CACHE);
    await Promise.all(CONFIG.pages.map(async function (url) {
      try {
        var response = await fetch(url, { credentials: "same-origin", redirect: "follow" });
        if (response.ok && !response.redirected) {
          await pages.put(url, response);
        }
      } catch (error) {
        /* Offline while installing: the page is kept at the next online visit. */
      }
    }));
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", function (event) {
  event.waitUntil((async function () {
    var names = await caches.keys();
    await Promise.all(names.filter(function (name) {
      return name.indexOf(PREFIX) === 0 && CURRENT.indexOf(name) === -1;
    }).map(function (name) { return caches.delete(name); }));
    await self.clients.claim();
  })());
});

function isShellPage(url) {
  return CONFIG.pages.indexOf(url.pathname) !== -1;
}

/* Pages: the network first, the copy kept at the last online visit when there is none. Only the shell's pages are
   kept (a fresh report form, never a draft: `?draft=` pages are not stored), and they go at logout (pwa.js). */
async function page(request) {
  var url = new URL(request.url);
  try {
    var response = await fetch(request);
    if (isShellPage(url) && !url.search.replace(/^\?source=app$/, "") && response.ok && !response.redirected &&
        request.method === "GET") {
      var copy = response.clone();
      caches.open(PAGES_CACHE).then(function (cache) { return cache.put(url.pathname, copy); });
    }
    return response;
  } catch (error) {
    var cache = await caches.open(PAGES_CACHE);
    var kept = await cache.match(url.pathname, { ignoreSearch: true });
    if (kept && isShellPage(url)) {
      return kept;
    }
    return (await cache.match(CONFIG.offline)) || Response.error();
  }
}

async function staticFile(request) {
  var cache = await caches.open(STATIC_CACHE);
  var kept = await cache.match(request);
  if (kept) {
    return kept;
  }
  var response = await fetch(request);
  if (response.ok) {
    cache.put(request, response.clone());
  }
  return response;
}

/* "Send" while the phone believes it is online but nothing gets through (a lift: the network is there, no data
   flows). The page queues a report itself when the phone knows it is offline (report.js); here the worker does it
   when the post fails on the way, for the user whose pages these are, and shows the fresh form with the count. */
async function sendReport(event) {
  var copy = event.request.clone();
  try {
    return await fetch(event.request);
  } catch (error) {
    var data = await copy.formData();
    var owner = await caches.match(OWNER);
    var user = owner ? await owner.text() : "";
    if (!user || data.get("action") !== "submit" || !data.get("draft_key")) {
      return (await caches.match(CONFIG.offline)) || Response.error();
    }
    var entries = [];
    data.forEach(function (value, name) {
      if (name !== "action") {
        entries.push([name, value]);
      }
    });
    try {
      await QorgauOutbox.add(
        { key: data.get("draft_key"), kind: "report", user: user, endpoint: CONFIG.reportForm, entries: entries },
        CONFIG.outboxLimits
      );
    } catch (refused) {
      return (await caches.match(CONFIG.offline)) || Response.error();
    }
    if (self.registration.sync) {
      self.registration.sync.register(QorgauOutbox.SYNC_TAG).catch(function () { /* the pages send it */ });
    }
    return Response.redirect(CONFIG.reportForm + "?queued=1", 303);
  }
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) {
    return;
  }
  if (request.method === "POST" && request.mode === "navigate" && url.pathname === CONFIG.reportForm) {
    event.respondWith(sendReport(event));
    return;
  }
  if (request.method !== "GET") {
    return; /* other posts go to the network as they are */
  }
  if (url.pathname.indexOf(CONFIG.staticPrefix) === 0) {
    event.respondWith(staticFile(request));
  } else if (request.mode === "navigate") {
    event.respondWith(page(request));
  }
});

/* The shell's pages for this user, fetched with their session: at install, and when a page says whose they
   should be (after a login, a page of another user on the same phone). A marker entry names their user. */
async function warm(user) {
  var cache = await caches.open(PAGES_CACHE);
  var owner = await cache.match(OWNER);
  if (owner && (await owner.text()) !== user) {
    await Promise.all(CONFIG.pages.map(function (url) { return cache.delete(url); }));
  }
  await Promise.all(CONFIG.pages.map(async function (url) {
    if (await cache.match(url)) {
      return;
    }
    try {
      var response = await fetch(url, { credentials: "same-origin", redirect: "follow" });
      if (response.ok && !response.redirected) {
        await cache.put(url, response);
      }
    } catch (error) {
      /* offline: kept at the next online visit */
    }
  }));
  await cache.put(OWNER, new Response(user));
}

/* The pages ask for these: their pages kept, forgotten at logout, the version serving them. */
self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (data.type === "warm" && typeof data.user === "string") {
    event.waitUntil(warm(data.user));
  } else if (data.type === "forget-pages") {
    event.waitUntil(caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) { return name.indexOf(PREFIX + "pages-") === 0; })
        .map(function (name) { return caches.delete(name); }));
    }));
  } else if (data.type === "version" && event.ports && event.ports[0]) {
    event.ports[0].postMessage({ version: CONFIG.version });
  }
});

/* Background Sync: the connection is back, send what waits. A failure makes the browser try again later. */
self.addEventListener("sync", function (event) {
  if (event.tag === QorgauOutbox.SYNC_TAG) {
    event.waitUntil(QorgauOutbox.flush().then(function (result) {
      if (result && result.retry) {
        throw new Error("Qorgau: reports still waiting");
      }
    }));
  }
});

/* Web Push: the message carries a title, a text and a link, no personal data. */
self.addEventListener("push", function (event) {
  var data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch (error) {
    data = { body: event.data ? event.data.text() : "" };
  }
  var url = typeof data.url === "string" ? data.url : "/";
  event.waitUntil(self.registration.showNotification(data.title || "Qorgau", {
    body: data.body || "",
    icon: CONFIG.icon,
    badge: CONFIG.badge,
    tag: data.tag || undefined,
    data: { url: url }
  }));
});

self.addEventListener("notificationclick", function (event) {
  event.notification.close();
  var target = new URL((event.notification.data && event.notification.data.url) || "/", self.location.origin);
  if (target.origin !== self.location.origin) {
    target = new URL("/", self.location.origin); /* only our own pages open from a notification */
  }
  event.waitUntil((async function () {
    var windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
    for (var i = 0; i < windows.length; i++) {
      if (windows[i].url === target.href && "focus" in windows[i]) {
        return windows[i].focus();
      }
    }
    if (windows.length && "navigate" in windows[0]) {
      await windows[0].navigate(target.href);
      return windows[0].focus();
    }
    return self.clients.openWindow(target.href);
  })());
});
