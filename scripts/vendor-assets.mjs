// Copies the pinned third-party assets from node_modules into static/vendor (git-ignored).
import { copyFileSync, cpSync, mkdirSync } from "node:fs";

const assets = {
  "htmx.org/dist/htmx.min.js": "htmx.min.js",
  "hds-core/lib/base.min.css": "hds-base.min.css",
  "hds-core/lib/components/all.min.css": "hds-components.min.css",
  "hds-core/lib/utils/helpers.min.css": "hds-helpers.min.css",
  // PDF.js shows a document in the page before it is signed; its worker parses the PDF
  "pdfjs-dist/build/pdf.min.mjs": "pdfjs/pdf.min.mjs",
  "pdfjs-dist/build/pdf.worker.min.mjs": "pdfjs/pdf.worker.min.mjs",
  "pdfjs-dist/LICENSE": "pdfjs/LICENSE",
};
// the 14 standard fonts, for PDFs that use them without embedding them
const folders = { "pdfjs-dist/standard_fonts": "pdfjs/standard_fonts" };
mkdirSync("static/vendor/pdfjs", { recursive: true });
for (const [from, to] of Object.entries(assets)) {
  copyFileSync(`node_modules/${from}`, `static/vendor/${to}`);
}
for (const [from, to] of Object.entries(folders)) {
  cpSync(`node_modules/${from}`, `static/vendor/${to}`, { recursive: true });
}
const count = Object.keys(assets).length + Object.keys(folders).length;
console.log(`vendored ${count} assets into static/vendor`);
