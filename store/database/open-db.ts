/**
 * Opens the configured database and brings its schema up to date:
 * PostgreSQL when DATABASE_URL is set, otherwise embedded PGlite with its
 * data under BIENLAI_DATA (default ./data).
 */
import type { Db } from "./db.ts"
import { migrate } from "./migrate.ts"
import { openPglite } from "./pglite-db.ts"
import { openPostgres } from "./postgres-db.ts"

export interface DbConfig {
  readonly databaseUrl?: string | undefined
  readonly dataDir?: string | undefined
}

export const dbConfigFromEnv = (env: Record<string, string | undefined> = process.env): DbConfig => ({
  databaseUrl: env["DATABASE_URL"] || undefined,
  dataDir: env["BIENLAI_DATA"] || "./data"
})

export const openDb = async (config: DbConfig = dbConfigFromEnv()): Promise<Db> => {
  const db = config.databaseUrl !== undefined
    ? openPostgres({ url: config.databaseUrl })
    : await openPglite(config.dataDir ?? "./data")
  try {
    await migrate(db)
  } catch (error) {
    await db.close()
    throw error
  }
  return db
}

/** Where the data lives, for messages ("PostgreSQL at host/db" or "PGlite in ./data"). */
export const describeDb = (config: DbConfig): string =>
  config.databaseUrl !== undefined
    ? `PostgreSQL at ${config.databaseUrl.replace(/\/\/[^@/]*@/, "//")}`
    : `embedded PGlite in ${config.dataDir ?? "./data"}`
