/**
 * `bienlai sign --agency A [--until DATE]`: issue all of an agency's pending
 * drafts in bulk (docs/INGEST.md), approved by the officer whose API token is
 * in BIENLAI_TOKEN (or typed at a hidden prompt), never a typed name. Exit 0 when every draft
 * was issued, 3 when some stay drafts (reasons in the rejects file), 1 when
 * refused or failed (run it again), 2 on wrong usage.
 */
import { Result } from "effect"
import { parseVietnameseDate } from "../../domain/dates.ts"
import { keyStoreSpec, stderrProgress, threadsFrom } from "../ingest/context.ts"
import { runBulkSign } from "../ingest/sign-drafts.ts"
import { runRecorded } from "../ingest/recorded-run.ts"
import { commandFailure, readCommandLine } from "../bin/command-line.ts"
import { authenticateCliOfficer, IdentityRefused, typedOfficerRefused } from "../program/officer-identity.ts"

export const summary = "sign pending drafts of an agency in bulk: number, sign, store (resumable)"

const usage = `usage: bienlai sign --agency HCM [--until DATE] [--rejects FILE] [--threads N] [--schema NAME] [--json]

--until    only drafts created up to the end of DATE (Vietnam time), e.g. 31/12/2025 or 2025-12-31
--rejects  drafts that cannot be issued and why, one JSON line each (default sign-AGENCY.rejects.ndjson)
The approver is the officer whose API token is in BIENLAI_TOKEN (or typed at a
prompt that does not echo): an approver of --agency, never a draft's maker.
Signing keys from BIENLAI_KEYS_DIR with BIENLAI_KEY_PASSPHRASE; the database from DATABASE_URL or BIENLAI_DATA.`

/** The first instant after DATE ends in Vietnam (UTC+7). */
export const endOfVietnamDay = (isoDate: string): string =>
  new Date(Date.parse(`${isoDate}T00:00:00.000Z`) + 86_400_000 - 7 * 3_600_000).toISOString()

export const run = async (args: ReadonlyArray<string>): Promise<number> => {
  const parsed = readCommandLine("sign", usage, args, {
    agency: { type: "string" },
    // Read only to refuse it: the approver comes from the token.
    approver: { type: "string" },
    until: { type: "string" },
    rejects: { type: "string" },
    threads: { type: "string" },
    schema: { type: "string" },
    json: { type: "boolean" }
  })
  if (typeof parsed === "number") return parsed
  const flags = parsed.values
  const fail = commandFailure("sign", usage)
  if (parsed.positionals.length > 0) return fail(`unexpected argument "${parsed.positionals[0]}"`)
  if (flags.approver !== undefined) return fail(typedOfficerRefused("approver"))
  if (flags.agency === undefined) return fail("--agency is required")
  let until: string | undefined
  if (flags.until !== undefined) {
    const date = parseVietnameseDate(flags.until)
    if (Result.isFailure(date)) return fail(`--until: ${date.failure.message}`)
    until = endOfVietnamDay(date.success)
  }
  const threads = threadsFrom(flags.threads)
  if (typeof threads === "string") return fail(threads)
  const signer = keyStoreSpec()
  if (typeof signer === "string") return fail(signer, 1)
  const rejectsPath = flags.rejects ?? `sign-${flags.agency}.rejects.ndjson`
  const { agency } = flags
  let approver = ""
  return runRecorded({
    schema: flags.schema,
    run: async (db) => {
      try {
        approver = (await authenticateCliOfficer(db, agency, { name: "sign", roles: ["approver"] }, new Date())).officer
      } catch (error) {
        if (error instanceof IdentityRefused) return Result.fail({ message: `refused: ${error.message}; nothing was signed` })
        throw error
      }
      return runBulkSign({ db, agency, approver, signer, until, rejectsPath, threads, progress: stderrProgress("sign") })
    },
    record: () => ({ kind: "sign", agency, source: `drafts until ${until ?? "now"}`, mode: "issue", approver }),
    rejectsPath,
    json: flags.json === true,
    extraLines: (s) => [
      ...(s.skipped > 0 ? [`${s.skipped} draft(s) changed while being issued and were left as drafts`] : []),
      ...(s.rejected > 0 ? [`drafts left unissued and why: ${rejectsPath}`] : [])
    ],
    exitCode: (s) => (s.rejected > 0 || s.skipped > 0 ? 3 : 0),
    rerunHint: "run the same command again to finish.",
    fail
  })
}
