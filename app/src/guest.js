// Roadshow's guest script: finishes a guest's page once it has loaded. Every page does all
// it must without it (forms post as plain forms); the server's words and rules stay the
// server's (live checks ask it, in the reader's language).
(() => {
  "use strict";
  const doc = document;
  const locale = doc.documentElement.lang.startsWith("zh") ? "zh-CN" : "en-GB";

  // The reader's own zone goes with a registration: the emails give times in it.
  let zone = "";
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  } catch (_) {}
  if (zone) {
    for (const input of doc.querySelectorAll('input[name="form[time_zone]"]')) input.value = zone;
    // A host's page offers the browser's zone where none was kept.
    for (const input of doc.querySelectorAll("input[data-own-zone]")) if (!input.value) input.value = zone;
  }

  // An event's start in the reader's time, when their offset differs from the venue's.
  const pad = (n) => String(n).padStart(2, "0");
  for (const line of doc.querySelectorAll(".viewer-time[data-starts-at]")) {
    const date = new Date(Number(line.dataset.startsAt));
    const minutes = -date.getTimezoneOffset();
    const abs = Math.abs(minutes);
    const mine = `UTC${minutes < 0 ? "-" : "+"}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
    if (mine !== line.dataset.offset) {
      line.textContent = `${line.dataset.label}: ${date.toLocaleString(locale)} (${mine})`;
    }
  }

  // A long list (countries) is searched as you type: by name in the page's language or by
  // code; the first match is chosen, the select keeps posting the code.
  const fold = (s) => s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  for (const select of doc.querySelectorAll("select[data-search]")) {
    const all = Array.from(select.options);
    const search = doc.createElement("input");
    search.type = "search";
    search.className = "list-search";
    search.autocomplete = "off";
    search.placeholder = select.dataset.search;
    search.setAttribute("aria-label", select.dataset.search);
    search.setAttribute("aria-controls", select.id);
    search.addEventListener("input", () => {
      const query = fold(search.value.trim());
      const chosen = select.value;
      const shown = all.filter((o) => !o.value || !query || fold(o.text).includes(query) || fold(o.value) === query);
      select.replaceChildren(...shown);
      const first = shown.find((o) => o.value);
      select.value = shown.some((o) => o.value && o.value === chosen) ? chosen : query && first ? first.value : "";
      select.dispatchEvent(new Event("change", { bubbles: true }));
    });
    select.before(search);
  }

  // Live checks: a field the reader has left is checked by the server's own parse of the
  // form (`/check`), and its message shown under it, as after a refused post.
  const fieldOf = (name) => {
    const m = /^form\[([^\]]*)\]/.exec(name);
    return m ? m[1] : name;
  };
  const show = (form, field, message) => {
    const input = form.querySelector(`[name="form[${field}]"], [name^="form[${field}]["]`);
    if (input && input.type !== "checkbox" && input.type !== "radio") {
      if (message) input.setAttribute("aria-invalid", "true");
      else input.removeAttribute("aria-invalid");
    }
    let note = form.querySelector(`#e-${CSS.escape(field)}`);
    if (!message) {
      if (note) note.remove();
      return;
    }
    if (!note) {
      const box = input && input.closest(".field, fieldset, label.check");
      if (!box) return;
      note = doc.createElement("small");
      note.className = "field-error";
      note.id = `e-${field}`;
      note.dataset.field = field;
      note.setAttribute("role", "alert");
      if (box.matches("label.check")) box.after(note);
      else box.append(note);
    }
    note.textContent = message;
  };
  for (const form of doc.querySelectorAll('form[action^="/api/"]')) {
    const touched = new Set();
    let timer = 0;
    let asked = 0;
    const check = async () => {
      const mine = ++asked;
      let fields;
      try {
        const response = await fetch(`/check?fn=${encodeURIComponent(form.getAttribute("action"))}`, {
          method: "POST",
          body: new URLSearchParams(new FormData(form)),
        });
        if (!response.ok) return;
        fields = (await response.json()).fields;
      } catch (_) {
        return;
      }
      if (mine === asked) for (const field of touched) show(form, field, fields[field]);
    };
    const changed = (event) => {
      const name = event.target.name;
      if (!name || event.target.type === "hidden") return;
      touched.add(fieldOf(name));
      clearTimeout(timer);
      timer = setTimeout(check, event.type === "input" ? 350 : 0);
    };
    form.addEventListener("input", changed);
    form.addEventListener("change", changed);
  }

  // A host's page at the table: the phone's camera reads the guest's QR code (where the
  // browser can) and sends it as if typed.
  const scan = doc.getElementById("scan-camera");
  const code = doc.getElementById("check-in-code");
  const video = doc.getElementById("scan-video");
  if (scan && code && video && "BarcodeDetector" in window && navigator.mediaDevices?.getUserMedia) {
    scan.hidden = false;
    let stream = null;
    scan.addEventListener("click", async () => {
      if (stream) {
        stream.getTracks().forEach((t) => t.stop());
        stream = null;
        video.hidden = true;
        return;
      }
      const detector = new window.BarcodeDetector({ formats: ["qr_code"] });
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } });
      video.srcObject = stream;
      video.hidden = false;
      await video.play();
      const tick = async () => {
        if (!stream) return;
        try {
          const value = (await detector.detect(video))[0]?.rawValue?.trim();
          if (value) {
            code.value = value;
            code.form.requestSubmit();
            return;
          }
        } catch (_) {}
        requestAnimationFrame(tick);
      };
      tick();
    });
  }

  doc.body.dataset.ready = "true";
})();
