/**
 * The state of one payout line as a pure state machine (like the receipt's
 * lifecycle.ts):
 *
 *   planned ──approve──▶ approved ──send──▶ sent ──paid──▶ paid
 *                           │                 │
 *                           │                 └──returned──▶ returned ──send──▶ sent (again)
 *                           │                                    │
 *                           └──deposit (deposit lines)──▶ deposited ◀──deposit──┘
 *
 * A line is never paid twice: `markPaid` refuses a line that is not `sent`,
 * and a sent line cannot be sent again until the bank has returned it. A
 * bank line is re-sent to the account the approved plan names; a different
 * account is a correction (a new round), because the approval binds it.
 */
import { Result, Schema } from "effect"
import type { Settlement } from "./plan.ts"

export const LineState = Schema.Literals(["planned", "approved", "sent", "paid", "returned", "deposited"])
export type LineState = typeof LineState.Type

export const LineAction = Schema.Literals(["approve", "send", "paid", "returned", "deposit"])
export type LineAction = typeof LineAction.Type

export const LineRefusal = Schema.Literals([
  "not_approved",
  "already_approved",
  "already_sent",
  "already_paid",
  "not_sent",
  "deposited",
  "nothing_to_pay",
  "not_a_bank_line",
  "bank_line_not_returned"
])
export type LineRefusal = typeof LineRefusal.Type

export class LineTransitionError extends Schema.TaggedError<LineTransitionError>()("LineTransitionError", {
  lineId: Schema.String,
  from: LineState,
  action: LineAction,
  reason: LineRefusal,
  message: Schema.String
}) {}

export interface LineEvent {
  readonly action: LineAction
  readonly at: string
  /** The bank's or the deposit's reference, or why the bank returned the line. */
  readonly detail?: string
}

export interface LineStatus {
  readonly lineId: string
  readonly settlement: Settlement
  readonly state: LineState
  /** How many times the line was sent to the bank. */
  readonly sends: number
  readonly events: ReadonlyArray<LineEvent>
}

export const plannedLine = (lineId: string, settlement: Settlement): LineStatus => ({
  lineId,
  settlement,
  state: "planned",
  sends: 0,
  events: []
})

const refuse = (s: LineStatus, action: LineAction, reason: LineRefusal, message: string) =>
  Result.fail(new LineTransitionError({ lineId: s.lineId, from: s.state, action, reason, message: `line ${s.lineId}: ${message}` }))

const move = (s: LineStatus, state: LineState, event: LineEvent): LineStatus => ({
  ...s,
  state,
  sends: s.sends + (event.action === "send" ? 1 : 0),
  events: [...s.events, event]
})

/** Done by approving the round: every line of the plan at once. */
export const approveLine = (s: LineStatus, at: string): Result.Result<LineStatus, LineTransitionError> =>
  s.state === "planned"
    ? Result.succeed(move(s, "approved", { action: "approve", at }))
    : refuse(s, "approve", "already_approved", `it is already ${s.state}`)

/** Hands a bank line to the bank (in a pain.001 file or a batch). */
export const sendLine = (s: LineStatus, at: string, batch?: string): Result.Result<LineStatus, LineTransitionError> => {
  if (s.settlement === "none") return refuse(s, "send", "nothing_to_pay", "its amount is 0 đồng; there is nothing to send")
  if (s.settlement !== "bank") return refuse(s, "send", "not_a_bank_line", "it is to be deposited (the creditor has no account on file or has not requested enforcement)")
  switch (s.state) {
    case "planned":
      return refuse(s, "send", "not_approved", "its round has not been approved")
    case "approved":
    case "returned":
      return Result.succeed(move(s, "sent", batch === undefined ? { action: "send", at } : { action: "send", at, detail: batch }))
    case "sent":
      return refuse(s, "send", "already_sent", "it was sent and the bank has not answered; it can be sent again only once the bank returns it")
    case "paid":
      return refuse(s, "send", "already_paid", "it has been paid; a line is never paid twice")
    case "deposited":
      return refuse(s, "send", "deposited", "its money was deposited")
  }
}

/** The bank confirmed the credit (pain.002 accepted-settlement, camt.054). */
export const markPaid = (s: LineStatus, at: string, reference?: string): Result.Result<LineStatus, LineTransitionError> => {
  switch (s.state) {
    case "sent":
      return Result.succeed(move(s, "paid", reference === undefined ? { action: "paid", at } : { action: "paid", at, detail: reference }))
    case "paid":
      return refuse(s, "paid", "already_paid", "it has already been paid; a line is never paid twice")
    default:
      return refuse(s, "paid", "not_sent", `it is ${s.state}, not sent; only a line the bank holds can be paid`)
  }
}

/** The bank returned or rejected the line. */
export const markReturned = (s: LineStatus, at: string, reason: string): Result.Result<LineStatus, LineTransitionError> => {
  switch (s.state) {
    case "sent":
      return Result.succeed(move(s, "returned", { action: "returned", at, detail: reason }))
    case "paid":
      return refuse(s, "returned", "already_paid", "it has been paid; a returned payment after that is a correction, not a return")
    default:
      return refuse(s, "returned", "not_sent", `it is ${s.state}, not sent`)
  }
}

/**
 * Puts the line's money on a savings deposit in the agency's name: a deposit
 * line once approved, or a bank line the bank returned.
 */
export const depositLine = (s: LineStatus, at: string, reference: string): Result.Result<LineStatus, LineTransitionError> => {
  if (s.settlement === "none") return refuse(s, "deposit", "nothing_to_pay", "its amount is 0 đồng; there is nothing to deposit")
  switch (s.state) {
    case "planned":
      return refuse(s, "deposit", "not_approved", "its round has not been approved")
    case "approved":
      return s.settlement === "bank"
        ? refuse(s, "deposit", "bank_line_not_returned", "it is a bank line; send it, and deposit it only if the bank returns it")
        : Result.succeed(move(s, "deposited", { action: "deposit", at, detail: reference }))
    case "returned":
      return Result.succeed(move(s, "deposited", { action: "deposit", at, detail: reference }))
    case "sent":
      return refuse(s, "deposit", "already_sent", "the bank holds it; wait for the bank's answer")
    case "paid":
      return refuse(s, "deposit", "already_paid", "it has been paid")
    case "deposited":
      return refuse(s, "deposit", "deposited", "it is already deposited")
  }
}

/** Whether no further transition can happen. */
export const isLineFinal = (s: LineStatus): boolean =>
  s.state === "paid" || s.state === "deposited" || (s.settlement === "none" && s.state === "approved")
