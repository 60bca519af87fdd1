// Queue dashboard: the Overview, Metrics and Workers pages, filled from their JSON endpoints and
// refreshed by polling (every QUEUE_DASHBOARD_POLL_MS; the charts every 10 s).
import { lineChart } from "./chart.js";
import { api, duration, empty, h, number, plural, poll, tick, time } from "./common.js";

const root = document.getElementById("monitoring");
const base = root.dataset.base;
const view = root.dataset.view;
const every = Number(root.dataset.poll) || 2000;
const content = document.getElementById("content");
const live = document.getElementById("live");
const START = "Start a worker with make queue-work (or artisan queue:work).";
let last = null;
let lastData = null;
// The queue ("connection:queue") whose pause/continue confirmation is open, and one being sent.
let confirming = null;
let sending = null;
const flashBox = document.getElementById("flash");
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function show(nodes) {
  content.replaceChildren(...[nodes].flat());
  content.setAttribute("aria-busy", "false");
}

// Re-render only when the data changed (the "3 s ago" labels still move on).
function changed(body) {
  const text = JSON.stringify(body);
  if (text === last) {
    tick(content);
    return false;
  }
  last = text;
  return true;
}

function metricsOff() {
  return empty("Queue metrics are off.", "Set QUEUE_METRICS_STORE to auto, redis or database to record them.");
}

const STATUS_CLASS = { running: "ok", paused: "warn", "no workers": "bad", idle: "idle" };

function status(name) {
  return h("span", { class: `status status-${STATUS_CLASS[name] || "idle"}` }, name);
}

function cell(label, ...children) {
  return h("td", { "data-label": label }, ...children);
}

function table(headers, rows, classes = "") {
  return h(
    "div",
    { class: `panel table-wrap ${classes}` },
    h("table", {}, h("thead", {}, h("tr", {}, headers.map((name) => h("th", { text: name })))), h("tbody", {}, rows)),
  );
}

function currentJob(worker) {
  if (!worker.current_job) return h("span", { class: "muted" }, "idle");
  if (!worker.current) return worker.current_job;
  const label = `${worker.current.queue} · ${worker.current.id}`;
  // The job pages find a job by its uuid (rq's job id); a database row id is shown, not linked.
  if (!UUID.test(worker.current.id)) {
    return h("span", {}, h("span", { class: "job-name" }, worker.current.job), h("span", { class: "job-class" }, label));
  }
  return h(
    "a",
    { href: `${base}/jobs/pending/${encodeURIComponent(worker.current.id)}`, class: "job-name" },
    worker.current.job,
    h("span", { class: "job-class" }, label),
  );
}

// -- Overview ---------------------------------------------------------------------------------

function flash(message, isError) {
  if (!flashBox) return;
  flashBox.textContent = message;
  flashBox.classList.toggle("is-error", Boolean(isError));
  flashBox.hidden = !message;
}

// POST .../pause or .../continue (common.js's api sends the page's CSRF token), then re-read.
async function pauseOrContinue(q, action) {
  const id = `${q.connection}:${q.queue}`;
  confirming = null;
  sending = id;
  renderOverview(lastData);
  try {
    const path = `/queues/${encodeURIComponent(q.connection)}/${encodeURIComponent(q.queue)}/${action}`;
    const { data } = await api(base, path, { method: "POST" });
    flash(data.paused ? `Paused ${q.queue}: workers take none of its jobs until it is continued.` : `Continued ${q.queue}: workers take its jobs again.`, false);
  } catch (error) {
    flash(error.message, true);
  } finally {
    sending = null;
    last = null;
    poller.now();
  }
}

