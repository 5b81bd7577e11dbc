/**
 * The bank's answers applied to payout lines: each answer names a line by
 * its id (the end-to-end id of the pain.001) and says paid, returned or
 * still pending. The whole file is checked before anything is written: a
 * line that does not exist, belongs to another agency, is not in a state
 * the answer can follow (paid twice, paid without being sent), or whose
 * amount differs from what was sent, is a problem named by where the answer
 * is in the file, and then nothing changes. An answer already recorded (the
 * same file read twice) is passed over.
 */
import type { BankAnswer } from "../../domain/payout/bank-answer.ts"
import type { Db } from "../database/db.ts"

export type { BankAnswer }
import { type Problem, refused, timeoutFor } from "./errors.ts"

export interface AnswersInput {
  readonly agency: string
  readonly answers: ReadonlyArray<BankAnswer>
  readonly by: string
  readonly now: string
}

export interface AnswersSummary {
  readonly paid: number
  readonly returned: number
  readonly pending: number
  /** Answers already recorded before (the same file read again). */
  readonly unchanged: number
  readonly paidAmount: bigint
  readonly returnedAmount: bigint
}

interface LineRow {
  line_id: string
  state: string
  net: string
  reference: string | null
}

const CHUNK = 50_000

export const applyBankAnswers = async (db: Db, input: AnswersInput): Promise<AnswersSummary> =>
  db.transaction(async (tx) => {
    await tx.query("SELECT set_config('bienlai.actor', $1::text, true)", [input.by])
    const ids = [...new Set(input.answers.map((a) => a.lineId))]
    const lines = new Map<string, LineRow>()
    for (let i = 0; i < ids.length; i += CHUNK) {
      const rows = await tx.query<LineRow>(
        `SELECT line_id, state, (amount - fee)::text AS net, reference FROM payout_lines
          WHERE agency = $1::text AND line_id IN (SELECT jsonb_array_elements_text($2::text::jsonb)) FOR UPDATE`,
        [input.agency, JSON.stringify(ids.slice(i, i + CHUNK))]
      )
      for (const r of rows) lines.set(r.line_id, r)
    }
    const missing = ids.filter((id) => !lines.has(id))
    const elsewhere = new Set<string>()
    if (missing.length > 0) {
      const rows = await tx.query<{ line_id: string }>(
        "SELECT line_id FROM payout_lines WHERE agency <> $1::text AND line_id IN (SELECT jsonb_array_elements_text($2::text::jsonb))", [input.agency, JSON.stringify(missing.slice(0, CHUNK))])
      for (const r of rows) elsewhere.add(r.line_id)
    }

    const problems: Array<Problem> = []
    const state = new Map<string, { state: string; reference: string | null }>()
    const changed = new Map<string, { state: string; reference: string | null }>()
    let pending = 0
    let unchanged = 0
    for (const a of input.answers) {
      const line = lines.get(a.lineId)
      if (line === undefined) {
        problems.push({
          where: a.where,
          message: elsewhere.has(a.lineId)
            ? `line ${a.lineId} belongs to another agency, not to ${input.agency}`
            : `there is no payout line ${a.lineId} in agency ${input.agency}`
        })
        continue
      }
      if (a.amount !== undefined && a.amount !== BigInt(line.net)) {
        problems.push({ where: a.where, message: `the bank reports ${a.amount} đồng for line ${a.lineId}, which sends ${line.net} đồng` })
        continue
      }
      if (a.outcome === "pending") {
        pending++
        continue
      }
      const now = state.get(a.lineId) ?? { state: line.state, reference: line.reference }
      const reference = a.reference ?? null
      if (now.state === a.outcome && now.reference === reference) {
        unchanged++
        continue
      }
      if (now.state !== "sent") {
        problems.push({
          where: a.where,
          message: now.state === "paid"
            ? `line ${a.lineId} is already paid; a line is never paid twice (a ${a.outcome} answer after payment is a correction, not an answer)`
            : `line ${a.lineId} is ${now.state}, not sent; only a line the bank holds can be ${a.outcome}`
        })
        continue
      }
      const next = { state: a.outcome, reference }
      state.set(a.lineId, next)
      changed.set(a.lineId, next)
    }
    if (problems.length > 0) {
      const reason = problems.every((p) => p.message.includes("no payout line") || p.message.includes("another agency")) ? "unknown_line" : "line_transition"
      throw refused(reason, `the bank's answers were not applied (${problems.length} of ${input.answers.length} cannot be); nothing changed`, problems)
    }
    let paid = 0
    let returned = 0
    let paidAmount = 0n
    let returnedAmount = 0n
    for (const [id, c] of changed) {
      const net = BigInt(lines.get(id)!.net)
      if (c.state === "paid") {
        paid++
        paidAmount += net
      } else {
        returned++
        returnedAmount += net
      }
    }
    const entries = [...changed]
    for (let i = 0; i < entries.length; i += CHUNK) {
      const part = entries.slice(i, i + CHUNK)
      await tx.query(
        `UPDATE payout_lines l SET state = u.state, reference = u.reference, state_by = $2::text, state_at = $3::timestamptz
           FROM jsonb_to_recordset($4::text::jsonb) AS u(line_id text, state text, reference text)
          WHERE l.agency = $1::text AND l.line_id = u.line_id`,
        [input.agency, input.by, input.now, JSON.stringify(part.map(([id, c]) => ({ line_id: id, state: c.state, reference: c.reference })))]
      )
    }
    return { paid, returned, pending, unchanged, paidAmount, returnedAmount }
  }, timeoutFor(input.answers.length))

