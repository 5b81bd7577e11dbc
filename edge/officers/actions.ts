/**
 * What officers do to receipts, as the API and the demo seed share it: each
 * action checks the role, keeps to the officer's agency, applies the
 * domain's lifecycle through the store (whose triggers write the audit log),
 * then refreshes the status list of the series (the database keeps the
 * search index).
 *
 * Another agency's receipt is "not found", not "forbidden": an officer must
 * not even learn that it exists.
 */
import { Effect, Result } from "effect"
import { addScan, createDraft, draftReplacement, editDraft, type DraftInput, labelOf, submit, withdraw } from "../../domain/lifecycle.ts"
import { lookupCodeFromBytes, uuidFromBytes } from "../../domain/ids.ts"
import type { IssuedReceipt, Receipt } from "../../domain/receipt.ts"
import { type CorrectionField, type CorrectionRequest, requestCorrection } from "../../domain/corrections.ts"
import {
  approveCorrectionIn,
  correctionOf,
  correctionsOfReceipt,
  insertCorrection,
  pendingCorrections,
  rejectCorrectionIn,
  withdrawCorrectionIn
} from "../../store/receipts/corrections.ts"
import { tokenUrl } from "../../domain/signing/url.ts"
import { contentSha256, isContentHash } from "../../store/receipts/content-hash.ts"
import { ApiError, refusal } from "../http/errors.ts"
import type { Principal } from "../http/env.ts"
import { resultOrThrow } from "../http/domain-errors.ts"
import type { EdgeServices } from "../services.ts"
import { servedToken } from "../verification/served-token.ts"
import { labelText } from "./refusals.ts"
import { may, type Permission } from "./roles.ts"

const roleNames: Record<Principal["role"], { vi: string; en: string }> = {
  officer: { vi: "cán bộ", en: "officer" },
  approver: { vi: "lãnh đạo phê duyệt", en: "approver" },
  auditor: { vi: "kiểm soát", en: "auditor" },
  admin: { vi: "quản trị", en: "admin" }
}
const permissionNames: Record<Permission, { vi: string; en: string }> = {
  read: { vi: "xem biên lai", en: "read receipts" },
  draft: { vi: "lập bản nháp", en: "prepare drafts" },
  annotate: { vi: "đề nghị đính chính", en: "request corrections" },
  approve: { vi: "phê duyệt", en: "approve" },
  void: { vi: "hủy biên lai", en: "void" },
  audit: { vi: "xem nhật ký", en: "read the audit log" },
  manageOfficers: { vi: "quản lý cán bộ", en: "manage officers" },
  discardDrafts: { vi: "xóa bản nháp của người khác", en: "delete other officers' drafts" },
  readReports: { vi: "xem báo cáo thống kê", en: "read statistical reports" },
  closePeriods: { vi: "khóa sổ kỳ báo cáo", en: "close reporting periods" },
  resendNotifications: { vi: "gửi lại thông báo", en: "send notifications again" }
}

export const requirePermission = (p: Principal, permission: Permission): void => {
  if (!may(p.role, permission)) {
    const role = roleNames[p.role] ?? { vi: p.role, en: p.role }
    const what = permissionNames[permission]
    throw new ApiError(403, "forbidden", `the role ${p.role} may not ${what.en}`, {
      details: { role: p.role, permission },
      messages: { vi: `Vai trò ${role.vi} không được ${what.vi}.`, en: `The role ${role.en} may not ${what.en}.` }
    })
  }
}

export interface IssuedWithToken {
  readonly receipt: IssuedReceipt
  readonly token: string
  readonly url: string
}

