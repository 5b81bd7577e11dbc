/**
 * Sending an approved round to the bank as a pain.001 batch
 * (domain/bank/pain001.ts, written by adapters/bank/iso20022/pain001-file.ts).
 *
 * A batch takes every bank line that is approved or was returned; in one
 * transaction they become `sent` in batch N, the batch is recorded (its
 * message id, creation time and the agency's account), and the file is
 * written; if the file cannot be written nothing is marked sent. A line that
 * is sent is never in a later batch until the bank returns it, so it cannot
 * be paid twice. When there is nothing new to send, the latest batch is
 * written again, byte for byte the same file (everything in it comes from
 * the stored batch and lines, nothing from the clock).
 */
import { Result } from "effect"
import { checkBankAccount } from "../../domain/bank/account-number.ts"
import type { Pain001Debtor, Pain001Line } from "../../domain/bank/pain001.ts"
import type { Db, Sql } from "../database/db.ts"
import { collectGarbage } from "./collect-garbage.ts"
import { refused, timeoutFor } from "./errors.ts"

export interface ExportInput {
  readonly agency: string
  readonly roundId: string
  /** The agency's account the money leaves from (used for a new batch; a batch written again keeps its own). */
  readonly debtor: Pain001Debtor
  readonly by: string
  readonly now: string
  /** Writes the batch's file; a failure rolls the batch back. */
  readonly write: (batch: BatchFile) => Promise<void>
}

export interface BatchFile {
  readonly batch: number
  readonly messageId: string
  readonly createdAt: string
  readonly debtor: Pain001Debtor
  readonly count: number
  /** What the creditors receive: the lines' amounts less the fee withheld. */
  readonly sum: bigint
  readonly lines: AsyncIterable<Pain001Line>
}

export interface ExportedBatch {
  readonly batch: number
  readonly messageId: string
  readonly count: number
  readonly sum: bigint
  /** false when nothing was new to send and the latest batch was written again. */
  readonly fresh: boolean
}

interface RoundRow {
  round: number
  line_count: number
  status: string
  case_decision: string
}

interface BatchRow {
  batch: number
  message_id: string
  created_at: string
  line_count: number
  amount: string
  debtor: unknown
}

const PAGE = 20_000

/**
 * The lines of batch `batch`, in plan order, with the creditor's name and account: page by page over ranges
 * of positions (a range scan of the primary key each; with LIMIT the planner chose to scan the whole round's
 * lines for every page of a million-line round).
 */
async function* batchLines(sql: Sql, agency: string, roundId: string, caseDecision: string, round: number, batch: number, lineCount: number): AsyncGenerator<Pain001Line> {
  for (let after = 0; after < lineCount; after += PAGE) {
    // The pages read and the XML written from them are garbage at once: collected every 100,000 lines, or a
    // million-line batch piles them up past a gigabyte (see collect-garbage.ts).
    if (after > 0 && after % (5 * PAGE) === 0) collectGarbage()
    const rows = await sql.query<{ line_no: number; line_id: string; claim_id: string; net: string; name: string; bank_bin: string; bank_account: string }>(
      // A page of lines by position, then each line's claim by its key: the planner otherwise hash-joins the
      // whole claims table once per page (a million claims, fifty pages).
      `SELECT l.line_no, l.line_id, l.claim_id, l.net, c.name, c.bank_bin, c.bank_account
         FROM (SELECT line_no, line_id, claim_id, (amount - fee)::text AS net FROM payout_lines
                WHERE agency = $1::text AND round_id = $2::uuid AND line_no > $5::integer AND line_no <= $5::integer + ${PAGE}
                  AND batch = $4::integer) l
         CROSS JOIN LATERAL (SELECT name, bank_bin, bank_account FROM payout_claims
                              WHERE agency = $1::text AND case_decision = $3::text AND claim_id = l.claim_id) c
        ORDER BY l.line_no`,
      [agency, roundId, caseDecision, batch, after]
    )
    for (const r of rows) {
      yield {
        endToEndId: r.line_id,
        creditorName: r.name,
        creditorAccount: r.bank_account,
        creditorBankBin: r.bank_bin,
        amount: BigInt(r.net),
        remittance: `Chi tra tien THA ${caseDecision} dot ${round} ${r.claim_id}`
      }
    }
  }
}

const debtorOf = (value: unknown): Pain001Debtor => (typeof value === "string" ? JSON.parse(value) : value) as Pain001Debtor

