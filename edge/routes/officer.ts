/**
 * The officer API, under /api/officer, authenticated by bearer token and
 * scoped to the officer's agency (see officers/actions.ts and roles.ts).
 *
 *   POST   /drafts                       create a draft (201)
 *   PATCH  /drafts/:id                   edit it (maker only); a submitted draft becomes a draft again
 *   DELETE /drafts/:id                   delete it and its scans (204): its maker; an admin with { reason }
 *   POST   /drafts/:id/submit            its maker submits it for approval (refused while unread or 0 đồng)
 *   POST   /drafts/:id/withdraw          its maker takes it back to change it
 *   POST   /drafts/:id/approve           { contentHash } issue it: number, seal, token, URL (approver, not the maker),
 *                                        only while it is submitted with exactly the content of contentHash
 *   GET    /receipts                     search, paginated
 *   GET    /receipts/:id                 one receipt (drafts too; a draft with its contentHash)
 *   GET    /receipts/:id/qr              the QR token and verification URL of an issued receipt
 *   POST   /receipts/:id/void            { reason }
 *   POST   /receipts/:id/replace         draft a replacement with the corrected amount or content
 *   POST   /receipts/:id/corrections     { field: payerName | payerAddress, value, note? } request a correction (201)
 *   GET    /receipts/:id/corrections     its correction requests
 *   GET    /corrections                  the agency's pending correction requests
 *   POST   /corrections/:requestId/approve   { value } an approver, not the requester, approves exactly that text
 *   POST   /corrections/:requestId/reject    { reason }
 *   POST   /corrections/:requestId/withdraw  the requester takes it back
 *   GET    /receipts/:id/audit           its audit trail
 *   POST   /drafts/:id/scans             its maker uploads a scan (PNG, JPEG, WebP, PDF) to a draft; queued for OCR;
 *                                        a submitted draft becomes a draft again
 *   GET    /drafts/:id/scans             its scans: OCR status, what was read, why a read failed
 *   GET    /officers, POST /officers, POST /officers/:officerId/tokens, POST /officers/:officerId/disable   (admin; officer-admin.ts)
 *   GET    /me                           who the token belongs to
 */
import { Hono } from "hono"
import type { Context } from "hono"
import { encodeReceipt, isIssued, isUnissued, type Receipt } from "../../domain/receipt.ts"
import { contentSha256 } from "../../store/receipts/content-hash.ts"
import { recordEdgeAudit } from "../../store/audit/edge-audit.ts"
import { receiptAuditTrail } from "../../store/audit/receipt-audit-trail.ts"
import { officerAuth } from "../http/auth.ts"
import { idempotency } from "../http/idempotency.ts"
import { receiptIdParam } from "../http/params.ts"
import { readUpload } from "../http/image-upload.ts"
import type { EdgeEnv } from "../http/env.ts"
import { refusal } from "../http/errors.ts"

import { logFields } from "../http/request-log.ts"
import { makeActions, requirePermission } from "../officers/actions.ts"
import { draftBody, draftInputOf, draftPatchBody, draftPatchOf } from "../officers/draft-input.ts"
import { permitted } from "../officers/permitted.ts"
import { approvalBody, correctionApprovalBody, correctionBody, deletionBody, reasonBody } from "../officers/request-bodies.ts"
import { queueScan, scansOfReceipt } from "../officers/scans.ts"
import { parseSearch, searchReceipts } from "../officers/search.ts"
import type { EdgeServices } from "../services.ts"
import { officerAdminRoutes } from "./officer-admin.ts"
import { isUuid } from "../../domain/ids.ts"

const receiptJson = (r: Receipt) => encodeReceipt(r)

/**
 * A receipt as the API shows it; a draft or submitted draft also with
 * `contentHash`, the SHA-256 of its content, which an approval must name.
 */
const draftJson = (r: Receipt) => (isUnissued(r) ? { ...encodeReceipt(r), contentHash: contentSha256(r) } : encodeReceipt(r))

