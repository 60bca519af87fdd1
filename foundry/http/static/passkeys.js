// The passkeys page (/auth/passkeys): register a passkey once signed in, sign in with one.
// The access token stays in this page's memory: nothing is written to storage.
"use strict";

(function () {
  const root = document.getElementById("passkeys");
  const api = root.dataset.api + "/auth";
  const $ = (id) => document.getElementById(id);
  let token = null;

  const { creationOptions, requestOptions, attestationJson, assertionJson } = window.FoundryWebAuthn;

  const say = (text) => {
    $("status").textContent = text;
  };

  async function call(method, path, body) {
    const headers = { Accept: "application/json" };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    if (token) headers.Authorization = "Bearer " + token;
    const response = await fetch(api + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "omit",
    });
    const data = response.status === 204 ? null : await response.json();
    if (!response.ok) throw new Error((data && data.message) || "Request failed.");
    return data;
  }

  async function showPasskeys() {
    const list = $("passkey-list");
    list.replaceChildren();
    const { data } = await call("GET", "/passkeys");
    for (const passkey of data) {
      const item = document.createElement("li");
      item.textContent = passkey.name + " ";
      const remove = document.createElement("button");
      remove.type = "button";
      remove.textContent = "Delete";
      remove.setAttribute("aria-label", "Delete " + passkey.name);
      remove.addEventListener("click", () =>
        run(async () => {
          await call("DELETE", "/passkeys/" + passkey.id);
          await showPasskeys();
          say("Passkey “" + passkey.name + "” deleted.");
        })
      );
      item.append(remove);
      list.append(item);
    }
    if (!data.length) list.append(Object.assign(document.createElement("li"), { textContent: "None yet." }));
  }

  async function signedIn(accessToken, method) {
    token = accessToken;
    const { data } = await call("GET", "/me");
    $("user-name").textContent = data.name;
    $("user-email").textContent = data.email;
    $("user-method").textContent = method ? " with " + method : "";
    $("signed-out").hidden = true;
    $("signed-in").hidden = false;
    await showPasskeys();
  }

  async function run(work) {
    try {
      await work();
    } catch (error) {
      say(error.name === "NotAllowedError" ? "The passkey prompt was cancelled." : error.message);
    }
  }

  $("password-login").addEventListener("submit", (event) => {
    event.preventDefault();
    run(async () => {
      const answer = await call("POST", "/login", { email: $("email").value, password: $("password").value });
      if (!answer.access_token) throw new Error("This account needs a second factor to sign in.");
      await signedIn(answer.access_token, "a password");
      say("Signed in.");
    });
  });

  $("token-login").addEventListener("submit", (event) => {
    event.preventDefault();
    run(async () => {
      await signedIn($("token").value.trim(), "");
      say("Signed in.");
    });
  });

  $("register").addEventListener("submit", (event) => {
    event.preventDefault();
    run(async () => {
      const options = await call("POST", "/passkeys/register/options");
      const credential = await navigator.credentials.create({ publicKey: creationOptions(options) });
      const name = $("passkey-name").value;
      await call("POST", "/passkeys/register", { name, credential: attestationJson(credential) });
      await showPasskeys();
      say("Passkey “" + name + "” registered.");
    });
  });

  $("passkey-login").addEventListener("click", () =>
    run(async () => {
      const options = await call("POST", "/passkeys/login/options");
      const credential = await navigator.credentials.get({ publicKey: requestOptions(options) });
      const answer = await call("POST", "/passkeys/login/verify", { credential: assertionJson(credential) });
      await signedIn(answer.access_token, "a passkey");
      say("Signed in with a passkey.");
    })
  );

  $("sign-out").addEventListener("click", () => {
    token = null;
    $("signed-in").hidden = true;
    $("signed-out").hidden = false;
    say("Signed out.");
  });
})();