/** Sends the round's pending bank lines as a new batch, or writes the latest batch again. */
export const exportRound = async (db: Db, input: ExportInput): Promise<ExportedBatch> => {
  const account = checkBankAccount(input.debtor.bankBin, input.debtor.account)
  if (Result.isFailure(account)) {
    throw refused("bank_file", "the agency's account cannot send the batch", account.failure.map((p) => ({ where: "debtor account", message: p.message })))
  }
  const [size] = await db.query<{ n: number }>("SELECT line_count AS n FROM payout_rounds WHERE agency = $1::text AND id = $2::uuid", [input.agency, input.roundId])
  return db.transaction(async (tx) => {
    await tx.query("SELECT set_config('bienlai.actor', $1::text, true)", [input.by])
    const rounds = await tx.query<RoundRow>(
      "SELECT round, line_count, status, case_decision FROM payout_rounds WHERE agency = $1::text AND id = $2::uuid FOR UPDATE",
      [input.agency, input.roundId]
    )
    const round = rounds[0]
    if (round === undefined) throw refused("round_not_found", `there is no payout round ${input.roundId} in agency ${input.agency}`)
    if (round.status !== "approved") throw refused("not_approved", `round ${round.round} has not been approved; only an approved round is sent to the bank`)
    const [last] = await tx.query<{ batch: number | null }>(
      "SELECT max(batch) AS batch FROM payout_batches WHERE agency = $1::text AND round_id = $2::uuid", [input.agency, input.roundId])
    const next = (last?.batch ?? 0) + 1
    // Lines whose fee takes all of their amount have nothing to transfer.
    const sent = await tx.query<{ n: number; sum: string | null }>(
      `WITH s AS (
         UPDATE payout_lines SET state = 'sent', sends = sends + 1, batch = $3::integer, state_by = $4::text, state_at = $5::timestamptz
          WHERE agency = $1::text AND round_id = $2::uuid AND settlement = 'bank' AND state IN ('planned', 'approved', 'returned') AND amount > fee
          RETURNING amount - fee AS net)
       SELECT count(*)::int AS n, sum(net)::text AS sum FROM s`,
      [input.agency, input.roundId, next, input.by, input.now]
    )
    const count = sent[0]?.n ?? 0
    let batch: BatchRow
    if (count > 0) {
      const messageId = `${input.roundId.replaceAll("-", "").slice(0, 12)}-B${next}`
      await tx.query(
        `INSERT INTO payout_batches (agency, round_id, batch, message_id, created_at, line_count, amount, debtor, created_by)
         VALUES ($1::text, $2::uuid, $3::integer, $4::text, $5::timestamptz, $6::integer, $7::bigint, $8::text::jsonb, $9::text)`,
        [input.agency, input.roundId, next, messageId, input.now, count, sent[0]!.sum, JSON.stringify(input.debtor), input.by]
      )
      batch = { batch: next, message_id: messageId, created_at: new Date(input.now).toISOString(), line_count: count, amount: sent[0]!.sum!, debtor: input.debtor }
    } else {
      if (last?.batch === null || last?.batch === undefined) {
        throw refused("nothing_to_send", `round ${round.round} has no bank line to send (every line is deposited, paid or 0 đồng)`)
      }
      const rows = await tx.query<BatchRow>(
        `SELECT batch, message_id, iso_instant(created_at) AS created_at, line_count, amount::text AS amount, debtor
           FROM payout_batches WHERE agency = $1::text AND round_id = $2::uuid AND batch = $3::integer`,
        [input.agency, input.roundId, last.batch]
      )
      batch = rows[0]!
      const [still] = await tx.query<{ n: number; sum: string | null }>(
        "SELECT count(*)::int AS n, sum(amount - fee)::text AS sum FROM payout_lines WHERE agency = $1::text AND round_id = $2::uuid AND batch = $3::integer",
        [input.agency, input.roundId, batch.batch]
      )
      if (still?.n !== batch.line_count || still?.sum !== batch.amount) {
        throw refused("nothing_to_send", `batch ${batch.batch} cannot be written again as it was: some of its lines were returned and sent in a later batch`)
      }
    }
    await input.write({
      batch: batch.batch,
      messageId: batch.message_id,
      createdAt: batch.created_at,
      debtor: debtorOf(batch.debtor),
      count: batch.line_count,
      sum: BigInt(batch.amount),
      lines: batchLines(tx, input.agency, input.roundId, round.case_decision, round.round, batch.batch, round.line_count)
    })
    return { batch: batch.batch, messageId: batch.message_id, count: batch.line_count, sum: BigInt(batch.amount), fresh: count > 0 }
  }, timeoutFor(size?.n ?? 0))
}
