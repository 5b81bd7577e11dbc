/**
 * The ReceiptStore port over the database adapter. Transition rules come
 * from domain/lifecycle.ts; the SQL repeats the precondition in its WHERE
 * clause so that a concurrent change is detected instead of overwritten, and
 * the triggers refuse anything the rules forbid.
 */
import { Effect, Result } from "effect"
import { deleteDraft as checkDeletable, voidReceipt } from "../../domain/lifecycle.ts"
import { isUnissued, type Receipt } from "../../domain/receipt.ts"
import {
  ReceiptNotFound,
  ReceiptStore,
  StoreConflict,
  type StoreUnavailable
} from "../../domain/ports/receipt-store.ts"
import type { Db, Sql } from "../database/db.ts"
import { type GroupIssuerOptions, makeGroupIssuer } from "./group-issuer.ts"
import type { SignFn } from "./issuance.ts"
import { rememberCaller } from "./caller-context.ts"
import { contentSha256 } from "./content-hash.ts"
import { auditNumbering } from "./numbering-audit.ts"
import { issueRange } from "./range-issuance.ts"
import { draftJson, receiptFromRow, type ReceiptRow, selectReceipt } from "./receipt-rows.ts"
import { unavailable } from "./store-errors.ts"

type Service = ReceiptStore["Service"]

const attempt = <A>(operation: string, run: () => Promise<A>): Effect.Effect<A, StoreUnavailable> =>
  Effect.tryPromise({ try: run, catch: (error) => unavailable(operation, error) })

const notFound = (agency: string, id: string) =>
  new ReceiptNotFound({ agency, id, message: `no receipt ${id} in agency ${agency}` })

const loadOne = (
  sql: Sql,
  where: string,
  params: ReadonlyArray<unknown>,
  agency: string,
  id: string
): Effect.Effect<Receipt, ReceiptNotFound | StoreUnavailable> =>
  Effect.flatMap(
    attempt("reading a receipt", () => sql.query<ReceiptRow>(`${selectReceipt} WHERE ${where}`, params)),
    (rows): Effect.Effect<Receipt, ReceiptNotFound | StoreUnavailable> => {
      const row = rows[0]
      if (row === undefined) return Effect.fail(notFound(agency, id))
      const decoded = receiptFromRow(row)
      return Result.isSuccess(decoded)
        ? Effect.succeed(decoded.success)
        : Effect.fail(unavailable("reading a receipt", new Error(`stored receipt ${id} no longer decodes: ${decoded.failure.message}`)))
    }
  )

// A submitted draft is stored with the hash of its content (what an approval will name); a draft without.
const saveDraftSql = `
INSERT INTO receipts (agency, id, office, form, symbol, status, amount, maker, created_at, draft, status_by, status_at, content_sha256)
VALUES ($1::text, $2::uuid, $3::text, $4::text, $5::text, $11::text, $6::bigint, $7::text, $8::timestamptz, $9::text::jsonb, $7::text, $10::timestamptz, $12::text)
ON CONFLICT (agency, id) DO UPDATE SET
  office = excluded.office, form = excluded.form, symbol = excluded.symbol, status = excluded.status, amount = excluded.amount,
  draft = excluded.draft, status_by = excluded.status_by, status_at = excluded.status_at, content_sha256 = excluded.content_sha256
WHERE receipts.status IN ('draft', 'submitted') AND receipts.maker = excluded.maker
RETURNING id`

const voidSql = `
UPDATE receipts SET status = 'voided', voided_reason = $3::text, voided_by = $4::text, voided_at = $5::timestamptz,
       status_by = $4::text, status_at = $5::timestamptz
 WHERE agency = $1::text AND id = $2::uuid AND status = 'issued'
RETURNING id`

