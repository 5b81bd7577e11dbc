/**
 * `bienlai ingest FILE [--agency A] [--as-drafts | --issue] [--rejects FILE]`:
 * bulk ingestion of CSV, NDJSON or XLSX (docs/INGEST.md). The maker of every
 * row is the officer whose API token is given, never a typed name; issuing in
 * the same command needs a second officer's token, the approver's
 * (jobs/ingest/ingest-officers.ts).
 *
 * Exit codes: 0 every row accepted; 3 finished, but some rows were rejected
 * (see the rejects file); 1 refused or failed (rerun it: stored rows are
 * skipped); 2 wrong usage.
 */
import { keyStoreSpec, stderrProgress, threadsFrom } from "../ingest/context.ts"
import { runIngest } from "../ingest/ingest.ts"
import { runRecorded } from "../ingest/recorded-run.ts"
import type { Format } from "../ingest/work.ts"
import { Result } from "effect"
import { commandFailure, readCommandLine } from "../bin/command-line.ts"
import { IdentityRefused, typedOfficerRefused } from "../program/officer-identity.ts"
import { authenticateIngestOfficers, MAKER_TOKEN_ENV, typedMakerRefused } from "../ingest/ingest-officers.ts"

export const summary = "ingest FILE: bulk CSV/NDJSON/XLSX as drafts or issued receipts (resumable, idempotent)"

const usage = `usage: bienlai ingest FILE [--agency HCM] [--as-drafts | --issue] [--rejects FILE]
                      [--form 01-BLTHADS] [--symbol AA/26E] [--format csv|ndjson|xlsx]
                      [--threads N] [--batch 2000] [--schema NAME] [--json]

FILE      UTF-8 CSV (with a header row), NDJSON or XLSX; columns in docs/INGEST.md
--agency  the agency of every row (rows may also carry an agency column)
--as-drafts  store the rows as drafts for later approval (the default)
--issue   number, sign and issue every valid row: made by the officer whose
          API token is in ${MAKER_TOKEN_ENV} and approved by another officer,
          an approver of the agency, whose token is in BIENLAI_TOKEN
--rejects where rejected rows go, one JSON line each (default FILE.rejects.ndjson)
--form, --symbol   values for rows that lack those columns
--threads worker threads (default: the number of cores; 0 = none)
--schema  a PostgreSQL schema (needs DATABASE_URL)

The maker of every row is the officer whose API token is in BIENLAI_TOKEN
(with --issue: ${MAKER_TOKEN_ENV}), or typed at a prompt that does not echo;
a row whose maker column (người lập) names another officer is rejected.

Reads DATABASE_URL (PostgreSQL) or the embedded database in BIENLAI_DATA;
signing keys from BIENLAI_KEYS_DIR with BIENLAI_KEY_PASSPHRASE.
Exit 0: all rows accepted; 3: some rows rejected; 1: refused or failed (run it
again: rows already stored are skipped); 2: wrong usage.`

export const run = async (args: ReadonlyArray<string>): Promise<number> => {
  const parsed = readCommandLine("ingest", usage, args, {
    agency: { type: "string" },
    "as-drafts": { type: "boolean" },
    issue: { type: "boolean" },
    // Read only to refuse them: the maker and the approver come from tokens.
    approver: { type: "string" },
    maker: { type: "string" },
    rejects: { type: "string" },
    form: { type: "string" },
    symbol: { type: "string" },
    format: { type: "string" },
    threads: { type: "string" },
    batch: { type: "string" },
    schema: { type: "string" },
    json: { type: "boolean" }
  })
  if (typeof parsed === "number") return parsed
  const { values: flags, positionals } = parsed
  const fail = commandFailure("ingest", usage)
  const file = positionals[0]
  if (file === undefined || positionals.length > 1) return fail("give exactly one FILE")
  if (flags["as-drafts"] && flags.issue) return fail("choose --as-drafts or --issue, not both")
  const mode = flags.issue ? "issue" : "drafts"
  if (flags.approver !== undefined) return fail(typedOfficerRefused("approver"))
  if (flags.maker !== undefined) return fail(typedMakerRefused)
  if (flags.format !== undefined && !["csv", "ndjson", "xlsx"].includes(flags.format)) return fail(`--format must be csv, ndjson or xlsx, not "${flags.format}"`)
  const threads = threadsFrom(flags.threads)
  if (typeof threads === "string") return fail(threads)
  const batchSize = flags.batch === undefined ? undefined : Number(flags.batch)
  if (batchSize !== undefined && !(Number.isInteger(batchSize) && batchSize >= 1 && batchSize <= 100_000)) return fail("--batch must be 1 to 100000")
  const signer = mode === "issue" ? keyStoreSpec() : undefined
  if (typeof signer === "string") return fail(signer, 1)
  const rejectsPath = flags.rejects ?? `${file}.rejects.ndjson`
  // The maker (and, issuing, the approver): officers of API tokens, authenticated once the database is open.
  let maker = ""
  let approver: string | undefined

  return runRecorded({
    schema: flags.schema,
    run: async (db) => {
      try {
        ;({ maker, approver } = await authenticateIngestOfficers(db, flags.agency, mode, new Date()))
      } catch (error) {
        if (error instanceof IdentityRefused) return Result.fail({ message: `refused: ${error.message}; nothing was ingested` })
        throw error
      }
      return runIngest({
        db,
        file,
        format: flags.format as Format | undefined,
        defaults: { agency: flags.agency, form: flags.form, symbol: flags.symbol },
        maker,
        mode,
        approver,
        signer,
        rejectsPath,
        threads,
        batchSize,
        progress: stderrProgress("ingest")
      })
    },
    record: () => ({ kind: "ingest", agency: flags.agency ?? null, source: file, mode, maker, approver: approver ?? null }),
    rejectsPath,
    json: flags.json === true,
    extraLines: (s) => (s.rejected > 0 ? [`rejected rows and their reasons: ${rejectsPath}`] : []),
    exitCode: (s) => (s.rejected > 0 ? 3 : 0),
    rerunHint: "fix the cause and run the same command again: rows already stored are skipped.",
    fail
  })
}
