// Inline validation on forms marked data-validate: show the browser's checks (pattern, required,
// dates) as soon as a field loses focus, and stop a submit that would only come back with errors.
document.querySelectorAll("form[data-validate]").forEach(function (form) {
  form.querySelectorAll("input, select, textarea").forEach(function (field) {
    field.addEventListener("blur", function () {
      if (field.value !== "" || field.required) {
        field.classList.toggle("is-invalid", !field.checkValidity());
        field.classList.toggle("is-valid", field.checkValidity() && field.value !== "");
      }
    });
  });
  form.addEventListener("submit", function (event) {
    if (!form.checkValidity()) {
      event.preventDefault();
      form.querySelectorAll(":invalid").forEach(function (field) { field.classList.add("is-invalid"); });
      var first = form.querySelector(":invalid");
      if (first) { first.focus(); }
    }
  });
});
