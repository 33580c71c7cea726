// Follows a running register import and reloads the page when it has finished.
const box = document.querySelector("[data-import-progress]");

async function poll() {
  const response = await fetch(box.dataset.statusUrl, { headers: { Accept: "application/json" } });
  if (!response.ok) return;
  const run = await response.json();
  box.querySelector("progress").value = run.percent;
  box.querySelector("[data-percent]").textContent = run.percent;
  box.querySelector("[data-rows]").textContent = run.rows.toLocaleString("en-GB");
  if (run.status !== "running") {
    box.querySelector("[data-announce]").textContent = "The import has finished.";
    window.location.reload();
    return;
  }
  setTimeout(poll, 1000);
}

if (box) setTimeout(poll, 1000);
