/**
 * Correction requests (domain/corrections.ts) in the database
 * (migration 0201): requesting, listing, and deciding one. Approving is one
 * transaction: the request is locked while it is still pending and still
 * says exactly the text the approver names, the domain checks the people
 * and the receipt, the annotation is written with its approver, and the
 * request is marked approved. The database refuses an annotation without
 * its pending request, or approved by its requester.
 */
import { Effect, Result } from "effect"
import {
  approveCorrection,
  type CorrectionError,
  type CorrectionRequest,
  rejectCorrection,
  withdrawCorrection
} from "../../domain/corrections.ts"
import type { TransitionError } from "../../domain/lifecycle.ts"
import { ReceiptNotFound, type StoreUnavailable } from "../../domain/ports/receipt-store.ts"
import type { Annotation, Receipt } from "../../domain/receipt.ts"
import type { Db, Sql } from "../database/db.ts"
import { receiptFromRow, type ReceiptRow, selectReceipt } from "./receipt-rows.ts"
import { unavailable } from "./store-errors.ts"

interface RequestRow {
  readonly agency: string
  readonly id: string
  readonly receipt_id: string
  readonly field: CorrectionRequest["field"]
  readonly value: string
  readonly note: string | null
  readonly requested_by: string
  readonly requested_at: string
  readonly status: CorrectionRequest["status"]
  readonly decided_by: string | null
  readonly decided_at: string | null
  readonly decision_note: string | null
}

const columns = `agency, id::text AS id, receipt_id::text AS receipt_id, field, value, note, requested_by, iso_instant(requested_at) AS requested_at,
  status, decided_by, CASE WHEN decided_at IS NULL THEN NULL ELSE iso_instant(decided_at) END AS decided_at, decision_note`

const requestOf = (r: RequestRow): CorrectionRequest => ({
  id: r.id,
  agency: r.agency,
  receiptId: r.receipt_id,
  field: r.field,
  value: r.value,
  ...(r.note === null ? {} : { note: r.note }),
  requestedBy: r.requested_by,
  requestedAt: r.requested_at,
  status: r.status,
  ...(r.decided_by === null ? {} : { decidedBy: r.decided_by }),
  ...(r.decided_at === null ? {} : { decidedAt: r.decided_at }),
  ...(r.decision_note === null ? {} : { decisionNote: r.decision_note })
})

const attempt = <A>(operation: string, run: () => Promise<A>): Effect.Effect<A, StoreUnavailable> =>
  Effect.tryPromise({ try: run, catch: (error) => unavailable(operation, error) })

const notFound = (agency: string, id: string) => new ReceiptNotFound({ agency, id, message: `no correction request ${id} in agency ${agency}` })

/** Stores a new pending request (validated by domain/corrections.ts requestCorrection). */
export const insertCorrection = (db: Sql, q: CorrectionRequest): Effect.Effect<CorrectionRequest, StoreUnavailable> =>
  Effect.as(
    attempt("requesting a correction", () =>
      db.query(
        `INSERT INTO correction_requests (agency, id, receipt_id, field, value, note, requested_by, requested_at)
         VALUES ($1::text, $2::uuid, $3::uuid, $4::text, $5::text, $6::text, $7::text, $8::timestamptz)`,
        [q.agency, q.id, q.receiptId, q.field, q.value, q.note ?? null, q.requestedBy, q.requestedAt]
      )),
    q
  )

/** One request of the agency. */
export const correctionOf = (db: Sql, agency: string, id: string): Effect.Effect<CorrectionRequest, ReceiptNotFound | StoreUnavailable> =>
  Effect.flatMap(
    attempt("reading a correction request", () => db.query<RequestRow>(`SELECT ${columns} FROM correction_requests WHERE agency = $1::text AND id = $2::uuid`, [agency, id])),
    (rows) => (rows[0] === undefined ? Effect.fail(notFound(agency, id)) : Effect.succeed(requestOf(rows[0])))
  )

/** The agency's pending requests, oldest first (what approvers decide). */
export const pendingCorrections = (db: Sql, agency: string): Effect.Effect<ReadonlyArray<CorrectionRequest>, StoreUnavailable> =>
  Effect.map(
    attempt("listing corrections", () =>
      db.query<RequestRow>(`SELECT ${columns} FROM correction_requests WHERE agency = $1::text AND status = 'pending' ORDER BY requested_at, id LIMIT 500`, [agency])),
    (rows) => rows.map(requestOf)
  )

/** Every request about one receipt, oldest first. */
export const correctionsOfReceipt = (db: Sql, agency: string, receiptId: string): Effect.Effect<ReadonlyArray<CorrectionRequest>, StoreUnavailable> =>
  Effect.map(
    attempt("listing corrections", () =>
      db.query<RequestRow>(`SELECT ${columns} FROM correction_requests WHERE agency = $1::text AND receipt_id = $2::uuid ORDER BY requested_at, id`, [agency, receiptId])),
    (rows) => rows.map(requestOf)
  )

/**
 * The approved corrections of an issued receipt named by its series and
 * number (what a QR token carries), for the public verification page.
 */
