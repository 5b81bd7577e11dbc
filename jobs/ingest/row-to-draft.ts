/**
 * One input row → a validated draft, or every reason it cannot be one.
 *
 * Each cell is read with the domain's tolerant parsers first ("125.500.000",
 * "14/03/2025", "1234/qd-cthads", "079 085 001 234"), so what an office types
 * is accepted in its canonical form; then the whole draft is checked with the
 * receipt schema's rules (createDraft, by the hand-written check of
 * draft-json.ts), which add the rules across fields, such as words that
 * disagree with the figures. A reason names its column.
 */
import { Result } from "effect"
import { parseDecisionNumber, parseJudgmentNumber } from "../../domain/case-numbers.ts"
import { parseVietnameseDate } from "../../domain/dates.ts"
import { validateIdentityNumber } from "../../domain/identity.ts"
import type { DraftInput } from "../../domain/lifecycle.ts"
import { parseVnd } from "../../domain/money.ts"
import type { IssuedReceipt, Payment, Receipt } from "../../domain/receipt.ts"
import { NOT_READ, submissionProblems } from "../../domain/submission.ts"
import { createDraftFast } from "./draft-json.ts"
import { issueTemplate } from "./issue-template.ts"
import type { Column, RowFields } from "./columns.ts"
import { receiptIdFor } from "./receipt-ids.ts"
import { type OfficerRegistry, checkApprover, checkMaker } from "./officer-registry.ts"

export interface RowDefaults {
  readonly agency?: string | undefined
  readonly form?: string | undefined
  readonly symbol?: string | undefined
}

export interface RowContext {
  readonly defaults: RowDefaults
  readonly officers: OfficerRegistry
  /**
   * The maker of every row: the officer whose API token the run was given,
   * never a name typed in the file. A row whose maker column names anyone
   * else is rejected. Absent only where no row is drafted (`bienlai sign`).
   */
  readonly maker?: string | undefined
  /** createdAt of rows without a created_at cell. */
  readonly now: string
  /** Issue mode: the approver and the issue instant. */
  readonly issue?: { readonly approver: string; readonly now: string } | undefined
}

export interface MappedRow {
  readonly draft: Receipt
  /** Issue mode: the receipt as it will be issued, with a placeholder number and lookup code. */
  readonly template?: IssuedReceipt | undefined
  readonly externalId?: string | undefined
}

/** Where each schema path is reported, so a reason names the column the office knows. */
const columnOfPath: Record<string, Column> = {
  agency: "agency",
  office: "office",
  "series.form": "form",
  "series.symbol": "symbol",
  "payer.name": "payer_name",
  "payer.idNumber": "payer_id_number",
  "payer.address": "payer_address",
  "case.judgmentNumber": "judgment_number",
  "case.judgmentDate": "judgment_date",
  "case.decisionNumber": "decision_number",
  "case.decisionDate": "decision_date",
  reason: "reason",
  amount: "amount",
  amountInWords: "amount_in_words",
  "payment.reference": "bank_reference",
  payment: "payment_method",
  maker: "maker",
  createdAt: "created_at",
  approver: "maker",
  issuedAt: "created_at"
}

const cashWords = new Set(["cash", "tien mat", "tm"])
const transferWords = new Set(["bank_transfer", "bank transfer", "chuyen khoan", "ck", "transfer"])

const fold = (s: string): string => s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/gi, "d").toLowerCase().trim()

