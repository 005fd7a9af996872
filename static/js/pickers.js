// Searchable unit pickers (tom-select from npm): type a few letters of a name or a code, accents optional.
// A branch picker tied to a commune picker offers only that commune's branches.
(function () {
  if (typeof TomSelect === "undefined") return;
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase();
  }
  const pickers = new Map();
  document.querySelectorAll("select[data-picker]").forEach(function (select) {
    // tom-select points the label at its own input; the select it hides keeps its name for screen readers.
    const label = select.id && document.querySelector("label[for='" + select.id + "']");
    if (label && !select.hasAttribute("aria-label")) select.setAttribute("aria-label", label.textContent.trim());
    const original = Array.from(select.children).map(function (node) { return node.cloneNode(true); });
    const picker = new TomSelect(select, {
      maxOptions: 500,
      allowEmptyOption: true,
      searchField: ["text"],
      score: function (search) {
        const wanted = fold(search).split(/\s+/).filter(Boolean);
        return function (item) {
          const text = fold(item.text + " " + (item.optgroup || ""));
          return wanted.every(function (word) { return text.indexOf(word) >= 0; }) ? 1 : 0;
        };
      },
      render: { no_results: function () { return '<div class="no-results">' + (select.dataset.empty || "—") + "</div>"; } },
    });
    pickers.set(select.name, { select: select, picker: picker, original: original });
  });
  // The branch picker follows the commune picker of the same form.
  pickers.forEach(function (entry) {
    const follows = entry.select.dataset.follows;
    const leader = follows && pickers.get(follows);
    if (!leader) return;
    function refresh() {
      const chosen = leader.select.options[leader.select.selectedIndex];
      const name = chosen ? chosen.text.replace(/\s*\([^)]*\)$/, "") : "";
      entry.picker.clear(true);
      entry.picker.clearOptions();
      entry.original.forEach(function (node) {
        if (node.tagName === "OPTGROUP") {
          if (!name || node.label === name) {
            Array.from(node.children).forEach(function (option) {
              entry.picker.addOption({ value: option.value, text: option.text });
            });
          }
        } else {
          entry.picker.addOption({ value: node.value, text: node.text });
        }
      });
      entry.picker.refreshOptions(false);
    }
    leader.picker.on("change", refresh);
    refresh();
  });
})();