export const officerRoutes = (s: EdgeServices): Hono<EdgeEnv> => {
  const app = new Hono<EdgeEnv>()
  const actions = makeActions(s)
  app.use("*", officerAuth(s.db, s.now))
  app.on("POST", ["/drafts", "/drafts/:id/approve"], idempotency(s))

  app.get("/me", (c) => c.json(c.get("principal")))
  app.route("/", officerAdminRoutes(s))

  // The role is checked before the body: a role that may not draft is told so whatever it sent.
  app.post("/drafts", permitted("draft"), draftBody, async (c) => {
    const p = c.get("principal")
    const draft = await actions.createDraft(p, draftInputOf(c.req.valid("json"), p.agency))
    logFields(c, { receipt: draft.id })
    return c.json(draftJson(draft), 201)
  })

  app.patch("/drafts/:id", permitted("draft"), draftPatchBody, async (c) => {
    const p = c.get("principal")
    const id = receiptIdParam(c)
    const edited = await actions.editDraft(p, id, draftPatchOf(c.req.valid("json")))
    return c.json(draftJson(edited))
  })

  // A body is optional: an administrator's reason, as JSON.
  app.delete("/drafts/:id", deletionBody, async (c) => {
    const id = receiptIdParam(c)
    const { reason } = c.req.valid("json")
    await actions.deleteDraft(c.get("principal"), id, reason === undefined ? {} : { reason })
    return c.body(null, 204)
  })

  app.post("/drafts/:id/submit", async (c) => c.json(draftJson(await actions.submit(c.get("principal"), receiptIdParam(c)))))

  app.post("/drafts/:id/withdraw", async (c) => c.json(draftJson(await actions.withdraw(c.get("principal"), receiptIdParam(c)))))

  // A role that may not approve is told so before anything about its request body.
  app.post("/drafts/:id/approve", permitted("approve"), approvalBody, async (c) => {
    const p = c.get("principal")
    const id = receiptIdParam(c)
    const issued = await actions.approve(p, id, c.req.valid("json").contentHash)
    logFields(c, { receipt: issued.receipt.id, number: issued.receipt.number })
    return c.json({ receipt: receiptJson(issued.receipt), token: issued.token, url: issued.url }, 201)
  })

  app.post("/drafts/:id/scans", async (c) => {
    const p = c.get("principal")
    requirePermission(p, "draft")
    const id = receiptIdParam(c)
    // Only the draft's maker: OCR writes what it reads into the draft (the database refuses it too).
    await actions.mayAddScan(p, id)
    const { bytes, type } = await readUpload(c, "scan", true)
    const stored = await queueScan(s, p, id, bytes, type)
    logFields(c, { receipt: id, upload: stored.id })
    return c.json(stored, 201)
  })

  app.get("/drafts/:id/scans", async (c) => {
    const p = c.get("principal")
    const id = receiptIdParam(c)
    // Another agency's receipt is not found, like every other route.
    await actions.get(p, id)
    return c.json({ scans: await scansOfReceipt(s, p.agency, id) })
  })

  app.get("/receipts", async (c) => {
    const p = c.get("principal")
    requirePermission(p, "read")
    const filters = parseSearch(c.req.query())
    const page = await searchReceipts(s.db, p.agency, filters)
    // Which filters were used, never their values: those can be personal data.
    await recordEdgeAudit(s.db, {
      agency: p.agency,
      actor: p.officer,
      action: "search",
      at: s.now().toISOString(),
      detail: { filters: Object.keys(c.req.query()).filter((k) => k !== "cursor" && k !== "limit") }
    })
    return c.json(page)
  })

  app.get("/receipts/:id", async (c) => c.json(draftJson(await actions.get(c.get("principal"), receiptIdParam(c)))))

  app.get("/receipts/:id/qr", async (c) => {
    const r = await actions.get(c.get("principal"), receiptIdParam(c))
    if (!isIssued(r)) {
      throw refusal(409, "not_issued", { vi: "Bản nháp chưa có mã QR; mã QR có khi bản nháp được phê duyệt.", en: "a draft has no QR code; it gets one when it is approved" })
    }
    const { token, url } = await actions.tokenOf(r)
    return c.json({ token, url })
  })

  app.post("/receipts/:id/void", reasonBody, async (c) => {
    const id = receiptIdParam(c)
    const { reason } = c.req.valid("json")
    return c.json(receiptJson(await actions.voidReceipt(c.get("principal"), id, reason)))
  })

  app.post("/receipts/:id/replace", permitted("draft"), draftBody, async (c) => {
    const p = c.get("principal")
    const id = receiptIdParam(c)
    const draft = await actions.replace(p, id, draftInputOf(c.req.valid("json"), p.agency))
    return c.json(receiptJson(draft), 201)
  })

  app.post("/receipts/:id/corrections", correctionBody, async (c) => {
    const id = receiptIdParam(c)
    const { field, value, note } = c.req.valid("json")
    const request = await actions.requestCorrection(c.get("principal"), id, { field, value, note })
    return c.json(request, 201)
  })

  app.get("/receipts/:id/corrections", async (c) => c.json({ corrections: await actions.corrections(c.get("principal"), receiptIdParam(c)) }))

  app.get("/corrections", async (c) => c.json({ corrections: await actions.pendingCorrections(c.get("principal")) }))

  const requestIdParam = (c: Context<EdgeEnv>): string => {
    const id = (c.req.param("requestId") ?? "").toLowerCase()
    if (!isUuid(id)) {
      throw refusal(404, "not_found", { vi: "Không có đề nghị đính chính này.", en: `"${id.slice(0, 64)}" is not a correction request id` })
    }
    return id
  }

  app.post("/corrections/:requestId/approve", correctionApprovalBody, async (c) => {
    const id = requestIdParam(c)
    return c.json(await actions.approveCorrection(c.get("principal"), id, c.req.valid("json").value).then((d) => ({ receipt: receiptJson(d.receipt), request: d.request })))
  })

  app.post("/corrections/:requestId/reject", reasonBody, async (c) => {
    const id = requestIdParam(c)
    const { reason } = c.req.valid("json")
    return c.json(await actions.rejectCorrection(c.get("principal"), id, reason))
  })

  app.post("/corrections/:requestId/withdraw", async (c) => c.json(await actions.withdrawCorrection(c.get("principal"), requestIdParam(c))))

  app.get("/receipts/:id/audit", async (c) => {
    const p = c.get("principal")
    requirePermission(p, "audit")
    const id = receiptIdParam(c)
    await actions.get(p, id)
    return c.json({ entries: await receiptAuditTrail(s.db, p.agency, id) })
  })

  return app
}
