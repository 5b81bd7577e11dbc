/**
 * The console's only script, small islands over server-rendered pages;
 * every page works without it (forms post and redirect).
 *
 * - inbox: drag and drop or choose scans, upload each on its own, poll the
 *   OCR jobs and swap in the rendered rows until none is busy;
 * - draft review: the amount in words follows the figures as they are typed;
 * - approval queue: "select all", and bulk approval one draft at a time
 *   with a progress bar and a line per result, each naming the content
 *   hash its row was shown with;
 * - deleting and voiding ask in a dialog (without script the server asks
 *   on a page of its own);
 * - everywhere: "/" jumps to the search box when there is one.
 */
export const consoleScript = `(() => {
"use strict";
const $ = (s, r) => (r || document).querySelector(s);
const accept = { headers: { accept: "application/json" }, credentials: "same-origin" };

// Inbox
const zone = $("#dropzone");
if (zone) {
  const input = $("#scan-files");
  const section = $("#jobs-section");
  const tbody = $("#jobs");
  // Files refused at upload exist only on this page; they stay listed across polls.
  const refused = [];
  let polling = false;
  const poll = async () => {
    if (polling) return;
    polling = true;
    try {
      for (;;) {
        const r = await fetch("/console/inbox/jobs", accept);
        if (!r.ok) break;
        const data = await r.json();
        tbody.innerHTML = data.html;
        refused.forEach((row) => tbody.append(row));
        section.hidden = data.jobs.length === 0 && refused.length === 0;
        if (!data.jobs.some((j) => j.status === "queued" || j.status === "running")) break;
        await new Promise((ok) => setTimeout(ok, 600));
      }
    } finally { polling = false; }
  };
  const upload = async (files) => {
    const empty = $("#inbox-empty");
    if (empty) empty.remove();
    section.hidden = false;
    for (const f of files) {
      const row = document.createElement("tr");
      row.dataset.status = "uploading";
      row.innerHTML = "<td></td><td><span class=spinner aria-hidden=true></span> <span class=badge></span></td><td></td>";
      row.cells[0].textContent = f.name;
      row.querySelector(".badge").textContent = zone.dataset.uploading || "…";
      tbody.prepend(row);
      const body = new FormData();
      body.append("scan", f, f.name);
      const r = await fetch("/console/inbox/scans", { method: "POST", body, ...accept });
      if (!r.ok) {
        const e = await r.json().catch(() => ({ message: r.statusText }));
        row.dataset.status = "failed";
        row.cells[1].innerHTML = "<span class='badge failed'>!</span>";
        row.cells[2].textContent = e.message;
        row.cells[2].className = "bad-text";
        refused.push(row);
      }
    }
    poll();
  };
  input.addEventListener("change", () => { if (input.files.length) upload([...input.files]); input.value = ""; });
  // The button posts the form without script; with it, the chosen files go one by one like dropped ones.
  zone.addEventListener("submit", (e) => { e.preventDefault(); if (input.files.length) upload([...input.files]); input.value = ""; });
  zone.addEventListener("dragover", (e) => { e.preventDefault(); zone.classList.add("over"); });
  zone.addEventListener("dragleave", () => zone.classList.remove("over"));
  zone.addEventListener("drop", (e) => { e.preventDefault(); zone.classList.remove("over"); upload([...e.dataTransfer.files]); });
  if (tbody.querySelector("[data-status=queued],[data-status=running]")) poll();
}

// Draft review: amount in words
const amount = $("input[data-amount]");
const words = $("[data-words]");
if (amount && words) {
  let timer;
  amount.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const r = await fetch("/console/words?amount=" + encodeURIComponent(amount.value), accept);
      const data = await r.json();
      words.textContent = data.words || data.message;
      words.classList.toggle("bad-text", !r.ok);
    }, 250);
  });
}

// Approval queue
const all = $("#select-all");
if (all) all.addEventListener("change", () => document.querySelectorAll("#queue-form tbody input[name=id]").forEach((b) => { b.checked = all.checked; }));
const queue = $("#queue-form");
if (queue) {
  queue.addEventListener("submit", async (e) => {
    if (e.submitter && e.submitter.id !== "approve-selected") return;
    const ids = [...queue.querySelectorAll("tbody input[name=id]:checked")].map((b) => b.value);
    if (ids.length === 0) return;
    e.preventDefault();
    const bar = $("#bulk-progress"), count = $("#bulk-count"), list = $("#bulk-results");
    $("#bulk").hidden = false;
    $("#approve-selected").disabled = true;
    bar.max = ids.length; bar.value = 0;
    let done = 0;
    for (const id of ids) {
      const body = new FormData();
      const hash = queue.querySelector("input[name='hash:" + id + "']");
      if (hash) body.append("contentHash", hash.value);
      const r = await fetch("/console/queue/" + id + "/approve", { method: "POST", body, ...accept });
      const data = await r.json().catch(() => ({ message: r.statusText }));
      const li = document.createElement("li");
      li.dataset.result = r.ok ? "approved" : "failed";
      li.textContent = r.ok ? "✓ " + data.label : "✗ " + data.message;
      list.append(li);
      const row = queue.querySelector("tr[data-draft='" + id + "']");
      if (row && r.ok) row.remove();
      bar.value = ++done;
      count.textContent = done + " / " + ids.length;
    }
    $("#approve-selected").disabled = false;
    queue.dataset.bulkDone = "true";
  });
}

// Confirmation: a button with data-confirm asks first; "yes" sends confirm=1, which the server takes as asked.
document.addEventListener("click", (e) => {
  const button = e.target instanceof Element ? e.target.closest("button[data-confirm]") : null;
  if (!button) return;
  if (!window.confirm(button.dataset.confirm)) { e.preventDefault(); return; }
  const form = button.form;
  if (!form) return;
  let yes = form.querySelector("input[name=confirm]");
  if (!yes) { yes = document.createElement("input"); yes.type = "hidden"; yes.name = "confirm"; form.append(yes); }
  yes.value = "1";
});

// Keyboard: "/" focuses the search box
document.addEventListener("keydown", (e) => {
  const q = $("#q");
  if (e.key === "/" && q && document.activeElement !== q && !/INPUT|TEXTAREA|SELECT/.test(document.activeElement.tagName)) { e.preventDefault(); q.focus(); }
});
})();
`
