/* Qorgau report form: autosave to the server, add people without a reload, show the address only when
   it is needed, focus the error summary. The form works without this script; this only makes it easier. */
(function () {
  "use strict";

  var form = document.getElementById("report-form");
  if (!form) {
    return;
  }
  var statusBox = document.getElementById("draft-status");
  var draftUrl = form.getAttribute("data-draft-url");
  var SAVE_DELAY_MS = 1500;
  var timer = null;
  var saving = false;
  var again = false;

  function csrfToken() {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function say(text) {
    if (statusBox && text && statusBox.textContent !== text) {
      statusBox.textContent = text;
    }
  }

  function save() {
    if (saving) {
      again = true;
      return;
    }
    saving = true;
    var data = new FormData(form);
    data.delete("evidence");
    fetch(draftUrl, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), "X-Requested-With": "fetch" }
    }).then(function (response) {
      return response.json().catch(function () { return {}; });
    }).then(function (body) {
      say(body.message || "");
    }).catch(function () {
      say(form.getAttribute("data-offline-text"));
    }).then(function () {
      saving = false;
      if (again) {
        again = false;
        schedule();
      }
    });
  }

  function schedule() {
    window.clearTimeout(timer);
    timer = window.setTimeout(save, SAVE_DELAY_MS);
  }

  /* A copy on this device, written at every keystroke: when the server cannot take the draft (the database is
     down, the page answered "temporarily unavailable"), what was typed comes back the next time this user opens a
     new report form here. It is dropped once a report is sent, after a day, and by logging out. */
  var LOCAL_MAX_AGE_MS = 24 * 60 * 60 * 1000;
  var localKey = form.getAttribute("data-local-draft");
  var NOT_KEPT = { csrfmiddlewaretoken: true, keep_token: true, action: true, evidence: true };

  function keepLocally() {
    if (!localKey) {
      return;
    }
    var fields = [];
    new FormData(form).forEach(function (value, name) {
      if (!NOT_KEPT[name] && typeof value === "string") {
        fields.push([name, value]);
      }
    });
    try {
      window.localStorage.setItem(localKey, JSON.stringify({ savedAt: Date.now(), fields: fields }));
    } catch (error) {
      /* Storage full or switched off: the server draft is all there is. */
    }
  }

  function restoreLocally() {
    var stored = null;
    try {
      stored = JSON.parse(window.localStorage.getItem(localKey) || "null");
    } catch (error) {
      stored = null;
    }
    if (!stored || !stored.fields || Date.now() - stored.savedAt > LOCAL_MAX_AGE_MS) {
      return false;
    }
    var values = {};
    stored.fields.forEach(function (pair) {
      (values[pair[0]] = values[pair[0]] || []).push(pair[1]);
    });
    /* Rows of people that were added: add them here too, before their fields are filled. */
    ["victims", "attackers"].forEach(function (prefix) {
      var total = form.querySelector("#id_" + prefix + "-TOTAL_FORMS");
      var wanted = values[prefix + "-TOTAL_FORMS"] ? parseInt(values[prefix + "-TOTAL_FORMS"][0], 10) : 0;
      var button = form.querySelector("[data-add-form='" + prefix + "']");
      while (total && button && (parseInt(total.value, 10) || 0) < wanted) {
        var before = total.value;
        button.click();
        if (total.value === before) {
          break;
        }
      }
    });
    var fields = form.querySelectorAll("input, select, textarea");
    for (var i = 0; i < fields.length; i++) {
      var field = fields[i];
      var kept = values[field.name];
      if (!kept || NOT_KEPT[field.name] || field.type === "file" || /-(TOTAL|INITIAL)_FORMS$/.test(field.name)) {
        continue;
      }
      if (field.type === "radio" || field.type === "checkbox") {
        field.checked = kept.indexOf(field.value) !== -1;
      } else if (field.tagName === "SELECT" && field.multiple) {
        for (var o = 0; o < field.options.length; o++) {
          field.options[o].selected = kept.indexOf(field.options[o].value) !== -1;
        }
      } else {
        field.value = kept[0];
      }
      field.dispatchEvent(new Event("change", { bubbles: false }));
    }
    return true;
  }

  function onEdit(event) {
    if (event.target && event.target.type !== "file") {
      keepLocally();
      schedule();
    }
  }
  form.addEventListener("input", onEdit);
  form.addEventListener("change", onEdit);

  /* Victims and attackers: clone the server-rendered empty row instead of a round trip. */
  function setUpFormset(prefix) {
    var rows = document.getElementById(prefix + "-forms");
    var template = document.getElementById(prefix + "-template");
    var total = form.querySelector("#id_" + prefix + "-TOTAL_FORMS");
    var maximum = form.querySelector("#id_" + prefix + "-MAX_NUM_FORMS");
    var button = form.querySelector("[data-add-form='" + prefix + "']");
    if (!rows || !template || !total || !button) {
      return;
    }
    /* Untouched trailing rows stay out of the way until "add another" is pressed. */
    var children = rows.children;
    for (var i = children.length - 1; i >= 0 && children[i].hasAttribute("data-blank"); i--) {
      rows.removeChild(children[i]);
      total.value = String(i);
    }
    /* "Remove": a row put back to its blank state is ignored by the server, so hiding it is enough. */
    function blankValueOf(field) {
      var name = field.name.replace(new RegExp("^" + prefix + "-\\d+-"), prefix + "-__prefix__-");
      return template.content.querySelector("[name='" + name + "']" +
        (field.type === "radio" || field.type === "checkbox" ? "[value='" + field.value + "']" : ""));
    }
    function removeRow(row) {
      var fields = row.querySelectorAll("input, select, textarea");
      for (var j = 0; j < fields.length; j++) {
        var field = fields[j];
        var blank = blankValueOf(field);
        if (field.type === "radio" || field.type === "checkbox") {
          field.checked = blank ? blank.hasAttribute("checked") : false;
        } else if (field.tagName === "SELECT") {
          var chosen = blank ? blank.querySelector("option[selected]") : null;
          field.value = chosen ? chosen.value : "";
        } else {
          field.value = blank ? (blank.getAttribute("value") || blank.textContent || "") : "";
        }
        field.classList.remove("is-invalid");
      }
      row.hidden = true;
      button.focus();
      schedule();
    }
    function enableRemove(row) {
      var remove = row.querySelector("[data-remove-form]");
      if (remove) {
        remove.hidden = false;
        remove.addEventListener("click", function () { removeRow(row); });
      }
    }
    for (var r = 0; r < rows.children.length; r++) {
      enableRemove(rows.children[r]);
    }
    button.addEventListener("click", function (event) {
      event.preventDefault();
      var index = parseInt(total.value, 10) || 0;
      if (maximum && index >= parseInt(maximum.value, 10)) {
        return;
      }
      var holder = document.createElement("div");
      holder.innerHTML = template.innerHTML.replace(/__prefix__/g, String(index))
        .replace(/__number__/g, String(index + 1));
      var row = holder.firstElementChild;
      rows.appendChild(row);
      enableRemove(row);
      total.value = String(index + 1);
      var first = row.querySelector("input:not([type=hidden]), select, textarea");
      if (first) {
        first.focus();
      }
      schedule();
    });
  }
  setUpFormset("victims");
  setUpFormset("attackers");

  /* District and address matter only away from the facility (a patient's home, the street). */
  var place = form.querySelector("#id_place");
  var away = document.getElementById("away-fields");
  if (place && away) {
    var awayValues = (away.getAttribute("data-away-values") || "").split(",");
    var toggle = function () {
      var hasError = away.querySelector(".is-invalid") !== null;
      away.hidden = awayValues.indexOf(place.value) === -1 && !hasError;
    };
    place.addEventListener("change", toggle);
    toggle();
    /* Name the police department of the district chosen: the report goes there, not to the post. */
    var district = form.querySelector("#id_district");
    var routing = document.getElementById("away-routing");
    var named = document.getElementById("away-department");
    if (district && routing && named) {
      var departments = JSON.parse(routing.getAttribute("data-departments") || "{}");
      var rename = function () {
        if (departments[district.value]) {
          named.textContent = departments[district.value];
        }
      };
      district.addEventListener("change", rename);
      rename();
    }
  }

  /* Files larger together than the server accepts would be refused whole, typed text and all: say so here. */
  var maxBytes = parseInt(form.getAttribute("data-max-request-bytes"), 10) || 0;
  function filesTooLarge() {
    var inputs = form.querySelectorAll("input[type=file][name=evidence]");
    var total = 0;
    if (!maxBytes) {
      return false;
    }
    for (var n = 0; n < inputs.length; n++) {
      for (var f = 0; inputs[n].files && f < inputs[n].files.length; f++) {
        total += inputs[n].files[f].size;
      }
    }
    return total > maxBytes;
  }

  /* With no connection, "Send" keeps the report on this phone (static/js/outbox.js), photos and videos included,
     and the app sends it when the connection returns; "Save draft" says the typing stays on this device. */
  var Outbox = window.QorgauOutbox;
  var App = window.QorgauApp;
  var user = document.body.getAttribute("data-user");
  var keyField = form.querySelector("input[name=draft_key]");

  /* Not `form.action`: the buttons named "action" shadow it. */
  var endpoint = form.getAttribute("action");

  function queueOffline(submitter) {
    var entries = [];
    new FormData(form).forEach(function (value, name) {
      if (name !== "action") {
        entries.push([name, value]);
      }
    });
    submitter.disabled = true;
    Outbox.add({
      key: keyField.value, kind: "report", user: user, endpoint: endpoint, entries: entries
    }, {
      item: parseInt(form.getAttribute("data-outbox-item-max"), 10) || 0,
      total: parseInt(form.getAttribute("data-outbox-max"), 10) || 0
    }).then(function () {
      try {
        window.localStorage.removeItem(localKey); /* the outbox holds it now: the next form starts empty */
      } catch (error) { /* nothing was kept */ }
      return App ? App.askForSync() : null;
    }).then(function () {
      window.location.assign(endpoint); /* a fresh form (from the cache), with the waiting reports counted */
    }).catch(function (error) {
      submitter.disabled = false;
      say(error && error.code === "too-large" ? form.getAttribute("data-outbox-too-large-text")
        : error && error.code === "full" ? form.getAttribute("data-outbox-full-text")
          : form.getAttribute("data-outbox-failed-text"));
      if (statusBox) {
        statusBox.classList.add("text-danger");
        statusBox.scrollIntoView({ block: "center" });
      }
    });
  }

  /* A form opened from the cache carries the key of the page kept then; a report already waiting under that key
     would be replaced by this one. A new key makes each report its own. */
  if (Outbox && keyField && user && form.hasAttribute("data-fresh")) {
    Outbox.has(keyField.value).then(function (taken) {
      if (taken) {
        keyField.value = Outbox.newKey();
      }
    }).catch(function () { /* no IndexedDB: nothing can wait here, nothing to collide with */ });
  }

  /* One press of "Send": the server also ignores a repeat (same draft key), this just shows it is working. */
  form.addEventListener("submit", function (event) {
    var pressed = event.submitter;
    if (!navigator.onLine && pressed && pressed.value === "save") {
      event.preventDefault();
      keepLocally();
      say(form.getAttribute("data-offline-text"));
      return;
    }
    if (!navigator.onLine && pressed && pressed.hasAttribute("data-send") && Outbox && keyField && user) {
      event.preventDefault();
      window.clearTimeout(timer);
      queueOffline(pressed);
      return;
    }
    if (filesTooLarge()) {
      event.preventDefault();
      say(form.getAttribute("data-too-large-text"));
      if (statusBox) {
        statusBox.classList.add("text-danger");
        statusBox.scrollIntoView({ block: "center" });
      }
      return;
    }
    var submitter = event.submitter;
    if (submitter && submitter.hasAttribute("data-send")) {
      window.clearTimeout(timer);
      window.setTimeout(function () {
        submitter.disabled = true;
        submitter.setAttribute("aria-busy", "true");
      }, 0);
    }
  });

  /* A fresh form (not a draft resumed from the server, not one sent back with errors) takes the copy kept on this
     device, if there is one, and saves it to the server as a draft. */
  if (localKey && form.hasAttribute("data-fresh") && restoreLocally()) {
    say(form.getAttribute("data-restored-text"));
    schedule();
  }

  var summary = document.getElementById("error-summary");
  if (summary) {
    summary.focus();
  }
})();
