/**
 * A bench's own PostgreSQL schema: the benches that issue receipts run on
 * the server DATABASE_URL (or TEST_DATABASE_URL) names, in a schema of their
 * own that each run drops, creates afresh and migrates, so every run starts
 * from empty tables and never meets another's data.
 */
import type { Db } from "../../store/database/db.ts"
import { migrate } from "../../store/database/migrate.ts"
import { openPostgres } from "../../store/database/postgres-db.ts"

export interface BenchSchemaOptions {
  /** How the bench is named in the message when no server is set, e.g. "bench/notify-outbox.ts". */
  readonly bench: string
  /** From the bench's --schema flag. */
  readonly schema: string
  /** The pool's size. */
  readonly max: number
  /** As the server lists the bench's connections. */
  readonly applicationName: string
}

export interface BenchSchema {
  /** The server, for the bench's own cleanup (dropBenchSchema). */
  readonly url: string
  /** A pool on the fresh, migrated schema. */
  readonly db: Db
}

/**
 * Refuses a schema name that is not a plain identifier (it is spliced into
 * DDL), exits with 2 and a message when no server is set, then drops and
 * re-creates the schema and migrates it.
 */
export const freshBenchSchema = async (options: BenchSchemaOptions): Promise<BenchSchema> => {
  const { schema } = options
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`--schema must be a plain identifier, got ${schema}`)
  const url = process.env["DATABASE_URL"] || process.env["TEST_DATABASE_URL"]
  if (url === undefined) {
    console.error(`${options.bench} needs DATABASE_URL or TEST_DATABASE_URL (PostgreSQL)`)
    process.exit(2)
  }
  const admin = openPostgres({ url, max: 1 })
  await admin.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE; CREATE SCHEMA ${schema}`)
  await admin.close()
  const db = openPostgres({ url, max: options.max, schema, applicationName: options.applicationName })
  await migrate(db)
  return { url, db }
}

/** Drops the bench's schema once its pools are closed, leaving the server as it was. */
export const dropBenchSchema = async (url: string, schema: string): Promise<void> => {
  const cleanup = openPostgres({ url, max: 1 })
  await cleanup.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
  await cleanup.close()
}
