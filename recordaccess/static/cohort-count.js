// Updates the cohort's patient count as the filters change. Without JavaScript the count updates on save.
const form = document.querySelector("form[data-cohort-form]");
const output = document.getElementById("cohort-count");
let timer;

async function refresh() {
  const params = new URLSearchParams(new FormData(form));
  params.delete("csrfmiddlewaretoken");
  const response = await fetch(`${form.dataset.countUrl}?${params}`, { headers: { Accept: "application/json" } });
  const body = await response.json();
  if (response.ok) {
    output.textContent = body.count.toLocaleString("en-GB");
  }
}

if (form && output) {
  form.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(refresh, 250);
  });
}
