// Camera scanning for the check-in page: reads a guest's QR code with the browser's
// BarcodeDetector and submits it like a typed code. Works before and after hydration.
const button = document.getElementById("scan-camera");
const input = document.getElementById("check-in-code");
const video = document.getElementById("scan-video");
const unsupported = document.getElementById("scan-unsupported");

if (button && input && video) {
  const canScan = "BarcodeDetector" in window && navigator.mediaDevices?.getUserMedia;
  if (!canScan) {
    if (unsupported) unsupported.hidden = false;
  } else {
    button.hidden = false;
    let stream = null;
    const stop = () => {
      stream?.getTracks().forEach((t) => t.stop());
      stream = null;
      video.hidden = true;
    };
    button.addEventListener("click", async () => {
      if (stream) return stop();
      const detector = new window.BarcodeDetector({ formats: ["qr_code"] });
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } });
      video.srcObject = stream;
      video.hidden = false;
      await video.play();
      let last = "";
      const tick = async () => {
        if (!stream) return;
        try {
          const codes = await detector.detect(video);
          const value = codes[0]?.rawValue?.trim();
          // The same code twice in a row is one scan; the server warns on a real repeat.
          if (value && value !== last) {
            last = value;
            input.value = value;
            input.form.requestSubmit();
            setTimeout(() => { last = ""; }, 3000);
          }
        } catch (_) {}
        requestAnimationFrame(tick);
      };
      tick();
    });
  }
}
