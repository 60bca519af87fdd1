// Queue dashboard: renders the Jobs pages from the JSON endpoints and refreshes them by polling.
// A plain ES module, no build step; nothing inline (the pages' CSP is script-src 'self'); the
// helpers shared by every page are in common.js.
import { duration, empty, h, plural, stepUpIfAsked, tick as sharedTick, time } from "./common.js";

(() => {
  const root = document.getElementById("dashboard");
  if (!root) return;
  const base = root.dataset.base;
  const view = root.dataset.view;
  const key = root.dataset.key;
  const poll = Number(root.dataset.poll) || 2000;
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const content = document.getElementById("content");
  const live = document.getElementById("live");
  const flashBox = document.getElementById("flash");
  const failedCount = document.getElementById("failed-count");
  const FLASH_KEY = "queue-dashboard-flash";
  const selected = new Set();
  const search = { q: "", queue: "", page: 1 };
  let lastBody = null;
  let timer = null;
  let stopped = false;

  // -- helpers ------------------------------------------------------------------------------

  // Unchanged data is not re-rendered (a click must not land on a replaced button): only the
  // "5 s ago" labels move on.
  function tick() {
    sharedTick(content);
  }

  function flash(message, isError) {
    flashBox.textContent = message;
    flashBox.classList.toggle("is-error", Boolean(isError));
    flashBox.hidden = !message;
  }

  function setLive(ok) {
    live.hidden = false;
    live.classList.toggle("is-stale", !ok);
    live.lastChild.textContent = ok ? "Live" : "Reconnecting";
  }

  class HttpError extends Error {
    constructor(status, message) {
      super(message);
      this.status = status;
    }
  }

  async function api(path, options = {}) {
    const headers = { Accept: "application/json", ...(options.headers || {}) };
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

  function post(path, ids) {
    return api(path, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
      body: JSON.stringify({ ids }),
    });
  }

  function query() {
    const params = new URLSearchParams();
    if (search.q) params.set("q", search.q);
    if (search.queue) params.set("queue", search.queue);
    if (view === "completed" && search.page > 1) params.set("page", String(search.page));
    const text = params.toString();
    return text ? `?${text}` : "";
  }

  function jobCell(row, href) {
    return h(
      "td",
      { "data-label": "Job" },
      h("a", { class: "job-name", href }, row.name),
      row.job && row.job !== row.name ? h("span", { class: "job-class" }, row.job) : null,
      h("span", { class: "uuid" }, row.uuid || "no uuid"),
    );
  }

  function badge(status) {
    return h("span", { class: `badge badge-${status}` }, status);
  }

  // -- actions ------------------------------------------------------------------------------

  async function act(action, ids) {
    const verb = action === "retry" ? "Retried" : "Forgot";
    try {
      const { data } = await post(`/jobs/failed/${action}`, ids);
      const parts = [`${verb} ${plural(data.done.length, "job")}.`];
      if (data.missing.length) parts.push(`${plural(data.missing.length, "job")} no longer there.`);
      const refused = Object.values(data.refused);
      if (refused.length) parts.push(`Refused: ${refused.join("; ")}`);
      data.done.forEach((id) => selected.delete(id));
      data.missing.forEach((id) => selected.delete(id));
      return { message: parts.join(" "), error: refused.length > 0 };
    } catch (error) {
      return { message: error.message, error: true };
    }
  }

  async function listAction(action, ids) {
    const outcome = await act(action, ids);
    flash(outcome.message, outcome.error);
    lastBody = null;
    await refresh();
  }

  async function detailAction(action) {
    // No refresh while the job goes: its page would only find it gone.
    stopped = true;
    clearTimeout(timer);
    const outcome = await act(action, [key]);
    if (outcome.error) {
      flash(outcome.message, true);
      stopped = false;
      refresh();
      return;
    }
    sessionStorage.setItem(FLASH_KEY, outcome.message);
    window.location.assign(`${base}/jobs/failed`);
  }

  // -- lists --------------------------------------------------------------------------------

  function renderPending(body) {
    const rows = body.data;
    const notes = Object.entries(body.meta.unavailable || {}).map(([name, why]) =>
      h("p", { class: "notice" }, `Connection ${name} cannot be read: ${why}`),
    );
    if (!rows.length) {
      const searching = search.q || search.queue;
      return [
        ...notes,
        searching
          ? empty("No jobs match your search.", "Try another job class, uuid or queue, or clear the search.")
          : empty(
              "No pending jobs.",
              "Jobs appear here as soon as they are dispatched, until a worker (artisan queue:work) has run them.",
            ),
      ];
    }
    const perQueue = new Map();
    for (const row of rows) {
      const name = `${row.connection} / ${row.queue}`;
      perQueue.set(name, (perQueue.get(name) || 0) + 1);
    }
    const summary = h(
      "p",
      { class: "hint" },
      [...perQueue].map(([name, count]) => `${name}: ${count}`).join(" · "),
    );
    const table = h(
      "table",
      {},
      h("thead", {}, h("tr", {}, ["Job", "Queue", "Status", "Attempts", "Queued"].map((t) => h("th", { scope: "col", text: t })))),
      h(
        "tbody",
        {},
        rows.map((row) =>
          h(
            "tr",
            { "data-uuid": row.uuid },
            jobCell(row, `${base}/jobs/pending/${encodeURIComponent(row.id)}`),
            h("td", { "data-label": "Queue" }, `${row.connection} / ${row.queue}`),
            h("td", { "data-label": "Status" }, badge(row.status)),
            h("td", { "data-label": "Attempts", class: "num" }, row.attempts),
            h("td", { "data-label": "Queued" }, time(row.at)),
          ),
        ),
      ),
    );
    return [...notes, summary, h("div", { class: "panel" }, table)];
  }

  function renderFailed(body) {
    const rows = body.data;
    failedCount.textContent = body.meta.total ? String(body.meta.total) : "";
    const ids = rows.map((row) => row.id);
    for (const id of [...selected]) if (!ids.includes(id)) selected.delete(id);
    if (!rows.length) {
      return [
        search.q || search.queue
          ? empty("No failed jobs match your search.", "Try another job class, uuid, id or queue, or clear the search.")
          : empty("No failed jobs.", "Failed jobs appear here with their exception."),
      ];
    }
    const chosen = [...selected];
    const allBox = h("input", {
      type: "checkbox",
      "aria-label": "Select all failed jobs",
      checked: chosen.length === rows.length,
      onchange: (event) => {
        rows.forEach((row) => (event.target.checked ? selected.add(row.id) : selected.delete(row.id)));
        rerender();
      },
    });
    const toolbar = h(
      "div",
      { class: "toolbar" },
      h("span", { class: "selected" }, chosen.length ? `${chosen.length} selected` : `${plural(body.meta.total, "failed job")}`),
      h("button", { class: "button", type: "button", disabled: !chosen.length, onclick: () => listAction("retry", chosen) }, "Retry selected"),
      h("button", { class: "button button-danger", type: "button", disabled: !chosen.length, onclick: () => listAction("forget", chosen) }, "Forget selected"),
    );
    const table = h(
      "table",
      {},
      h(
        "thead",
        {},
        h("tr", {}, h("th", { class: "check", scope: "col" }, allBox), ["Job", "Queue", "Failed", "Exception", ""].map((t) => h("th", { scope: "col", text: t }))),
      ),
      h(
        "tbody",
        {},
        rows.map((row) =>
          h(
            "tr",
            { "data-id": row.id },
            h(
              "td",
              { class: "check" },
              h("input", {
                type: "checkbox",
                "aria-label": `Select ${row.name} ${row.id}`,
                checked: selected.has(row.id),
                onchange: (event) => {
                  if (event.target.checked) selected.add(row.id);
                  else selected.delete(row.id);
                  rerender();
                },
              }),
            ),
            jobCell(row, `${base}/jobs/failed/${encodeURIComponent(row.id)}`),
            h("td", { "data-label": "Queue" }, `${row.connection} / ${row.queue}`),
            h("td", { "data-label": "Failed" }, time(row.at)),
            h("td", { "data-label": "Exception" }, h("span", { class: "error-line" }, row.exception)),
            h(
              "td",
              { class: "actions" },
              h("button", { class: "button button-quiet button-small", type: "button", onclick: () => listAction("retry", [row.id]) }, "Retry"),
              " ",
              h("button", { class: "button button-danger button-small", type: "button", onclick: () => listAction("forget", [row.id]) }, "Forget"),
            ),
          ),
        ),
      ),
    );
    return [toolbar, h("div", { class: "panel" }, table)];
  }

  function renderCompleted(body) {
    const rows = body.data;
    const meta = body.meta;
    const notes = Object.entries(meta.unavailable || {}).map(([name, why]) =>
      h("p", { class: "notice" }, `The ${name} store cannot be read: ${why}`),
    );
    const minutes = meta.retention_minutes;
    const kept = `Completed jobs are kept for ${plural(minutes, "minute")} (QUEUE_COMPLETED_RETENTION_MINUTES).`;
    if (!rows.length && meta.page === 1) {
      return [
        ...notes,
        search.queue
          ? empty("No completed jobs on this queue.", `${kept} Try another queue, or clear the search.`)
          : empty("No completed jobs yet.", `Jobs appear here once a worker (artisan queue:work) has run them. ${kept}`),
      ];
    }
    const table = h(
      "table",
      { id: "completed-jobs" },
      h("thead", {}, h("tr", {}, ["Job", "Queue", "Runtime", "Attempts", "Finished"].map((t) => h("th", { scope: "col", text: t })))),
      h(
        "tbody",
        {},
        rows.map((row) =>
          h(
            "tr",
            { "data-uuid": row.uuid },
            h("td", { "data-label": "Job" }, h("span", { class: "job-name" }, row.name), h("span", { class: "uuid" }, row.uuid)),
            h("td", { "data-label": "Queue" }, `${row.connection} / ${row.queue}`),
            h("td", { "data-label": "Runtime", class: "num" }, duration(row.runtime_ms)),
            h("td", { "data-label": "Attempts", class: "num" }, row.attempts),
            h("td", { "data-label": "Finished" }, time(row.finished_at)),
          ),
        ),
      ),
    );
    const turn = (page) => {
      search.page = page;
      history.replaceState(null, "", `${location.pathname}${query()}`);
      lastBody = null;
      refresh();
    };
    const pager = h(
      "div",
      { class: "pager" },
      h("button", { class: "button button-quiet button-small", type: "button", disabled: meta.page <= 1, onclick: () => turn(meta.page - 1) }, "Newer"),
      h("span", { class: "muted" }, `Page ${meta.page}`),
      h("button", { class: "button button-quiet button-small", type: "button", disabled: !meta.has_more, onclick: () => turn(meta.page + 1) }, "Older"),
    );
    return [...notes, h("p", { class: "hint" }, kept), h("div", { class: "panel" }, table), pager];
  }

  // -- details ------------------------------------------------------------------------------

  function payloadBlock(payload) {
    if (!payload) return h("pre", { class: "code" }, "(the payload is not readable JSON)");
    const text = JSON.stringify(payload, null, 2);
    const pieces = text.split('"redacted"');
    const nodes = [];
    pieces.forEach((piece, index) => {
      nodes.push(piece);
      if (index < pieces.length - 1) nodes.push(h("span", { class: "redacted", title: "Encrypted: never shown" }, '"redacted"'));
    });
    return h("pre", { class: "code", id: "payload" }, nodes);
  }

  function fact(label, value) {
    return h("div", { class: "fact" }, h("dt", { text: label }), h("dd", {}, value));
  }

  function renderDetail(data, failed) {
    document.getElementById("page-title").textContent = data.name;
    const payload = data.payload || {};
    const facts = h(
      "dl",
      { class: "facts" },
      fact("Status", badge(data.status)),
      fact("Queue", `${data.connection} / ${data.queue}`),
      fact("ID", data.id),
      fact("UUID", data.uuid || "none"),
      fact("Class", data.job || "unknown"),
      failed ? fact("Exceptions", String(payload.exceptions ?? 0)) : fact("Attempts", String(data.attempts)),
      fact("Tries allowed", payload.tries ? String(payload.tries) : "no limit"),
      fact(failed ? "Failed" : "Queued", time(data.at)),
    );
    const parts = [facts];
    if (failed) {
      parts.push(
        h(
          "div",
          { class: "detail-actions" },
          h("button", { class: "button", type: "button", onclick: () => detailAction("retry") }, "Retry"),
          h("button", { class: "button button-danger", type: "button", onclick: () => detailAction("forget") }, "Forget"),
        ),
        h("h2", { text: "Exception" }),
        h("p", { class: "error-line" }, data.exception),
        h("h2", { text: "Trace" }),
        h("pre", { class: "code trace", id: "trace" }, data.trace),
      );
    }
    parts.push(h("h2", { text: "Payload" }), payloadBlock(data.payload));
    return parts;
  }

  // -- refresh loop -------------------------------------------------------------------------

  function source() {
    if (view === "pending") return `/jobs/pending${query()}`;
    if (view === "failed") return `/jobs/failed${query()}`;
    if (view === "completed") return `/jobs/completed${query()}`;
    if (view === "failed-job") return `/jobs/failed/${encodeURIComponent(key)}`;
    return `/jobs/pending/${encodeURIComponent(key)}`;
  }

  function render(body) {
    if (view === "pending") return renderPending(body);
    if (view === "failed") return renderFailed(body);
    if (view === "completed") return renderCompleted(body);
    return renderDetail(body.data, view === "failed-job");
  }

  function rerender() {
    if (lastBody) content.replaceChildren(...render(lastBody));
  }

  function gone() {
    return view === "failed-job"
      ? empty("This failed job is gone.", "It was retried or forgotten. Its new runs show under Pending jobs.")
      : empty("This job is no longer pending.", "It ran, or it failed: failed jobs are listed under Failed.");
  }

  async function refresh() {
    clearTimeout(timer);
    try {
      const body = await api(source());
      setLive(true);
      const text = JSON.stringify(body);
      if (text !== JSON.stringify(lastBody)) {
        lastBody = body;
        rerender();
      } else {
        tick();
      }
    } catch (error) {
      if (error.status === 404 && view.endsWith("-job")) {
        lastBody = null;
        content.replaceChildren(gone());
      } else if (error.status !== 401) {
        setLive(false);
        if (error.status === 403) flash(error.message, true);
      }
    } finally {
      content.removeAttribute("aria-busy");
      if (!stopped) timer = setTimeout(refresh, poll);
    }
  }

  // -- start --------------------------------------------------------------------------------

  const form = document.getElementById("search");
  if (form) {
    const params = new URLSearchParams(location.search);
    search.q = params.get("q") || "";
    search.queue = params.get("queue") || "";
    search.page = Math.max(1, Number(params.get("page")) || 1);
    if (form.elements.q) form.elements.q.value = search.q;
    form.elements.queue.value = search.queue;
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      search.q = form.elements.q ? form.elements.q.value.trim() : "";
      search.queue = form.elements.queue.value.trim();
      search.page = 1;
      history.replaceState(null, "", `${location.pathname}${query()}`);
      lastBody = null;
      refresh();
    });
  }
  const stored = sessionStorage.getItem(FLASH_KEY);
  if (stored) {
    sessionStorage.removeItem(FLASH_KEY);
    flash(stored, false);
  }
  refresh();
})();
