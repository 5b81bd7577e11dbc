/**
 * Importing a bank file's statement events, idempotently: entries are keyed
 * by (agency, account, the bank's own entry reference), so the same
 * statement imported twice changes nothing and an overlapping one adds only
 * what is new. The same reference with different content (date, amount,
 * direction, reversal) is refused, naming both statements and both figures.
 *
 * The whole file is one transaction: a statement for another agency's
 * account, balances that do not add up (the readers refuse them), a
 * malformed file or a new entry on a closed day refuse the file and nothing
 * already imported or matched changes. Entries go through COPY into a
 * staging table in chunks, so a file of a million entries streams.
 */
import type { StatementEvent, StatementHeader, StatementSummary, EntryReject } from "../../domain/bank/statement.ts"
import { readMemo } from "../../domain/reconciliation/memo.ts"
import { foldName } from "../../domain/reconciliation/memo.ts"
import { copyLine, type Db, type Sql } from "../database/db.ts"
import { bulkSettings } from "./bulk-settings.ts"
import { closedDayRefusal, ReconciliationRefused } from "./refusals.ts"

export interface ImportOptions {
  readonly agency: string
  /** The file name, kept with each statement. */
  readonly source?: string
  /** ISO instant of the import. */
  readonly now: string
  readonly onReject?: (reject: EntryReject & { readonly statementId: string }) => void
  /** Entries per COPY chunk. */
  readonly chunk?: number
  /** The file is one transaction; a bulk import may need longer than the driver's default minute (PostgreSQL). */
  readonly timeoutMs?: number
}

export interface ImportedStatement {
  readonly statementId: string
  readonly account: string
  readonly format: string
  readonly entries: number
  readonly newEntries: number
  readonly balanceCheck: StatementSummary["balanceCheck"]
}

export interface ImportSummary {
  readonly statements: ReadonlyArray<ImportedStatement>
  readonly entries: number
  readonly newEntries: number
  readonly alreadyImported: number
  readonly pending: number
  readonly rejected: number
}

const stagingColumns = [
  "line", "account", "bank_reference", "booking_date", "value_date", "amount", "direction", "reversal", "end_to_end_id",
  "counterparty_name", "counterparty_account", "memo", "transaction_code", "statement_id", "memo_refs", "memo_bank_refs", "memo_decisions", "memo_name"
] as const

const arrayLiteral = (xs: ReadonlyArray<string>): string => `{${xs.map((x) => `"${x.replace(/["\\]/g, "")}"`).join(",")}}`

const content = (p: string) => `concat_ws('|', ${p}booking_date, ${p}amount, ${p}direction, ${p}reversal)`

export const importStatementEvents = async (db: Db, events: AsyncIterable<StatementEvent> | Iterable<StatementEvent>, o: ImportOptions): Promise<ImportSummary> => {
  try {
    return await db.transaction((tx) => importInTransaction(tx, events, o), o.timeoutMs === undefined ? {} : { timeoutMs: o.timeoutMs })
  } catch (error) {
    throw closedDayRefusal(error) ?? error
  }
}

