/**
 * Numbering under fire, on real PostgreSQL (skipped without TEST_DATABASE_URL):
 * 32 concurrent issuers over three series in two separate processes (as two
 * servers would run), a share of transactions aborted on purpose, invalid
 * requests mixed in, and backends killed mid-transaction with
 * pg_terminate_backend. Afterwards each series holds exactly 1..N, where N is
 * the number of issuances that reported success, and each success is stored
 * with the number it was given.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { fileURLToPath } from "node:url"
import { freshPostgres, type TestDatabase, testDatabaseUrl } from "./databases.ts"

const PROCESSES = 2
const ISSUERS_PER_PROCESS = 16
const ROUNDS = 12
const symbols = ["AA/25E", "AB/25E", "AC/25E"]

interface Report {
  readonly successes: Array<[string, string, number]>
  readonly aborted: number
  readonly refused: number
  readonly unavailable: number
}

describe.skipIf(testDatabaseUrl === undefined)("numbering under concurrency and failures (PostgreSQL)", () => {
  let t: TestDatabase
  beforeAll(async () => {
    t = await freshPostgres(testDatabaseUrl as string, "bienlai-chaos")
  })
  afterAll(async () => {
    await t?.dispose()
  }, 20_000)

  test("every series is exactly 1..N with N the reported successes", async () => {
    const applicationName = `bienlai-chaos-issuer-${t.schema}`
    const script = fileURLToPath(new URL("./chaos-issuer.ts", import.meta.url))
    const children = Array.from({ length: PROCESSES }, (_, p) =>
      Bun.spawn([process.execPath, script, testDatabaseUrl as string, t.schema as string, applicationName,
        String(ISSUERS_PER_PROCESS), String(ROUNDS), String(p * ISSUERS_PER_PROCESS)], { stdout: "pipe", stderr: "inherit" }))

    let killed = 0
    let running = true
    const killer = (async () => {
      while (running) {
        await new Promise((r) => setTimeout(r, 10))
        const rows = await t.db.query<{ killed: boolean }>(
          `SELECT pg_terminate_backend(pid) AS killed FROM pg_stat_activity
            WHERE application_name = $1::text AND state IN ('idle in transaction', 'active') AND random() < 0.3`,
          [applicationName]
        ).catch(() => [])
        killed += rows.filter((r) => r.killed).length
      }
    })()
    const reports: Array<Report> = []
    for (const child of children) {
      const out = await new Response(child.stdout).text()
      expect(await child.exited).toBe(0)
      reports.push(JSON.parse(out.trim().split("\n").pop() as string) as Report)
    }
    running = false
    await killer

    const successes = reports.flatMap((r) => r.successes)
    for (const symbol of symbols) {
      const mine = new Map(successes.filter(([s]) => s === symbol).map(([, id, n]) => [id, n]))
      const stored = await t.db.query<{ id: string; number: number }>(
        "SELECT id::text AS id, number FROM receipts WHERE agency = 'HCM' AND symbol = $1::text ORDER BY number",
        [symbol]
      )
      expect(stored.map((r) => r.number)).toEqual(Array.from({ length: mine.size }, (_, i) => i + 1))
      expect(new Map(stored.map((r) => [r.id, r.number]))).toEqual(mine)
    }
    const sum = (f: (r: Report) => number) => reports.reduce((n, r) => n + f(r), 0)
    expect(successes.length + sum((r) => r.aborted) + sum((r) => r.refused) + sum((r) => r.unavailable))
      .toBe(PROCESSES * ISSUERS_PER_PROCESS * ROUNDS)
    expect(sum((r) => r.aborted)).toBeGreaterThan(0)
    expect(sum((r) => r.refused)).toBeGreaterThan(0)
    expect(killed).toBeGreaterThan(0)
    console.log(`chaos: ${successes.length} issued, ${sum((r) => r.aborted)} aborted, ${sum((r) => r.refused)} refused, ` +
      `${sum((r) => r.unavailable)} unavailable, ${killed} backends killed`)
  }, 60_000)
})
