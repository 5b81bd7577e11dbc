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
import { createDraft, draftReplacement, editDraft, type DraftInput } from "../../domain/lifecycle.ts"
import { lookupCodeFromBytes, uuidFromBytes } from "../../domain/ids.ts"
import type { Annotation, IssuedReceipt, Receipt } from "../../domain/receipt.ts"
import { Signer } from "../../domain/ports/signer.ts"
import { signToken } from "../../domain/signing/issue-token.ts"
import { tokenUrl } from "../../domain/signing/url.ts"
import { ApiError } from "../http/errors.ts"
import type { Principal } from "../http/env.ts"
import { resultOrThrow, runOrThrow } from "../http/domain-errors.ts"
import type { EdgeServices } from "../services.ts"
import { may, type Permission } from "./roles.ts"

export const requirePermission = (p: Principal, permission: Permission): void => {
  if (!may(p.role, permission)) {
    throw new ApiError(403, "forbidden", `the role ${p.role} may not ${permission === "draft" ? "prepare drafts" : permission}`, {
      details: { role: p.role, permission }
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
    return runOrThrow(s.store.get(p.agency, id))
  }

  const tokenOf = async (r: IssuedReceipt): Promise<IssuedWithToken> => {
    const token = await runOrThrow(Effect.provideService(signToken(r), Signer, s.signer))
    return { receipt: r, token, url: tokenUrl(s.config.publicUrl, token) }
  }

  const saveNew = async (draft: Receipt): Promise<Receipt> => {
    return runOrThrow(s.store.saveDraft(draft, { now: iso() }))
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
      return runOrThrow(s.store.saveDraft(edited, { now: iso() }))
    },

    deleteDraft: async (p: Principal, id: string): Promise<void> => {
      requirePermission(p, "draft")
      await runOrThrow(s.store.deleteDraft(p.agency, id, { by: p.officer }))
    },

    approve: async (p: Principal, id: string): Promise<IssuedWithToken> => {
      requirePermission(p, "approve")
      const draft = await get(p, id)
      const attempt = () =>
        Effect.runPromise(Effect.result(s.store.issue({ draft, approver: p.officer, lookupCode: lookupCodeFromBytes(s.randomBytes(8)), now: iso() })))
      let issued = await attempt()
      // 60 random bits rarely collide; when they do, a fresh code is the whole fix.
      if (Result.isFailure(issued) && issued.failure._tag === "StoreConflict" && issued.failure.reason === "lookup_code_taken") issued = await attempt()
      const receipt = resultOrThrow(issued)
      afterChange(receipt)
      return tokenOf(receipt)
    },

    voidReceipt: async (p: Principal, id: string, reason: string): Promise<Receipt> => {
      requirePermission(p, "void")
      const voided = await runOrThrow(s.store.voidReceipt(p.agency, id, { by: p.officer, reason, now: iso() }))
      afterChange(voided)
      return voided
    },

    /** Drafts the replacement; approving it (by another officer) replaces the original. */
    replace: async (p: Principal, id: string, input: DraftInput): Promise<Receipt> => {
      requirePermission(p, "draft")
      const original = await get(p, id)
      return saveNew(resultOrThrow(draftReplacement(original, { ...input, agency: p.agency }, { id: newId(), maker: p.officer, now: iso() })))
    },

    annotate: async (p: Principal, id: string, a: Pick<Annotation, "field" | "value" | "note">): Promise<Receipt> => {
      requirePermission(p, "annotate")
      const annotation: Annotation = { field: a.field, value: a.value, ...(a.note === undefined ? {} : { note: a.note }), by: p.officer, at: iso() }
      return runOrThrow(s.store.annotate(p.agency, id, annotation))
    }
  }
}

export type Actions = ReturnType<typeof makeActions>
