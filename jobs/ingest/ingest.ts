/**
 * `bienlai ingest`: a file of receipts in, drafts or issued receipts out.
 *
 *   read ─▶ workers: decode, parse, validate (+ issue template) ─▶ rejects file
 *                 └─▶ in file order: already stored? ─▶ reserve k numbers,
 *                     sign on the worker, COPY, commit ─▶ summary
 *
 * Batches are prepared ahead on every worker while the oldest one is being
 * written, so parsing, signing and the database overlap. See docs/INGEST.md.
 */
import { Result } from "effect"
import { Schema } from "effect"
import type { Db } from "../../store/database/db.ts"
import { errorMessage } from "../../store/database/db.ts"
import { loadOfficers } from "../../store/receipts/bulk-receipts.ts"
import { type CommitCounts, makeCommitter, type SeriesUsage } from "./commit.ts"
import { collectGarbage } from "./gc.ts"
import type { EncodingRefused } from "./encoding.ts"
import { checkApprover, checkMaker, type OfficerRegistry } from "./officer-registry.ts"
import { type Part, prepareParts } from "./parts.ts"
import { openPool } from "./pool.ts"
import type { Progress } from "./progress.ts"
import { openRejects } from "./rejects.ts"
import type { RowDefaults } from "./row-to-draft.ts"
import type { SignerSpec } from "./signer-spec.ts"
import { formatOf, openSource, type SourceRefused } from "./sources.ts"
import type { Format, JobSetup } from "./work.ts"

export class IngestRefused extends Schema.TaggedError<IngestRefused>()("IngestRefused", {
  reason: Schema.Literals(["format", "maker", "approver", "signer", "database"]),
  message: Schema.String
}) {}

export type IngestError = IngestRefused | SourceRefused | EncodingRefused

export interface BulkSummary {
  /** Rows read; read = accepted + rejected. */
  readonly read: number
  /** Valid rows: newly stored plus already present. */
  readonly accepted: number
  readonly inserted: number
  /** Already stored before (a rerun, a resumed job, or a repeat within the file). */
  readonly duplicates: number
  readonly rejected: number
  /** Numbers used per series in this run (issue mode). */
  readonly series: ReadonlyArray<SeriesUsage>
  readonly elapsedMs: number
}

export interface IngestSummary extends BulkSummary {
  readonly file: string
  readonly format: Format
  readonly mode: "drafts" | "issue"
}

/** What every bulk job (ingest, sign) is run with. */
export interface BulkJobOptions {
  readonly db: Db
  readonly rejectsPath?: string | undefined
  /** Worker threads; 0 runs everything on this thread. */
  readonly threads: number
  readonly batchSize?: number | undefined
  readonly now?: (() => string) | undefined
  readonly randomBytes?: ((n: number) => Uint8Array) | undefined
  readonly progress?: Progress | undefined
}

export interface IngestOptions extends BulkJobOptions {
  readonly file: string
  readonly format?: Format | undefined
  readonly defaults: RowDefaults
  /** The maker of every row: the officer of the API token (jobs/ingest/ingest-officers.ts), never a typed name. */
  readonly maker: string
  readonly mode: "drafts" | "issue"
  readonly approver?: string | undefined
  readonly signer?: SignerSpec | undefined
}

export const registryOf = async (db: Db): Promise<OfficerRegistry> =>
  Object.fromEntries((await loadOfficers(db)).map((o) => [o.id, { agency: o.agency, role: o.role, active: o.active }]))

const defaultRandom = (n: number) => crypto.getRandomValues(new Uint8Array(n))