export interface DepositInput {
  readonly agency: string
  readonly roundId: string
  /** The savings deposit's reference (the book or contract number). */
  readonly reference: string
  readonly by: string
  readonly now: string
  /** Only these lines; otherwise every deposit line that is approved and every bank line the bank returned. */
  readonly lineIds?: ReadonlyArray<string>
}

/** Puts lines on a savings deposit in the agency's name: deposit lines once approved, bank lines once returned. */
export const depositLines = async (db: Db, input: DepositInput): Promise<{ readonly count: number; readonly amount: bigint }> =>
  db.transaction(async (tx) => {
    await tx.query("SELECT set_config('bienlai.actor', $1::text, true)", [input.by])
    if (input.lineIds !== undefined) {
      const rows = await tx.query<{ line_id: string; state: string; settlement: string }>(
        `SELECT l.line_id, payout_line_state(l.state, r.status) AS state, l.settlement
           FROM payout_lines l JOIN payout_rounds r ON r.agency = l.agency AND r.id = l.round_id
          WHERE l.agency = $1::text AND l.round_id = $2::uuid AND l.line_id IN (SELECT jsonb_array_elements_text($3::text::jsonb))`,
        [input.agency, input.roundId, JSON.stringify(input.lineIds)]
      )
      const found = new Map(rows.map((r) => [r.line_id, r]))
      const problems: Array<Problem> = []
      for (const id of input.lineIds) {
        const r = found.get(id)
        if (r === undefined) problems.push({ where: id, message: `there is no line ${id} in this round of agency ${input.agency}` })
        else if (!(r.state === "returned" || (r.state === "approved" && r.settlement.startsWith("deposit")))) {
          problems.push({ where: id, message: `line ${id} is ${r.state}${r.settlement === "bank" && r.state === "approved" ? " (a bank line: send it, deposit it only if the bank returns it)" : ""}; it cannot be deposited` })
        }
      }
      if (problems.length > 0) throw refused("line_transition", "nothing was deposited", problems)
    }
    const [done] = await tx.query<{ n: number; sum: string | null }>(
      `WITH d AS (
         UPDATE payout_lines SET state = 'deposited', reference = $3::text, state_by = $4::text, state_at = $5::timestamptz
          WHERE agency = $1::text AND round_id = $2::uuid AND amount > 0
            -- A line still stored 'planned' is approved once its round is (migration 0480).
            AND ((state IN ('planned', 'approved') AND settlement LIKE 'deposit%'
                  AND EXISTS (SELECT 1 FROM payout_rounds r WHERE r.agency = $1::text AND r.id = $2::uuid AND r.status = 'approved'))
                 OR state = 'returned')
            AND ($6::text IS NULL OR line_id IN (SELECT jsonb_array_elements_text($6::text::jsonb)))
          RETURNING amount - fee AS net)
       SELECT count(*)::int AS n, sum(net)::text AS sum FROM d`,
      [input.agency, input.roundId, input.reference, input.by, input.now, input.lineIds === undefined ? null : JSON.stringify(input.lineIds)]
    )
    return { count: done?.n ?? 0, amount: BigInt(done?.sum ?? "0") }
  }, timeoutFor(100_000))
