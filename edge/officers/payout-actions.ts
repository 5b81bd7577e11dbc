/**
 * Paying out, as the officer API (edge/routes/payout.ts) and the console
 * (edge/console/payout-*.ts) both do it: the same role checks, agency scope
 * and store calls, so the console can do nothing the API forbids.
 *
 * - Reading (cases, rounds, reports, a creditor's history): any role of the agency.
 * - Importing creditors, planning, exporting to the bank, applying the bank's
 *   answers, depositing: an officer or an approver.
 * - Approving: an approver who did not plan the round, naming the SHA-256 of
 *   the planned header they reviewed (the store and the database refuse the
 *   planner, and a hash that is not the stored plan's).
 *
 * Everything is scoped by the officer's agency: a round, a line or a claim of
 * another agency is "not found", never shown. Every write is audited by the
 * store (payout_audit, with the officer as actor) and, for files that came
 * in or went out, in edge_audit.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Result, Schema } from "effect"
import { formatCsvRecord } from "../../domain/bank/csv.ts"
import { pain001Chunks, type Pain001Debtor, type Pain001Line } from "../../domain/bank/pain001.ts"
import { BankFileRefused } from "../../domain/bank/statement.ts"
import { checkBankAccount } from "../../domain/bank/account-number.ts"
import { lookupCodeFromBytes, uuidFromBytes } from "../../domain/ids.ts"
import { parseDecisionNumber } from "../../domain/case-numbers.ts"
import { decodeClaims } from "../../domain/payout/claim.ts"
import { ClaimsFileRefused } from "../../domain/payout/claim-columns.ts"
import { decodeRoundTerms } from "../../domain/payout/round.ts"
import { loadStatementMappings } from "../../adapters/bank/mappings.ts"
import { readPayoutAnswers } from "../../adapters/bank/payout-answers.ts"
import { readClaimsUpload } from "../../adapters/payout/claims-upload.ts"
import { recordEdgeAudit } from "../../store/audit/edge-audit.ts"
import { approveRound, type ApprovedRound } from "../../store/payout/approve-round.ts"
import { type AnswersSummary, applyBankAnswers, depositLines } from "../../store/payout/bank-answers.ts"
import { exportRound, type ExportedBatch } from "../../store/payout/bank-export.ts"
import { importClaims, type ImportSummary } from "../../store/payout/claims.ts"
import { PayoutRefused } from "../../store/payout/errors.ts"
import { planAndStoreRound } from "../../store/payout/plan-round.ts"
import { batchesOf, casesOf, creditorHistory, creditorsOf, roundsOf } from "../../store/payout/payout-queries.ts"
import { plannedHeaderOf, roundReport } from "../../store/payout/report.ts"
import { apiErrorOf } from "../http/domain-errors.ts"
import type { Principal } from "../http/env.ts"
import { refusal } from "../http/errors.ts"
import type { EdgeServices } from "../services.ts"
import { isUuid } from "../../domain/ids.ts"

export type PayoutWork = "read" | "work" | "approve"

const ROLES: Readonly<Record<PayoutWork, ReadonlyArray<Principal["role"]>>> = {
  read: ["officer", "approver", "auditor", "admin"],
  work: ["officer", "approver"],
  approve: ["approver"]
}

const WORK_NAMES: Readonly<Record<PayoutWork, { vi: string; en: string }>> = {
  read: { vi: "xem chi trả", en: "read payouts" },
  work: { vi: "lập, gửi và đối chiếu chi trả", en: "plan, send and settle payouts" },
  approve: { vi: "phê duyệt đợt chi trả", en: "approve payout rounds" }
}

const ROLE_NAMES: Readonly<Record<Principal["role"], string>> = { officer: "cán bộ", approver: "lãnh đạo phê duyệt", auditor: "kiểm soát", admin: "quản trị" }

export const requirePayout = (p: Principal, work: PayoutWork): void => {
  if (!ROLES[work].includes(p.role)) {
    throw refusal(403, "forbidden", {
      vi: `Vai trò ${ROLE_NAMES[p.role]} không được ${WORK_NAMES[work].vi}.`,
      en: `The role ${p.role} may not ${WORK_NAMES[work].en}.`
    }, { details: { role: p.role, needs: ROLES[work] } })
  }
}

/** A store call whose refusals become the officer's answer (edge/officers/payout-refusals.ts). */
const attempt = async <A>(run: () => Promise<A>): Promise<A> => {
  try {
    return await run()
  } catch (error) {
    if (error instanceof PayoutRefused || Schema.is(PayoutRefused)(error)) throw apiErrorOf(error as PayoutRefused)
    if (error instanceof BankFileRefused || Schema.is(BankFileRefused)(error)) throw apiErrorOf(error as BankFileRefused)
    throw error
  }
}