export const makeActions = (s: EdgeServices) => {
  const iso = () => s.now().toISOString()
  const newId = () => uuidFromBytes(s.randomBytes(16))
  // The search index follows by itself (database triggers, 0102_edge_search_triggers.sql).
  const afterChange = (r: Receipt) => {
    s.statusLists.invalidate({ agency: r.agency, ...r.series })
    if (r.replaces !== undefined) s.statusLists.invalidate({ agency: r.agency, ...r.replaces.series })
  }

  const get = async (p: Principal, id: string): Promise<Receipt> => {
    requirePermission(p, "read")
    return s.run(s.store.get(p.agency, id))
  }

  const tokenOf = async (r: IssuedReceipt): Promise<IssuedWithToken> => {
    const token = await servedToken(s, r)
    return { receipt: r, token, url: tokenUrl(s.config.publicUrl, token) }
  }

  const saveNew = async (draft: Receipt): Promise<Receipt> => {
    return s.run(s.store.saveDraft(draft, { now: iso() }))
  }

  return {
    get,
    tokenOf,

    createDraft: async (p: Principal, input: DraftInput): Promise<Receipt> => {
      requirePermission(p, "draft")
      return saveNew(resultOrThrow(createDraft({ ...input, agency: p.agency }, { id: newId(), maker: p.officer, now: iso() })))
    },

    editDraft: async (p: Principal, id: string, patch: Partial<DraftInput>): Promise<Receipt> => {
      requirePermission(p, "draft")
      const current = await get(p, id)
      const edited = resultOrThrow(editDraft(current, { ...patch, agency: p.agency }, { by: p.officer, now: iso() }))
      return s.run(s.store.saveDraft(edited, { now: iso() }))
    },

    /**
     * Deletes a draft and its scans: its maker may; an administrator may
     * delete someone else's, giving a reason, which the audit log keeps.
     */
    deleteDraft: async (p: Principal, id: string, options: { readonly reason?: string } = {}): Promise<void> => {
      if (may(p.role, "discardDrafts")) {
        const reason = options.reason?.trim() ?? ""
        if (reason === "") {
          throw refusal(422, "reason_required", {
            vi: "Quản trị viên xóa bản nháp của cán bộ khác phải nêu lý do (được ghi vào nhật ký).",
            en: "An administrator deleting another officer's draft must give a reason (it is kept in the audit log)."
          })
        }
        await s.run(s.store.deleteDraft(p.agency, id, { by: p.officer, override: { reason } }))
        return
      }
      requirePermission(p, "draft")
      await s.run(s.store.deleteDraft(p.agency, id, { by: p.officer }))
    },

    /** Refuses unless `p` may attach a scan to the draft: only its maker (OCR fills the draft from it). */
    mayAddScan: async (p: Principal, id: string): Promise<Receipt> => {
      requirePermission(p, "draft")
      return resultOrThrow(addScan(await get(p, id), { by: p.officer }))
    },

    /** The maker hands a ready draft to the approvers; the store keeps the hash of its content. */
    submit: async (p: Principal, id: string): Promise<Receipt> => {
      requirePermission(p, "draft")
      const current = await get(p, id)
      return s.run(s.store.saveDraft(resultOrThrow(submit(current, { by: p.officer })), { now: iso() }))
    },

    /** The maker takes a submitted draft back to change it. */
    withdraw: async (p: Principal, id: string): Promise<Receipt> => {
      requirePermission(p, "draft")
      const current = await get(p, id)
      return s.run(s.store.saveDraft(resultOrThrow(withdraw(current, { by: p.officer })), { now: iso() }))
    },

    /** The hash an approval of this draft must name: the SHA-256 of its canonical content. */
    contentHashOf: (draft: Receipt): string => contentSha256(draft),

    /**
     * Issues a submitted draft. `contentHash` names the content the approver
     * approves (from GET /receipts/:id or the console); the store issues the
     * draft only while it still has exactly that content.
     */
    approve: async (p: Principal, id: string, contentHash: unknown): Promise<IssuedWithToken> => {
      requirePermission(p, "approve")
      const draft = await get(p, id)
      if (!isContentHash(contentHash)) {
        throw refusal(422, "content_hash_required", {
          vi: "Phê duyệt phải nêu nội dung được duyệt: gửi contentHash (SHA-256 của nội dung bản nháp, 64 chữ số hex, lấy từ GET /api/officer/receipts/:id).",
          en: "An approval must name the content it approves: send contentHash (the SHA-256 of the draft's content, 64 hex digits, from GET /api/officer/receipts/:id)."
        }, { details: { field: "contentHash" } })
      }
      const attempt = () =>
        s.run(Effect.result(s.store.issue({ draft, approver: p.officer, lookupCode: lookupCodeFromBytes(s.randomBytes(8)), now: iso(), contentHash })))
      let issued = await attempt()
      // 60 random bits rarely collide; when they do, a fresh code is the whole fix.
      if (Result.isFailure(issued) && issued.failure._tag === "StoreConflict" && issued.failure.reason === "lookup_code_taken") issued = await attempt()
      if (Result.isFailure(issued) && issued.failure._tag === "StoreConflict" && issued.failure.reason === "content_changed") {
        const l = labelText(labelOf(draft))
        throw refusal(409, "conflict", {
          vi: `${l.vi[0]?.toUpperCase()}${l.vi.slice(1)} đã thay đổi sau khi bạn mở để duyệt (đã sửa, rút lại, xóa hoặc trình lại); chưa có gì được phát hành. Hãy mở lại, kiểm tra nội dung hiện tại rồi phê duyệt.`,
          en: `${l.en[0]?.toUpperCase()}${l.en.slice(1)} changed after you opened it for approval (edited, withdrawn, deleted or submitted again); nothing was issued. Open it again, check what it says now, and approve that.`
        }, { details: { reason: "content_changed" } })
      }
      const receipt = resultOrThrow(issued)
      afterChange(receipt)
      return tokenOf(receipt)
    },

    voidReceipt: async (p: Principal, id: string, reason: string): Promise<Receipt> => {
      requirePermission(p, "void")
      const voided = await s.run(s.store.voidReceipt(p.agency, id, { by: p.officer, reason, now: iso() }))
      afterChange(voided)
      return voided
    },

    /** Drafts the replacement; approving it (by another officer) replaces the original. */
    replace: async (p: Principal, id: string, input: DraftInput): Promise<Receipt> => {
      requirePermission(p, "draft")
      const original = await get(p, id)
      return saveNew(resultOrThrow(draftReplacement(original, { ...input, agency: p.agency }, { id: newId(), maker: p.officer, now: iso() })))
    },

    /**
     * Requests a correction of the payer's name or address; it corrects
     * nothing until another officer approves it (approveCorrection).
     */
    requestCorrection: async (
      p: Principal,
      receiptId: string,
      input: { readonly field: CorrectionField; readonly value: string; readonly note?: string | undefined }
    ): Promise<CorrectionRequest> => {
      requirePermission(p, "annotate")
      const receipt = await get(p, receiptId)
      return s.run(insertCorrection(s.db, resultOrThrow(requestCorrection(receipt, input, { id: newId(), by: p.officer, now: iso() }))))
    },

    corrections: async (p: Principal, receiptId: string): Promise<ReadonlyArray<CorrectionRequest>> => {
      await get(p, receiptId)
      return s.run(correctionsOfReceipt(s.db, p.agency, receiptId))
    },

    pendingCorrections: async (p: Principal): Promise<ReadonlyArray<CorrectionRequest>> => {
      requirePermission(p, "read")
      return s.run(pendingCorrections(s.db, p.agency))
    },

    correction: async (p: Principal, requestId: string): Promise<CorrectionRequest> => {
      requirePermission(p, "read")
      return s.run(correctionOf(s.db, p.agency, requestId))
    },

    /** An approver other than the requester approves, naming the exact text read; the receipt, corrected. */
    approveCorrection: async (p: Principal, requestId: string, value: unknown): Promise<{ readonly receipt: Receipt; readonly request: CorrectionRequest }> => {
      requirePermission(p, "approve")
      if (typeof value !== "string" || value.trim() === "") {
        throw refusal(422, "value_required", {
          vi: "Phê duyệt đính chính phải nêu đúng nội dung được duyệt: gửi value, là văn bản đính chính bạn đã đọc.",
          en: "An approval of a correction must name the text it approves: send value, the corrected text as you read it."
        }, { details: { field: "value" } })
      }
      return s.run(approveCorrectionIn(s.db, p.agency, requestId, { by: p.officer, value, now: iso() }))
    },

    rejectCorrection: async (p: Principal, requestId: string, reason: string): Promise<CorrectionRequest> => {
      requirePermission(p, "approve")
      return (await s.run(rejectCorrectionIn(s.db, p.agency, requestId, { by: p.officer, reason, now: iso() }))).request
    },

    withdrawCorrection: async (p: Principal, requestId: string): Promise<CorrectionRequest> => {
      requirePermission(p, "annotate")
      return (await s.run(withdrawCorrectionIn(s.db, p.agency, requestId, { by: p.officer, now: iso() }))).request
    }
  }
}

export type Actions = ReturnType<typeof makeActions>
