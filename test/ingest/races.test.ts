/**
 * The retries behind "nothing twice, nothing lost": two runs of the same
 * file at once (two officers, one file), and a lookup code drawn twice. On
 * PGlite always and on PostgreSQL when TEST_DATABASE_URL is set.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test"
import { Result } from "effect"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { runIngest, type IngestOptions } from "../../jobs/ingest/ingest.ts"
import { auditNumbering, isClean } from "../../store/receipts/numbering-audit.ts"
import { type TestDatabase, targets } from "../store/databases.ts"
import { csvOf, fixedNow, goodRow, makeKey, outDir, seededBytes, seedOfficers, type TestKey } from "./harness.ts"

setDefaultTimeout(60_000)

const ok = <A>(r: Result.Result<A, { message: string }>): A => {
  if (Result.isFailure(r)) throw new Error(r.failure.message)
  return r.success
}

for (const target of targets) {
  describe(`ingest retries on ${target.name}`, () => {
    let t: TestDatabase
    let key: TestKey
    let dir: string
    const options = (file: string, over: Partial<IngestOptions> = {}): IngestOptions => ({
      db: t.db, file, defaults: { agency: "HCM" }, maker: "lan.nguyen", mode: "issue", approver: "hung.tran", signer: key.spec,
      threads: 0, batchSize: 10, now: fixedNow, ...over
    })

    beforeAll(async () => {
      t = await target.make()
      await seedOfficers(t.db)
      key = await makeKey()
      dir = outDir(`races-${target.name}`)
    }, 60_000)
    afterAll(async () => {
      await t?.dispose()
    })

    test("two runs of the same file at once store every row once, without gaps", async () => {
      const file = join(dir, "same.csv")
      writeFileSync(file, csvOf(Array.from({ length: 120 }, (_, i) => goodRow(i, { symbol: "BA/26E" }))))
      // On PostgreSQL the second run has its own connections, as a second process would.
      const other = target.name === "PostgreSQL" ? t.open(4) : t.db
      const [a, b] = await Promise.all([
        runIngest(options(file, { randomBytes: seededBytes(1) })),
        runIngest(options(file, { db: other, randomBytes: seededBytes(2), batchSize: 7 }))
      ])
      const [x, y] = [ok(a), ok(b)]
      expect(x.inserted + y.inserted).toBe(120)
      expect(x.duplicates + y.duplicates).toBe(120)
      const [counts] = await t.db.query<{ n: number; max: number }>("SELECT count(*)::integer AS n, max(number) AS max FROM receipts WHERE symbol = 'BA/26E'")
      expect(counts).toEqual({ n: 120, max: 120 })
      expect((await auditNumbering(t.db, { agency: "HCM" })).every(isClean)).toBe(true)
    })

    test("a lookup code drawn twice is drawn again; the batch still goes in whole", async () => {
      const file = join(dir, "codes.csv")
      writeFileSync(file, csvOf(Array.from({ length: 30 }, (_, i) => goodRow(1000 + i, { symbol: "BB/26E" }))))
      const fresh = seededBytes(3)
      let calls = 0
      // The first two receipts get the same code.
      const repeating = (n: number) => (++calls <= 2 ? new Uint8Array(n).fill(7) : fresh(n))
      const s = ok(await runIngest(options(file, { randomBytes: repeating })))
      expect(s.inserted).toBe(30)
      expect(calls).toBeGreaterThan(30)
      const [codes] = await t.db.query<{ n: number; distinct: number }>(
        "SELECT count(*)::integer AS n, count(DISTINCT lookup_code)::integer AS distinct FROM receipts WHERE symbol = 'BB/26E'"
      )
      expect(codes).toEqual({ n: 30, distinct: 30 })
      expect((await auditNumbering(t.db, { agency: "HCM" })).every(isClean)).toBe(true)
    })

    test("lookup codes already used by the agency are drawn again", async () => {
      const file = join(dir, "reused.csv")
      writeFileSync(file, csvOf(Array.from({ length: 25 }, (_, i) => goodRow(2000 + i, { symbol: "BC/26E" }))))
      // The same sequence as an earlier run: its first codes are taken.
      const s = ok(await runIngest(options(file, { randomBytes: seededBytes(1) })))
      expect(s.inserted).toBe(25)
      const [codes] = await t.db.query<{ n: number; distinct: number }>(
        "SELECT count(*)::integer AS n, count(DISTINCT lookup_code)::integer AS distinct FROM receipts WHERE agency = 'HCM'"
      )
      expect(codes?.distinct).toBe(codes?.n)
    })
  })
}
