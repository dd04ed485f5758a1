// Invitations page: a chosen CSV file is read in the browser and put into the list
// field, where the organizer sees it before sending.
const label = document.getElementById("invite-upload");
const file = document.getElementById("invite-file");
const list = document.getElementById("f-list");
if (label && file && list && window.FileReader) {
  label.hidden = false;
  file.addEventListener("change", () => {
    const chosen = file.files?.[0];
    if (!chosen) return;
    chosen.text().then((text) => {
      list.value = (list.value.trim() ? list.value.trim() + "\n" : "") + text.replace(/^\uFEFF/, "");
      list.dispatchEvent(new Event("input", { bubbles: true }));
    });
  });
}