export const makeReceiptStore = (db: Db, sign: SignFn, options: GroupIssuerOptions = {}): Service => {
  const issuer = makeGroupIssuer(db, sign, options)
  const get = (agency: string, id: string) => loadOne(db, "r.agency = $1::text AND r.id = $2::uuid", [agency, id], agency, id)

  const conflict = (agency: string, id: string, reason: StoreConflict["reason"], message: string) =>
    new StoreConflict({ agency, id, reason, message })

  // Named with Effect.fn: each call is a span ("ReceiptStore.issue") when tracing is on (adapters/observability/tracing.ts).
  return {
    saveDraft: Effect.fn("ReceiptStore.saveDraft")((draft, ctx) =>
      Effect.flatMap(
        attempt("saving a draft", async () => {
          if (!isUnissued(draft)) throw new Error(`saveDraft takes a draft or a submitted draft, not a ${draft.status} receipt`)
          const params = [
            draft.agency, draft.id, draft.office ?? null, draft.series.form, draft.series.symbol,
            draft.amount.toString(10), draft.maker, draft.createdAt, draftJson(draft), ctx.now,
            draft.status, draft.status === "submitted" ? contentSha256(draft) : null
          ]
          if (ctx.auditDetail === undefined) return db.query(saveDraftSql, params)
          return db.transaction(async (tx) => {
            await tx.query("SELECT set_config('bienlai.audit_detail', $1::text, true)", [JSON.stringify(ctx.auditDetail)])
            return tx.query(saveDraftSql, params)
          })
        }),
        (rows) =>
          rows.length === 1
            ? Effect.succeed(draft)
            : Effect.fail(conflict(draft.agency, draft.id, "not_a_draft",
              `the draft for ${draft.payer.name} is no longer a draft of ${draft.maker} (issued meanwhile, or made by someone else); it was not changed`))
      )),

    deleteDraft: Effect.fn("ReceiptStore.deleteDraft")(function*(agency, id, ctx) {
      const current = yield* get(agency, id)
      yield* Effect.fromResult(checkDeletable(current, ctx))
      yield* attempt("deleting a draft", () =>
        db.transaction(async (tx) => {
          // The database checks again (receipts_guard) and the audit trigger keeps who and why.
          await tx.query("SELECT set_config('bienlai.actor', $1::text, true), set_config('bienlai.delete_reason', $2::text, true)", [
            ctx.by,
            ctx.override?.reason.trim() ?? ""
          ])
          await tx.query("DELETE FROM receipts WHERE agency = $1::text AND id = $2::uuid AND status IN ('draft', 'submitted')", [agency, id])
        }))
    }),

    get: Effect.fn("ReceiptStore.get")(get),

    findByLookupCode: Effect.fn("ReceiptStore.findByLookupCode")((lookupCode) =>
      loadOne(db, "r.lookup_code = $1::text", [lookupCode], "(any)", lookupCode)),

    // The group issuer's queue answers with a promise (store/receipts/group-issuer.ts); the signatures inside it are one Effect per group (issuance.ts).
    issue: Effect.fn("ReceiptStore.issue")(function*(request) {
      // The group issuer signs later, for the whole group: its signatures are traced under this call (caller-context.ts).
      rememberCaller(request, yield* Effect.context<never>())
      return yield* Effect.flatMap(Effect.promise(() => issuer.submit(request)), Effect.fromResult)
    }),

    issueRange: Effect.fn("ReceiptStore.issueRange")((requests) => Effect.flatMap(Effect.promise(() => issueRange(db, sign, requests)), Effect.fromResult)),

    voidReceipt: Effect.fn("ReceiptStore.voidReceipt")(function*(agency, id, ctx) {
      const current = yield* get(agency, id)
      const voided = yield* Effect.fromResult(voidReceipt(current, ctx))
      const rows = yield* attempt("voiding a receipt", () =>
        db.query(voidSql, [agency, id, voided.voided?.reason ?? ctx.reason, ctx.by, ctx.now]))
      if (rows.length !== 1) {
        return yield* conflict(agency, id, "state_changed", `receipt ${id} changed while it was being voided; look it up and try again`)
      }
      return voided
    }),

    auditNumbering: Effect.fn("ReceiptStore.auditNumbering")((filter) => attempt("auditing numbering", () => auditNumbering(db, filter)))
  }
}
