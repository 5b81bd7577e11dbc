/**
 * What `bienlai ingest` and `bienlai sign` do around their job: open the
 * database, run the job, record the run in `ingest_runs`, print the summary
 * (or JSON) and choose the exit code. A failure mid-run keeps what was
 * committed, and the message says to run the same command again.
 */
import { Result } from "effect"
import { recordRun, type RunRecord } from "../../store/receipts/bulk-receipts.ts"
import { errorMessage, type Db } from "../../store/database/db.ts"
import { openBulkDb } from "./context.ts"
import type { BulkSummary } from "./ingest.ts"
import { summaryLines } from "./summary.ts"

export interface RecordedRun<S extends BulkSummary> {
  readonly schema: string | undefined
  readonly run: (db: Db) => Promise<Result.Result<S, { readonly message: string }>>
  /** Read after the run, when who acted (authenticated inside it) is known. */
  readonly record: () => Omit<RunRecord, "startedAt" | "finishedAt" | "summary">
  readonly rejectsPath: string
  readonly json: boolean
  /** Lines printed between the counts and the numbers used. */
  readonly extraLines: (s: S) => ReadonlyArray<string>
  /** 0 when everything went in, 3 when something was left out. */
  readonly exitCode: (s: S) => number
  /** How to finish after a failure mid-run. */
  readonly rerunHint: string
  /** Prints an error and gives the exit code. */
  readonly fail: (message: string, code?: number) => number
}

export const runRecorded = async <S extends BulkSummary>(job: RecordedRun<S>): Promise<number> => {
  let db: Db
  try {
    db = await openBulkDb(job.schema)
  } catch (error) {
    return job.fail(`cannot open the database: ${errorMessage(error)}`, 1)
  }
  const startedAt = new Date().toISOString()
  try {
    const result = await job.run(db)
    if (Result.isFailure(result)) return job.fail(result.failure.message, 1)
    const s = result.success
    await recordRun(db, { ...job.record(), startedAt, finishedAt: new Date().toISOString(), summary: s })
    if (job.json) console.log(JSON.stringify({ ...s, rejectsFile: s.rejected > 0 ? job.rejectsPath : null }))
    else for (const line of summaryLines(s, job.extraLines(s))) console.log(line)
    return job.exitCode(s)
  } catch (error) {
    return job.fail(`${errorMessage(error)}\nWhat was committed stays; ${job.rerunHint}`, 1)
  } finally {
    await db.close()
  }
}
