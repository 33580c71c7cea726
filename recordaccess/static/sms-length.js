// Updates a text message template's length as it is typed, asking the server for the count (the same count the
// page shows after saving, with the sample values filled in). Without JavaScript the count updates on save.
const box = document.getElementById("sms-length");
const count = document.getElementById("sms-length-count");
const body = document.getElementById("id_body");
let timer;

async function refresh() {
  const params = new URLSearchParams({ body: body.value });
  const response = await fetch(`${box.dataset.lengthUrl}?${params}`, { headers: { Accept: "application/json" } });
  const length = await response.json();
  if (!response.ok) {
    count.textContent = `${length.error} (the count updates once every placeholder has a value).`;
    return;
  }
  const texts = length.fragments === 1 ? "text message" : "text messages";
  const tooLong = length.too_long ? " Too long: GOV.UK Notify refuses text messages over 918 characters." : "";
  count.textContent = `${length.characters} characters, ${length.fragments} ${texts} (${length.encoding}) with the sample values, as you type.${tooLong}`;
}

if (box && count && body) {
  body.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(refresh, 250);
  });
}
