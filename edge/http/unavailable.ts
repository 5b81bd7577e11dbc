/**
 * When the database cannot answer (connections killed, a failover, too many
 * clients, a serialization failure), the client gets 503 with Retry-After
 * and a sentence it can act on, never a 500 and never the database's own
 * error text, which names tables, constraints and hosts. That text goes to
 * the log with the request id (request-log.ts reads `internal`).
 */
import { isConnectionLoss, sqlState } from "../../store/database/db.ts"
import { ApiError } from "./errors.ts"

const RETRY_AFTER_SECONDS = "5"

const unavailableText = {
  vi: "Cơ sở dữ liệu tạm thời không trả lời; hãy thử lại sau vài giây (gửi lại với cùng Idempotency-Key là an toàn).",
  en: "the database is unavailable right now; try again in a few seconds (with the same Idempotency-Key a retry is safe)"
}

export const storeUnavailable = (internal: string): ApiError =>
  new ApiError(503, "store_unavailable", unavailableText.en, {
    headers: { "Retry-After": RETRY_AFTER_SECONDS },
    messages: unavailableText,
    internal
  })

// Classes a retry may fix: connection exceptions (08), transaction rollbacks (40: serialization failure,
// deadlock), insufficient resources (53: too many connections), lock not available, query cancelled, shutdown (57P).
const transientState = /^(08|40|53)|^(55P03|57014|57P0[1-4])$/

/** Whether an error that escaped a handler is the database being unavailable rather than a bug. */
export const isDatabaseOutage = (error: unknown): boolean => {
  if (isConnectionLoss(error)) return true
  const state = sqlState(error)
  return state !== undefined && transientState.test(state)
}