export const approvedCorrectionsByNumber = (
  db: Sql,
  agency: string,
  series: { readonly form: string; readonly symbol: string },
  number: number
): Effect.Effect<ReadonlyArray<Annotation>, StoreUnavailable> =>
  Effect.map(
    attempt("reading corrections", () =>
      db.query<{ field: Annotation["field"]; value: string; note: string | null; by: string; at: string; approved_by: string }>(
        `SELECT a.field, a.value, a.note, a.by, iso_instant(a.at) AS at, a.approved_by
           FROM receipts r JOIN receipt_annotations a ON a.agency = r.agency AND a.receipt_id = r.id
          WHERE r.agency = $1::text AND r.form = $2::text AND r.symbol = $3::text AND r.number = $4::integer AND a.approved_by IS NOT NULL
          ORDER BY a.seq`,
        [agency, series.form, series.symbol, number]
      )),
    (rows) => rows.map((a) => ({ field: a.field, value: a.value, ...(a.note === null ? {} : { note: a.note }), by: a.by, at: a.at, approvedBy: a.approved_by }))
  )

type Decision = "approve" | "reject" | "withdraw"
type DecisionError = CorrectionError | TransitionError | ReceiptNotFound | StoreUnavailable

/** The outcome of a transaction body: a value, or a refusal that rolled it back. */
class Refused extends Error {
  readonly failure: CorrectionError | TransitionError | ReceiptNotFound
  constructor(failure: CorrectionError | TransitionError | ReceiptNotFound) {
    super(failure.message)
    this.failure = failure
  }
}

const decide = (
  db: Db,
  agency: string,
  id: string,
  decision: Decision,
  run: (receipt: Receipt, q: CorrectionRequest) => Result.Result<{ readonly receipt?: Receipt; readonly request: CorrectionRequest }, CorrectionError | TransitionError>
): Effect.Effect<{ readonly receipt: Receipt; readonly request: CorrectionRequest }, DecisionError> =>
  Effect.tryPromise({
    try: () =>
      db.transaction(async (tx) => {
        // Locked: nobody decides it twice, and its text cannot change under the decision.
        const [row] = await tx.query<RequestRow>(`SELECT ${columns} FROM correction_requests WHERE agency = $1::text AND id = $2::uuid FOR UPDATE`, [agency, id])
        if (row === undefined) throw new Refused(notFound(agency, id))
        const q = requestOf(row)
        const [receiptRow] = await tx.query<ReceiptRow>(`${selectReceipt} WHERE r.agency = $1::text AND r.id = $2::uuid`, [agency, q.receiptId])
        if (receiptRow === undefined) throw new Refused(notFound(agency, q.receiptId))
        const receipt = Result.getOrThrow(receiptFromRow(receiptRow))
        const done = run(receipt, q)
        if (Result.isFailure(done)) throw new Refused(done.failure)
        const after = done.success.request
        if (decision === "approve") {
          const added = done.success.receipt?.annotations.at(-1)
          if (added === undefined) throw new Error("an approved correction without its annotation")
          await tx.query(
            `INSERT INTO receipt_annotations (agency, receipt_id, field, value, note, by, at, approved_by, request_id)
             VALUES ($1::text, $2::uuid, $3::text, $4::text, $5::text, $6::text, $7::timestamptz, $8::text, $9::uuid)`,
            [agency, q.receiptId, added.field, added.value, added.note ?? null, added.by, added.at, added.approvedBy ?? null, q.id]
          )
        }
        await tx.query(
          `UPDATE correction_requests SET status = $3::text, decided_by = $4::text, decided_at = $5::timestamptz, decision_note = $6::text
            WHERE agency = $1::text AND id = $2::uuid AND status = 'pending'`,
          [agency, id, after.status, after.decidedBy ?? null, after.decidedAt ?? null, after.decisionNote ?? null]
        )
        return { receipt: done.success.receipt ?? receipt, request: after }
      }),
    catch: (error): DecisionError => (error instanceof Refused ? error.failure : unavailable("deciding a correction", error))
  })

/**
 * Approves a pending request as `by`, naming the exact text approved; the
 * receipt with its new annotation. Refused unless the request is pending,
 * `by` is not its requester, and `value` is its text.
 */
export const approveCorrectionIn = (db: Db, agency: string, id: string, ctx: { readonly by: string; readonly value: string; readonly now: string }) =>
  decide(db, agency, id, "approve", (receipt, q) => approveCorrection(receipt, q, ctx))

export const rejectCorrectionIn = (db: Db, agency: string, id: string, ctx: { readonly by: string; readonly reason: string; readonly now: string }) =>
  decide(db, agency, id, "reject", (receipt, q) => Result.map(rejectCorrection(receipt, q, ctx), (request) => ({ request })))

export const withdrawCorrectionIn = (db: Db, agency: string, id: string, ctx: { readonly by: string; readonly now: string }) =>
  decide(db, agency, id, "withdraw", (receipt, q) => Result.map(withdrawCorrection(receipt, q, ctx), (request) => ({ request })))
