// Dialogue form: add opinions without a round trip, and show "committed by / due on" only for commitments.
(function () {
  const form = document.getElementById("dialogue-form");
  if (!form) return;
  const list = document.getElementById("opinions");
  const template = document.getElementById("opinion-template");
  const total = form.querySelector("input[name='op-TOTAL_FORMS']");

  function refresh(card) {
    const outcome = card.querySelector("select[name$='-outcome']");
    const committed = outcome && outcome.value === "committed";
    card.querySelectorAll("[data-commitment]").forEach((el) => { el.hidden = !committed; });
  }

  function number() {
    list.querySelectorAll("[data-opinion]").forEach((card, i) => {
      card.querySelector("[data-number]").textContent = i + 1;
    });
  }

  document.getElementById("add-opinion").addEventListener("click", () => {
    const index = parseInt(total.value, 10);
    const html = template.innerHTML.replace(/__prefix__/g, String(index));
    list.insertAdjacentHTML("beforeend", html);
    total.value = index + 1;
    const card = list.lastElementChild;
    refresh(card);
    number();
    card.querySelector("textarea").focus();
  });

  list.addEventListener("change", (event) => {
    const card = event.target.closest("[data-opinion]");
    if (card) refresh(card);
  });
  list.querySelectorAll("[data-opinion]").forEach(refresh);
  number();
})();
