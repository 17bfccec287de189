// Passkeys (WebAuthn) for buttons marked data-passkey-register (the security page) or
// data-passkey-assert (the sign-in's second step, the sign form). A file of its own: the
// Content-Security-Policy allows no inline script.
(() => {
  const decode = (text) => {
    let s = text.replace(/-/g, "+").replace(/_/g, "/");
    while (s.length % 4) s += "=";
    return Uint8Array.from(atob(s), (c) => c.charCodeAt(0)).buffer;
  };
  const encode = (buffer) => btoa(String.fromCharCode(...new Uint8Array(buffer)))
    .replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  const csrf = () => JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"];
  const post = (url, body) => fetch(url, {
    method: "POST", credentials: "same-origin", body: JSON.stringify(body || {}),
    headers: {"Content-Type": "application/json", "X-CSRFToken": csrf()},
  });
  const say = (button, text) => {
    const out = document.getElementById(button.dataset.passkeyStatus || "passkey-status");
    if (out) out.textContent = text || "";
  };

  async function register(button) {
    const response = await post(button.dataset.passkeyRegister);
    const options = await response.json();
    if (!response.ok) return say(button, options.message);
    options.challenge = decode(options.challenge);
    options.user.id = decode(options.user.id);
    (options.excludeCredentials || []).forEach((c) => { c.id = decode(c.id); });
    const created = await navigator.credentials.create({publicKey: options});
    const credential = {
      id: created.id, rawId: encode(created.rawId), type: created.type,
      response: {
        clientDataJSON: encode(created.response.clientDataJSON),
        attestationObject: encode(created.response.attestationObject),
        transports: created.response.getTransports ? created.response.getTransports() : [],
      },
      clientExtensionResults: created.getClientExtensionResults(),
    };
    const nameField = document.getElementById(button.dataset.passkeyName || "");
    const answer = await post(button.dataset.passkeyVerify,
                              {name: nameField ? nameField.value : "", credential});
    const body = await answer.json();
    if (!answer.ok) return say(button, body.message);
    location.assign(button.dataset.passkeyDone || location.href);
  }

  async function assert(button) {
    const response = await post(button.dataset.passkeyAssert);
    const options = await response.json();
    if (!response.ok) return say(button, options.message);
    options.challenge = decode(options.challenge);
    (options.allowCredentials || []).forEach((c) => { c.id = decode(c.id); });
    const got = await navigator.credentials.get({publicKey: options});
    const credential = {
      id: got.id, rawId: encode(got.rawId), type: got.type,
      response: {
        clientDataJSON: encode(got.response.clientDataJSON),
        authenticatorData: encode(got.response.authenticatorData),
        signature: encode(got.response.signature),
        userHandle: got.response.userHandle ? encode(got.response.userHandle) : null,
      },
      clientExtensionResults: got.getClientExtensionResults(),
    };
    const field = document.getElementById(button.dataset.passkeyField || "");
    if (field) {  // the form checks the assertion itself (the sign form, the token form)
      field.value = JSON.stringify(credential);
      return field.form.requestSubmit();
    }
    const answer = await post(button.dataset.passkeyVerify, credential);
    const body = await answer.json();
    if (!answer.ok) return say(button, body.message);
    location.assign(body.redirect || location.href);
  }

  document.addEventListener("click", (event) => {
    const button = event.target.closest && event.target.closest("[data-passkey-register], [data-passkey-assert]");
    if (!button) return;
    event.preventDefault();
    say(button, "");
    const run = button.dataset.passkeyRegister ? register : assert;
    run(button).catch((error) => say(button, button.dataset.passkeyFailed || String(error)));
  });
})();
