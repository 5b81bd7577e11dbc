/**
 * What the payout store refuses, as one tagged error: a machine-readable
 * `reason`, every problem with where it is (a row of the creditor list, an
 * element of a bank file, a line id), and a message that says it all.
 * Nothing is stored when one is raised: every write runs in one transaction.
 */
import { Schema } from "effect"

export const PayoutRefusal = Schema.Literals([
  "invalid_claims",
  "case_has_rounds",
  "invalid_terms",
  "plan_refused",
  "round_not_found",
  "not_planned",
  "maker_cannot_approve",
  "plan_changed",
  "not_approved",
  "signing_failed",
  "nothing_to_send",
  "batch_not_found",
  "bank_file",
  "unknown_line",
  "line_transition"
])
export type PayoutRefusal = typeof PayoutRefusal.Type

export const Problem = Schema.Struct({ where: Schema.String, message: Schema.String })
export type Problem = typeof Problem.Type

export class PayoutRefused extends Schema.TaggedError<PayoutRefused>()("PayoutRefused", {
  reason: PayoutRefusal,
  problems: Schema.Array(Problem),
  message: Schema.String
}) {}

/** A refusal listing its problems (the first 20 in the message, all in `problems`). */
export const refused = (reason: PayoutRefusal, summary: string, problems: ReadonlyArray<Problem> = []): PayoutRefused => {
  const shown = problems.slice(0, 20).map((p) => `${p.where}: ${p.message}`).join("; ")
  const more = problems.length > 20 ? `; and ${problems.length - 20} more` : ""
  return new PayoutRefused({ reason, problems: [...problems], message: problems.length === 0 ? summary : `${summary}: ${shown}${more}` })
}

/**
 * How long a transaction over `rows` lines may take: the database adapter's
 * minute, plus half a millisecond a line, because a round of a million lines
 * is stored, approved or sent in one transaction on purpose (all or nothing).
 */
export const timeoutFor = (rows: number): { readonly timeoutMs: number } => ({ timeoutMs: 60_000 + Math.ceil(rows / 2) })
