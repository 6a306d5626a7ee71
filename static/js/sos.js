// The SOS button: one key per press, so a press sent twice (a double tap, a retried request) is one alarm.
(function () {
  "use strict";
  var form = document.getElementById("sos-form");
  if (!form) { return; }
  function newKey() {
    if (window.crypto && window.crypto.randomUUID) { return window.crypto.randomUUID(); }
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 0x100).toString(16).slice(1); }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" + hex.slice(20);
  }
  function csrfCookie() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }
  form.addEventListener("submit", function () {
    // The page's token was made from the CSRF cookie as it was when the page was served. A page the service worker
    // fetched for offline use before the login can answer after it and set the cookie back, and the press would be
    // refused. Django accepts the cookie's own secret as the token: send the cookie as it is now.
    var token = form.querySelector("[name=csrfmiddlewaretoken]");
    var secret = csrfCookie();
    if (token && secret) { token.value = secret; }
    var key = form.querySelector("[data-sos-key]");
    if (key && !key.value) { key.value = newKey(); }
    var button = form.querySelector("[data-sos-button]");
    if (button) { button.setAttribute("aria-busy", "true"); }
  });
})();
