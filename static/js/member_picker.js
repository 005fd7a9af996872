// Member picker: search the register as she types (scoped on the server) and keep the chosen member's id.
(function () {
  document.querySelectorAll(".member-picker").forEach((picker) => {
    const value = picker.querySelector("[data-picker-value]");
    const input = picker.querySelector("[data-picker-input]");
    const results = picker.querySelector("[data-picker-results]");
    let timer = null;
    let asked = 0;

    function close() {
      results.hidden = true;
      input.setAttribute("aria-expanded", "false");
    }

    function choose(item) {
      value.value = item.id;
      input.value = item.label;
      close();
      const name = picker.closest("form").querySelector("input[name='full_name']");
      if (name && !name.value) name.value = item.label.split(" (")[0];
    }

    function show(items) {
      results.replaceChildren();
      if (!items.length) {
        const empty = document.createElement("div");
        empty.className = "list-group-item text-body-secondary";
        empty.textContent = picker.dataset.empty || "—";
        results.append(empty);
      }
      items.forEach((item) => {
        const option = document.createElement("button");
        option.type = "button";
        option.className = "list-group-item list-group-item-action";
        option.setAttribute("role", "option");
        option.textContent = item.label;
        option.addEventListener("click", () => choose(item));
        results.append(option);
      });
      results.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }

    input.addEventListener("input", () => {
      value.value = "";  // typing again drops the earlier choice until a new one is picked
      clearTimeout(timer);
      const text = input.value.trim();
      if (text.length < 2) return close();
      timer = setTimeout(async () => {
        const ticket = ++asked;
        const response = await fetch(`${picker.dataset.lookup}?q=${encodeURIComponent(text)}`, {
          headers: { Accept: "application/json" },
        });
        if (!response.ok || ticket !== asked) return;
        show((await response.json()).results);
      }, 250);
    });
    input.addEventListener("keydown", (event) => {
      if (event.key === "Escape") close();
    });
    document.addEventListener("click", (event) => {
      if (!picker.contains(event.target)) close();
    });
  });
})();
