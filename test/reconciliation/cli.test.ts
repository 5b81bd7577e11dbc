/**
 * `bienlai reconcile` as shipped: a real process on an embedded database in
 * a temporary folder. Import twice (nothing new), rejected entries named in
 * the rejects file, a fractional amount, a malformed camt file and another
 * agency's statement refused, a run leaving draft proposals, the daily
 * report as CSV and XLSX.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import ExcelJS from "exceljs"

const root = join(import.meta.dir, "..", "..")
const fixtures = join(root, "test", "bank", "fixtures")
let dir: string

const bienlai = (...args: Array<string>) => {
  const p = Bun.spawnSync([process.execPath, join(root, "jobs", "bin", "bienlai.ts"), "reconcile", ...args], {
    env: { ...process.env, BIENLAI_DATA: join(dir, "data"), DATABASE_URL: "" },
    cwd: dir
  })
  return { code: p.exitCode, out: p.stdout.toString(), err: p.stderr.toString() }
}

const mt940 = (entries: string) => `:20:T1\n:25:0071000123456\n:28C:1/1\n:60F:C250620VND0,\n${entries}\n-\n`

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "bienlai-reconcile-"))
})
afterAll(() => {
  rmSync(dir, { recursive: true, force: true })
})

describe("bienlai reconcile", () => {
  test("account, import twice, run, report", () => {
    expect(bienlai("account", "--agency", "HCM", "--account", "0071000123456", "--bin", "970436").code).toBe(0)
    const file = join(fixtures, "vcb-two-days.mt940")
    const first = bienlai("import", file, "--agency", "HCM", "--json")
    expect(first.code).toBe(0)
    expect(JSON.parse(first.out)).toMatchObject({ entries: 5, newEntries: 5, rejected: 0 })
    const again = bienlai("import", file, "--agency", "HCM", "--json")
    expect(JSON.parse(again.out)).toMatchObject({ entries: 5, newEntries: 0, alreadyImported: 5 })

    const run = bienlai("run", "--agency", "HCM", "--today", "2025-06-24", "--json")
    expect(run.code).toBe(3)
    expect(JSON.parse(run.out)).toMatchObject({ credits: 3, matchedCredits: 0, unmatched: 3 })

    const report = bienlai("report", "--agency", "HCM", "--day", "2025-06-16")
    expect(report.code).toBe(0)
    expect(report.out.split("\r\n")[1]).toBe("HCM,0071000123456,2025-06-16,1250000000,2,2125500000,2,130500000,3245000000,balanced,0,0,4,0,0")
  })

  test("the report as XLSX", async () => {
    const out = join(dir, "day.xlsx")
    expect(bienlai("report", "--agency", "HCM", "--day", "2025-06-17", "--out", out).code).toBe(0)
    const book = new ExcelJS.Workbook()
    await book.xlsx.load(readFileSync(out) as unknown as ArrayBuffer)
    const row = book.worksheets[0]?.getRow(2).values as Array<unknown>
    expect(row.slice(1, 11)).toEqual(["HCM", "0071000123456", "2025-06-17", 3_245_000_000, 1, 45_000_000, 0, 0, 3_290_000_000, "balanced"])
  })

  test("bad entries go to the rejects file, each named; the good ones are imported", () => {
    const file = join(dir, "rejects.mt940")
    writeFileSync(file, mt940(":61:2506200620C1000,NTRFNONREF//FT1\n:86:A\n:61:2506200620C12,5NTRFNONREF//FT2\n:86:B\n:62F:C250620VND1000,"))
    const r = bienlai("import", file, "--agency", "HCM")
    expect(r.code).toBe(3)
    expect(r.out).toContain("1 rejected")
    const rejects = readFileSync(`${file}.rejects.ndjson`, "utf8").trim().split("\n").map((l) => JSON.parse(l))
    expect(rejects).toHaveLength(1)
    expect(rejects[0].where).toMatch(/line/)
    expect(rejects[0].reasons.join(" ")).toMatch(/fraction|whole đồng/)
  })

  test("refusals name what is wrong and change nothing", () => {
    const camt = join(dir, "broken.xml")
    writeFileSync(camt, readFileSync(join(fixtures, "camt053-vcb-day.xml"), "utf8").replace("</Stmt>", "</Stm>"))
    const broken = bienlai("import", camt, "--agency", "HCM")
    expect(broken.code).toBe(1)
    expect(broken.err).toContain("refused: ")
    expect(broken.err).toContain("the XML is malformed: ")
    expect(broken.err).toContain("nothing was changed")
    const other = bienlai("import", join(fixtures, "vcb-two-days.mt940"), "--agency", "HNI")
    expect(other.code).toBe(1)
    expect(other.err).toContain("of agency HCM, not of agency HNI")
    const unbalanced = join(dir, "unbalanced.mt940")
    writeFileSync(unbalanced, mt940(":61:2506210621C1000,NTRFNONREF//FT9\n:86:A\n:62F:C250621VND999,"))
    const u = bienlai("import", unbalanced, "--agency", "HCM")
    expect(u.code).toBe(1)
    expect(u.err).toContain("does not add up")
    expect(bienlai("report", "--agency", "HCM", "--day", "2025-06-21").out.split("\r\n")[1]).toContain(",0,0,0,0,,no_balances,")
    expect(bienlai("report", "--agency", "HCM").code).toBe(2)
    expect(bienlai("report", "--agency", "HCM", "--day", "16/06/2025").err).toContain("--day must be a date YYYY-MM-DD")
  })
})
