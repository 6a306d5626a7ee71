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

// A text with a limit shows how long it is; past the limit it says by how much (nothing is cut: the form refuses
// it with the same words). The words come from the field's data attributes, in the page's language.
function countCharacters(root) {
  root.querySelectorAll("[data-max-chars]").forEach(function (field) {
    var limit = parseInt(field.getAttribute("data-max-chars"), 10);
    if (!limit) {
      return;
    }
    var counter = document.createElement("div");
    counter.className = "form-text text-end";
    counter.setAttribute("aria-live", "polite");
    counter.setAttribute("data-char-counter", "");
    field.insertAdjacentElement("afterend", counter);
    var update = function () {
      var count = field.value.length;
      var over = count - limit;
      if (over > 0) {
        counter.textContent = (field.getAttribute("data-over-text") || "").replace("%(over)s", String(over));
        counter.classList.add("text-danger", "fw-semibold");
        field.classList.add("is-invalid");
      } else {
        counter.textContent = (field.getAttribute("data-counter-text") || "")
          .replace("%(count)s", String(count)).replace("%(limit)s", String(limit));
        counter.classList.remove("text-danger", "fw-semibold");
      }
    };
    field.addEventListener("input", update);
    update();
  });
}
countCharacters(document);

// A section of the case page whose form is on its own page (data-form-url: the section holds a link to it) gets the
// form in place when opened: only the form (?partial=form), fetched once. Without scripts the link opens the page.
document.querySelectorAll("details[data-form-url]").forEach(function (details) {
  if (!window.fetch) {
    return;
  }
  var body = details.querySelector(".card-body");
  var url = details.getAttribute("data-form-url");
  var load = function () {
    if (!details.open || details.querySelector("form") || details.hasAttribute("data-loading")) {
      return;
    }
    details.setAttribute("data-loading", "");
    fetch(url + "?partial=form", {credentials: "same-origin", headers: {"X-Requested-With": "fetch"}})
      .then(function (response) { return response.ok && !response.redirected ? response.text() : Promise.reject(); })
      .then(function (html) {
        body.innerHTML = html;
        countCharacters(body);
        details.removeAttribute("data-loading");
      })
      .catch(function () { window.location.href = url; });
  };
  details.addEventListener("toggle", load);
  load();
});
