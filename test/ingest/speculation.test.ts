/**
 * The next batch is signed ahead with the numbers and lookup codes it will
 * most likely get (jobs/ingest/commit.ts). Whatever happens in between —
 * nothing, a lookup code taken, another run taking numbers of the series —
 * every stored receipt must carry, in its signed bytes, exactly the number
 * and lookup code of its row, under a seal that verifies, without gaps.
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

type Row = { number: number; lookup_code: string; canonical: string; seal_signature: string; payer: string }

const ok = <A>(r: Result.Result<A, { message: string }>): A => {
  if (Result.isFailure(r)) throw new Error(r.failure.message)
  return r.success
}

for (const target of targets) {
  describe(`signing the next batch ahead on ${target.name}`, () => {
    let t: TestDatabase
    let key: TestKey
    let dir: string
    const base = (over: Partial<IngestOptions>): IngestOptions => ({
      db: t.db,
      file: "",
      defaults: { agency: "HCM" },
      maker: "lan.nguyen",
      mode: "issue",
      approver: "hung.tran",
      signer: key.spec,
      threads: 0,
      batchSize: 6,
      now: fixedNow,
      randomBytes: seededBytes(3),
      ...over
    })
    const fileOf = (name: string, from: number, count: number, symbol: string): string => {
      const path = join(dir, name)
      writeFileSync(path, csvOf(Array.from({ length: count }, (_, i) => goodRow(from + i, { symbol }))))
      return path
    }
    /** Every receipt of `symbol`: signed bytes that say its number and code, a seal that verifies. */
    const checkSeries = async (symbol: string, count: number): Promise<Array<Row>> => {
      const rows = await t.db.query<Row>(
        `SELECT number, lookup_code, canonical, seal_signature, canonical::jsonb->'payer'->>'name' AS payer
           FROM receipts WHERE symbol = $1::text ORDER BY number`,
        [symbol]
      )
      expect(rows.map((r) => r.number)).toEqual(Array.from({ length: count }, (_, i) => i + 1))
      for (const r of rows) {
        const signed = JSON.parse(r.canonical) as { number: number; lookupCode: string }
        expect([signed.number, signed.lookupCode]).toEqual([r.number, r.lookup_code])
        const seal = Buffer.from(r.seal_signature, "base64url")
        expect(await crypto.subtle.verify("Ed25519", key.publicKey, seal, new TextEncoder().encode(r.canonical))).toBe(true)
      }
      expect(new Set(rows.map((r) => r.lookup_code)).size).toBe(count)
      expect((await auditNumbering(t.db, {})).every(isClean)).toBe(true)
      return rows
    }

    beforeAll(async () => {
      t = await target.make()
      await seedOfficers(t.db)
      key = await makeKey()
      dir = outDir(`speculation-${target.name}`)
    }, 60_000)
    afterAll(async () => {
      await t?.dispose()
    })

    test("batch after batch of one series: numbers in file order, each in its own signed bytes", async () => {
      const s = ok(await runIngest(base({ file: fileOf("plain.csv", 1000, 40, "BA/26E") })))
      expect(s.inserted).toBe(40)
      const rows = await checkSeries("BA/26E", 40)
      expect(rows.map((r) => r.payer)).toEqual(Array.from({ length: 40 }, (_, i) => goodRow(1000 + i)["payer_name"] ?? ""))
    })

    test("codes drawn ahead that are already used are drawn again", async () => {
      // The codes drawn ahead for the second batch are the first batch's own.
      const seeded = seededBytes(5)
      const head: Array<Uint8Array> = []
      let calls = 0
      const randomBytes = (n: number): Uint8Array => {
        calls++
        if (calls <= 6) {
          const b = seeded(n)
          head.push(b)
          return b
        }
        if (calls <= 12) return head[calls - 7] as Uint8Array
        return seeded(n)
      }
      const s = ok(await runIngest(base({ file: fileOf("codes.csv", 2000, 18, "BB/26E"), randomBytes })))
      expect(s.inserted).toBe(18)
      await checkSeries("BB/26E", 18)
    })

    test("two runs taking numbers of the same series at once", async () => {
      const [a, b] = await Promise.all([
        runIngest(base({ file: fileOf("one.csv", 3000, 30, "BC/26E"), randomBytes: seededBytes(21) })),
        runIngest(base({ file: fileOf("two.csv", 4000, 30, "BC/26E"), randomBytes: seededBytes(22) }))
      ])
      expect(ok(a).inserted + ok(b).inserted).toBe(60)
      await checkSeries("BC/26E", 60)
    })
  })
}
