/**
 * What the bulk commands share: the database (with --schema for a
 * PostgreSQL schema, as `bienlai audit` has), the agency keys from the key
 * store, the progress display and the worker count.
 */
import { availableParallelism } from "node:os"
import type { Db } from "../../store/database/db.ts"
import { migrate } from "../../store/database/migrate.ts"
import { dbConfigFromEnv, openDb } from "../../store/database/open-db.ts"
import { openPostgres } from "../../store/database/postgres-db.ts"
import { defaultKeysDir } from "../../adapters/keys/keystore.ts"
import { keyPassphrase } from "../../adapters/keys/passphrase.ts"
import { makeProgress, type Progress } from "./progress.ts"
import type { SignerSpec } from "./signer-spec.ts"

export const openBulkDb = async (schema: string | undefined): Promise<Db> => {
  const config = dbConfigFromEnv()
  if (schema === undefined) return openDb(config)
  if (config.databaseUrl === undefined) throw new Error("--schema needs DATABASE_URL (a PostgreSQL server)")
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`--schema must be a plain identifier, got "${schema}"`)
  const db = openPostgres({ url: config.databaseUrl, max: 4, schema, applicationName: "bienlai-bulk" })
  await migrate(db)
  return db
}

export const keyStoreSpec = (): SignerSpec | string => {
  const passphrase = keyPassphrase()
  if (typeof passphrase !== "string") return passphrase.message
  const reload = Number(process.env["KEY_RELOAD_SECONDS"] ?? 60)
  if (!Number.isFinite(reload) || reload < 0) return `KEY_RELOAD_SECONDS=${process.env["KEY_RELOAD_SECONDS"]} is not a number of seconds (0: choose the key once per job)`
  return { kind: "keystore", dir: defaultKeysDir(), passphrase, reloadSeconds: reload }
}

export const threadsFrom = (flag: string | undefined): number | string => {
  if (flag === undefined) return availableParallelism()
  const n = Number(flag)
  return Number.isInteger(n) && n >= 0 && n <= 256 ? n : `--threads must be a whole number from 0 to 256, got "${flag}"`
}

/** On a terminal a redrawn bar; otherwise a log line every BIENLAI_PROGRESS_EVERY_MS (default 5000). */
export const stderrProgress = (label: string): Progress => {
  const every = Number(process.env["BIENLAI_PROGRESS_EVERY_MS"] ?? "5000")
  return makeProgress(
    label,
    { isTTY: process.stderr.isTTY === true, write: (t) => void process.stderr.write(t) },
    () => performance.now(),
    Number.isFinite(every) && every >= 0 ? every : 5000
  )
}
