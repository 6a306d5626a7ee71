// The officer's inbox: polls a small JSON endpoint and, when a new case arrives, reloads the list in place.
(function () {
  "use strict";
  var list = document.getElementById("case-list");
  if (!list || !window.fetch) { return; }
  var latest = list.dataset.latestId || "";
  var seconds = Math.max(parseInt(list.dataset.pollSeconds, 10) || 20, 2);
  var banner = document.getElementById("inbox-new");

  function updateCounts(counts) {
    Object.keys(counts || {}).forEach(function (key) {
      var badge = document.querySelector('[data-count="' + key + '"]');
      if (badge) { badge.textContent = counts[key]; }
    });
  }

  // On a later page a new case would be on page 1: replacing the list under the officer's eyes would lose
  // their place, so they get a link to the first page instead.
  var page = parseInt(new URLSearchParams(window.location.search).get("page"), 10) || 1;

  function announceOnly() {
    if (!banner) { return; }
    var link = document.createElement("a");
    link.href = list.dataset.firstPageUrl;
    link.className = "alert-link";
    link.textContent = list.dataset.newText;
    banner.replaceChildren(link);
    banner.classList.remove("d-none");
  }

  function refreshList() {
    return fetch(list.dataset.listUrl, {credentials: "same-origin", headers: {"X-Requested-With": "fetch"}})
      .then(function (response) { return response.ok ? response.text() : Promise.reject(response.status); })
      .then(function (html) {
        list.innerHTML = html;
        if (banner) {
          banner.textContent = list.dataset.newText;
          banner.classList.remove("d-none");
        }
      });
  }

  function poll() {
    if (document.hidden) { return; }
    fetch(list.dataset.pollUrl + "?since=" + encodeURIComponent(latest), {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (response) { return response.ok ? response.json() : Promise.reject(response.status); })
      .then(function (data) {
        updateCounts(data.counts);
        var newest = data.latest_id === null ? "" : String(data.latest_id);
        if (newest !== latest) {
          latest = newest;
          list.dataset.latestId = newest;
          if (page > 1) { announceOnly(); return; }
          return refreshList();
        }
      })
      .catch(function () { /* offline or logged out: try again next time */ });
  }

  window.setInterval(poll, seconds * 1000);
  document.addEventListener("visibilitychange", function () { if (!document.hidden) { poll(); } });
})();
