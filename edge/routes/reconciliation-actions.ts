/**
 * What officers do in reconciliation, as the API (routes/reconciliation.ts)
 * and the console (console/reconciliation*.ts) share it: each action checks
 * the role, keeps to the officer's agency (another agency's account is "not
 * found", as its receipts are), runs the store's reconciliation, writes the
 * edge audit, and turns the store's refusals into answers through the
 * exhaustive mapping (http/domain-errors.ts).
 *
 * Roles: reading needs `read`; importing, running, settling the queue and
 * payment requests need `draft` (officers and approvers); closing a day
 * needs `approve`.
 */
import { Result } from "effect"
import { loadStatementMappings } from "../../adapters/bank/mappings.ts"
import { dayReportsCsv, dayReportsXlsx } from "../../adapters/reconciliation/day-report-file.ts"
import { withUploadedStatement } from "../../adapters/reconciliation/statement-upload.ts"
import type { EntryReject, StatementFormat } from "../../domain/bank/statement.ts"
import { parseStatementMapping, type StatementMapping } from "../../domain/bank/statement-mapping.ts"
import { vietnamDateOf } from "../../domain/dates.ts"
import { uuidFromBytes } from "../../domain/ids.ts"
import type { DailyReport } from "../../domain/reconciliation/daily-report.ts"
import { makePaymentRequest } from "../../domain/reconciliation/payment-request.ts"
import { paymentReferenceFromBytes } from "../../domain/reconciliation/payment-reference.ts"
import { recordEdgeAudit } from "../../store/audit/edge-audit.ts"
import { agencyAccounts, accountOwner, type BankAccountRow } from "../../store/reconciliation/accounts.ts"
import { creditDrafts, type CreditDraftRow, type DraftSaver, recordImporter } from "../../store/reconciliation/credit-drafts.ts"
import { accountDayReport, closeDay } from "../../store/reconciliation/days.ts"
import { monthReports, type MonthDay } from "../../store/reconciliation/month.ts"
import { createPaymentRequest, paymentRequestsOf, type PaymentRequestRow } from "../../store/reconciliation/payment-requests.ts"
import { queueWithEvidence, type QueueItem } from "../../store/reconciliation/queue-evidence.ts"
import { ReconciliationRefused, taggedRefusal } from "../../store/reconciliation/refusals.ts"
import { rejectQueued } from "../../store/reconciliation/reject.ts"
import { resolveQueued } from "../../store/reconciliation/resolve.ts"
import { runWithDrafts, type RunWithDrafts } from "../../store/reconciliation/run-with-drafts.ts"
import { type ImportSummary, importStatementEvents } from "../../store/reconciliation/statement-import.ts"
import { apiErrorOf, type MappedFailure } from "../http/domain-errors.ts"
import type { Principal } from "../http/env.ts"
import { refusal } from "../http/errors.ts"
import { requirePermission } from "../officers/actions.ts"
import type { EdgeServices } from "../services.ts"

const mappedTags = new Set(["BankFileRefused", "MappingRefused", "InvalidPaymentRequest", "InvalidVietQr", "ReconciliationRefusal"])

/** A store refusal as the answer its mapping gives; anything else goes on (a bug or an outage). */
export const asAnswer = (e: unknown, agency: string): unknown => {
  if (e instanceof ReconciliationRefused) {
    // The store names the other agency; an officer must not learn which agency an account belongs to.
    const plain = e.reason === "other_agency" ? new ReconciliationRefused("other_agency", `the statement is for an account that is not one of agency ${agency}'s`) : e
    return apiErrorOf(taggedRefusal(plain))
  }
  const tag = (e as { _tag?: unknown } | null)?._tag
  if (typeof tag === "string" && mappedTags.has(tag)) return apiErrorOf(e as MappedFailure)
  return e
}

const answered = async <A>(agency: string, f: () => Promise<A>): Promise<A> => {
  try {
    return await f()
  } catch (e) {
    throw asAnswer(e, agency)
  }
}

