// Behaviour shared by every page. No inline handlers: the Content Security Policy allows our own files only.
document.querySelectorAll("select[data-submit-on-change]").forEach(function (select) {
  select.addEventListener("change", function () { select.form.submit(); });
});
