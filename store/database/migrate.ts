/**
 * Applies the SQL files in store/migrations/ in name order, each once.
 * Idempotent and safe to run from several processes at once: the whole run
 * holds an advisory lock for the current schema, and the applied versions are
 * recorded in `schema_migrations` in the same transaction as their SQL.
 */
import { readdirSync, readFileSync } from "node:fs"
import type { Db } from "./db.ts"

const migrationsDir = new URL("../migrations/", import.meta.url)

export interface Migration {
  readonly version: string
  readonly sql: string
}

export const migrations = (): Array<Migration> =>
  readdirSync(migrationsDir)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((f) => ({ version: f.slice(0, -4), sql: readFileSync(new URL(f, migrationsDir), "utf8") }))

/** Applies the pending migrations; returns the versions it applied. */
export const migrate = (db: Db): Promise<Array<string>> =>
  db.transaction(async (tx) => {
    await tx.query("SELECT pg_advisory_xact_lock(hashtext('bienlai.migrate:' || current_schema()))")
    await tx.exec(
      "CREATE TABLE IF NOT EXISTS schema_migrations (version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())"
    )
    const done = new Set((await tx.query<{ version: string }>("SELECT version FROM schema_migrations")).map((r) => r.version))
    const applied: Array<string> = []
    for (const m of migrations()) {
      if (done.has(m.version)) continue
      await tx.exec(m.sql)
      await tx.query("INSERT INTO schema_migrations (version) VALUES ($1::text)", [m.version])
      applied.push(m.version)
    }
    return applied
  })
