// The nurse's alarm page: "alarm sent", then "officer on the way (name), acknowledged at hh:mm", live; a poll every
// few seconds stands in while the live channel is not connected.
(function () {
  "use strict";
  var status = document.getElementById("alarm-status");
  if (!status) { return; }
  var socket = null;
  var lang = document.documentElement.lang || "";

  function update(state) {
    if (!state || !state.status_text) { return; }
    if (state.status !== status.dataset.status) {
      status.classList.remove("alert-danger", "alert-success", "alert-secondary");
      status.classList.add(state.status === "raised" ? "alert-danger" : (state.open ? "alert-success" : "alert-secondary"));
    }
    status.textContent = state.status_text;
    status.dataset.status = state.status;
    status.dataset.updatedAt = String(Date.now());
  }

  function poll(always) {
    if (!always && socket && socket.readyState === 1) { return; }
    fetch(status.dataset.stateUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(update)
      .catch(function () { /* offline: try again at the next tick */ });
  }

  function connect() {
    if (!window.WebSocket) { return; }
    var scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
    socket = new WebSocket(scheme + "//" + window.location.host + "/ws/alarms/?alarm=" +
      encodeURIComponent(status.dataset.alarmId) + "&lang=" + encodeURIComponent(lang));
    socket.onopen = function () { status.dataset.connected = "true"; poll(true); };
    socket.onmessage = function (event) { update(JSON.parse(event.data)); };
    socket.onclose = function () { status.dataset.connected = ""; window.setTimeout(connect, 3000); };
  }

  window.setInterval(poll, 5000);
  connect();
})();
