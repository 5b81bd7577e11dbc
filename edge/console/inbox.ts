/**
 * The scan inbox screen: drop one or many scans, watch each one being read,
 * open the draft it became. The form has a real submit button: without
 * script it uploads all chosen files at once and the page lists them; with
 * script (console.js) each file uploads on its own as soon as it is chosen
 * or dropped (the button then uploads whatever is still chosen), and the
 * list updates as OCR runs. The list is the OCR
 * queue in the database (scan-inbox.ts), shared with the officer API.
 *
 *   GET  /inbox          the screen
 *   POST /inbox/scans    one or many files (field "scan"); JSON jobs for scripts, a redirect for forms
 *   GET  /inbox/jobs     this officer's jobs as JSON (what the page polls)
 */
import { Hono } from "hono"
import { sniffScan } from "../http/image-upload.ts"
import { may } from "../officers/roles.ts"
import { type ConsoleContext, redirectWith, render } from "./context.ts"
import { type Lang, words } from "./i18n.ts"
import { type Html, html } from "../http/html.ts"
import { inboxDrafts } from "../../store/receipts/draft-lists.ts"
import { scanErrorText } from "./ocr-messages.ts"
import { MAX_PENDING, type ScanJob } from "./scan-inbox.ts"
import { ApiError } from "../http/errors.ts"
import type { ConsoleEnv } from "./session.ts"
import { money, when } from "./views.ts"

const jobJson = (j: ScanJob) => ({
  id: j.id,
  ahead: j.ahead,
  fileName: j.fileName,
  status: j.status,
  receiptId: j.receiptId,
  error: j.error,
  warnings: j.warnings
})

export const jobRow = (j: ReturnType<typeof jobJson>, lang: Lang): Html => {
  const w = words(lang)
  const label = j.status === "queued" ? `${w.queued} (${w.inLine} ${j.ahead + 1})` : j.status === "running" ? w.running : j.status === "done" ? w.done : w.failed
  const busy = j.status === "queued" || j.status === "running"
  const detail = j.status === "done" && j.receiptId !== null
    ? html`<a href="/console/drafts/${j.receiptId}">${w.openDraft}</a>${j.warnings > 0 ? html` <span class="muted">(${j.warnings} ⚠)</span>` : ""}`
    : j.status === "failed"
    ? html`<span class="bad-text">${scanErrorText(lang, j.error ?? "")}</span>${j.receiptId === null ? "" : html` <a href="/console/drafts/${j.receiptId}">${w.openDraft}</a>`}`
    : ""
  return html`<tr data-job="${j.id}" data-status="${j.status}"><td>${j.fileName}</td>
<td>${busy ? html`<span class="spinner" aria-hidden="true"></span> ` : ""}<span class="badge ${j.status}">${label}</span></td><td>${detail}</td></tr>`
}

export const inboxRoutes = (ctx: ConsoleContext): Hono<ConsoleEnv> => {
  const app = new Hono<ConsoleEnv>()

  app.get("/inbox", async (c) => {
    const lang = c.get("lang")
    const w = words(lang)
    const p = c.get("principal")
    if (!may(p.role, "draft")) return render(c, { title: w.inboxTitle, nav: "inbox", body: html`<p class="card">${w.noDraftPermission}</p>`, status: 403 })
    const jobs = (await ctx.inbox.jobsOf(p)).map(jobJson)
    const drafts = await inboxDrafts(ctx.s.db, p.agency, p.officer)
    const empty = jobs.length === 0 && drafts.length === 0
    const body = html`
<form class="dropzone" id="dropzone" data-uploading="${w.uploading}" method="post" action="/console/inbox/scans" enctype="multipart/form-data">
<p>${w.dropHere} <label class="button secondary" for="scan-files">${w.chooseFiles}</label></p>
<input id="scan-files" type="file" name="scan" multiple accept="image/png,image/jpeg,image/webp,image/tiff,application/pdf" class="visually-hidden">
<button type="submit" id="upload-button">${w.upload}</button>
</form>
<section class="card" id="jobs-section"${jobs.length === 0 ? html` hidden` : ""}><h2>${w.inProgress}</h2>
<table><thead><tr><th>${w.file}</th><th>${w.status}</th><th></th></tr></thead><tbody id="jobs">${jobs.map((j) => jobRow(j, lang))}</tbody></table></section>
${empty ? html`<p class="card muted" id="inbox-empty">${w.inboxEmpty}</p>` : ""}
${drafts.length === 0 ? "" : html`<section class="card"><h2>${w.draftsFromScans}</h2>
<table id="inbox-drafts"><thead><tr><th>${w.f_payerName}</th><th class="num">${w.f_amount}</th><th>${w.f_createdAt}</th><th>${w.status}</th></tr></thead><tbody>
${drafts.map((d) => html`<tr><td><a href="/console/drafts/${d.id}">${d.payerName}</a></td><td class="num">${money(d.amount)}</td><td>${when(d.createdAt)}</td>
<td>${d.status === "draft" ? html`<span class="badge draft">${w.notSubmitted}</span>` : html`<span class="badge submitted">${w.submitted}</span>`}</td></tr>`)}
</tbody></table></section>`}`
    return render(c, { title: w.inboxTitle, nav: "inbox", body })
  })

  app.post("/inbox/scans", async (c) => {
    const lang = c.get("lang")
    const p = c.get("principal")
    const wantsJson = (c.req.header("accept") ?? "").includes("application/json")
    const refuse = (message: string, status: 400 | 403 | 413 | 415 | 429) =>
      wantsJson ? c.json({ error: "refused", message }, status) : redirectWith(c, "/console/inbox", { error: message })
    if (!may(p.role, "draft")) return refuse(words(lang).noDraftPermission, 403)
    const body = await c.req.parseBody({ all: true }).catch(() => ({} as Record<string, unknown>))
    const raw = body["scan"]
    const files = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).filter((f): f is File => typeof f !== "string")
    if (files.length === 0) return refuse(lang === "vi" ? "Hãy chọn ít nhất một tệp bản quét." : "Choose at least one scan file.", 400)
    const jobs: Array<ScanJob> = []
    for (const file of files) {
      const bytes = new Uint8Array(await file.arrayBuffer())
      const type = sniffScan(bytes)
      if (type === undefined) {
        return refuse(lang === "vi" ? `Tệp "${file.name}" không phải PNG, JPEG, WebP hay PDF.` : `"${file.name}" is not a PNG, JPEG, WebP or PDF file.`, 415)
      }
      try {
        jobs.push(await ctx.inbox.enqueue(p, file.name || "scan", bytes, type))
      } catch (e) {
        if (!(e instanceof ApiError) || (e.status !== 429 && e.status !== 413)) throw e
        // The refusal says it in Vietnamese too (edge/officers/scans.ts).
        const vi = typeof e.details?.["vi"] === "string" ? e.details["vi"] : `Đã có ${MAX_PENDING} bản quét đang chờ đọc; hãy tải thêm khi có bản xong.`
        return refuse(lang === "vi" ? `"${file.name}": ${vi}` : `"${file.name}": ${e.message}`, e.status)
      }
    }
    return wantsJson ? c.json({ jobs: jobs.map(jobJson) }, 202) : c.redirect("/console/inbox", 303)
  })

  // The rows come rendered, so the page script only swaps them in.
  app.get("/inbox/jobs", async (c) => {
    const jobs = (await ctx.inbox.jobsOf(c.get("principal"))).map(jobJson)
    return c.json({ jobs, html: String(html`${jobs.map((j) => jobRow(j, c.get("lang")))}`) })
  })
  return app
}