/** The draft of a row, or all of its problems as "column: reason". */
export const draftFromRow = (fields: RowFields, ctx: RowContext): Result.Result<MappedRow, Array<string>> => {
  const reasons: Array<string> = []
  const failed = new Set<Column>()
  const reason = (column: Column, message: string) => {
    failed.add(column)
    reasons.push(`${column}: ${message}`)
  }
  const required = (column: Column, value: string | undefined, what: string): string => {
    if (value === undefined) reason(column, `${what} is missing`)
    return value ?? ""
  }

  const given = (column: Column) => fields[column]
  const agency = required("agency", fields.agency ?? ctx.defaults.agency, "the agency")
  if (fields.agency !== undefined && ctx.defaults.agency !== undefined && fields.agency !== ctx.defaults.agency) {
    reason("agency", `the row belongs to ${fields.agency}, but this run ingests for ${ctx.defaults.agency}`)
  }
  const form = required("form", fields.form ?? ctx.defaults.form, "the form number (mẫu số)")
  const symbol = required("symbol", fields.symbol ?? ctx.defaults.symbol, "the series symbol (ký hiệu)")
  const maker = required("maker", ctx.maker, "the maker (the officer of the API token)")
  // A maker column is a claim, not an identity: it may only repeat the token's officer.
  const claimedByAnother = fields.maker !== undefined && maker !== "" && fields.maker !== maker
  if (claimedByAnother) {
    reason("maker", `the row names ${fields.maker} as its maker (người lập), but this run's maker is ${maker}, the officer of the API token; ${fields.maker} ingests their own rows with their own token`)
  }
  const payerName = required("payer_name", given("payer_name"), "the payer's name")
  const reasonText = required("reason", given("reason"), "the reason for payment")

  let amount = 0n
  const amountText = required("amount", given("amount"), "the amount")
  if (amountText !== "") {
    const parsed = parseVnd(amountText)
    if (Result.isSuccess(parsed)) amount = parsed.success
    else reason("amount", parsed.failure.message)
  }

  const optional = <A>(column: Column, parse: (s: string) => Result.Result<A, { readonly message: string }>): A | undefined => {
    const text = given(column)
    if (text === undefined) return undefined
    const parsed = parse(text)
    if (Result.isSuccess(parsed)) return parsed.success
    reason(column, parsed.failure.message)
    return undefined
  }
  const idNumber = optional("payer_id_number", (s) => Result.map(validateIdentityNumber(s), (id) => id.value))
  const judgmentNumber = optional("judgment_number", parseJudgmentNumber)
  const judgmentDate = optional("judgment_date", parseVietnameseDate)
  const decisionNumber = optional("decision_number", parseDecisionNumber)
  const decisionDate = optional("decision_date", parseVietnameseDate)

  let payment: Payment = { method: "cash" }
  const method = given("payment_method")
  const reference = given("bank_reference")
  const folded = method === undefined ? undefined : fold(method)
  if (folded === undefined ? reference !== undefined : transferWords.has(folded)) {
    if (reference === undefined) reason("bank_reference", "a bank transfer needs its bank reference")
    else payment = { method: "bank_transfer", reference }
  } else if (folded !== undefined && !cashWords.has(folded)) {
    reason("payment_method", `"${method}" is not a payment method; write "tiền mặt" (cash) or "chuyển khoản" (bank transfer)`)
  } else if (reference !== undefined && folded !== undefined) {
    reason("bank_reference", "a cash payment has no bank reference")
  }

  const externalId = given("external_id")
  if (externalId !== undefined && externalId.length > 128) reason("external_id", "is longer than 128 characters")

  if (maker !== "" && !claimedByAnother) for (const m of checkMaker(ctx.officers, agency, maker)) reason("maker", m)
  if (ctx.issue !== undefined && maker !== "" && !claimedByAnother && agency !== "") {
    for (const m of checkApprover(ctx.officers, agency, ctx.issue.approver, maker)) reason("maker", m)
  }

  const input: DraftInput = {
    agency,
    office: given("office"),
    series: { form, symbol },
    payer: { name: payerName, idNumber, address: given("payer_address") },
    case: { judgmentNumber, judgmentDate, decisionNumber, decisionDate },
    reason: reasonText,
    amount,
    payment,
    amountInWords: failed.has("amount") ? undefined : given("amount_in_words")
  }
  const createdAt = given("created_at") ?? ctx.now
  // Ids come from content that is known to parse; a row with reasons gets none.
  const drafted = createDraftFast(input, { id: "00000000-0000-4000-8000-000000000000", maker: maker === "" ? "unknown.maker" : maker, now: createdAt })
  if (Result.isFailure(drafted)) {
    for (const issue of drafted.failure.issues) {
      const column = columnOfPath[issue.path] ?? columnOfPath[issue.path.split(".")[0] ?? ""]
      if (column !== undefined && failed.has(column)) continue
      reasons.push(`${column ?? (issue.path || "row")}: ${issue.message}`)
    }
  }
  if (reasons.length > 0 || Result.isFailure(drafted)) return Result.fail(reasons)

  // A file's rows are submitted by their maker, the token's officer (docs/INGEST.md): they must be ready to submit,
  // as a draft in the console must, and they are stored (or issued) as submitted.
  const problems = submissionProblems(drafted.success)
  if (problems.length > 0) {
    return Result.fail(problems.map((p) =>
      p.rule === "zero_amount"
        ? "amount: a receipt cannot be for 0 đồng"
        : `${columnOfPath[p.field] ?? p.field}: still holds the unread placeholder ${NOT_READ}; type the value`
    ))
  }
  const draft: Receipt = { ...drafted.success, id: receiptIdFor(drafted.success, externalId), status: "submitted" }
  if (ctx.issue === undefined) return Result.succeed({ draft, externalId })
  const template = issueTemplate(draft, ctx.issue.approver, ctx.issue.now)
  if (Result.isFailure(template)) {
    return Result.fail(template.failure.map((i) => `${columnOfPath[i.path] ?? i.path}: ${i.message} (when issued at ${ctx.issue?.now})`))
  }
  return Result.succeed({ draft, template: template.success, externalId })
}
