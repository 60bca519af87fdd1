// Queue dashboard, Batches pages: renders the list and one batch from the JSON endpoints and
// refreshes them by polling. A plain ES module, nothing inline (the CSP is script-src 'self');
// the helpers shared by every page are in common.js.
import { api as sharedApi, h, plural, tick as sharedTick, time as sharedTime } from "./common.js";

(() => {
  const root = document.getElementById("batches");
  if (!root) return;
  const base = root.dataset.base;
  const view = root.dataset.view;
  const key = root.dataset.key;
  const poll = Number(root.dataset.poll) || 2000;
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const content = document.getElementById("content");
  const live = document.getElementById("live");
  const flashBox = document.getElementById("flash");
  const STATUS_LABELS = { pending: "Pending", failing: "Failures", finished: "Finished", cancelled: "Cancelled" };
  let page = Math.max(1, Number(new URLSearchParams(location.search).get("page")) || 1);
  let confirming = null; // "retry" or "cancel" while the inline confirmation is open
  let busy = false;
  let lastText = "";
  let lastBody = null;
  let timer = null;

  // -- helpers ------------------------------------------------------------------------------

  function time(seconds) {
    return seconds ? sharedTime(seconds) : h("span", { class: "muted" }, "—");
  }

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

  function api(path, options = {}) {
    return sharedApi(base, path, options);
  }

  function empty(title, ...text) {
    return h("div", { class: "empty" }, h("h2", { text: title }), text);
  }

  function statusBadge(batch) {
    return h("span", { class: `badge batch-${batch.status}` }, STATUS_LABELS[batch.status] || batch.status);
  }

  // A bar of succeeded (green) and failed (red) jobs; widths set through the CSSOM, which the
  // CSP allows (an inline style attribute it would refuse).
  function progress(batch) {
    const total = batch.total_jobs || 0;
    const done = h("span", { class: "progress-done" });
    const failed = h("span", { class: "progress-failed" });
    done.style.width = total ? `${(batch.processed_jobs * 100) / total}%` : "0%";
    failed.style.width = total ? `${(batch.failed_jobs * 100) / total}%` : "0%";
    return h(
      "div",
      { class: "progress-cell" },
      h(
        "div",
        {
          class: "progress",
          role: "progressbar",
          "aria-valuemin": 0,
          "aria-valuemax": 100,
          "aria-valuenow": batch.progress,
          "aria-label": `${batch.name || "Batch"} progress`,
        },
        done,
        failed,
      ),
      h("span", { class: "progress-pct num" }, `${batch.progress}%`),
    );
  }

  function counts(batch) {
    return h(
      "span",
      { class: "batch-counts num" },
      `${batch.total_jobs} total · ${batch.pending_jobs} pending · `,
      h("span", { class: batch.failed_jobs ? "failed-count" : "" }, `${batch.failed_jobs} failed`),
    );
  }

  // -- list ---------------------------------------------------------------------------------

  function dispatchHelp() {
    return empty(
      "No batches yet.",
      h("p", {}, "Dispatch jobs as a batch and follow their progress here:"),
      h(
        "pre",
        { class: "code code-example" },
        "from foundry.queue import batch\n" +
          'await batch([ImportRowsJob(path) for path in paths]).name("Imports").dispatch()',
      ),
      h("p", {}, "Its jobs subclass BatchableJob (artisan make:job ImportRows --batchable)."),
    );
  }

  function pager(meta) {
    if (meta.pages <= 1) return null;
    const go = (number) => () => {
      page = number;
      history.replaceState(null, "", number > 1 ? `?page=${number}` : location.pathname);
      refresh();
    };
    return h(
      "nav",
      { class: "pager", "aria-label": "Pages" },
      h("button", { class: "button button-quiet button-small", type: "button", disabled: meta.page <= 1, onclick: go(meta.page - 1) }, "← Newer"),
      h("span", { class: "muted" }, `Page ${meta.page} of ${meta.pages}`),
      h("button", { class: "button button-quiet button-small", type: "button", disabled: meta.page >= meta.pages, onclick: go(meta.page + 1) }, "Older →"),
    );
  }

  function renderList(body) {
    const rows = body.data;
    const meta = body.meta;
    if (!rows.length) {
      if (meta.total) return [empty(`No batches on page ${meta.page}.`, h("p", {}, h("a", { href: `${base}/batches` }, "Back to the newest batches"))), pager(meta)];
      return [dispatchHelp()];
    }
    const table = h(
      "table",
      { class: "batch-table" },
      h("thead", {}, h("tr", {}, ["Batch", "Progress", "Jobs", "Created", "Status"].map((t) => h("th", { scope: "col", text: t })))),
      h(
        "tbody",
        {},
        rows.map((batch) =>
          h(
            "tr",
            { "data-id": batch.id },
            h(
              "td",
              { "data-label": "Batch" },
              h("a", { class: "job-name", href: `${base}/batches/${encodeURIComponent(batch.id)}` }, batch.name || "(unnamed batch)"),
              h("span", { class: "uuid" }, batch.id),
            ),
            h("td", { "data-label": "Progress", class: "progress-col" }, progress(batch)),
            h("td", { "data-label": "Jobs" }, counts(batch)),
            h("td", { "data-label": "Created" }, time(batch.created_at)),
            h("td", { "data-label": "Status" }, statusBadge(batch)),
          ),
        ),
      ),
    );
    return [h("p", { class: "hint" }, `${meta.total} ${meta.total === 1 ? "batch" : "batches"}, newest first`), h("div", { class: "panel" }, table), pager(meta)];
  }

  // -- one batch ----------------------------------------------------------------------------

  function fact(label, value, wide) {
    return h("div", { class: wide ? "fact fact-wide" : "fact" }, h("dt", { text: label }), h("dd", {}, value));
  }

  async function act(action) {
    busy = true;
    confirming = null;
    try {
      const { data } = await api(`/batches/${encodeURIComponent(key)}/${action}`, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
        body: "{}",
      });
      if (action === "cancel") flash("Batch cancelled. Its jobs that check cancelled() stop.", false);
      else {
        const parts = [`Retried ${plural(data.retried.length, "job")}.`];
        if (data.problems.length) parts.push(data.problems.join(" "));
        flash(parts.join(" "), data.problems.length > 0);
      }
    } catch (error) {
      flash(error.message, true);
    } finally {
      busy = false;
      lastText = "";
      await refresh();
    }
  }

  function actions(batch) {
    const canRetry = batch.failed_job_ids.length > 0;
    const canCancel = !batch.finished_at;
    // The batch may have moved on while the question was open: ask only what still applies.
    if ((confirming === "retry" && !canRetry) || (confirming === "cancel" && !canCancel)) confirming = null;
    if (!canRetry && !canCancel) return null;
    if (confirming) {
      const retrying = confirming === "retry";
      return h(
        "div",
        { class: "confirm", role: "alertdialog", "aria-label": "Confirm" },
        h(
          "p",
          {},
          retrying
            ? `Put ${plural(batch.failed_job_ids.length, "failed job")} of this batch back on ${batch.failed_job_ids.length === 1 ? "its queue" : "their queues"}?`
            : "Cancel this batch? Its jobs that check cancelled() stop; nothing is deleted.",
        ),
        h(
          "div",
          { class: "detail-actions" },
          h("button", { class: retrying ? "button" : "button button-danger-solid", type: "button", disabled: busy, onclick: () => act(confirming) }, retrying ? "Yes, retry them" : "Yes, cancel the batch"),
          h("button", { class: "button button-quiet", type: "button", onclick: () => { confirming = null; rerender(); } }, "Keep it as it is"),
        ),
      );
    }
    const open = (what) => () => {
      confirming = what;
      rerender();
    };
    return h(
      "div",
      { class: "detail-actions" },
      canRetry ? h("button", { class: "button", type: "button", onclick: open("retry") }, "Retry failed jobs") : null,
      canCancel ? h("button", { class: "button button-danger", type: "button", onclick: open("cancel") }, "Cancel batch") : null,
    );
  }

  function jobTable(rows, failed) {
    const heads = failed ? ["Job", "Queue", "Failed", "Exception"] : ["Job", "Queue", "Status", "Attempts", "Queued"];
    return h(
      "div",
      { class: "panel" },
      h(
        "table",
        {},
        h("thead", {}, h("tr", {}, heads.map((t) => h("th", { scope: "col", text: t })))),
        h(
          "tbody",
          {},
          rows.map((row) => {
            const link = failed ? `${base}/jobs/failed/${encodeURIComponent(row.id)}` : `${base}/jobs/pending/${encodeURIComponent(row.id)}`;
            const job = h(
              "td",
              { "data-label": "Job" },
              h("a", { class: "job-name", href: link }, row.name),
              h("span", { class: "uuid" }, row.uuid || "no uuid"),
            );
            const queue = h("td", { "data-label": "Queue" }, `${row.connection} / ${row.queue}`);
            if (failed) {
              return h(
                "tr",
                { "data-id": row.id },
                job,
                queue,
                h("td", { "data-label": "Failed" }, time(row.at)),
                h("td", { "data-label": "Exception" }, h("span", { class: "error-line" }, row.exception)),
              );
            }
            return h(
              "tr",
              { "data-uuid": row.uuid },
              job,
              queue,
              h("td", { "data-label": "Status" }, h("span", { class: `badge badge-${row.status}` }, row.status)),
              h("td", { "data-label": "Attempts", class: "num" }, row.attempts),
              h("td", { "data-label": "Queued" }, time(row.at)),
            );
          }),
        ),
      ),
    );
  }

  function renderBatch(body) {
    const batch = body.data;
    const limit = body.meta.limit;
    document.getElementById("page-title").textContent = batch.name || "(unnamed batch)";
    document.title = `${batch.name || "Batch"} · Queue dashboard`;
    const options = batch.options;
    const allowed = options.allowed_failures === null ? "any number" : options.allowed_failures === 0 ? "none (the first cancels it)" : String(options.allowed_failures);
    const callbacks = Object.entries(options.callbacks)
      .filter(([, names]) => names.length)
      .map(([kind, names]) => `${kind}: ${names.join(", ")}`)
      .join(" · ");
    const parts = [
      h("div", { class: "batch-summary" }, statusBadge(batch), progress(batch), counts(batch)),
      h(
        "dl",
        { class: "facts batch-facts" },
        fact("Total jobs", String(batch.total_jobs)),
        fact("Pending", String(batch.pending_jobs)),
        fact("Succeeded", String(batch.processed_jobs)),
        fact("Failed", String(batch.failed_jobs)),
        fact("ID", batch.id, true),
        fact("Queue", `${batch.connection} / ${options.queue || "default queue"}`),
        fact("Failures allowed", allowed),
        fact("Callbacks", callbacks || "none", Boolean(callbacks)),
        fact("Created", time(batch.created_at)),
        fact("Finished", time(batch.finished_at)),
        fact("Cancelled", time(batch.cancelled_at)),
      ),
      actions(batch),
      h("h2", { text: `Failed jobs (${batch.failed_jobs})` }),
    ];
    if (batch.failed.length) parts.push(jobTable(batch.failed, true));
    else if (!batch.failed_missing.length && !batch.failed_retrying.length) parts.push(empty("No failed jobs.", h("p", {}, "A job of this batch that fails for good shows here, with its exception.")));
    if (batch.failed_retrying.length) {
      parts.push(h("p", { class: "hint" }, `Retried, waiting to run again (they count as failed until they succeed): ${batch.failed_retrying.join(", ")}`));
    }
    if (batch.failed_missing.length) {
      const some = batch.failed_missing.length;
      const where = batch.pending === null ? "retried and waiting to run again, or forgotten" : "forgotten or pruned";
      parts.push(h("p", { class: "notice" }, `${plural(some, "failed job")} of this batch ${some === 1 ? "is" : "are"} no longer in the failed jobs (${where}): ${batch.failed_missing.join(", ")}`));
    }
    if (batch.failed_job_ids.length > limit) parts.push(h("p", { class: "hint" }, `The first ${limit} are shown.`));
    parts.push(h("h2", { text: "Jobs waiting or running" }));
    if (batch.pending === null) parts.push(h("p", { class: "notice" }, batch.pending_note));
    else if (batch.pending.length) {
      parts.push(jobTable(batch.pending, false));
      if (batch.pending.length >= limit) parts.push(h("p", { class: "hint" }, `The next ${limit} to run are shown.`));
    } else {
      parts.push(
        empty(
          "No jobs waiting.",
          h("p", {}, batch.finished_at ? "Every job of this batch has run." : "Its jobs are all running or have run: a retried failed job shows here until a worker picks it up."),
        ),
      );
    }
    return parts;
  }

  // -- refresh loop -------------------------------------------------------------------------

  function render(body) {
    return view === "batch" ? renderBatch(body) : renderList(body);
  }

  function rerender() {
    if (lastBody) content.replaceChildren(...render(lastBody).filter(Boolean));
  }

  async function refresh() {
    clearTimeout(timer);
    try {
      const path = view === "batch" ? `/batches/${encodeURIComponent(key)}` : `/batches?page=${page}`;
      const body = await api(path);
      setLive(true);
      const text = JSON.stringify(body);
      if (text !== lastText) {
        lastText = text;
        lastBody = body;
        rerender();
      } else {
        tick();
      }
    } catch (error) {
      if (error.status === 404 && view === "batch") {
        lastBody = null;
        lastText = "";
        content.replaceChildren(empty("This batch is gone.", h("p", {}, "It was pruned (queue:prune-batches) or never existed. ", h("a", { href: `${base}/batches` }, "See every batch"))));
      } else if (error.status !== 401) {
        setLive(false);
        if (error.status === 403 || error.status === 422) flash(error.message, true);
      }
    } finally {
      content.removeAttribute("aria-busy");
      timer = setTimeout(refresh, poll);
    }
  }

  refresh();
})();
