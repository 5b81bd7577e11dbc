/**
 * Officer administration as the API and the console share it: requests for
 * privileges (one admin) and their approval (a second admin of the same
 * agency, naming what they approve), enrolment codes, disabling, and every
 * officer's own API tokens. Each step runs in one transaction with its row
 * in officer_audit, so nothing happens unrecorded.
 *
 * A token is only ever given to its own officer: by exchanging an enrolment
 * code, or by asking with a token of one's own (the new token never
 * outlives the one that asked). No admin can make a token for someone else,
 * and no admin alone can create an officer or raise a role.
 */
import { Result } from "effect"
import { uuidFromBytes } from "../../domain/ids.ts"
import {
  checkApproval,
  ENROLMENT_CODE_HOURS,
  enrolmentCodeFromBytes,
  issuesEnrolmentCode,
  normalizeEnrolmentCode,
  type OfficerDetails,
  type PrivilegeRefusal,
  REQUEST_DAYS,
  type RequestKind,
  type Role,
  tokenLifetimeDays
} from "../../domain/privileges.ts"
import { revokeToken as revokeTokenRow, tokenById, tokensOf, type TokenInfo } from "../../store/officers/api-tokens.ts"
import type { Sql } from "../../store/database/db.ts"
import { issueEnrolmentCode, redeemEnrolmentCode } from "../../store/officers/enrolment-codes.ts"
import { officerAuditOf, recordOfficerAudit } from "../../store/officers/officer-audit.ts"
import { createRequest, decideRequest, openRequests, requestInAgency, type StoredRequest } from "../../store/officers/officer-requests.ts"
import { disableOfficer, enableOfficer, insertOfficer, listOfficers, officerIdTaken, officerInAgency, setRole, setTitle } from "../../store/officers/officers.ts"
import type { Principal } from "../http/env.ts"
import { ApiError } from "../http/errors.ts"
import type { EdgeServices } from "../services.ts"
import { requirePermission } from "./actions.ts"
import { makeToken, type MadeToken, sha256Hex } from "./tokens.ts"

const HOUR = 3_600_000

export interface Enrolment {
  readonly code: string
  readonly expiresAt: string
}

const refusalStatus: Record<PrivilegeRefusal["reason"], 403 | 404 | 409> = {
  not_admin: 403,
  not_found: 404,
  own_request: 403,
  already_decided: 409,
  expired: 409,
  content_differs: 409
}

const requestJson = (r: StoredRequest) => ({
  id: r.id,
  kind: r.kind,
  officer: r.officer,
  name: r.name,
  role: r.role,
  ...(r.kind === "title" ? { title: r.title } : {}),
  requestedBy: r.requestedBy,
  requestedAt: r.requestedAt,
  expiresAt: r.expiresAt,
  decision: r.decision,
  decidedBy: r.decidedBy,
  decidedAt: r.decidedAt
})

export type RequestJson = ReturnType<typeof requestJson>

const label = (value: unknown, fallback: string): string => {
  if (value === undefined) return fallback
  if (typeof value !== "string" || value.trim() === "" || value.length > 100) {
    throw new ApiError(422, "invalid_label", "label must be a non-empty string of at most 100 characters", { details: { field: "label" } })
  }
  return value.trim()
}