/** A round id from a path; anything else is simply not found. */
export const roundIdOf = (raw: string | undefined): string => {
  const id = (raw ?? "").toLowerCase()
  if (!isUuid(id)) throw refusal(404, "not_found", { vi: "Không có đợt chi trả này trong cơ quan của bạn.", en: "No such payout round in your agency." })
  return id
}

/**
 * The case's enforcement decision number in canonical form ("3699/qd-cthads" → "3699/QĐ-CTHADS"), as the round's
 * terms require it: a list imported under anything else could never be planned.
 */
export const caseOf = (raw: string | undefined): string => {
  const c = (raw ?? "").trim()
  const parsed = c.length > 120 ? undefined : parseDecisionNumber(c)
  if (parsed === undefined || Result.isFailure(parsed)) {
    throw refusal(422, "invalid_case", {
      vi: `"${c.slice(0, 40)}" không phải số quyết định thi hành án; hãy ghi theo dạng 3699/QĐ-CTHADS.`,
      en: `"${c.slice(0, 40)}" is not an enforcement decision number; write it like 3699/QĐ-CTHADS.`
    })
  }
  return parsed.success
}

export interface RejectedRow {
  readonly row: number
  readonly reasons: ReadonlyArray<string>
}

export interface PlanRequest {
  readonly case: string
  readonly legalDate: string
  readonly available: string
  readonly ratio?: string | undefined
  readonly fee?: unknown
  readonly costs?: string | undefined
  readonly housing?: string | undefined
  readonly coercion?: { readonly decisionNumber: string; readonly decisionDate: string } | undefined
  readonly securedAsset?: string | undefined
}

export interface ExportRequest {
  readonly debtor: Pain001Debtor
  readonly format: "pain001" | "csv"
}

export interface ExportedFile {
  readonly batch: ExportedBatch
  readonly fileName: string
  readonly contentType: string
  readonly body: string
}

const digits = (text: string | undefined): string => (text === undefined || text.trim() === "" ? "0" : text.replace(/[.\s]/g, ""))

const feeOf = (fee: unknown): unknown => {
  if (fee === undefined || fee === "" || fee === "waived") return { kind: "waived" }
  if (fee === "circular216") return { kind: "circular_216_2016", baseSalary: "2340000" }
  if (typeof fee === "string" && fee.startsWith("flat:")) return { kind: "flat_rate", rate: fee.slice(5) }
  return fee
}

/** The CSV batch for banks that take spreadsheets: one row per transfer, the columns of docs/PAYOUT.md ("CSV batch"). */
const csvBatch = async (lines: AsyncIterable<Pain001Line>): Promise<string> => {
  const rows = [formatCsvRecord(["end_to_end_id", "creditor_name", "bank_bin", "account_number", "amount_vnd", "remittance"])]
  for await (const l of lines) rows.push(formatCsvRecord([l.endToEndId, l.creditorName, l.creditorBankBin, l.creditorAccount, l.amount.toString(), l.remittance ?? ""]))
  return `${rows.join("\r\n")}\r\n`
}

