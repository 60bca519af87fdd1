// Queue dashboard: helpers shared by the pages' modules (elements, times, the JSON API, polling).
// Plain ES module, no build step; nothing inline (the pages' CSP is script-src 'self').

export function h(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === false || value === null || value === undefined) continue;
    if (name === "class") node.className = value;
    else if (name === "text") node.textContent = value;
    else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export function ago(seconds) {
  if (!seconds) return "";
  const delta = Math.max(0, Date.now() / 1000 - seconds);
  if (delta < 60) return `${Math.floor(delta)} s ago`;
  if (delta < 3600) return `${Math.floor(delta / 60)} min ago`;
  if (delta < 86400) return `${Math.floor(delta / 3600)} h ago`;
  return `${Math.floor(delta / 86400)} d ago`;
}

export function when(seconds) {
  return seconds ? new Date(seconds * 1000).toLocaleString() : "";
}

export function time(seconds) {
  return h(
    "time",
    { datetime: seconds ? new Date(seconds * 1000).toISOString() : null, title: when(seconds), "data-at": seconds || null },
    ago(seconds),
  );
}

// Only the "5 s ago" labels move on between two polls.
export function tick(root) {
  for (const node of root.querySelectorAll("time[data-at]")) node.textContent = ago(Number(node.dataset.at));
}

export function plural(count, word) {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

export function number(value, digits = 0) {
  if (value === null || value === undefined) return "–";
  return Number(value).toLocaleString(undefined, { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

export function duration(ms) {
  if (ms === null || ms === undefined) return "–";
  if (ms < 1000) return `${number(ms, ms < 10 ? 1 : 0)} ms`;
  if (ms < 60000) return `${number(ms / 1000, 1)} s`;
  return `${number(ms / 60000, 1)} min`;
}

export function empty(title, text) {
  return h("div", { class: "empty" }, h("h2", { text: title }), h("p", { text }));
}

export class HttpError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

export function csrfToken() {
  const meta = document.querySelector('meta[name="csrf-token"]');
  return meta ? meta.content : "";
}

// An action answered 403 "mfa_required" (it needs a recent second factor): the step-up page asks
// for one, then brings the user back to this page to try again. Whether it went there.
export function stepUpIfAsked(response, body) {
  if (response.status !== 403 || body.error !== "mfa_required") return false;
  window.location.assign(`/oauth/step-up?next=${encodeURIComponent(location.pathname + location.search)}`);
  return true;
}

// GET (or, with options, POST) one of the dashboard's JSON endpoints; a lost session goes to login.
export async function api(base, path, options = {}) {
  const headers = { Accept: "application/json", ...(options.headers || {}) };
  if (options.method && options.method !== "GET") headers["X-CSRF-Token"] = csrfToken();
  const response = await fetch(`${base}/api${path}`, { credentials: "same-origin", ...options, headers });
  if (response.status === 401) {
    window.location.assign(`/oauth/login?next=${encodeURIComponent(location.pathname + location.search)}`);
    throw new HttpError(401, "Signed out");
  }
  const body = await response.json().catch(() => ({}));
  if (stepUpIfAsked(response, body)) throw new HttpError(403, "Confirm it's you to continue…");
  if (!response.ok) throw new HttpError(response.status, body.message || `Error ${response.status}`);
  return body;
}

// Calls refresh() every `every` ms while the tab is visible; the "Live" badge tells whether it worked.
export function poll(refresh, every, live) {
  let timer = null;
  async function run() {
    clearTimeout(timer);
    let ok = true;
    try {
      await refresh();
    } catch (error) {
      ok = false;
      console.warn(error);
    }
    if (live) {
      live.hidden = false;
      live.classList.toggle("is-stale", !ok);
      live.lastChild.textContent = ok ? "Live" : "Reconnecting";
    }
    if (!document.hidden) timer = setTimeout(run, every);
  }
  document.addEventListener("visibilitychange", () => {
    if (!document.hidden) run();
    else clearTimeout(timer);
  });
  run();
  return { now: run };
}
