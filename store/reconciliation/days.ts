/**
 * The daily reconciliation report of an account (the domain's dailyReport
 * over what the database holds), closing a day, and dated adjustments.
 */
import { Result } from "effect"
import { type DailyReport, dailyReport, type DayMovement } from "../../domain/reconciliation/daily-report.ts"
import { type Adjustment, checkAdjustment, checkDayClosing } from "../../domain/reconciliation/day-closing.ts"
import type { Db, Sql } from "../database/db.ts"
import { closedDayRefusal, ReconciliationRefused } from "./refusals.ts"

const closedDays = async (db: Sql, agency: string, account: string): Promise<Set<string>> =>
  new Set((await db.query<{ day: string }>("SELECT day::text AS day FROM recon_closed_days WHERE agency = $1::text AND account = $2::text", [agency, account])).map((r) => r.day))

/** The report of one account and day; refused when the bank's balances do not add up. */
export const accountDayReport = async (db: Sql, agency: string, account: string, day: string): Promise<Result.Result<DailyReport, ReconciliationRefused>> => {
  const balances = (await db.query<{ opening: string | null; closing: string | null }>(
    `SELECT opening::text AS opening, closing::text AS closing FROM bank_statements
      WHERE agency = $1::text AND account = $2::text AND opening_date = $3::date AND closing_date = $3::date
      ORDER BY imported_at, statement_id LIMIT 1`,
    [agency, account, day]
  ))[0]
  const movements = await db.query<{ direction: "credit" | "debit"; amount: string; state: DayMovement["state"] }>(
    `SELECT e.direction, e.amount::text AS amount,
            CASE WHEN EXISTS (SELECT 1 FROM recon_matches m WHERE m.agency = e.agency AND m.account = e.account AND m.bank_reference = e.bank_reference) THEN 'matched'
                 WHEN EXISTS (SELECT 1 FROM recon_queue q WHERE q.agency = e.agency AND q.account = e.account AND q.bank_reference = e.bank_reference) THEN 'queued'
                 ELSE 'unmatched' END AS state
       FROM bank_entries e WHERE e.agency = $1::text AND e.account = $2::text AND e.booking_date = $3::date`,
    [agency, account, day]
  )
  const flagged = await db.query<{ n: string }>(
    `SELECT count(*)::text AS n FROM recon_flags f WHERE f.agency = $1::text AND f.kind = 'amount_differs'
        AND EXISTS (SELECT 1 FROM bank_entries e WHERE e.agency = f.agency AND e.account = $2::text AND e.booking_date = $3::date
                     AND position(e.account || '/' || e.bank_reference IN f.subject) > 0)`,
    [agency, account, day]
  )
  const adjustments = await db.query<{ total: string }>(
    "SELECT coalesce(sum(amount), 0)::text AS total FROM recon_adjustments WHERE agency = $1::text AND account = $2::text AND booked_on = $3::date",
    [agency, account, day]
  )
  const r = dailyReport({
    agency,
    account,
    day,
    ...(balances?.opening == null ? {} : { opening: BigInt(balances.opening) }),
    ...(balances?.closing == null ? {} : { closing: BigInt(balances.closing) }),
    movements: movements.map((m) => ({ direction: m.direction, amount: BigInt(m.amount), state: m.state })),
    flagged: Number(flagged[0]?.n ?? "0"),
    adjustments: BigInt(adjustments[0]?.total ?? "0")
  })
  return Result.isFailure(r) ? Result.fail(new ReconciliationRefused("does_not_balance", r.failure.message)) : Result.succeed(r.success)
}

const reportJson = (r: DailyReport) =>
  JSON.stringify(r, (_k, v) => (typeof v === "bigint" ? v.toString() : v))

/** An approver closes a day whose report balances; the database then refuses any change to it. */
export const closeDay = async (db: Db, agency: string, account: string, day: string, closerId: string, now: string): Promise<DailyReport> =>
  db.transaction(async (tx) => {
    const role = (await tx.query<{ role: string; agency: string }>("SELECT role, agency FROM officers WHERE id = $1::text AND disabled_at IS NULL", [closerId]))[0]
    if (role === undefined || role.agency !== agency) throw new ReconciliationRefused("not_an_approver", `officer ${closerId} is not an active officer of agency ${agency}`)
    const report = await accountDayReport(tx, agency, account, day)
    if (Result.isFailure(report)) throw report.failure
    const ok = checkDayClosing(report.success, { id: closerId, role: role.role }, await closedDays(tx, agency, account))
    if (Result.isFailure(ok)) throw new ReconciliationRefused(ok.failure.reason === "already_closed" ? "already_closed" : "not_an_approver", ok.failure.message)
    await tx.query(
      "INSERT INTO recon_closed_days (agency, account, day, closed_by, closed_at, report) VALUES ($1::text, $2::text, $3::date, $4::text, $5::timestamptz, $6::text::jsonb)",
      [agency, account, day, closerId, now, reportJson(report.success)]
    )
    return report.success
  })

export const addAdjustment = async (db: Db, agency: string, a: Adjustment, now: string): Promise<void> => {
  const ok = checkAdjustment(a, await closedDays(db, agency, a.account))
  if (Result.isFailure(ok)) throw new ReconciliationRefused("day_closed", ok.failure.message)
  try {
    await db.query(
      `INSERT INTO recon_adjustments (agency, account, corrects_day, booked_on, amount, reason, by, approved_by, at)
       VALUES ($1::text, $2::text, $3::date, $4::date, $5::bigint, $6::text, $7::text, $8::text, $9::timestamptz)`,
      [agency, a.account, a.correctsDay, a.bookedOn, a.amount.toString(), a.reason, a.by, a.approvedBy, now]
    )
  } catch (error) {
    throw closedDayRefusal(error) ?? error
  }
}

/** Days of an account that have entries, in order (for reports over a period). */
export const accountDays = async (db: Sql, agency: string, account: string): Promise<Array<string>> =>
  (await db.query<{ day: string }>("SELECT DISTINCT booking_date::text AS day FROM bank_entries WHERE agency = $1::text AND account = $2::text ORDER BY 1", [agency, account])).map((r) => r.day)
