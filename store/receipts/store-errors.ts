/**
 * Turning driver errors into the port's typed errors, with messages that say
 * what happened and what to do.
 */
import { SeriesExhausted, StoreConflict, StoreUnavailable } from "../../domain/ports/receipt-store.ts"
import { errorMessage, sqlState } from "../database/db.ts"
import { nextSymbol, type SeriesKey } from "./series-counter.ts"

export const unavailable = (operation: string, error: unknown): StoreUnavailable =>
  new StoreUnavailable({ operation, message: `${operation} failed in the database: ${errorMessage(error)}` })

export const exhausted = (series: SeriesKey): SeriesExhausted =>
  new SeriesExhausted({
    ...series,
    message: `series ${series.form} ${series.symbol} of agency ${series.agency} is exhausted: all numbers up to 9999999 are used; ` +
      `open another series for the year with a new symbol, such as ${nextSymbol(series.symbol)}, and issue into it`
  })

/** A failed single-request issuance, as the caller should see it. */
export const issueFailure = (agency: string, id: string, error: unknown): StoreConflict | StoreUnavailable => {
  if (sqlState(error) === "23505" && errorMessage(error).includes("receipts_lookup_code_unique")) {
    return new StoreConflict({
      agency,
      id,
      reason: "lookup_code_taken",
      message: `the lookup code of receipt ${id} is already used by another receipt; draw a new lookup code and issue again`
    })
  }
  return unavailable("issuing a receipt", error)
}
