/**
 * The databases the store contract runs on: embedded PGlite always, and
 * PostgreSQL when TEST_DATABASE_URL is set. Each PostgreSQL run gets its own
 * fresh schema (dropped afterwards), so concurrent test runs never meet.
 */
import type { Db } from "../../store/database/db.ts"
import { migrate } from "../../store/database/migrate.ts"
import { openPglite } from "../../store/database/pglite-db.ts"
import { openPostgres } from "../../store/database/postgres-db.ts"

export const testDatabaseUrl = process.env["TEST_DATABASE_URL"] || undefined

export interface TestDatabase {
  readonly name: string
  /** Opens another pool on the same data, as a second process would (PostgreSQL only). */
  readonly open: (max?: number) => Db
  readonly db: Db
  readonly schema?: string
  readonly dispose: () => Promise<void>
}

const uniqueSchema = (): string => `test_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`

export const freshPostgres = async (url: string, applicationName = "bienlai-test"): Promise<TestDatabase> => {
  const schema = uniqueSchema()
  const admin = openPostgres({ url, max: 1 })
  await admin.exec(`CREATE SCHEMA ${schema}`)
  const pools: Array<Db> = []
  const open = (max = 10): Db => {
    const db = openPostgres({ url, max, schema, applicationName: `${applicationName}-${schema}` })
    pools.push(db)
    return db
  }
  const db = open()
  await migrate(db)
  return {
    name: "PostgreSQL",
    open,
    db,
    schema,
    dispose: async () => {
      for (const p of pools) await p.close()
      await admin.exec(`DROP SCHEMA ${schema} CASCADE`)
      await admin.close()
    }
  }
}

export const freshPglite = async (): Promise<TestDatabase> => {
  const db = await openPglite()
  await migrate(db)
  return {
    name: "PGlite",
    open: () => {
      throw new Error("PGlite is one process; use db")
    },
    db,
    dispose: () => db.close()
  }
}

/** The targets for `describe.each`-style loops. */
export const targets: Array<{ readonly name: string; readonly make: () => Promise<TestDatabase> }> = [
  { name: "PGlite", make: freshPglite },
  ...(testDatabaseUrl === undefined ? [] : [{ name: "PostgreSQL", make: () => freshPostgres(testDatabaseUrl) }])
]
