// Feedback where the eye is: a form's answer (an error summary or a message marked
// data-feedback) gets the focus, after a full page load and after every htmx swap, and focus
// never falls to <body> when htmx replaces the element that had it.
// A file of its own: the Content-Security-Policy allows no inline script.
(() => {
  const SEEN = "feedbackSeen";

  function focusOn(element) {
    if (!element.hasAttribute("tabindex") && element.tabIndex < 0) {
      element.setAttribute("tabindex", "-1");
    }
    element.focus({ preventScroll: true });
    const box = element.getBoundingClientRect();
    if (box.top < 0 || box.bottom > window.innerHeight) {
      element.scrollIntoView({ block: box.height < window.innerHeight ? "center" : "start" });
    }
  }

  // the newest answer not focused yet: the one this response brought
  function freshFeedback() {
    const fresh = [...document.querySelectorAll("[data-feedback]")].filter((e) => !e.dataset[SEEN]);
    fresh.forEach((e) => {
      e.dataset[SEEN] = "1";
    });
    return fresh[0];
  }

  function lost() {
    const active = document.activeElement;
    return !active || active === document.body || !active.isConnected;
  }

  // a refusal answered into the page's message region (portal/errors_web.py) belongs beside
  // the form that caused it: it moves there
  function besideTheForm(target, source) {
    if (target.id !== "messages" || !source || target.contains(source) || !source.closest("main")) return;
    const form = source.closest("form") || source;
    let slot = form.previousElementSibling;
    if (!slot || !slot.classList.contains("form-answer")) {
      slot = document.createElement("div");
      slot.className = "form-answer";
      form.before(slot);
    }
    slot.replaceChildren(...target.childNodes);
    slot.querySelectorAll(".hds-notification").forEach((note) => {
      note.setAttribute("data-feedback", "");
      note.setAttribute("tabindex", "-1");
    });
  }

  // a form is busy while its request runs (its hx-indicator shows the hds-core spinner)
  document.addEventListener("htmx:beforeRequest", (event) => {
    const form = event.detail.elt.closest && event.detail.elt.closest("form");
    if (form) form.setAttribute("aria-busy", "true");
  });
  document.addEventListener("htmx:afterRequest", (event) => {
    const form = event.detail.elt.closest && event.detail.elt.closest("form");
    if (form) form.removeAttribute("aria-busy");
  });

  let focusedBeforeSwap = null;
  document.addEventListener("htmx:beforeSwap", () => {
    focusedBeforeSwap = document.activeElement;
  });

  document.addEventListener("htmx:afterSwap", (event) => {
    const config = event.detail.requestConfig;
    besideTheForm(event.detail.target, config && config.elt);
  });

  document.addEventListener("htmx:afterSettle", (event) => {
    const answer = freshFeedback();
    if (answer) {
      focusOn(answer);
      return;
    }
    let target = event.detail.target;
    if (target && !target.isConnected && target.id) target = document.getElementById(target.id);
    // only when this swap took the focus away (a polled badge never moves it)
    const tookFocus = focusedBeforeSwap && focusedBeforeSwap !== document.body && !focusedBeforeSwap.isConnected;
    if (lost() && tookFocus && target && target.isConnected) {
      const invalid = target.querySelector("[aria-invalid=true]");
      const heading = target.querySelector("h1, h2, h3");
      focusOn(invalid || heading || target);
    }
  });

  document.addEventListener("DOMContentLoaded", () => {
    const answer = freshFeedback();
    if (answer) focusOn(answer);
  });
})();
