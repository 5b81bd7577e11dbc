/**
 * The domain's and the store's typed errors as HTTP answers: the status a
 * client can act on, the machine-readable reason, and the domain's own
 * human message.
 *
 * The mapping is a record keyed by every `_tag` of `MappedFailure`, and the
 * bridges (the runtime's `run` in edge/services.ts, `resultOrThrow`,
 * `refuseWithHttp`) accept only effects and results whose error type is made of
 * those tags: an effect that can fail with a new error type does not
 * compile until the error has its answer here, instead of becoming a 500.
 * test/types/unmapped-error.ts proves it (checked by `npm run typecheck`).
 */
import { Effect, Result } from "effect"
import type { CorrectionError } from "../../domain/corrections.ts"
import type { TransitionError } from "../../domain/lifecycle.ts"
import type { ReceiptNotFound, SeriesExhausted, StoreConflict, StoreUnavailable, SymbolYearMismatch } from "../../domain/ports/receipt-store.ts"
import type { SigningError } from "../../domain/ports/signer.ts"
import type { InvalidReceipt } from "../../domain/receipt.ts"
import type { BankFileRefused } from "../../domain/bank/statement.ts"
import type { PayoutRefused } from "../../store/payout/errors.ts"
import { bankFileAnswer, payoutRefusalAnswer } from "../officers/payout-refusals.ts"
import type { InvalidVietQr } from "../../domain/bank/vietqr.ts"
import type { InvalidPaymentRequest } from "../../domain/reconciliation/payment-request.ts"
import type { MappingRefused } from "../../adapters/bank/mappings.ts"
import type { ReconciliationRefusal } from "../../store/reconciliation/refusals.ts"
import { reconciliationText } from "../routes/reconciliation-refusals.ts"
import { failureText } from "../officers/refusals.ts"
import { ApiError } from "./errors.ts"
import { storeUnavailable } from "./unavailable.ts"

/** Every typed failure an edge handler may let through; each has its HTTP answer below. */
export type MappedFailure =
  | InvalidReceipt
  | TransitionError
  | CorrectionError
  | ReceiptNotFound
  | StoreConflict
  | SeriesExhausted
  | SymbolYearMismatch
  | SigningError
  | StoreUnavailable
  | PayoutRefused
  | BankFileRefused
  | ReconciliationRefusal
  | MappingRefused
  | InvalidPaymentRequest
  | InvalidVietQr

/** One answer per tag of `E`; leaving a tag out is a type error. */
export type HttpMapping<E extends { readonly _tag: string }> = {
  readonly [K in E["_tag"]]: (e: Extract<E, { readonly _tag: K }>) => ApiError
}

/** What handlers may fail with: a mapped domain failure, or an HTTP refusal already made. */
export type HandlerFailure = MappedFailure | ApiError

const details = (e: object, keys: ReadonlyArray<string>): Record<string, unknown> => {
  const fields = e as Record<string, unknown>
  return Object.fromEntries(keys.filter((k) => fields[k] !== undefined).map((k) => [k, fields[k]]))
}

export const httpOf: HttpMapping<MappedFailure> = {
  InvalidReceipt: (e) => new ApiError(422, "invalid_receipt", e.message, { details: details(e, ["issues"]) }),
  TransitionError: (e) => new ApiError(409, "invalid_transition", e.message, { details: details(e, ["reason", "from", "action", "problems"]) }),
  CorrectionError: (e) =>
    new ApiError(e.reason === "invalid_value" || e.reason === "reason_required" ? 422 : 409, "invalid_correction", e.message, {
      details: details(e, ["reason"])
    }),
  ReceiptNotFound: (e) => new ApiError(404, "not_found", e.message),
  StoreConflict: (e) => new ApiError(409, "conflict", e.message, { details: details(e, ["reason"]) }),
  SeriesExhausted: (e) => new ApiError(409, "series_exhausted", e.message),
  SymbolYearMismatch: (e) => new ApiError(422, "symbol_year_mismatch", e.message, { details: details(e, ["symbolYear", "issueYear"]) }),
  SigningError: (e) =>
    new ApiError(503, "signing_unavailable", "the agency's signing key cannot be used right now; try again later", {
      details: details(e, ["reason"]),
      headers: { "Retry-After": "30" },
      internal: e.message
    }),
  StoreUnavailable: (e) => storeUnavailable(e.message),
  PayoutRefused: payoutRefusalAnswer,
  BankFileRefused: bankFileAnswer,
  ReconciliationRefusal: (e) => reconciliationText.refusal(e),
  MappingRefused: (e) => reconciliationText.mapping(e),
  InvalidPaymentRequest: (e) => reconciliationText.paymentRequest(e),
  InvalidVietQr: (e) => reconciliationText.vietQr(e)
}

export const apiErrorOf = (failure: HandlerFailure): ApiError => {
  if (failure instanceof ApiError) return failure
  const plain = (httpOf[failure._tag] as (e: MappedFailure) => ApiError)(failure)
  // What a person reads, in their language (edge/officers/refusals.ts); `message` keeps the domain's English for logs.
  const messages = failureText(failure)
  return messages === undefined ? plain : new ApiError(plain.status, plain.code, plain.message, {
    ...(plain.details === undefined ? {} : { details: plain.details }),
    ...(plain.headers === undefined ? {} : { headers: plain.headers }),
    ...(plain.internal === undefined ? {} : { internal: plain.internal }),
    messages
  })
}

/** The failure as an ApiError, in the Effect: `Effect.catch` over the exhaustive mapping. */
export const refuseWithHttp = <A, E extends HandlerFailure, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, ApiError, R> =>
  Effect.mapError(effect, apiErrorOf)

export const resultOrThrow = <A, E extends HandlerFailure>(r: Result.Result<A, E>): A => {
  if (Result.isFailure(r)) throw apiErrorOf(r.failure)
  return r.success
}
