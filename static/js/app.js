// Behaviour every page shares, kept out of the HTML so the Content-Security-Policy can forbid inline scripts:
// forms that ask before they do something big, and filters that apply as soon as they change.
document.querySelectorAll("form[data-confirm]").forEach(function (form) {
  form.addEventListener("submit", function (event) {
    if (!window.confirm(form.dataset.confirm)) { event.preventDefault(); }
  });
});
document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
  select.addEventListener("change", function () { select.form.submit(); });
});
// A form sent back with errors: its summary at the top takes the focus, so it is seen (and read out) first.
var summary = document.querySelector("[data-error-summary]");
if (summary) { summary.focus(); }
// Filters folded behind one button on a phone are simply shown on a wider screen.
if (window.matchMedia("(min-width: 768px)").matches) {
  document.querySelectorAll("details[data-open-wide]").forEach(function (details) { details.open = true; });
}
