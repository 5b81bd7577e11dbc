/**
 * The PostgreSQL driver when connections die (skipped without
 * TEST_DATABASE_URL): a transaction whose backend is terminated fails as a
 * lost connection, nothing uncaught escapes, nothing hangs, and the next
 * transaction works; a transaction past its deadline is abandoned and the
 * server rolls it back, releasing the counter lock.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { isConnectionLoss } from "../../store/database/db.ts"
import { reserveNumbers } from "../../store/receipts/series-counter.ts"
import { freshPostgres, type TestDatabase, testDatabaseUrl } from "./databases.ts"

describe.skipIf(testDatabaseUrl === undefined)("PostgreSQL connection loss", () => {
  let t: TestDatabase
  const uncaught: Array<unknown> = []
  const onUncaught = (error: unknown) => void uncaught.push(error)
  beforeAll(async () => {
    t = await freshPostgres(testDatabaseUrl as string, "bienlai-loss")
    process.on("uncaughtException", onUncaught)
  })
  afterAll(async () => {
    process.off("uncaughtException", onUncaught)
    await t?.dispose()
  })

  const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

  test("a backend terminated mid-transaction fails the transaction only, and the next one works", async () => {
    const db = t.open(2)
    const admin = t.open(1)
    for (let round = 0; round < 5; round++) {
      const started = performance.now()
      const error = await db.transaction(async (tx) => {
        const [me] = await tx.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")
        await admin.query("SELECT pg_terminate_backend($1::integer)", [me?.pid])
        // Each of these would write to the dead connection.
        await tx.query("SELECT 1")
        await tx.query("SELECT 2")
      }).then(() => undefined, (e: unknown) => e)
      expect(isConnectionLoss(error)).toBe(true)
      expect(performance.now() - started).toBeLessThan(5_000)
      expect(await db.transaction((tx) => tx.query<{ n: number }>("SELECT 41 + 1 AS n"))).toEqual([{ n: 42 }])
    }
    await settle(50)
    expect(uncaught).toEqual([])
  }, 30_000)

  test("past its deadline a transaction is abandoned, and the server rolls it back and frees the counter", async () => {
    const db = t.open(2)
    const series = { agency: "HCM", form: "01-BLTHADS", symbol: "TL/25E" }
    await db.transaction(async (tx) => {
      // An open series whose earlier receipts are not needed here: triggers off for this setup only.
      await tx.query("SET LOCAL session_replication_role = replica")
      await tx.query("INSERT INTO series_counter (agency, form, symbol, last_number) VALUES ('HCM', '01-BLTHADS', 'TL/25E', 7)")
    })
    const started = performance.now()
    const error = await db.transaction(async (tx) => {
      await reserveNumbers(tx, series, 5)
      await tx.query("SELECT pg_sleep(30)")
    }, { timeoutMs: 300 }).then(() => undefined, (e: unknown) => e)
    expect((error as { code?: string }).code).toBe("CONNECTION_TIMEOUT")
    expect(isConnectionLoss(error)).toBe(true)
    expect(performance.now() - started).toBeLessThan(3_000)
    // The abandoned backend notices its client is gone, rolls back and releases the row lock.
    const counter = await db.transaction(async (tx) => {
      await tx.query("SET LOCAL lock_timeout = '5s'")
      return tx.query<{ last_number: number }>(
        "SELECT last_number FROM series_counter WHERE agency = 'HCM' AND symbol = 'TL/25E' FOR UPDATE"
      )
    })
    expect(counter).toEqual([{ last_number: 7 }])
    expect(performance.now() - started).toBeLessThan(8_000)
    expect(uncaught).toEqual([])
  }, 30_000)
})