export const makePayoutActions = (s: EdgeServices) => {
  const nowIso = () => s.now().toISOString()
  const audit = (p: Principal, action: string, target: string | undefined, detail: Record<string, unknown>) =>
    recordEdgeAudit(s.db, { agency: p.agency, actor: p.officer, action, target, at: nowIso(), detail })

  return {
    cases: (p: Principal) => {
      requirePayout(p, "read")
      return casesOf(s.db, p.agency)
    },
    rounds: (p: Principal, caseDecision?: string) => {
      requirePayout(p, "read")
      return roundsOf(s.db, p.agency, caseDecision)
    },
    creditors: (p: Principal, caseDecision: string, after = "") => {
      requirePayout(p, "read")
      return creditorsOf(s.db, p.agency, caseDecision, 200, after)
    },
    creditorHistory: async (p: Principal, caseDecision: string, claimId: string) => {
      requirePayout(p, "read")
      const found = await creditorHistory(s.db, p.agency, caseDecision, claimId)
      if (found === undefined) {
        throw refusal(404, "not_found", { vi: "Không có người được thi hành án này trong vụ việc của cơ quan bạn.", en: "No such creditor in this case of your agency." })
      }
      await audit(p, "payout_creditor_viewed", `${caseDecision} ${claimId}`, {})
      return found
    },

    /** A round: its report (sums by rank, state, settlement), the planned header an approver reviews and its SHA-256, its batches. */
    round: async (p: Principal, roundId: string) => {
      requirePayout(p, "read")
      const report = await attempt(() => roundReport(s.db, p.agency, roundId))
      const planned = await attempt(() => plannedHeaderOf(s.db, p.agency, roundId))
      return { report, plannedHeader: planned.header, planSha256: planned.sha256, batches: await batchesOf(s.db, p.agency, roundId) }
    },

    /** A creditor list, all or nothing: every refused row with every reason, and then nothing is stored. */
    importCreditors: async (p: Principal, caseDecision: string, bytes: Uint8Array, name: string): Promise<ImportSummary> => {
      requirePayout(p, "work")
      let read
      try {
        read = await readClaimsUpload(bytes, name)
      } catch (error) {
        if (error instanceof ClaimsFileRefused) {
          throw refusal(422, "unreadable_list", { vi: `Không đọc được danh sách: ${error.message}`, en: `The list cannot be read: ${error.message}` })
        }
        throw error
      }
      const rejects = new Map<number, Array<string>>()
      const reject = (row: number, reason: string) => rejects.set(row, [...(rejects.get(row) ?? []), reason])
      const decoded = decodeClaims(read.rows, {
        checkBankAccount: (a) => {
          const checked = checkBankAccount(a.bin, a.number)
          return Result.isFailure(checked) ? checked.failure.map((x) => x.message).join("; ") : undefined
        }
      })
      if (Result.isFailure(decoded)) {
        for (const problem of decoded.failure.problems) {
          const message = problem.message.replace(/\b(on )?row (\d+)/g, (_m, on: string | undefined, n: string) => `${on ?? ""}line ${read.lines[Number(n) - 1] ?? n}`)
          reject(read.lines[problem.row - 1] ?? problem.row, `${problem.path === "" ? "" : `${problem.path}: `}${message}`)
        }
      }
      if (rejects.size === 0 && Result.isSuccess(decoded)) {
        try {
          const summary = await importClaims(s.db, decoded.success, { agency: p.agency, caseDecision, by: p.officer, now: nowIso(), rows: read.lines })
          await audit(p, "payout_creditors_imported", caseDecision, { file: name.slice(0, 200), claims: summary.claims, owed: summary.owed.toString() })
          return summary
        } catch (error) {
          if (!(error instanceof PayoutRefused) || error.reason !== "invalid_claims") throw error
          for (const problem of error.problems) reject(Number(/^row (\d+)$/.exec(problem.where)?.[1] ?? 0), problem.message)
        }
      }
      const rows: Array<RejectedRow> = [...rejects].sort(([a], [b]) => a - b).map(([row, reasons]) => ({ row, reasons }))
      const first = rows.slice(0, 3).map((r) => `dòng ${r.row}: ${r.reasons.join("; ")}`).join(" · ")
      throw refusal(422, "rows_refused", {
        vi: `${rows.length} trong ${read.rows.length} dòng bị từ chối; chưa nhập dòng nào. ${first}`,
        en: `${rows.length} of ${read.rows.length} rows are refused; nothing was imported. ${rows.slice(0, 3).map((r) => `line ${r.row}: ${r.reasons.join("; ")}`).join(" · ")}`
      }, { details: { rejects: rows } })
    },

    plan: async (p: Principal, r: PlanRequest) => {
      requirePayout(p, "work")
      const caseDecision = caseOf(r.case)
      const next = (await roundsOf(s.db, p.agency, caseDecision)).reduce((m, x) => Math.max(m, x.round), 0) + 1
      const terms = decodeRoundTerms({
        agency: p.agency,
        caseDecision,
        round: next,
        legalDate: r.legalDate,
        available: digits(r.available),
        deductions: { enforcementCosts: digits(r.costs), housing: digits(r.housing) },
        allocation: r.ratio === undefined || r.ratio.trim() === "" ? { method: "pro_rata" } : { method: "ratio", ratio: r.ratio.trim() },
        fee: feeOf(r.fee),
        ...(r.coercion === undefined ? {} : { coercion: r.coercion }),
        ...(r.securedAsset === undefined || r.securedAsset === "" ? {} : { securedAsset: r.securedAsset })
      })
      if (Result.isFailure(terms)) {
        throw refusal(422, "invalid_terms", { vi: `Điều kiện của đợt chi trả không hợp lệ: ${terms.failure.message}`, en: `The round's terms are invalid: ${terms.failure.message}` })
      }
      const stored = await attempt(() =>
        planAndStoreRound(s.db, {
          terms: terms.success,
          planner: p.officer,
          now: nowIso(),
          id: uuidFromBytes(s.randomBytes(16)),
          newLookupCode: () => lookupCodeFromBytes(s.randomBytes(8))
        })
      )
      const t = stored.plan.totals
      return {
        roundId: stored.plan.id, case: caseDecision, round: next, planner: p.officer, planSha256: stored.planSha256, plannedHeader: stored.plannedHeader,
        lines: stored.plan.lines.count, paid: t.paid, fee: t.fee, net: t.net, unallocated: t.unallocated
      }
    },

    approve: async (p: Principal, roundId: string, planSha256: string): Promise<ApprovedRound> => {
      requirePayout(p, "approve")
      if (!/^[0-9a-f]{64}$/.test(planSha256)) {
        throw refusal(422, "invalid_sha256", {
          vi: "Hãy ghi mã SHA-256 của kế hoạch đã xem (64 ký tự 0-9, a-f).",
          en: "Give the SHA-256 of the plan you reviewed (64 characters 0-9, a-f)."
        })
      }
      return attempt(() => approveRound(s.db, s.signer.sign, { agency: p.agency, roundId, approver: p.officer, planSha256, now: nowIso() }))
    },

    /** The round's pending bank lines as a new batch (or the latest batch again, byte for byte), as pain.001 or CSV. */
    exportBatch: async (p: Principal, roundId: string, r: ExportRequest): Promise<ExportedFile> => {
      requirePayout(p, "work")
      let body = ""
      const batch = await attempt(() =>
        exportRound(s.db, {
          agency: p.agency,
          roundId,
          debtor: r.debtor,
          by: p.officer,
          now: nowIso(),
          write: async (b) => {
            if (r.format === "csv") {
              body = await csvBatch(b.lines)
              return
            }
            const lines: Array<Pain001Line> = []
            for await (const l of b.lines) lines.push(l)
            body = [...pain001Chunks({ messageId: b.messageId, createdAt: b.createdAt, debtor: b.debtor }, lines, { count: b.count, sum: b.sum })].join("")
          }
        })
      )
      await audit(p, "payout_batch_exported", roundId, { batch: batch.batch, format: r.format, lines: batch.count, sum: batch.sum.toString(), fresh: batch.fresh })
      const base = `${batch.messageId}`
      return r.format === "csv"
        ? { batch, fileName: `${base}.csv`, contentType: "text/csv; charset=utf-8", body }
        : { batch, fileName: `${base}.xml`, contentType: "application/xml; charset=utf-8", body }
    },

    /** The bank's pain.002, camt.054 (or camt.053), or a CSV/XLSX statement through a mapping: all answers or none. */
    answers: async (p: Principal, bytes: Uint8Array, name: string, mappingId?: string, account?: string): Promise<AnswersSummary & { readonly format: string; readonly other: number }> => {
      requirePayout(p, "work")
      const mappings = loadStatementMappings()
      const mapping = mappingId === undefined || mappingId === "" ? undefined : mappings.get(mappingId)
      if (mappingId !== undefined && mappingId !== "" && mapping === undefined) {
        throw refusal(422, "unknown_mapping", { vi: `Không có mẫu cột "${mappingId.slice(0, 40)}"; có: ${[...mappings.keys()].join(", ")}.`, en: `No statement mapping "${mappingId.slice(0, 40)}"; there are ${[...mappings.keys()].join(", ")}.` })
      }
      // The readers take a file (they stream camt and XLSX); the upload is written to a private temporary folder.
      const dir = await mkdtemp(join(tmpdir(), "bienlai-answers-"))
      const ext = /\.(xml|csv|xlsx|txt|sta)$/i.exec(name)?.[0]?.toLowerCase() ?? ".dat"
      const path = join(dir, `answers${ext}`)
      try {
        await writeFile(path, bytes, { mode: 0o600 })
        const read = await attempt(() => readPayoutAnswers(path, { ...(mapping === undefined ? {} : { mapping }), ...(account === undefined || account === "" ? {} : { account }) }))
        if (read.problems.length > 0) {
          throw apiErrorOf(new PayoutRefused({ reason: "bank_file", problems: [...read.problems], message: `${name} (${read.format}) has ${read.problems.length} answer(s) that cannot be read; nothing changed` }))
        }
        const summary = await attempt(() => applyBankAnswers(s.db, { agency: p.agency, answers: read.answers, by: p.officer, now: nowIso() }))
        await audit(p, "payout_answers_applied", undefined, { file: name.slice(0, 200), format: read.format, paid: summary.paid, returned: summary.returned })
        return { ...summary, format: read.format, other: read.other }
      } finally {
        await rm(dir, { recursive: true, force: true })
      }
    },

    deposit: (p: Principal, roundId: string, reference: string, lineIds?: ReadonlyArray<string>) => {
      requirePayout(p, "work")
      const ref = reference.trim()
      if (ref === "" || ref.length > 100) {
        throw refusal(422, "invalid_reference", { vi: "Hãy ghi số sổ tiết kiệm hoặc hợp đồng gửi tiền (tối đa 100 ký tự).", en: "Give the savings deposit's reference (at most 100 characters)." })
      }
      return attempt(() => depositLines(s.db, { agency: p.agency, roundId, reference: ref, by: p.officer, now: nowIso(), ...(lineIds === undefined || lineIds.length === 0 ? {} : { lineIds }) }))
    }
  }
}

export type PayoutActions = ReturnType<typeof makePayoutActions>
