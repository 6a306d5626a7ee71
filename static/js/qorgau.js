// Behaviour shared by every page. No inline handlers: the Content Security Policy allows our own files only.
document.querySelectorAll("select[data-submit-on-change]").forEach(function (select) {
  select.addEventListener("change", function () { select.form.submit(); });
});

// The copy of a report kept on this device (report.js) goes once the report is sent, and at logout.
(function () {
  function forget(match) {
    try {
      for (var i = window.localStorage.length - 1; i >= 0; i--) {
        var key = window.localStorage.key(i);
        if (key && match(key)) {
          window.localStorage.removeItem(key);
        }
      }
    } catch (error) {
      /* Storage switched off: nothing was kept. */
    }
  }
  var sent = document.querySelector("[data-local-draft-sent]");
  if (sent) {
    var key = sent.getAttribute("data-local-draft-sent");
    forget(function (candidate) { return candidate === key; });
  }
  document.querySelectorAll("form[data-logout]").forEach(function (logout) {
    logout.addEventListener("submit", function () {
      forget(function (candidate) { return candidate.indexOf("qorgau-report:") === 0; });
    });
  });
})();
