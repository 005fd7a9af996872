// Polls a background job's progress (an import, a printed report) and reloads the page when the work is done.
(function () {
  const box = document.getElementById("progress");
  if (!box) return;
  const bar = box.querySelector(".progress-bar");
  const label = document.getElementById("progress-label");
  async function poll() {
    try {
      const response = await fetch(box.dataset.url, { headers: { Accept: "application/json" } });
      if (response.ok) {
        const data = await response.json();
        bar.style.width = data.percent + "%";
        bar.textContent = data.percent + "%";
        box.querySelector(".progress").setAttribute("aria-valuenow", data.percent);
        label.textContent = data.state_label;
        if (!data.running) {
          window.location.reload();
          return;
        }
      }
    } catch (error) {
      // The server may be restarting; try again.
    }
    setTimeout(poll, 1000);
  }
  setTimeout(poll, 700);
})();