export const makePrivileges = (s: EdgeServices) => {
  const iso = () => s.now().toISOString()
  const later = (ms: number) => new Date(s.now().getTime() + ms).toISOString()
  const admin = (p: Principal) => requirePermission(p, "manageOfficers")
  const audit = (sql: Sql, p: Principal, action: string, officer: string | undefined, extra: { request?: string; detail?: Record<string, unknown> } = {}) =>
    recordOfficerAudit(sql, { agency: p.agency, actor: p.officer, action, officer, request: extra.request, at: iso(), ...(extra.detail === undefined ? {} : { detail: extra.detail }) })
  const lifetime = (asked: unknown) => {
    const days = tokenLifetimeDays(asked, s.config.tokens)
    if (Result.isFailure(days)) throw new ApiError(422, "invalid_expiry", days.failure, { details: { field: "expiresInDays" } })
    return days.success
  }

  const ownOfficer = async (sql: Sql, p: Principal, id: string) => {
    const found = await officerInAgency(sql, p.agency, id)
    if (found === undefined) throw new ApiError(404, "not_found", `no officer ${id.slice(0, 64)} in agency ${p.agency}`)
    return found
  }

  const request = (p: Principal, kind: RequestKind, details: OfficerDetails): Promise<RequestJson> =>
    s.db.transaction(async (tx) => {
      const id = uuidFromBytes(s.randomBytes(16))
      const outcome = await createRequest(tx, { id, agency: p.agency, kind, ...details, requestedBy: p.officer, now: iso(), expiresAt: later(REQUEST_DAYS * 24 * HOUR) })
      if (outcome === "open_request_exists") {
        throw new ApiError(409, "open_request_exists", `officer ${details.officer} already has a request waiting for a second admin; approve, reject or withdraw it first`)
      }
      await audit(tx, p, "request_created", details.officer, { request: id, detail: { kind, name: details.name, role: details.role, ...(kind === "title" ? { title: details.title ?? null } : {}) } })
      return requestJson((await requestInAgency(tx, p.agency, id))!)
    })

  /** Why a code cannot be used, in words an officer acts on. */
  const redemptionRefused = (reason: "unknown" | "used" | "expired" | "officer_disabled") =>
    new ApiError(401, "invalid_enrolment_code", {
      unknown: "this enrolment code is not one we issued: check it and type it again",
      used: "this enrolment code was already used; if it was not you, tell your agency's administrators at once",
      expired: `this enrolment code has expired (codes last ${ENROLMENT_CODE_HOURS} hours); ask your administrators for a new one`,
      officer_disabled: "the officer this code was issued to is disabled"
    }[reason], { details: { reason } })

  return {
    officers: async (p: Principal) => {
      admin(p)
      return listOfficers(s.db, p.agency)
    },

    openRequests: async (p: Principal) => {
      admin(p)
      return (await openRequests(s.db, p.agency, iso())).map(requestJson)
    },

    /** A new officer, once a second admin approves. */
    requestCreate: async (p: Principal, details: OfficerDetails) => {
      admin(p)
      if (await officerIdTaken(s.db, details.officer)) throw new ApiError(409, "officer_exists", `the officer id ${details.officer} is taken`)
      return request(p, "create", details)
    },

    /** Any role change, up or down, needs a second admin: demoting the other admins is a way to act alone too. */
    requestRole: async (p: Principal, officerId: string, role: Role) => {
      admin(p)
      const target = await ownOfficer(s.db, p, officerId)
      if (target.role === role) throw new ApiError(409, "nothing_to_change", `${target.id} is ${role} already`)
      return request(p, "role", { officer: target.id, name: target.name, role })
    },

    requestEnable: async (p: Principal, officerId: string) => {
      admin(p)
      const target = await ownOfficer(s.db, p, officerId)
      if (!target.disabled) throw new ApiError(409, "not_disabled", `${target.id} is not disabled`)
      return request(p, "enable", { officer: target.id, name: target.name, role: target.role })
    },

    /** The title printed under an officer's name on the receipts they approve (null clears it), once a second admin approves that text. */
    requestTitle: async (p: Principal, officerId: string, title: string | null) => {
      admin(p)
      const target = await ownOfficer(s.db, p, officerId)
      if (target.title === title) throw new ApiError(409, "nothing_to_change", title === null ? `${target.id} has no title already` : `${target.id}'s title is "${title}" already`)
      return request(p, "title", { officer: target.id, name: target.name, role: target.role, title })
    },

    /** A new enrolment code for an officer who lost their token or let it expire. */
    requestEnrol: async (p: Principal, officerId: string) => {
      admin(p)
      const target = await ownOfficer(s.db, p, officerId)
      if (target.disabled) throw new ApiError(409, "officer_disabled", `${target.id} is disabled; ask to enable them instead, which gives a code too`)
      return request(p, "enrol", { officer: target.id, name: target.name, role: target.role })
    },

    /** The second admin approves exactly what they were shown; an approval that lets someone in gives an enrolment code. */
    approve: async (p: Principal, requestId: string, seen: OfficerDetails): Promise<{ readonly request: RequestJson; readonly enrolment: Enrolment | null }> => {
      admin(p)
      return s.db.transaction(async (tx) => {
        const r = await requestInAgency(tx, p.agency, requestId, true)
        if (r === undefined) throw new ApiError(404, "not_found", `no request ${requestId} in agency ${p.agency}`)
        const now = iso()
        const checked = checkApproval({ ...r, agency: p.agency }, p, seen, now)
        if (Result.isFailure(checked)) {
          const reason = checked.failure.reason
          throw new ApiError(refusalStatus[reason], reason === "own_request" ? "four_eyes" : reason, checked.failure.message, { details: { reason } })
        }
        switch (r.kind) {
          case "create":
            if (await officerIdTaken(tx, r.officer)) throw new ApiError(409, "officer_exists", `the officer id ${r.officer} was taken meanwhile; reject this request`)
            await insertOfficer(tx, { id: r.officer, agency: p.agency, name: r.name, role: r.role })
            break
          case "role":
            await ownOfficer(tx, p, r.officer)
            await setRole(tx, r.officer, r.role)
            break
          case "enable":
            await ownOfficer(tx, p, r.officer)
            await enableOfficer(tx, r.officer)
            break
          case "enrol":
            if ((await ownOfficer(tx, p, r.officer)).disabled) throw new ApiError(409, "officer_disabled", `${r.officer} was disabled meanwhile`)
            break
          case "title":
            await ownOfficer(tx, p, r.officer)
            await setTitle(tx, r.officer, r.title)
            break
        }
        if (!(await decideRequest(tx, r.id, "approved", p.officer, now))) throw new ApiError(409, "already_decided", `request ${r.id} was decided meanwhile`)
        await audit(tx, p, "request_approved", r.officer, { request: r.id, detail: { kind: r.kind, name: r.name, role: r.role, ...(r.kind === "title" ? { title: r.title } : {}), requestedBy: r.requestedBy } })
        let enrolment: Enrolment | null = null
        if (issuesEnrolmentCode(r.kind)) {
          enrolment = { code: enrolmentCodeFromBytes(s.randomBytes(13)), expiresAt: later(ENROLMENT_CODE_HOURS * HOUR) }
          await issueEnrolmentCode(tx, { codeSha256: await sha256Hex(enrolment.code), officerId: r.officer, requestId: r.id, issuedBy: p.officer, now, expiresAt: enrolment.expiresAt })
          await audit(tx, p, "enrolment_code_issued", r.officer, { request: r.id, detail: { expiresAt: enrolment.expiresAt } })
        }
        return { request: requestJson((await requestInAgency(tx, p.agency, r.id))!), enrolment }
      })
    },

    /** Another admin rejects; the requester withdraws. */
    reject: async (p: Principal, requestId: string): Promise<RequestJson> => {
      admin(p)
      return s.db.transaction(async (tx) => {
        const r = await requestInAgency(tx, p.agency, requestId, true)
        if (r === undefined) throw new ApiError(404, "not_found", `no request ${requestId} in agency ${p.agency}`)
        const decision = r.requestedBy === p.officer ? "withdrawn" : "rejected"
        if (!(await decideRequest(tx, r.id, decision, p.officer, iso()))) throw new ApiError(409, "already_decided", `request ${r.id} was already ${r.decision}`)
        await audit(tx, p, `request_${decision}`, r.officer, { request: r.id, detail: { kind: r.kind } })
        return requestJson((await requestInAgency(tx, p.agency, r.id))!)
      })
    },

    /** Taking power away needs one admin: it cannot be used to act alone. Every token and session of the officer ends. */
    disable: async (p: Principal, officerId: string) => {
      admin(p)
      if (officerId === p.officer) throw new ApiError(409, "cannot_disable_self", "an admin cannot disable their own account; ask another admin")
      return s.db.transaction(async (tx) => {
        const target = await ownOfficer(tx, p, officerId)
        const ended = await disableOfficer(tx, target.id, p.officer, iso())
        await audit(tx, p, "officer_disabled", target.id, { detail: ended })
        return { officer: target.id, disabled: true, ...ended }
      })
    },

    audit: async (p: Principal, options: { readonly officer?: string | undefined; readonly before?: string | undefined; readonly limit: number }) => {
      if (p.role !== "admin" && p.role !== "auditor") {
        throw new ApiError(403, "forbidden", `the role ${p.role} may not read the officer administration trail`, { details: { role: p.role } })
      }
      return officerAuditOf(s.db, p.agency, options)
    },

    /** An enrolment code for the officer's own first token; the code is used up. */
    redeem: async (typed: string, asked: { readonly label?: unknown; readonly expiresInDays?: unknown; readonly via: "api" | "console" }): Promise<MadeToken & { readonly principal: Principal }> => {
      const code = normalizeEnrolmentCode(typed)
      if (code === undefined) throw new ApiError(400, "invalid_enrolment_code", "an enrolment code has 20 letters and digits in groups of five, like 7KQ2M-9XWPD-3HRTA-0BCVE")
      const tokenLabel = label(asked.label, asked.via === "console" ? "console" : "enrolment")
      const days = lifetime(asked.expiresInDays)
      const outcome = await s.db.transaction(async (tx) => {
        const redeemed = await redeemEnrolmentCode(tx, await sha256Hex(code), iso())
        if (!redeemed.ok) return redeemed
        const principal: Principal = { officer: redeemed.officer, agency: redeemed.agency, role: redeemed.role }
        const made = await makeToken(tx, { officerId: principal.officer, label: tokenLabel, randomBytes: s.randomBytes, now: s.now(), days })
        await audit(tx, principal, "enrolment_redeemed", principal.officer, { detail: { tokenId: made.tokenId, expiresAt: made.expiresAt, via: asked.via } })
        return { ok: true as const, made, principal }
      })
      if (!outcome.ok) {
        // A used code tried again may have been taken by someone else: the agency's trail shows it.
        if (outcome.agency !== undefined) {
          await recordOfficerAudit(s.db, { agency: outcome.agency, actor: "anonymous", action: "enrolment_refused", officer: outcome.officer, at: iso(), detail: { reason: outcome.reason, via: asked.via } })
        }
        throw redemptionRefused(outcome.reason)
      }
      return { ...outcome.made, principal: outcome.principal }
    },

    ownTokens: (p: Principal): Promise<Array<TokenInfo>> => tokensOf(s.db, p.officer),

    /** Another token for oneself; it never outlives the token that asked for it, so a stolen token cannot be renewed forever. */
    createOwnToken: async (p: Principal, presenting: { readonly expiresAt: string }, asked: { readonly label?: unknown; readonly expiresInDays?: unknown }) => {
      const tokenLabel = label(asked.label, "api")
      const wanted = s.now().getTime() + lifetime(asked.expiresInDays) * 24 * HOUR
      const capped = wanted > Date.parse(presenting.expiresAt)
      const expiresAt = new Date(capped ? Date.parse(presenting.expiresAt) : wanted).toISOString()
      return s.db.transaction(async (tx) => {
        const made = await makeToken(tx, { officerId: p.officer, label: tokenLabel, randomBytes: s.randomBytes, now: s.now(), expiresAt })
        await audit(tx, p, "token_created", p.officer, { detail: { tokenId: made.tokenId, label: tokenLabel, expiresAt: made.expiresAt } })
        return { ...made, cappedByPresentingToken: capped }
      })
    },

    /** An officer revokes their own tokens; an admin any token of the agency. Another agency's token is not found. */
    revokeToken: async (p: Principal, tokenId: string) => {
      const found = /^[0-9a-f]{16}$/.test(tokenId) ? await tokenById(s.db, tokenId) : undefined
      const mayRevoke = found !== undefined && (found.officer === p.officer || (p.role === "admin" && found.agency === p.agency))
      if (found === undefined || !mayRevoke) throw new ApiError(404, "not_found", `no token ${tokenId.slice(0, 20)} that you may revoke`)
      return s.db.transaction(async (tx) => {
        const revoked = await revokeTokenRow(tx, found.id, p.officer, iso())
        if (!revoked) throw new ApiError(409, "already_revoked", `token ${found.id} was revoked already`)
        await audit(tx, p, "token_revoked", found.officer, { detail: { tokenId: found.id, label: found.label } })
        return { id: found.id, officer: found.officer, revoked: true }
      })
    },

    tokensOfOfficer: async (p: Principal, officerId: string) => {
      admin(p)
      const target = await ownOfficer(s.db, p, officerId)
      return tokensOf(s.db, target.id)
    }
  }
}

export type Privileges = ReturnType<typeof makePrivileges>
