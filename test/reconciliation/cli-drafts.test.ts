/**
 * `bienlai reconcile` as shipped (a real process on an embedded database):
 * a statement imported with --officer, then `run`, turns each unmatched
 * credit into a draft receipt made by that officer, matched to its credit;
 * running again makes no second draft; an --officer who may not prepare
 * drafts (or is of another agency) is refused before anything is imported.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { openDb } from "../../store/database/open-db.ts"
import { mt940Statement } from "./mt940-builder.ts"

const root = join(import.meta.dir, "..", "..")
let dir = ""

const bienlai = (...args: Array<string>) => {
  const p = Bun.spawnSync([process.execPath, join(root, "jobs", "bin", "bienlai.ts"), "reconcile", ...args], {
    env: { ...process.env, BIENLAI_DATA: join(dir, "data"), DATABASE_URL: "" },
    cwd: dir
  })
  return { code: p.exitCode, out: p.stdout.toString(), err: p.stderr.toString() }
}

const inDb = async <A>(f: (db: Awaited<ReturnType<typeof openDb>>) => Promise<A>): Promise<A> => {
  const db = await openDb({ dataDir: join(dir, "data") })
  try {
    return await f(db)
  } finally {
    await db.close()
  }
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "bienlai-reconcile-drafts-"))
})
afterAll(() => {
  rmSync(dir, { recursive: true, force: true })
})

describe("bienlai reconcile: unmatched credits become draft receipts", () => {
  test("import --officer, run: drafts made once, by that officer, matched to their credits", async () => {
    expect(bienlai("account", "--agency", "HCM", "--account", "0071000123456", "--bin", "970436").code).toBe(0)
    await inDb(async (db) => {
      await db.exec("INSERT INTO agencies (code, name) VALUES ('HCM', 'HCM'), ('HNI', 'HNI') ON CONFLICT DO NOTHING")
      await db.exec(`INSERT INTO officers (id, agency, name, role) VALUES ('lan.nguyen', 'HCM', 'Nguyễn Lan', 'officer'), ('admin.hcm', 'HCM', 'Quản trị', 'admin'), ('thu.pham', 'HNI', 'Phạm Thu', 'officer')`)
    })
    const file = join(dir, "vcb.mt940")
    writeFileSync(file, mt940Statement({
      id: "VCB250620",
      account: "0071000123456",
      day: "2025-06-20",
      opening: 0n,
      entries: [
        { amount: 2_000_000n, ref: "FT25171000004", memo: "PHAM VAN DUC NOP TIEN THEO QD 55/QD-CCTHADS" },
        { amount: 700_000n, ref: "FT25171000002", memo: "CHUYEN TIEN" }
      ]
    }))
    for (const who of ["admin.hcm", "thu.pham", "nobody"]) {
      const refused = bienlai("import", file, "--agency", "HCM", "--officer", who)
      expect(refused.code).toBe(1)
      expect(refused.err).toContain(`${who} is not an active officer or approver of agency HCM`)
    }
    expect(await inDb((db) => db.query("SELECT 1 FROM bank_entries"))).toEqual([])

    expect(bienlai("import", file, "--agency", "HCM", "--officer", "lan.nguyen").code).toBe(0)
    const run = bienlai("run", "--agency", "HCM", "--today", "2025-06-21", "--json")
    expect(run.code).toBe(0)
    const summary = JSON.parse(run.out) as { matchedCredits: number; unmatched: number; drafts: { made: Array<{ bankReference: string; madeFor: string; source: string }> } }
    expect(summary.drafts.made.map((d) => [d.bankReference, d.madeFor, d.source]).sort()).toEqual([["FT25171000002", "lan.nguyen", "unmatched"], ["FT25171000004", "lan.nguyen", "unmatched"]])
    expect([summary.matchedCredits, summary.unmatched]).toEqual([2, 0])

    const again = JSON.parse(bienlai("run", "--agency", "HCM", "--today", "2025-06-21", "--json").out) as { drafts: { made: Array<unknown> } }
    expect(again.drafts.made).toEqual([])
    const rows = await inDb((db) => db.query<{ maker: string; status: string; amount: string; reference: string }>(
      "SELECT maker, status, amount::text AS amount, draft->'payment'->>'reference' AS reference FROM receipts ORDER BY reference"
    ))
    expect(rows).toEqual([
      { maker: "lan.nguyen", status: "draft", amount: "700000", reference: "FT25171000002" },
      { maker: "lan.nguyen", status: "draft", amount: "2000000", reference: "FT25171000004" }
    ])
  }, 120_000)
})
