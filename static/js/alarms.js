// The live channel on every page of an officer (and a facility lead): an alarm appears at once, on top, with a sound
// and its Acknowledge button; it goes when it is answered. Server side: alarms/consumers.py.
(function () {
  "use strict";
  var box = document.getElementById("alarm-live");
  if (!box || !window.WebSocket) { return; }
  var csrf = box.dataset.csrf || "";
  var lang = box.dataset.lang || "";
  var inbox = document.getElementById("alarm-inbox-open");
  var retry = 1000;
  var socket = null;
  var audio = null;

  function ring() {
    box.dataset.rang = String(Date.now());
    if (navigator.vibrate) { navigator.vibrate([400, 150, 400, 150, 400]); }
    try {
      audio = audio || new (window.AudioContext || window.webkitAudioContext)();
      [0, 0.5, 1.0].forEach(function (start) {
        var tone = audio.createOscillator();
        var gain = audio.createGain();
        tone.type = "square";
        tone.frequency.value = 880;
        gain.gain.value = 0.2;
        tone.connect(gain);
        gain.connect(audio.destination);
        tone.start(audio.currentTime + start);
        tone.stop(audio.currentTime + start + 0.3);
      });
    } catch (error) { /* no sound here (no audio device, or not allowed yet): the card and vibration remain */ }
  }

  function place(container, message) {
    var holder = container.querySelector('[data-alarm-holder="' + message.id + '"]');
    if (!message.open) {
      if (holder) { holder.remove(); }
      return;
    }
    if (!holder) {
      holder = document.createElement("div");
      holder.dataset.alarmHolder = String(message.id);
      container.prepend(holder);
    }
    holder.innerHTML = message.card;
    holder.dataset.receivedAt = String(Date.now());
    holder.querySelectorAll("[data-csrf-input]").forEach(function (input) { input.value = csrf; });
  }

  function show(message) {
    if (inbox) {
      place(inbox, message);
      var empty = inbox.querySelector("[data-no-alarms]");
      if (empty && message.open) { empty.remove(); }
    }
    // On top of any page while it waits for someone; the inbox shows the others.
    if (message.status === "raised" || box.querySelector('[data-alarm-holder="' + message.id + '"]')) {
      place(box, message.status === "raised" ? message : { id: message.id, open: false });
    }
    box.hidden = !box.querySelector("[data-alarm-holder]");
    if (message.ring) { ring(); }
  }

  function connect() {
    var scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
    socket = new WebSocket(scheme + "//" + window.location.host + "/ws/alarms/?lang=" + encodeURIComponent(lang));
    socket.onopen = function () { retry = 1000; box.dataset.connected = "true"; };
    socket.onmessage = function (event) {
      var message = JSON.parse(event.data);
      if (message.type === "alarm") { show(message); }
    };
    socket.onclose = function () {
      box.dataset.connected = "";
      window.setTimeout(connect, retry);
      retry = Math.min(retry * 2, 30000);
    };
  }

  // Proxies close a connection that says nothing for a minute (nginx's proxy_read_timeout): a word every 25 s.
  window.setInterval(function () {
    if (socket && socket.readyState === 1) { socket.send('{"type":"ping"}'); }
  }, 25000);
  connect();
})();