function queueActions(q) {
  const id = `${q.connection}:${q.queue}`;
  const paused = q.status === "paused";
  const action = paused ? "continue" : "pause";
  if (confirming === id) {
    return h(
      "span",
      { class: "confirm-inline", role: "alertdialog", "aria-label": `Confirm: ${action} ${q.queue}` },
      h("span", { class: "muted" }, paused ? `Continue ${q.queue}?` : `Pause ${q.queue}?`),
      " ",
      h("button", { class: paused ? "button button-small" : "button button-danger button-small", type: "button", onclick: () => pauseOrContinue(q, action) }, paused ? "Yes, continue" : "Yes, pause"),
      " ",
      h("button", { class: "button button-quiet button-small", type: "button", onclick: () => { confirming = null; renderOverview(lastData); } }, "Cancel"),
    );
  }
  return h(
    "button",
    {
      class: "button button-quiet button-small",
      type: "button",
      disabled: sending === id,
      "aria-label": `${paused ? "Continue" : "Pause"} queue ${q.queue} (${q.connection})`,
      onclick: () => {
        confirming = id;
        renderOverview(lastData);
      },
    },
    paused ? "Continue" : "Pause",
  );
}

function stat(label, value, note, tone) {
  return h("div", { class: `stat${tone ? ` stat-${tone}` : ""}` }, h("div", { class: "stat-label", text: label }), h("div", { class: "stat-value", text: value }), note ? h("div", { class: "stat-note", text: note }) : null);
}

function renderOverview(data) {
  lastData = data;
  const s = data.stats;
  const cards = h(
    "div",
    { class: "stats" },
    stat("Jobs per minute", number(s.jobs_per_minute, 1), "over the last 5 minutes"),
    stat("Jobs in the last hour", number(s.jobs_last_hour), `${number(s.failed_last_hour)} failed`),
    stat("Failed in 7 days", number(s.failed_last_7_days), null, s.failed_last_7_days ? "bad" : null),
    stat("Active workers", number(s.active_workers), `${number(s.pending)} jobs waiting`, s.active_workers ? "ok" : s.pending ? "bad" : null),
  );
  const queues = data.queues.length
    ? table(
        ["Queue", "Status", "Pending", "Reserved", "Delayed", "Wait", "Throughput", "Runtime", ""],
        data.queues.map((q) =>
          h(
            "tr",
            { "data-queue": `${q.connection}:${q.queue}` },
            cell("Queue", h("span", { class: "job-name" }, q.queue), h("span", { class: "job-class" }, q.connection)),
            cell("Status", status(q.status), q.workers ? h("span", { class: "job-class" }, plural(q.workers, "worker")) : null),
            cell("Pending", h("span", { class: "num" }, number(q.pending))),
            cell("Reserved", h("span", { class: "num" }, number(q.reserved))),
            cell("Delayed", h("span", { class: "num" }, number(q.delayed))),
            cell("Wait", h("span", { class: "num" }, q.oldest_wait === null ? "–" : duration(q.oldest_wait * 1000))),
            cell("Throughput", h("span", { class: "num" }, `${number(q.throughput, 2)} jobs/min`)),
            cell("Runtime", h("span", { class: "num", title: "average · p95, last hour" }, `${duration(q.runtime_avg_ms)} · p95 ${duration(q.runtime_p95_ms)}`)),
            h("td", { class: "actions" }, queueActions(q)),
          ),
        ),
      )
    : empty("No queues yet.", "Queues appear once a job is dispatched. " + START);
  const workers = data.workers.length
    ? table(
        ["Worker", "Queues", "Current job", "Last heartbeat"],
        data.workers.map((w) =>
          h(
            "tr",
            {},
            cell("Worker", h("span", { class: "job-name" }, w.name), h("span", { class: "job-class" }, `${w.host} · pid ${w.pid}`)),
            cell("Queues", `${w.connection}: ${w.queues.join(", ")}`),
            cell("Current job", currentJob(w)),
            cell("Last heartbeat", time(w.heartbeat_at)),
          ),
        ),
      )
    : empty("No workers are running.", START);
  show([cards, h("h2", { text: "Queues" }), queues, h("h2", { text: "Workers" }), workers]);
}

// -- Workers ----------------------------------------------------------------------------------

