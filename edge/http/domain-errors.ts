/**
 * The domain's and the store's typed errors as HTTP answers: the status a
 * client can act on, the machine-readable reason, and the domain's own
 * human message. Running an Effect through `runOrThrow` turns its failure
 * into an ApiError, so handlers read as the happy path.
 */
import { Effect, Result } from "effect"
import { failureText } from "../officers/refusals.ts"
import { ApiError } from "./errors.ts"
import { storeUnavailable } from "./unavailable.ts"

type Tagged = { readonly _tag: string; readonly message: string } & Record<string, unknown>

const details = (e: Tagged, keys: ReadonlyArray<string>): Record<string, unknown> =>
  Object.fromEntries(keys.filter((k) => e[k] !== undefined).map((k) => [k, e[k]]))

export const apiErrorOf = (failure: unknown): ApiError => {
  if (failure instanceof ApiError) return failure
  const plain = apiErrorOfTagged(failure)
  // What a person reads, in their language (edge/officers/refusals.ts); `message` keeps the domain's English for logs.
  const messages = failureText(failure)
  return messages === undefined ? plain : new ApiError(plain.status, plain.code, plain.message, {
    ...(plain.details === undefined ? {} : { details: plain.details }),
    ...(plain.headers === undefined ? {} : { headers: plain.headers }),
    ...(plain.internal === undefined ? {} : { internal: plain.internal }),
    messages
  })
}

const apiErrorOfTagged = (failure: unknown): ApiError => {
  const e = failure as Tagged
  switch (e?._tag) {
    case "InvalidReceipt":
      return new ApiError(422, "invalid_receipt", e.message, { details: details(e, ["issues"]) })
    case "TransitionError":
      return new ApiError(409, "invalid_transition", e.message, { details: details(e, ["reason", "from", "action", "problems"]) })
    case "CorrectionError":
      return new ApiError(e["reason"] === "invalid_value" || e["reason"] === "reason_required" ? 422 : 409, "invalid_correction", e.message, {
        details: details(e, ["reason"])
      })
    case "ReceiptNotFound":
      return new ApiError(404, "not_found", e.message)
    case "StoreConflict":
      return new ApiError(409, "conflict", e.message, { details: details(e, ["reason"]) })
    case "SeriesExhausted":
      return new ApiError(409, "series_exhausted", e.message)
    case "SymbolYearMismatch":
      return new ApiError(422, "symbol_year_mismatch", e.message, { details: details(e, ["symbolYear", "issueYear"]) })
    case "SigningError":
      return new ApiError(503, "signing_unavailable", "the agency's signing key cannot be used right now; try again later", {
        details: details(e, ["reason"]),
        headers: { "Retry-After": "30" },
        internal: e.message
      })
    case "StoreUnavailable":
      return storeUnavailable(e.message)
    default:
      throw failure
  }
}

export const runOrThrow = async <A, E>(effect: Effect.Effect<A, E>): Promise<A> => {
  const r = await Effect.runPromise(Effect.result(effect))
  if (Result.isFailure(r)) throw apiErrorOf(r.failure)
  return r.success
}

export const resultOrThrow = <A, E>(r: Result.Result<A, E>): A => {
  if (Result.isFailure(r)) throw apiErrorOf(r.failure)
  return r.success
}
