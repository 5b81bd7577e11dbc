/**
 * `bienlai sign`: issue all of an agency's pending drafts in bulk, oldest
 * first, with the same machinery as ingestion (workers, reserved ranges,
 * one transaction per page and series). A draft that cannot be issued (the
 * approver made it, its series belongs to another year, it no longer
 * validates) stays a draft and is reported with its reasons. Killed at any
 * moment, the command is simply run again: issued drafts are no longer
 * pending.
 */
import { Result } from "effect"
import { errorMessage } from "../../store/database/db.ts"
import { countPendingDrafts, pendingDrafts } from "../../store/receipts/bulk-receipts.ts"
import { makeCommitter } from "./commit.ts"
import { collectGarbage } from "./gc.ts"
import { type BulkJobOptions, type BulkSummary, IngestRefused, registryOf } from "./ingest.ts"
import { checkApprover } from "./officer-registry.ts"
import { type Part, prepareParts } from "./parts.ts"
import { openPool } from "./pool.ts"
import { openRejects } from "./rejects.ts"
import type { SignerSpec } from "./signer-spec.ts"
import type { JobSetup } from "./work.ts"

export interface SignOptions extends BulkJobOptions {
  readonly agency: string
  readonly approver: string
  readonly signer: SignerSpec
  /** Only drafts created before this instant. */
  readonly until?: string | undefined
}

export interface SignSummary extends BulkSummary {
  readonly agency: string
  /** Drafts that changed while being issued and were left alone. */
  readonly skipped: number
}

export const runBulkSign = async (opts: SignOptions): Promise<Result.Result<SignSummary, IngestRefused>> => {
  const started = performance.now()
  let total: number
  let officers
  try {
    officers = await registryOf(opts.db)
    total = await countPendingDrafts(opts.db, opts.agency, opts.until ?? null)
  } catch (error) {
    return Result.fail(new IngestRefused({ reason: "database", message: `cannot read the drafts: ${errorMessage(error)}` }))
  }
  const problems = checkApprover(officers, opts.agency, opts.approver)
  if (problems.length > 0) return Result.fail(new IngestRefused({ reason: "approver", message: `${problems.join("; ")}; nothing was signed` }))

  const setup: JobSetup = {
    format: "ndjson",
    mapping: [],
    header: [],
    delimiter: ",",
    ctx: { defaults: { agency: opts.agency }, officers },
    mode: "issue",
    approver: opts.approver
  }
  const now = opts.now ?? (() => new Date().toISOString())
  const pool = await openPool(setup, opts.signer, opts.threads)
  const rejects = openRejects(opts.rejectsPath)
  const committer = makeCommitter({
    db: opts.db,
    pool,
    target: "issue-stored",
    randomBytes: opts.randomBytes ?? ((n) => crypto.getRandomValues(new Uint8Array(n)))
  })
  const totals = { read: 0, accepted: 0, inserted: 0, duplicates: 0, rejected: 0, skipped: 0 }
  const batchSize = opts.batchSize ?? 2000
  const window = 3
  const inflight: Array<Promise<Array<Part>>> = []
  const settle = async () => {
    const next = inflight.shift()
    if (next === undefined) return
    const parts = await next
    for (const p of parts) await rejects.write(p.prepared.rejects)
    const c = await committer.commit(parts)
    for (const { prepared } of parts) {
      totals.read += prepared.accepted.length + prepared.rejects.length
      totals.accepted += prepared.accepted.length
      totals.rejected += prepared.rejects.length
    }
    totals.inserted += c.inserted
    totals.skipped += c.skipped
    collectGarbage()
    opts.progress?.update(totals.read, total > 0 ? totals.read / total : undefined)
  }
  let cursor: { createdAt: string; id: string } | null = null
  let ordinal = 0
  let batchId = 0
  try {
    while (true) {
      const page = await pendingDrafts(opts.db, opts.agency, opts.until ?? null, cursor, batchSize)
      const last = page[page.length - 1]
      if (last === undefined) break
      cursor = { createdAt: last.created_at, id: last.id }
      const rows = page.map(() => ++ordinal)
      inflight.push(prepareParts(pool, () => batchId++, { kind: "stored", rows, drafts: page.map((d) => d.draft) }, now()))
      while (inflight.length >= window) await settle()
    }
    while (inflight.length > 0) await settle()
  } finally {
    await Promise.allSettled(inflight)
    await pool.close()
    await rejects.close()
    opts.progress?.finish()
  }
  return Result.succeed({ agency: opts.agency, ...totals, series: committer.series(), elapsedMs: Math.round(performance.now() - started) })
}