export const runIngest = async (opts: IngestOptions): Promise<Result.Result<IngestSummary, IngestError>> => {
  const started = performance.now()
  const format = opts.format ?? formatOf(opts.file)
  if (format === undefined) {
    return Result.fail(new IngestRefused({ reason: "format", message: `cannot tell the format of ${opts.file}: name it .csv, .ndjson (or .jsonl) or .xlsx` }))
  }
  if (opts.mode === "issue" && (opts.approver === undefined || opts.signer === undefined)) {
    return Result.fail(new IngestRefused({ reason: "approver", message: "issuing needs an approver (the officer of BIENLAI_TOKEN) and the agency's signing key" }))
  }
  let officers: OfficerRegistry
  try {
    officers = await registryOf(opts.db)
  } catch (error) {
    return Result.fail(new IngestRefused({ reason: "database", message: `cannot read the officers: ${errorMessage(error)}` }))
  }
  // Without --agency the rows name theirs; the maker's own agency is the one all of them can be for.
  const agency = opts.defaults.agency ?? officers[opts.maker]?.agency
  const makerProblems = checkMaker(officers, agency ?? "", opts.maker)
  if (makerProblems.length > 0) return Result.fail(new IngestRefused({ reason: "maker", message: `${makerProblems.join("; ")}; nothing was ingested` }))
  if (opts.mode === "issue" && opts.approver !== undefined && agency !== undefined) {
    const problems = checkApprover(officers, agency, opts.approver, opts.maker)
    if (problems.length > 0) return Result.fail(new IngestRefused({ reason: "approver", message: `${problems.join("; ")}; nothing was ingested` }))
  }
  const batchSize = opts.batchSize ?? 2000
  const source = await openSource(opts.file, format, batchSize)
  if (!("batches" in source)) return Result.fail(source)

  const setup: JobSetup = {
    format,
    mapping: source.mapping,
    header: source.header,
    delimiter: source.delimiter,
    ctx: { defaults: opts.defaults, officers, maker: opts.maker },
    mode: opts.mode,
    approver: opts.approver
  }
  const now = opts.now ?? (() => new Date().toISOString())
  const pool = await openPool(setup, opts.mode === "issue" ? opts.signer : undefined, opts.threads)
  const rejects = openRejects(opts.rejectsPath)
  const committer = makeCommitter({ db: opts.db, pool, target: opts.mode, randomBytes: opts.randomBytes ?? defaultRandom })
  const totals = { read: 0, accepted: 0, inserted: 0, duplicates: 0, rejected: 0 }
  const add = (parts: ReadonlyArray<Part>, c: CommitCounts) => {
    for (const { prepared: p } of parts) {
      totals.read += p.accepted.length + p.rejects.length
      totals.accepted += p.accepted.length
      totals.rejected += p.rejects.length
    }
    // A row found in conflict with what is stored was valid on its own, but is rejected all the same.
    totals.accepted -= c.conflicts.length
    totals.rejected += c.conflicts.length
    totals.inserted += c.inserted
    totals.duplicates += c.duplicates
  }
  // Two batches ahead, so the workers prepare the next ones while one is written.
  const window = 3
  const inflight: Array<{ work: Promise<Array<Part>>; bytesRead: number; ready?: Array<Part> }> = []
  const settle = async () => {
    const next = inflight.shift()
    if (next === undefined) return
    const parts = await next.work
    for (const p of parts) await rejects.write(p.prepared.rejects)
    const counts = await committer.commit(parts, inflight[0]?.ready)
    await rejects.write(counts.conflicts)
    add(parts, counts)
    collectGarbage()
    opts.progress?.update(totals.read, source.totalBytes > 0 ? next.bytesRead / source.totalBytes : undefined)
  }
  let batchId = 0
  try {
    for await (const { input, bytesRead } of source.batches) {
      const entry: (typeof inflight)[number] = { work: prepareParts(pool, () => batchId++, input, now()), bytesRead }
      // Known once prepared, so the committer can sign it ahead while the batch before it is written.
      entry.work.then((parts) => (entry.ready = parts), () => undefined)
      inflight.push(entry)
      while (inflight.length >= window) await settle()
    }
    while (inflight.length > 0) await settle()
  } finally {
    // Prepared batches still in flight are abandoned, never half-written.
    await Promise.allSettled(inflight.map((i) => i.work))
    await committer.settled()
    await pool.close()
    await rejects.close()
    opts.progress?.finish()
  }
  return Result.succeed({
    file: opts.file,
    format,
    mode: opts.mode,
    ...totals,
    series: committer.series(),
    elapsedMs: Math.round(performance.now() - started)
  })
}
