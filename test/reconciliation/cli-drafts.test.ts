/**
 * `bienlai reconcile` as shipped (a real process on an embedded database):
 * a statement imported with --drafts by the officer whose API token is in
 * BIENLAI_TOKEN, then `run`, turns each unmatched credit into a draft receipt
 * made by that officer, matched to its credit; running again makes no second
 * draft. A typed --officer, a missing or forged token, an officer who may not
 * prepare drafts or one of another agency is refused before anything is
 * imported.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { grantToken } from "../../edge/officers/tokens.ts"
import { openDb } from "../../store/database/open-db.ts"
import { mt940Statement } from "./mt940-builder.ts"

const root = join(import.meta.dir, "..", "..")
let dir = ""
const tokens = new Map<string, string>()

/** `bienlai reconcile …` with `token` in BIENLAI_TOKEN (stdin is not a terminal: nothing is prompted). */
const withToken = (token: string, ...args: Array<string>) => {
  const p = Bun.spawnSync([process.execPath, join(root, "jobs", "bin", "bienlai.ts"), "reconcile", ...args], {
    env: { ...process.env, BIENLAI_DATA: join(dir, "data"), DATABASE_URL: "", BIENLAI_TOKEN: token },
    cwd: dir
  })
  return { code: p.exitCode, out: p.stdout.toString(), err: p.stderr.toString() }
}
const bienlai = (...args: Array<string>) => withToken("", ...args)
const as = (who: string, ...args: Array<string>) => withToken(tokens.get(who)!, ...args)

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
  test("import --drafts, run: drafts made once, by the token's officer, matched to their credits", async () => {
    expect(bienlai("account", "--agency", "HCM", "--account", "0071000123456", "--bin", "970436").code).toBe(0)
    await inDb(async (db) => {
      await db.exec("INSERT INTO agencies (code, name) VALUES ('HCM', 'HCM'), ('HNI', 'HNI') ON CONFLICT DO NOTHING")
      await db.exec(`INSERT INTO officers (id, agency, name, role) VALUES ('lan.nguyen', 'HCM', 'Nguyễn Lan', 'officer'), ('admin.hcm', 'HCM', 'Quản trị', 'admin'), ('thu.pham', 'HNI', 'Phạm Thu', 'officer')`)
      for (const id of ["lan.nguyen", "admin.hcm", "thu.pham"]) tokens.set(id, await grantToken(db, id, "reconcile cli test", (n) => crypto.getRandomValues(new Uint8Array(n))))
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
    // A typed name is no identity, even with a real token beside it.
    const typed = as("lan.nguyen", "import", file, "--agency", "HCM", "--officer", "lan.nguyen")
    expect(typed.code).toBe(2)
    expect(typed.err).toContain("--officer is not read any more: the officer is the one whose API token is in BIENLAI_TOKEN")
    const forgedToken = `blk_${"Z".repeat(43)}`
    for (const [refused, says] of [
      [bienlai("import", file, "--agency", "HCM", "--drafts"), "BIENLAI_TOKEN is not set and there is no terminal"],
      [withToken(forgedToken, "import", file, "--agency", "HCM", "--drafts"), "the officer token is unknown, revoked or expired"],
      [as("admin.hcm", "import", file, "--agency", "HCM", "--drafts"), "admin.hcm has the role admin; reconcile import --drafts needs the role officer or approver"],
      [as("thu.pham", "import", file, "--agency", "HCM", "--drafts"), "thu.pham works for agency HNI; they cannot act for agency HCM"]
    ] as const) {
      expect(refused.code).toBe(1)
      expect(refused.err).toContain(says)
      expect(refused.err).toContain("nothing was changed")
      expect(refused.err).not.toContain(forgedToken)
    }
    expect(await inDb((db) => db.query("SELECT 1 FROM bank_entries"))).toEqual([])

    expect(as("lan.nguyen", "import", file, "--agency", "HCM", "--drafts").code).toBe(0)
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