function renderWorkers(rows) {
  if (!rows.length) return show(empty("No workers are running.", START));
  show(
    table(
      ["Worker", "Status", "Queues", "Current job", "Jobs done", "Memory", "Last heartbeat"],
      rows.map((w) =>
        h(
          "tr",
          { class: w.alive ? "" : "is-gone" },
          cell("Worker", h("span", { class: "job-name" }, w.name), h("span", { class: "job-class" }, `${w.host} · pid ${w.pid}`)),
          cell("Status", status(w.alive ? "running" : "gone")),
          cell("Queues", `${w.connection}: ${w.queues.join(", ")}`),
          cell("Current job", w.alive ? currentJob(w) : h("span", { class: "muted" }, "–")),
          cell("Jobs done", h("span", { class: "num" }, number(w.jobs_done))),
          cell("Memory", h("span", { class: "num" }, `${number(w.memory_mb, 1)} MB`)),
          cell("Last heartbeat", time(w.heartbeat_at)),
        ),
      ),
    ),
  );
}

// -- Metrics ----------------------------------------------------------------------------------

const choice = { range: "1h", by: "queue", key: "" };
const select = document.getElementById("series-key");

function renderMetrics(data) {
  const current = select.value;
  const options = [h("option", { value: "" }, "All (busiest)"), ...data.options.map((name) => h("option", { value: name }, name))];
  select.replaceChildren(...options);
  select.value = data.options.includes(current) ? current : "";
  const total = data.series.reduce((sum, line) => sum + line.total, 0);
  if (!data.series.length || !total) {
    return show(empty("No jobs have run in this period.", START));
  }
  const step = data.step_minutes === 1 ? "per minute" : `per ${data.step_minutes} min`;
  const what = data.by === "queue" ? "queue" : "job class";
  // Two charts a row on a wide screen; each drawn at the width it gets (minus the figure's padding).
  const columns = content.clientWidth >= 960 ? 2 : 1;
  const width = (content.clientWidth - 12 * (columns - 1)) / columns - 30;
  const chart = (title, unit, field) =>
    lineChart({ title, unit, width, points: data.points, series: data.series.map((l) => ({ label: l.label, values: l[field] })) });
  show([
    h(
      "div",
      { class: `charts charts-${columns}` },
      chart(`Throughput per ${what}`, "jobs/min", "throughput"),
      chart(`Failed jobs per ${what}`, "jobs", "failed"),
      chart(`Average runtime per ${what}`, "ms", "runtime_avg_ms"),
      chart(`p95 runtime per ${what}`, "ms", "runtime_p95_ms"),
    ),
    h("p", { class: "hint" }, `One point ${step}; ${plural(total, "job")} in this period.`),
  ]);
}

function metricsPath() {
  const params = new URLSearchParams({ range: choice.range, by: choice.by });
  if (choice.key) params.set("key", choice.key);
  return `/metrics?${params}`;
}

// -- wiring -----------------------------------------------------------------------------------

const pages = {
  overview: { path: () => "/overview", render: renderOverview, every },
  workers: { path: () => "/workers", render: renderWorkers, every },
  metrics: { path: metricsPath, render: renderMetrics, every: Math.max(every, 10000) },
};
const page = pages[view];

async function refresh() {
  const body = await api(base, page.path());
  if (!changed(body)) return;
  if (body.data === null) return show(metricsOff());
  page.render(body.data);
}

const poller = poll(refresh, page.every, live);

// Charts are drawn for their width: redraw them when it changes.
let drawnFor = content.clientWidth;
window.addEventListener("resize", () => {
  if (view !== "metrics" || content.clientWidth === drawnFor) return;
  drawnFor = content.clientWidth;
  last = null;
  poller.now();
});

if (view === "metrics") {
  for (const button of document.querySelectorAll("[data-range], [data-by]")) {
    button.addEventListener("click", () => {
      const field = button.dataset.range ? "range" : "by";
      choice[field] = button.dataset[field];
      if (field === "by") choice.key = "";
      for (const other of document.querySelectorAll(`[data-${field}]`)) {
        const on = other === button;
        other.classList.toggle("is-active", on);
        other.setAttribute("aria-pressed", on ? "true" : "false");
      }
      poller.now();
    });
  }
  select.addEventListener("change", () => {
    choice.key = select.value;
    poller.now();
  });
}
