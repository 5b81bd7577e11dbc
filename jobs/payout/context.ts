/**
 * What the `bienlai payout` subcommands share: the database (with --schema
 * as the bulk commands have), refusals turned into messages and exit codes,
 * money printed the Vietnamese way, and the step timer for progress.
 */
import { Schema } from "effect"
import { formatVnd } from "../../domain/money.ts"
import { BankFileRefused } from "../../domain/bank/statement.ts"
import { type Db, errorMessage } from "../../store/database/db.ts"
import { PayoutRefused } from "../../store/payout/errors.ts"
import { openBulkDb } from "../ingest/context.ts"

export type Fail = (message: string, code?: number) => number

/** Opens the database, runs the command, closes; a refusal is exit 1 with its message, every problem listed. */
export const withDb = async (schema: string | undefined, fail: Fail, body: (db: Db) => Promise<number>): Promise<number> => {
  let db: Db
  try {
    db = await openBulkDb(schema)
  } catch (error) {
    return fail(`cannot open the database: ${errorMessage(error)}`, 1)
  }
  try {
    return await body(db)
  } catch (error) {
    if (error instanceof PayoutRefused) {
      const listed = error.problems.length > 20 ? `\n${error.problems.map((p) => `  ${p.where}: ${p.message}`).join("\n")}` : ""
      return fail(`${error.message}${listed}`, 1)
    }
    if (error instanceof BankFileRefused || Schema.is(BankFileRefused)(error)) return fail(`the bank file cannot be read: ${(error as BankFileRefused).message}`, 1)
    return fail(errorMessage(error), 1)
  } finally {
    await db.close()
  }
}

export const vnd = (amount: bigint): string => formatVnd(amount)

/** Progress of a long command's steps on stderr: "plan: storing (1.2 s after planning)". */
export const stepTimer = (command: string): ((name: string) => void) & { readonly done: () => void } => {
  let started = performance.now()
  let current: string | undefined
  const report = (next?: string) => {
    const now = performance.now()
    if (current !== undefined) process.stderr.write(`payout ${command}: ${current} took ${((now - started) / 1000).toFixed(2)} s\n`)
    started = now
    current = next
  }
  return Object.assign((name: string) => report(name), { done: () => report(undefined) })
}

/** The time now as the store takes it. */
export const nowIso = (): string => new Date().toISOString()
