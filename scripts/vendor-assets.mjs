// Copies the pinned third-party assets from node_modules into static/vendor (git-ignored).
import { copyFileSync, mkdirSync } from "node:fs";

const assets = {
  "htmx.org/dist/htmx.min.js": "htmx.min.js",
  "hds-core/lib/base.min.css": "hds-base.min.css",
  "hds-core/lib/components/all.min.css": "hds-components.min.css",
  "hds-core/lib/utils/helpers.min.css": "hds-helpers.min.css",
};
mkdirSync("static/vendor", { recursive: true });
for (const [from, to] of Object.entries(assets)) {
  copyFileSync(`node_modules/${from}`, `static/vendor/${to}`);
}
console.log(`vendored ${Object.keys(assets).length} assets into static/vendor`);
