// The passkey button of a second-factor form (the sign-in's second step, /oauth/step-up).
// It asks the form's data-passkey-options URL (with the form's csrf_token and, when signing in,
// mfa_token) for WebAuthn request options, lets the browser use a passkey, then posts the form
// with method=webauthn and the assertion as JSON in "credential". Served by the app: no inline
// script, so it runs under the pages' Content-Security-Policy.
"use strict";

(function () {
  const button = document.getElementById("passkey-button");
  const form = document.getElementById("second-factor");
  const status = document.getElementById("passkey-status");
  if (!button || !form || !status) return;
  const field = (name) => form.elements.namedItem(name);
  const say = (text) => {
    status.textContent = text;
  };

  if (!window.PublicKeyCredential || !navigator.credentials) {
    button.disabled = true;
    say("This browser cannot use passkeys.");
    return;
  }

  const { requestOptions, assertionJson } = window.FoundryWebAuthn;

  async function options() {
    const body = new URLSearchParams();
    for (const name of ["csrf_token", "mfa_token"]) {
      if (field(name)) body.set(name, field(name).value);
    }
    const response = await fetch(form.dataset.passkeyOptions, {
      method: "POST",
      body,
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    });
    const answer = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(answer.message || "The passkey could not be started.");
    return answer.data;
  }

  button.addEventListener("click", async () => {
    button.disabled = true;
    say("Waiting for your passkey…");
    try {
      const credential = await navigator.credentials.get({ publicKey: requestOptions(await options()) });
      field("method").value = "webauthn";
      field("credential").value = JSON.stringify(assertionJson(credential));
      // The passkey is the proof: a half-typed code must not be checked instead.
      for (const name of ["code", "recovery_code"]) {
        if (field(name)) field(name).value = "";
      }
      say("Verifying…");
      form.submit();
    } catch (error) {
      say(error.name === "NotAllowedError" ? "The passkey prompt was cancelled or timed out." : error.message);
      button.disabled = false;
    }
  });
})();
