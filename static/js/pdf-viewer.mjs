// The reading page's PDF viewer: PDF.js (pdfjs-dist, vendored into static/vendor at setup)
// draws one page at a time on a canvas; the buttons (and PageUp/PageDown on the viewer) turn
// the pages; the page's text is offered beside the canvas as its text alternative.
import * as pdfjs from "../vendor/pdfjs/pdf.min.mjs";

const viewer = document.querySelector("[data-pdf-url]");

function fill(template, page, pages) {
  return template.replace("{page}", String(page)).replace("{pages}", String(pages));
}

async function show(pdf, number, parts) {
  const page = await pdf.getPage(number);
  const width = parts.frame.clientWidth || 800;
  const base = page.getViewport({ scale: 1 });
  const scale = Math.min(2, width / base.width);
  const ratio = window.devicePixelRatio || 1;
  const viewport = page.getViewport({ scale: scale * ratio });
  const canvas = parts.canvas;
  canvas.width = Math.floor(viewport.width);
  canvas.height = Math.floor(viewport.height);
  canvas.style.width = `${Math.floor(viewport.width / ratio)}px`;
  await page.render({ canvas, viewport }).promise;
  const content = await page.getTextContent();
  const text = content.items.map((item) => item.str + (item.hasEOL ? "\n" : "")).join("");
  parts.text.textContent = text.trim() || "–";
  canvas.setAttribute("aria-label", fill(viewer.dataset.pdfLabel, number, pdf.numPages));
  parts.position.textContent = fill(viewer.dataset.pdfStatus, number, pdf.numPages);
  parts.previous.disabled = number <= 1;
  parts.next.disabled = number >= pdf.numPages;
  canvas.dataset.pdfRendered = String(number);
}

async function open() {
  pdfjs.GlobalWorkerOptions.workerSrc = viewer.dataset.pdfWorker;
  const parts = {
    frame: viewer.querySelector(".pdf-viewer__page"),
    canvas: viewer.querySelector("[data-pdf-canvas]"),
    text: viewer.querySelector("[data-pdf-text]"),
    position: viewer.querySelector("[data-pdf-position]"),
    previous: viewer.querySelector("[data-pdf-previous]"),
    next: viewer.querySelector("[data-pdf-next]"),
  };
  const pdf = await pdfjs.getDocument({
    url: viewer.dataset.pdfUrl,
    standardFontDataUrl: viewer.dataset.pdfFonts,
    isEvalSupported: false, // the Content-Security-Policy allows no eval
    withCredentials: true,
  }).promise;
  // the prepared file has the signature page(s) after the uploaded pages
  document.querySelectorAll("[data-pdf-pages]").forEach((e) => {
    e.textContent = String(pdf.numPages);
  });
  let current = 1;
  let drawing = Promise.resolve();
  const turn = (step) => {
    const target = Math.min(pdf.numPages, Math.max(1, current + step));
    if (target === current) return;
    current = target;
    drawing = drawing.then(() => show(pdf, target, parts));
  };
  parts.previous.addEventListener("click", () => turn(-1));
  parts.next.addEventListener("click", () => turn(1));
  viewer.addEventListener("keydown", (event) => {
    if (event.key === "PageDown") turn(1);
    else if (event.key === "PageUp") turn(-1);
    else return;
    event.preventDefault();
  });
  drawing = show(pdf, 1, parts);
  await drawing;
}

if (viewer) {
  open().catch((error) => {
    console.warn("the PDF could not be shown", error);
    viewer.querySelector("[data-pdf-failed]").hidden = false;
  });
}