const importInTransaction = async (tx: Sql, events: AsyncIterable<StatementEvent> | Iterable<StatementEvent>, o: ImportOptions): Promise<ImportSummary> => {
  await tx.exec(bulkSettings)
  await tx.exec(`CREATE TEMP TABLE recon_staging (
    line integer, account text, bank_reference text, booking_date date, value_date date, amount bigint, direction text, reversal boolean,
    end_to_end_id text, counterparty_name text, counterparty_account text, memo text, transaction_code text, statement_id text,
    memo_refs text[], memo_bank_refs text[], memo_decisions text[], memo_name text) ON COMMIT DROP`)
  const chunkSize = o.chunk ?? 5_000
  let buffer: Array<string> = []
  // One chunk's COPY stays in flight while the next chunk is read: reading
  // the file and every memo is JS work, storing it the server's, and on two
  // cores the two overlap (a million entries: the reading alone is ~20 s).
  // Nothing else may use the connection meanwhile, so every query waits for it.
  let copying: Promise<void> | undefined
  const settle = async () => {
    const c = copying
    copying = undefined
    if (c !== undefined) await c
  }
  const flush = async () => {
    if (buffer.length === 0) return
    const data = buffer.join("")
    buffer = []
    await settle()
    copying = tx.copyIn("recon_staging", stagingColumns, data)
    // Handled here so a failure while the next chunk is read is not "unhandled"; settle() still rethrows it.
    copying.catch(() => {})
  }
  const owners = new Map<string, string | undefined>()
  const statements: Array<{ header: StatementHeader; summary: StatementSummary }> = []
  let header: StatementHeader | undefined
  let line = 0
  let pending = 0
  let rejected = 0
  try {
    for await (const event of events) {
      switch (event.type) {
        case "statement": {
          header = event.statement
          const account = header.account
          if (!owners.has(account)) {
            await settle()
            owners.set(account, (await tx.query<{ agency: string }>("SELECT agency FROM bank_accounts WHERE account = $1::text", [account]))[0]?.agency)
          }
          const owner = owners.get(account)
          if (owner === undefined) {
            throw new ReconciliationRefused("unknown_account", `statement ${header.statementId} is for account ${account}, which is not an account of agency ${o.agency} (register the agency's accounts first)`)
          }
          if (owner !== o.agency) {
            throw new ReconciliationRefused("other_agency", `statement ${header.statementId} is for account ${account} of agency ${owner}, not of agency ${o.agency}`)
          }
          break
        }
        case "entry": {
          const e = event.entry
          if (e.status !== "booked") {
            pending++
            break
          }
          const memo = e.memo ?? ""
          const reading = readMemo(memo)
          buffer.push(copyLine([
            ++line, e.account, e.bankReference, e.bookingDate, e.valueDate ?? null, e.amount.toString(), e.direction, e.reversal ? "t" : "f", e.endToEndId ?? null,
            e.counterpartyName ?? null, e.counterpartyAccount ?? null, memo, e.transactionCode ?? null, header?.statementId ?? "",
            arrayLiteral(reading.references), arrayLiteral(reading.bankReferences), arrayLiteral(reading.decisionNumbers),
            reading.payerName ?? (e.counterpartyName === undefined ? null : foldName(e.counterpartyName))
          ]))
          if (buffer.length >= chunkSize) await flush()
          break
        }
        case "reject":
          rejected++
          o.onReject?.({ ...event.reject, statementId: header?.statementId ?? "" })
          break
        case "end":
          if (header !== undefined) statements.push({ header, summary: event.summary })
          break
      }
    }
    await flush()
    await settle()
  } finally {
    // A refusal while a COPY is in flight: let it end before the transaction rolls back (its own error, if any, is the refusal's consequence).
    await settle().catch(() => {})
  }

  // Keys the file carries more than once (overlapping statements in one file): usually none. Only those
  // are checked for differing content and described, and with none the insert below needs no DISTINCT ON
  // (a sort of every entry with its memo: seconds at a million).
  await tx.exec(`CREATE TEMP TABLE recon_staging_repeats ON COMMIT DROP AS
    SELECT account, bank_reference, min(${content("")}) <> max(${content("")}) AS differs FROM recon_staging GROUP BY account, bank_reference HAVING count(*) > 1`)
  const repeats = Number((await tx.query<{ n: string }>("SELECT count(*)::text AS n FROM recon_staging_repeats"))[0]?.n ?? "0")
  // The same reference twice in this file with different content.
  const inFile = repeats === 0 ? [] : await tx.query<{ account: string; bank_reference: string; versions: string }>(
    `WITH differing AS (SELECT account, bank_reference FROM recon_staging_repeats WHERE differs LIMIT 5)
     SELECT s.account, s.bank_reference, string_agg(DISTINCT s.statement_id || ': ' || ${content("s.")}, '; ') AS versions
       FROM recon_staging s JOIN differing d USING (account, bank_reference) GROUP BY s.account, s.bank_reference`
  )
  if (inFile.length > 0) {
    throw new ReconciliationRefused(
      "duplicate_differs",
      `the file has the same bank reference with different content (date|amount|direction|reversal): ${inFile.map((r) => `${r.account}/${r.bank_reference} (${r.versions})`).join(", ")}`
    )
  }
  // The same reference as an entry already imported, with different content.
  const clash = await tx.query<{ account: string; bank_reference: string; new_statement: string; new_content: string; old_statement: string; old_content: string }>(
    `SELECT s.account, s.bank_reference, s.statement_id AS new_statement, ${content("s.")} AS new_content,
            e.statement_id AS old_statement, ${content("e.")} AS old_content
       FROM recon_staging s JOIN bank_entries e ON e.agency = $1::text AND e.account = s.account AND e.bank_reference = s.bank_reference
      WHERE ${content("s.")} <> ${content("e.")}
      ORDER BY s.line LIMIT 5`,
    [o.agency]
  )
  if (clash.length > 0) {
    throw new ReconciliationRefused(
      "duplicate_differs",
      `entries already imported come back with different content (date|amount|direction|reversal): ${clash.map((c) =>
        `${c.account}/${c.bank_reference} is ${c.old_content} in statement ${c.old_statement} but ${c.new_content} in statement ${c.new_statement}`
      ).join("; ")}`
    )
  }
  for (const { header: h } of statements) {
    const earlier = (await tx.query<{ opening: string | null; closing: string | null }>(
      "SELECT opening::text, closing::text FROM bank_statements WHERE agency = $1::text AND account = $2::text AND statement_id = $3::text",
      [o.agency, h.account, h.statementId]
    ))[0]
    if (earlier !== undefined && (earlier.opening !== (h.opening?.amount.toString() ?? null) || (h.closing !== undefined && earlier.closing !== h.closing.amount.toString()))) {
      throw new ReconciliationRefused(
        "statement_differs",
        `statement ${h.statementId} of account ${h.account} was imported with opening ${earlier.opening ?? "none"} and closing ${earlier.closing ?? "none"}, and now comes with opening ${h.opening?.amount ?? "none"} and closing ${h.closing?.amount ?? "none"}`
      )
    }
  }
  const inserted = await tx.query<{ statement_id: string; n: string }>(
    `WITH ins AS (
       INSERT INTO bank_entries (agency, account, bank_reference, booking_date, value_date, amount, direction, reversal, end_to_end_id,
                                 counterparty_name, counterparty_account, memo, transaction_code, statement_id, memo_refs, memo_bank_refs, memo_decisions, memo_name)
       SELECT ${repeats === 0 ? "" : "DISTINCT ON (s.account, s.bank_reference)"} $1::text, s.account, s.bank_reference, s.booking_date, s.value_date, s.amount, s.direction, s.reversal, s.end_to_end_id,
              s.counterparty_name, s.counterparty_account, s.memo, s.transaction_code, s.statement_id, s.memo_refs, s.memo_bank_refs, s.memo_decisions, s.memo_name
         FROM recon_staging s
        WHERE NOT EXISTS (SELECT 1 FROM bank_entries e WHERE e.agency = $1::text AND e.account = s.account AND e.bank_reference = s.bank_reference)
        ${repeats === 0 ? "" : "ORDER BY s.account, s.bank_reference, s.line"}
       RETURNING statement_id)
     SELECT statement_id, count(*)::text AS n FROM ins GROUP BY statement_id`,
    [o.agency]
  )
  const newBy = new Map(inserted.map((r) => [r.statement_id, Number(r.n)]))
  const perStatement = new Map((await tx.query<{ statement_id: string; n: string }>("SELECT statement_id, count(*)::text AS n FROM recon_staging GROUP BY statement_id")).map((r) => [r.statement_id, Number(r.n)]))
  const out: Array<ImportedStatement> = []
  for (const { header: h, summary } of statements) {
    const entries = perStatement.get(h.statementId) ?? 0
    const newEntries = newBy.get(h.statementId) ?? 0
    const closing = summary.closing ?? h.closing
    await tx.query(
      `INSERT INTO bank_statements (agency, account, statement_id, format, opening, opening_date, closing, closing_date, entries, new_entries, source, imported_at)
       VALUES ($1::text, $2::text, $3::text, $4::text, $5::bigint, $6::date, $7::bigint, $8::date, $9::integer, $10::integer, $11::text, $12::timestamptz)
       ON CONFLICT (agency, account, statement_id) DO NOTHING`,
      [o.agency, h.account, h.statementId, h.format, h.opening?.amount.toString() ?? null, h.opening?.date || null, closing?.amount.toString() ?? null, closing?.date || null, entries, newEntries, o.source ?? null, o.now]
    )
    out.push({ statementId: h.statementId, account: h.account, format: h.format, entries, newEntries, balanceCheck: summary.balanceCheck })
  }
  const fresh0 = [...newBy.values()].reduce((a, b) => a + b, 0)
  // A large import changes the table's shape: without fresh statistics the
  // planner looks entries up through the day index and scans a whole day per
  // credit (seconds per thousand matches in the run's checks).
  if (fresh0 >= 1_000) await tx.exec("ANALYZE bank_entries")
  const total = line
  const fresh = [...newBy.values()].reduce((a, b) => a + b, 0)
  return { statements: out, entries: total, newEntries: fresh, alreadyImported: total - fresh, pending, rejected }
}
