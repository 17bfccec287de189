// The page's layout on narrow screens and at high zoom (WCAG 1.4.10), for every page:
// - the header's menu folds behind a button that says whether it is open (aria-expanded);
// - every table sits in an HDS table container that scrolls sideways on its own, so the page
//   never does; a container that scrolls can be reached by keyboard and is named after its table.
// A file of its own: the Content-Security-Policy allows no inline script.
(() => {
  const NARROW = window.matchMedia("(max-width: 47.99rem)");

  function setUpMenu() {
    const button = document.querySelector(".site-header__menu-button");
    const menu = button && document.getElementById(button.getAttribute("aria-controls"));
    if (!menu) return;
    const header = button.closest(".site-header");
    const show = (open) => {
      button.setAttribute("aria-expanded", String(open));
      header.classList.toggle("site-header--open", open);
    };
    button.hidden = false;
    header.classList.add("site-header--foldable");
    show(false);
    button.addEventListener("click", () => show(button.getAttribute("aria-expanded") !== "true"));
    header.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && NARROW.matches && button.getAttribute("aria-expanded") === "true") {
        show(false);
        button.focus();
      }
    });
  }

  function nameOf(table) {
    if (table.caption && table.caption.textContent.trim()) return table.caption.textContent.trim();
    if (table.getAttribute("aria-label")) return table.getAttribute("aria-label");
    let node = table.parentElement;
    while (node && node !== document.body) {  // the nearest heading before the table
      let sibling = node.previousElementSibling;
      while (sibling) {
        if (/^H[1-6]$/.test(sibling.tagName)) return sibling.textContent.trim();
        const inner = sibling.querySelectorAll && sibling.querySelectorAll("h1, h2, h3, h4, h5, h6");
        if (inner && inner.length) return inner[inner.length - 1].textContent.trim();
        sibling = sibling.previousElementSibling;
      }
      node = node.parentElement;
    }
    return "";
  }

  function markScrolling(container) {
    const scrolls = container.scrollWidth > container.clientWidth + 1;
    const name = scrolls && nameOf(container.querySelector("table"));
    if (scrolls) {
      container.setAttribute("tabindex", "0");
      container.setAttribute("role", "region");
      if (name) container.setAttribute("aria-label", name);
    } else {
      ["tabindex", "role", "aria-label"].forEach((attr) => container.removeAttribute(attr));
    }
  }

  function containTables(root) {
    const scope = root && root.querySelectorAll ? root : document;
    const tables = scope.matches && scope.matches("table") ? [scope] : scope.querySelectorAll("main table");
    tables.forEach((table) => {
      if (table.closest(".hds-table-container")) return;
      const container = document.createElement("div");
      container.className = "hds-table-container table-scroll";
      table.parentNode.insertBefore(container, table);
      container.appendChild(table);
    });
    document.querySelectorAll(".table-scroll").forEach(markScrolling);
  }

  function start() {
    setUpMenu();
    containTables(document);
    if (window.htmx) window.htmx.onLoad(containTables);
    window.addEventListener("resize", () => document.querySelectorAll(".table-scroll").forEach(markScrolling));
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