export const dayPattern = /^\d{4}-\d{2}-\d{2}$/
export const monthPattern = /^\d{4}-(0[1-9]|1[0-2])$/

const checkDay = (day: string | undefined): string => {
  if (day === undefined || !dayPattern.test(day) || Number.isNaN(Date.parse(`${day}T00:00:00Z`))) {
    throw refusal(422, "invalid_day", { vi: `Ngày "${(day ?? "").slice(0, 20)}" không hợp lệ; hãy ghi theo dạng YYYY-MM-DD.`, en: `"${(day ?? "").slice(0, 20)}" is not a day; write YYYY-MM-DD` })
  }
  return day
}

export interface StatementUpload {
  readonly bytes: Uint8Array
  readonly name: string
  /** A shipped mapping id (adapters/bank/mappings/) or a mapping as JSON text, for CSV and XLSX. */
  readonly mapping?: string | undefined
  readonly account?: string | undefined
  readonly format?: string | undefined
}

export interface StatementImported {
  readonly summary: ImportSummary
  readonly rejects: ReadonlyArray<EntryReject & { readonly statementId: string }>
}

const formats: ReadonlyArray<StatementFormat> = ["camt.053", "camt.054", "mt940", "csv", "xlsx"]

const mappingOf = (text: string | undefined): StatementMapping | undefined => {
  if (text === undefined || text.trim() === "") return undefined
  const trimmed = text.trim()
  if (trimmed.startsWith("{")) {
    let json: unknown
    try {
      json = JSON.parse(trimmed)
    } catch {
      throw refusal(422, "mapping_refused", { vi: "Bảng ánh xạ cột không phải JSON hợp lệ.", en: "the column mapping is not valid JSON" })
    }
    const parsed = parseStatementMapping(json)
    if (Result.isFailure(parsed)) {
      throw refusal(422, "mapping_refused", { vi: `Bảng ánh xạ cột không dùng được: ${parsed.failure.join("; ")}`, en: `the column mapping cannot be used: ${parsed.failure.join("; ")}` })
    }
    return parsed.success
  }
  const shipped = loadStatementMappings()
  const found = shipped.get(trimmed)
  if (found === undefined) {
    const ids = [...shipped.keys()].join(", ")
    throw refusal(422, "unknown_mapping", { vi: `Không có bảng ánh xạ "${trimmed.slice(0, 60)}"; có sẵn: ${ids}.`, en: `no mapping "${trimmed.slice(0, 60)}"; shipped: ${ids}` })
  }
  return found
}

