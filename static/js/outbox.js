/* The outbox: reports (and SOS alarms) sent with no connection wait here, in IndexedDB, until they can go.
   Loaded by the pages (pwa.js, report.js) and by the service worker (sync), so one sender serves both.

   - Each item is stored under its idempotency key (the report's draft key, the alarm's key): sending it twice
     is one report on the server, and two tabs or the worker racing to send it is harmless.
   - Encrypted at rest: AES-GCM with a key made by WebCrypto as non-extractable (its bytes can never be read by
     any script) and kept in the same database. Logging out deletes the database, key and items (pwa.js warns first
     when items wait), so what was queued can no longer be read by anyone who picks the phone up later.
   - Sent only for the user who queued it, after /app/state/ says that user is logged in; with an expired session
     nothing is sent and the page asks for the login, after which the outbox sends. */
(function (scope) {
  "use strict";

  var DB_NAME = "qorgau-outbox";
  var DB_VERSION = 1;
  var SYNC_TAG = "qorgau-send-outbox";
  var settings = { stateUrl: "/app/state/" };

  function request(req) {
    return new Promise(function (resolve, reject) {
      req.onsuccess = function () { resolve(req.result); };
      req.onerror = function () { reject(req.error); };
    });
  }

  function open() {
    var req = scope.indexedDB.open(DB_NAME, DB_VERSION);
    req.onupgradeneeded = function () {
      var db = req.result;
      if (!db.objectStoreNames.contains("keys")) {
        db.createObjectStore("keys");
      }
      if (!db.objectStoreNames.contains("items")) {
        db.createObjectStore("items", { keyPath: "key" });
      }
      if (!db.objectStoreNames.contains("sent")) {
        db.createObjectStore("sent", { keyPath: "key" });
      }
    };
    return request(req);
  }

  /* One transaction on a fresh connection, closed after: the database can then be deleted at logout at once. */
  async function withStore(name, mode, work) {
    var db = await open();
    try {
      var tx = db.transaction(name, mode);
      var result = await work(tx.objectStore(name));
      await new Promise(function (resolve, reject) {
        tx.oncomplete = resolve;
        tx.onerror = function () { reject(tx.error); };
        tx.onabort = function () { reject(tx.error); };
      });
      return result;
    } finally {
      db.close();
    }
  }

  async function cryptoKey(create) {
    var key = await withStore("keys", "readonly", function (store) { return request(store.get("aes")); });
    if (!key && create) {
      key = await scope.crypto.subtle.generateKey({ name: "AES-GCM", length: 256 }, false, ["encrypt", "decrypt"]);
      await withStore("keys", "readwrite", function (store) { return request(store.put(key, "aes")); });
    }
    return key;
  }

  /* The form as bytes: a 4-byte length, a JSON header (text fields; files' names, types and sizes), the files. */
  async function pack(entries) {
    var header = { fields: [], files: [] };
    var parts = [];
    for (var i = 0; i < entries.length; i++) {
      var name = entries[i][0];
      var value = entries[i][1];
      if (typeof value === "string") {
        header.fields.push([name, value]);
      } else if (value && value.size > 0) {
        header.files.push({ field: name, name: value.name, type: value.type, size: value.size });
        parts.push(new Uint8Array(await value.arrayBuffer()));
      }
    }
    var head = new TextEncoder().encode(JSON.stringify(header));
    var total = 4 + head.length + parts.reduce(function (sum, part) { return sum + part.length; }, 0);
    var bytes = new Uint8Array(total);
    new DataView(bytes.buffer).setUint32(0, head.length);
    bytes.set(head, 4);
    var offset = 4 + head.length;
    parts.forEach(function (part) {
      bytes.set(part, offset);
      offset += part.length;
    });
    return bytes;
  }

  function unpack(buffer) {
    var bytes = new Uint8Array(buffer);
    var length = new DataView(buffer).getUint32(0);
    var header = JSON.parse(new TextDecoder().decode(bytes.subarray(4, 4 + length)));
    var data = new FormData();
    header.fields.forEach(function (pair) { data.append(pair[0], pair[1]); });
    var offset = 4 + length;
    header.files.forEach(function (file) {
      var blob = new Blob([bytes.subarray(offset, offset + file.size)], { type: file.type });
      offset += file.size;
      data.append(file.field, new File([blob], file.name, { type: file.type }));
    });
    return data;
  }

  function entriesSize(entries) {
    return entries.reduce(function (sum, pair) {
      return sum + (typeof pair[1] === "string" ? pair[1].length * 3 : pair[1].size || 0);
    }, 0);
  }

  async function all() {
    return withStore("items", "readonly", function (store) { return request(store.getAll()); });
  }

  /* Queue `entries` ([name, value] pairs of a form) to be posted to `endpoint` by `user` under `key`.
     limits: { item: bytes, total: bytes }. Rejects with an Error whose `code` is "too-large" or "full". */
  async function add(item, limits) {
    var size = entriesSize(item.entries);
    if (limits && limits.item && size > limits.item) {
      throw Object.assign(new Error("too large"), { code: "too-large" });
    }
    var waiting = await all();
    var used = waiting.reduce(function (sum, other) { return other.key === item.key ? sum : sum + other.size; }, 0);
    if (limits && limits.total && used + size > limits.total) {
      throw Object.assign(new Error("outbox full"), { code: "full" });
    }
    var key = await cryptoKey(true);
    var iv = scope.crypto.getRandomValues(new Uint8Array(12));
    var sealed = await scope.crypto.subtle.encrypt({ name: "AES-GCM", iv: iv }, key, await pack(item.entries));
    await withStore("items", "readwrite", function (store) {
      return request(store.put({
        key: item.key, kind: item.kind || "report", user: String(item.user), endpoint: item.endpoint,
        accept: item.accept || "text/html", createdAt: Date.now(), size: size, iv: iv, data: sealed
      }));
    });
    if (scope.navigator.storage && scope.navigator.storage.persist) {
      scope.navigator.storage.persist().catch(function () { /* best effort: asks the browser not to evict */ });
    }
  }

  async function waiting(user) {
    var items = await all();
    return items.filter(function (item) { return user === undefined || item.user === String(user); });
  }

  async function has(key) {
    var found = await withStore("items", "readonly", function (store) { return request(store.get(key)); });
    return Boolean(found);
  }

  async function remove(key) {
    await withStore("items", "readwrite", function (store) { return request(store.delete(key)); });
  }

  async function noteSent(entry) {
    await withStore("sent", "readwrite", function (store) { return request(store.put(entry)); });
  }

  /* What was sent since the page last asked (the reference pages to link to), then forgotten. */
  async function takeSent() {
    return withStore("sent", "readwrite", function (store) {
      return request(store.getAll()).then(function (entries) {
        store.clear();
        return entries;
      });
    });
  }

  async function stateFor(key) {
    var url = settings.stateUrl + (key ? "?key=" + encodeURIComponent(key) : "");
    var response = await fetch(url, { credentials: "same-origin", cache: "no-store", headers: { Accept: "application/json" } });
    if (!response.ok) {
      throw new Error("state " + response.status);
    }
    return response.json();
  }

  async function sendOne(item, state, key) {
    var data = unpack(await scope.crypto.subtle.decrypt({ name: "AES-GCM", iv: item.iv }, key, item.data));
    data.set("csrfmiddlewaretoken", state.csrf);
    if (item.kind === "report") {
      data.set("draft_key", item.key);
      data.set("action", "submit");
      if (state.keep_token) {
        data.set("keep_token", state.keep_token);
      }
    } else {
      data.set("idempotency_key", item.key);
    }
    var response = await fetch(item.endpoint, {
      method: "POST", body: data, credentials: "same-origin",
      headers: { "X-CSRFToken": state.csrf, Accept: item.accept }
    });
    var path = new URL(response.url, scope.location.href).pathname;
    if (path.indexOf("/accounts/login/") !== -1) {
      return "login";
    }
    if (item.kind === "report") {
      if (response.redirected && /\/reports\/\d+\/sent\/$/.test(path)) {
        await noteSent({ key: item.key, kind: item.kind, url: path, at: Date.now() });
        return "sent";
      }
      if (response.status === 200 && !response.redirected) {
        /* The server refused a field: it keeps the report as a draft under this key, uploads included. */
        await noteSent({ key: item.key, kind: item.kind, attention: true, at: Date.now() });
        return "attention";
      }
      return "retry";
    }
    return response.status === 200 || response.status === 201 ? "sent" : "retry";
  }

  async function run() {
    var result = { sent: 0, attention: 0, retry: false, login: false, offline: false };
    var items = await all();
    if (!items.length) {
      return result;
    }
    var key = await cryptoKey(false);
    if (!key) {
      /* No key (the database was half deleted): what is left can never be read again. */
      await Promise.all(items.map(function (item) { return remove(item.key); }));
      return result;
    }
    var state;
    try {
      state = await stateFor("");
    } catch (error) {
      result.offline = result.retry = true;
      return result;
    }
    if (!state.authenticated) {
      result.login = result.retry = true;
      return result;
    }
    for (var i = 0; i < items.length; i++) {
      var item = items[i];
      if (item.user !== String(state.user)) {
        continue; /* someone else's: only they may send it (and logging out deletes it) */
      }
      var outcome;
      try {
        outcome = await sendOne(item, item.kind === "report" ? await stateFor(item.key) : state, key);
      } catch (error) {
        result.offline = result.retry = true;
        break;
      }
      if (outcome === "login") {
        result.login = result.retry = true;
        break;
      }
      if (outcome === "retry") {
        result.retry = true;
        continue;
      }
      await remove(item.key);
      result[outcome === "attention" ? "attention" : "sent"] += 1;
    }
    return result;
  }

  /* Send what waits. One sender at a time in this browser (pages and worker): a Web Lock where there is one. */
  function flush() {
    if (scope.navigator.locks && scope.navigator.locks.request) {
      return scope.navigator.locks.request("qorgau-outbox", run);
    }
    return run();
  }

  /* At logout: the key and every item, gone. */
  function forget() {
    return request(scope.indexedDB.deleteDatabase(DB_NAME)).catch(function () { /* blocked: it goes when free */ });
  }

  function newKey() {
    if (scope.crypto.randomUUID) {
      return scope.crypto.randomUUID();
    }
    var b = scope.crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" + hex.slice(20);
  }

  scope.QorgauOutbox = {
    SYNC_TAG: SYNC_TAG,
    configure: function (options) { Object.assign(settings, options || {}); },
    add: add,
    waiting: waiting,
    has: has,
    flush: flush,
    forget: forget,
    takeSent: takeSent,
    newKey: newKey
  };
})(self);
