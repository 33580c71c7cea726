// Follows a long job from its status URL (JSON with status and percent) and reloads the page when it has
// finished. Any element with data-field="name" shows that figure as it changes.
const box = document.querySelector("[data-progress]");

async function poll() {
  const response = await fetch(box.dataset.statusUrl, { headers: { Accept: "application/json" } });
  if (!response.ok) return;
  const job = await response.json();
  box.querySelector("progress").value = job.percent;
  box.querySelector("[data-percent]").textContent = job.percent;
  for (const field of box.querySelectorAll("[data-field]")) {
    const value = job[field.dataset.field];
    field.textContent = typeof value === "number" ? value.toLocaleString("en-GB") : value;
  }
  if (job.status !== "running" && job.status !== "queued") {
    box.querySelector("[data-announce]").textContent = "Finished.";
    window.location.reload();
    return;
  }
  setTimeout(poll, 1000);
}

if (box) setTimeout(poll, 1000);