export const makeReconciliationActions = (s: EdgeServices) => {
  const iso = () => s.now().toISOString()
  const audit = (p: Principal, action: string, detail: Record<string, unknown>, target?: string) =>
    recordEdgeAudit(s.db, { agency: p.agency, actor: p.officer, action, target, at: iso(), detail })

  // Drafts made from credits: by the receipt store, on behalf of the officer named (the audit entry says so).
  const saver = (): DraftSaver => ({
    save: (draft, auditDetail) => s.run(s.store.saveDraft(draft, { now: iso(), auditDetail })),
    newId: () => uuidFromBytes(s.randomBytes(16)),
    series: () => ({ form: "01-BLTHADS", symbol: `AA/${vietnamDateOf(iso()).slice(2, 4)}E` }),
    now: iso()
  })

  /** The account, if it is one of the officer's agency; otherwise "not found", whoever owns it. */
  const ownAccount = async (p: Principal, account: string | undefined): Promise<string> => {
    const a = (account ?? "").trim()
    if (a === "" || (await accountOwner(s.db, a)) !== p.agency) {
      throw refusal(404, "unknown_account", { vi: `Không có tài khoản ${a.slice(0, 40)} trong cơ quan của bạn.`, en: `no account ${a.slice(0, 40)} in your agency` })
    }
    return a
  }

  const dayReport = async (p: Principal, account: string | undefined, day: string | undefined): Promise<DailyReport> => {
    requirePermission(p, "read")
    const a = await ownAccount(p, account)
    const d = checkDay(day)
    const r = await accountDayReport(s.db, p.agency, a, d)
    if (Result.isFailure(r)) throw asAnswer(r.failure, p.agency)
    return r.success
  }

  return {
    ownAccount,
    dayReport,

    accounts: async (p: Principal): Promise<Array<BankAccountRow>> => {
      requirePermission(p, "read")
      return agencyAccounts(s.db, p.agency)
    },

    importStatement: async (p: Principal, u: StatementUpload): Promise<StatementImported> => {
      requirePermission(p, "draft")
      if (u.format !== undefined && u.format !== "" && !formats.includes(u.format as StatementFormat)) {
        throw refusal(422, "unknown_format", { vi: `Định dạng "${u.format.slice(0, 20)}" không được hỗ trợ; dùng: ${formats.join(", ")}.`, en: `format "${u.format.slice(0, 20)}" is not supported; use ${formats.join(", ")}` })
      }
      if (u.bytes.length === 0) throw refusal(400, "empty_file", { vi: "Tệp sao kê rỗng.", en: "the statement file is empty" })
      const mapping = mappingOf(u.mapping)
      const account = u.account === undefined || u.account.trim() === "" ? undefined : await ownAccount(p, u.account)
      const rejects: Array<EntryReject & { statementId: string }> = []
      const summary = await answered(p.agency, () =>
        withUploadedStatement(u.bytes, u.name, {
          ...(mapping === undefined ? {} : { mapping }),
          ...(account === undefined ? {} : { account }),
          ...(u.format === undefined || u.format === "" ? {} : { format: u.format as StatementFormat })
        }, (events) => importStatementEvents(s.db, events, { agency: p.agency, source: u.name.slice(0, 200), now: iso(), onReject: (r) => rejects.push(r) }))
      )
      await recordImporter(s.db, p.agency, summary.statements.map((st) => ({ account: st.account, statementId: st.statementId })), p.officer, iso())
      await audit(p, "reconciliation_import", { file: u.name.slice(0, 200), statements: summary.statements.map((st) => st.statementId), newEntries: summary.newEntries, rejected: summary.rejected })
      return { summary, rejects }
    },

    run: async (p: Principal): Promise<RunWithDrafts> => {
      requirePermission(p, "draft")
      const now = iso()
      const r = await answered(p.agency, () => runWithDrafts(s.db, { agency: p.agency, now, today: vietnamDateOf(now) }, saver()))
      await audit(p, "reconciliation_run", { credits: r.credits, matched: r.matchedCredits, queued: r.queued, unmatched: r.unmatched, drafts: r.drafts.made.map((d) => d.receiptId) })
      return r
    },

    queue: async (p: Principal): Promise<Array<QueueItem>> => {
      requirePermission(p, "read")
      return queueWithEvidence(s.db, p.agency)
    },

    /** The officer names what the queued credit pays; the sums must agree (the store checks them). */
    resolve: async (p: Principal, account: string, bankReference: string, targets: ReadonlyArray<{ readonly kind: "receipt" | "request"; readonly id: string }>): Promise<void> => {
      requirePermission(p, "draft")
      await answered(p.agency, () => resolveQueued(s.db, { agency: p.agency, account, bankReference, targets, officer: p.officer, now: iso() }))
      await audit(p, "reconciliation_resolve", { credit: `${account}/${bankReference}`, targets: targets.map((t) => `${t.kind}:${t.id}`) })
    },

    /** None of the candidates: the credit gets a draft receipt of its own, made by this officer. */
    reject: async (p: Principal, account: string, bankReference: string): Promise<CreditDraftRow> => {
      requirePermission(p, "draft")
      const made = await answered(p.agency, () => rejectQueued(s.db, { agency: p.agency, account, bankReference, officer: p.officer, now: iso() }, saver()))
      await audit(p, "reconciliation_reject", { credit: `${account}/${bankReference}`, draft: made.receiptId }, made.receiptId)
      return made
    },

    dayReportFile: async (p: Principal, account: string | undefined, day: string | undefined, format: "csv" | "xlsx"): Promise<{ readonly bytes: Uint8Array; readonly name: string }> => {
      const r = await dayReport(p, account, day)
      const name = `doi-chieu-${r.account}-${r.day}.${format}`
      return { bytes: format === "csv" ? new TextEncoder().encode(dayReportsCsv([r])) : await dayReportsXlsx([r]), name }
    },

    month: async (p: Principal, account: string | undefined, month: string | undefined): Promise<Array<MonthDay>> => {
      requirePermission(p, "read")
      const a = await ownAccount(p, account)
      if (month === undefined || !monthPattern.test(month)) {
        throw refusal(422, "invalid_month", { vi: `Tháng "${(month ?? "").slice(0, 20)}" không hợp lệ; hãy ghi theo dạng YYYY-MM.`, en: `"${(month ?? "").slice(0, 20)}" is not a month; write YYYY-MM` })
      }
      return monthReports(s.db, p.agency, a, month)
    },

    closeDay: async (p: Principal, account: string | undefined, day: string | undefined): Promise<DailyReport> => {
      requirePermission(p, "approve")
      const a = await ownAccount(p, account)
      const d = checkDay(day)
      const r = await answered(p.agency, () => closeDay(s.db, p.agency, a, d, p.officer, iso()))
      await audit(p, "reconciliation_close_day", { account: a, day: d })
      return r
    },

    createPaymentRequest: async (p: Principal, input: { readonly account?: string | undefined; readonly amount?: string | undefined; readonly payerName?: string | undefined; readonly decisionNumber?: string | undefined }): Promise<PaymentRequestRow> => {
      requirePermission(p, "draft")
      const account = await ownAccount(p, input.account)
      const bin = (await agencyAccounts(s.db, p.agency)).find((x) => x.account === account)?.bankBin
      if (bin === null || bin === undefined) {
        throw refusal(422, "account_without_bank", { vi: `Tài khoản ${account} chưa có mã ngân hàng (BIN); không lập được mã VietQR.`, en: `account ${account} has no bank BIN registered; a VietQR code needs it` })
      }
      if ((input.payerName ?? "").length > 200) {
        throw refusal(422, "invalid_payment_request", { vi: "Họ tên người nộp dài quá 200 ký tự.", en: "the payer's name is longer than 200 characters" })
      }
      const request = makePaymentRequest({
        agency: p.agency,
        bankBin: bin,
        account,
        amount: input.amount ?? "",
        payerName: input.payerName ?? "",
        decisionNumber: input.decisionNumber,
        reference: paymentReferenceFromBytes(s.randomBytes(7))
      })
      if (Result.isFailure(request)) throw apiErrorOf(request.failure)
      await answered(p.agency, () => createPaymentRequest(s.db, request.success, p.officer, iso()))
      await audit(p, "payment_request", { reference: request.success.reference, account, amount: request.success.amount.toString() }, request.success.reference)
      return (await paymentRequestsOf(s.db, p.agency, request.success.reference))[0] as PaymentRequestRow
    },

    paymentRequests: async (p: Principal, reference?: string): Promise<Array<PaymentRequestRow>> => {
      requirePermission(p, "read")
      return paymentRequestsOf(s.db, p.agency, reference)
    },

    creditDrafts: async (p: Principal): Promise<Array<CreditDraftRow>> => {
      requirePermission(p, "read")
      return creditDrafts(s.db, p.agency)
    }
  }
}

export type ReconciliationActions = ReturnType<typeof makeReconciliationActions>

