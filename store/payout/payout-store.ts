/**
 * The payout store as an Effect service, for the officer API and the
 * runtime's layers: the functions of this folder over one database, signing
 * through the Signer in context. A refusal fails with `PayoutRefused`
 * (every problem named); a database failure with `StoreUnavailable`.
 */
import { Context, Effect, Layer } from "effect"
import { StoreUnavailable } from "../../domain/ports/receipt-store.ts"
import { Signer } from "../../domain/ports/signer.ts"
import { type Db, errorMessage } from "../database/db.ts"
import { type DbConfig, dbConfigFromEnv, describeDb, openDb } from "../database/open-db.ts"
import { type ApprovedRound, type ApproveInput, approveRound } from "./approve-round.ts"
import { type AnswersInput, type AnswersSummary, applyBankAnswers, type DepositInput, depositLines } from "./bank-answers.ts"
import { type ExportedBatch, type ExportInput, exportRound } from "./bank-export.ts"
import { type ImportContext, importClaims, type ImportSummary } from "./claims.ts"
import { PayoutRefused } from "./errors.ts"
import { noticeFor, type SignedNotice } from "./notices.ts"
import { type PlanInput, planAndStoreRound, type StoredPlan } from "./plan-round.ts"
import { type RoundReport, roundReport } from "./report.ts"
import type { Claim } from "../../domain/payout/claim.ts"

type Failure = PayoutRefused | StoreUnavailable

export class PayoutStore extends Context.Service<PayoutStore, {
  readonly importClaims: (claims: ReadonlyArray<Claim>, ctx: ImportContext) => Effect.Effect<ImportSummary, Failure>
  readonly plan: (input: PlanInput) => Effect.Effect<StoredPlan, Failure>
  readonly approve: (input: ApproveInput) => Effect.Effect<ApprovedRound, Failure>
  readonly exportBatch: (input: ExportInput) => Effect.Effect<ExportedBatch, Failure>
  readonly applyAnswers: (input: AnswersInput) => Effect.Effect<AnswersSummary, Failure>
  readonly deposit: (input: DepositInput) => Effect.Effect<{ readonly count: number; readonly amount: bigint }, Failure>
  readonly report: (agency: string, roundId: string) => Effect.Effect<RoundReport, Failure>
  readonly notice: (lookupCode: string, identityNumber: string) => Effect.Effect<SignedNotice | undefined, Failure>
}>()("bienlai/store/payout/PayoutStore") {
  /** The service over an open database, signing with the Signer in context. */
  static readonly layerWith = (db: Db) =>
    Layer.effect(
      PayoutStore,
      Effect.gen(function*() {
        const sign = (yield* Signer).sign
        const attempt = <A>(operation: string, run: () => Promise<A>): Effect.Effect<A, Failure> =>
          Effect.tryPromise({
            try: run,
            catch: (error) =>
              error instanceof PayoutRefused
                ? error
                : new StoreUnavailable({ operation, message: `${operation} failed in the database: ${errorMessage(error)}` })
          })
        return PayoutStore.of({
          importClaims: (claims, ctx) => attempt("importing creditors", () => importClaims(db, claims, ctx)),
          plan: (input) => attempt("planning a payout round", () => planAndStoreRound(db, input)),
          approve: (input) => attempt("approving a payout round", () => approveRound(db, sign, input)),
          exportBatch: (input) => attempt("exporting a payout batch", () => exportRound(db, input)),
          applyAnswers: (input) => attempt("applying the bank's answers", () => applyBankAnswers(db, input)),
          deposit: (input) => attempt("depositing payout lines", () => depositLines(db, input)),
          report: (agency, roundId) => attempt("reporting a payout round", () => roundReport(db, agency, roundId)),
          notice: (lookupCode, identityNumber) => attempt("finding a payout notice", () => noticeFor(db, sign, lookupCode, identityNumber))
        })
      })
    )

  /** The service over the configured database (DATABASE_URL or PGlite in BIENLAI_DATA), open for the layer's lifetime. */
  static readonly layer = (config: DbConfig = dbConfigFromEnv()) =>
    Layer.unwrap(
      Effect.map(
        Effect.acquireRelease(
          Effect.tryPromise({
            try: () => openDb(config),
            catch: (error) => new StoreUnavailable({ operation: "opening the store", message: `cannot open ${describeDb(config)}: ${errorMessage(error)}` })
          }),
          (db) => Effect.promise(() => db.close())
        ),
        (db) => PayoutStore.layerWith(db)
      )
    )
}
