// Searchable unit pickers (tom-select from npm): type a few letters of a name or a code, accents optional.
// A branch picker tied to a commune picker offers only that commune's branches.
// A picker of many units (data-picker-remote: a province's branches, the country's units) holds only the chosen
// one and asks the page for the units matching what is typed (?picker=<name>&q=<text>[&parent=<commune>]).
(function () {
  if (typeof TomSelect === "undefined") return;
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase();
  }
  const pickers = new Map();
  function leaderValue(select) {
    const leader = select.dataset.follows && pickers.get(select.dataset.follows);
    return leader ? leader.select.value : "";
  }
  function remoteLoad(select) {
    return function (query, callback) {
      const url = new URL(window.location.href);
      url.searchParams.set("picker", select.name);
      url.searchParams.set("q", query);
      const parent = leaderValue(select);
      if (parent) url.searchParams.set("parent", parent);
      else url.searchParams.delete("parent");
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (data) { callback(data.results); })
        .catch(function () { callback(); });
    };
  }
  document.querySelectorAll("select[data-picker]").forEach(function (select) {
    // tom-select points the label at its own input; the select it hides keeps its name for screen readers.
    const label = select.id && document.querySelector("label[for='" + select.id + "']");
    if (label && !select.hasAttribute("aria-label")) select.setAttribute("aria-label", label.textContent.trim());
    const original = Array.from(select.children).map(function (node) { return node.cloneNode(true); });
    const remote = select.hasAttribute("data-picker-remote");
    const settings = {
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
      render: {
        no_results: function () { return '<div class="no-results">' + (select.dataset.empty || "—") + "</div>"; },
      },
    };
    if (remote) {
      settings.load = remoteLoad(select);
      // A follower lists its commune's branches as soon as it opens; any other picker waits for a letter.
      settings.shouldLoad = function (query) { return query.length > 0 || leaderValue(select) !== ""; };
      if (select.dataset.follows) settings.preload = "focus";
      settings.optionGroupRegister = function (name) { return { value: name, label: name }; };
      settings.render.not_loading = function (data) {
        return data.input ? null : '<div class="no-results">' + (select.dataset.typeHint || "…") + "</div>";
      };
    }
    const picker = new TomSelect(select, settings);
    pickers.set(select.name, { select: select, picker: picker, original: original, remote: remote });
  });
  // The branch picker follows the commune picker of the same form.
  pickers.forEach(function (entry) {
    const follows = entry.select.dataset.follows;
    const leader = follows && pickers.get(follows);
    if (!leader) return;
    function refresh() {
      entry.picker.clear(true);
      entry.picker.clearOptions();
      if (entry.remote) {
        // Its options come from the page, for the commune chosen now: the next field, opened with them.
        entry.picker.wrapper.classList.remove("preloaded");
        if (leader.select.value) entry.picker.focus();
        return;
      }
      const chosen = leader.select.options[leader.select.selectedIndex];
      const name = chosen ? chosen.text.replace(/\s*\([^)]*\)$/, "") : "";
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
    if (!entry.remote) refresh();
  });
})();
