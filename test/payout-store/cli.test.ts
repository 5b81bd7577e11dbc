/**
 * `bienlai payout` as shipped: each step spawns `bun jobs/bin/bienlai.ts
 * payout …` on an embedded database, from a creditor list to a round paid
 * and deposited: a bad list refused with every row's reasons and nothing
 * imported, the plan, maker-checker approval, the report adding up, the
 * pain.001 valid against the XSD, the bank's pain.002 applied, a bad answer
 * refused naming the element, the deposit.
 */
import { beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test"
import { spawnSync } from "node:child_process"
import { mkdirSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { initPki } from "../../adapters/keys/manage.ts"
import { pain002Document } from "../bank/iso-writers.ts"
import { xsdErrors } from "../bank/xsd.ts"
import { cccdFor } from "../payout/fixtures.ts"
import { formatVndDigits } from "../../domain/money.ts"

setDefaultTimeout(300_000)
const root = join(import.meta.dir, "..", "..")
const dir = join(root, "test-output", "payout-cli", `${process.pid}-${Date.now().toString(36)}`)
const passphrase = "payout-cli-test-passphrase-0123"
const CASE = "3699/QĐ-CTHADS"

const bienlai = (...args: Array<string>) => {
  const r = spawnSync(process.execPath, [join(root, "jobs/bin/bienlai.ts"), "payout", ...args], {
    cwd: dir,
    encoding: "utf8",
    env: { ...process.env, DATABASE_URL: "", BIENLAI_DATA: join(dir, "data"), BIENLAI_KEYS_DIR: join(dir, "keys"), BIENLAI_KEY_PASSPHRASE: passphrase, BIENLAI_PROGRESS_EVERY_MS: "0" }
  })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}
const scope = ["--agency", "HCM", "--case", CASE]

const header = "Mã khoản,Số CCCD,Họ tên,Hạng,Số tiền được thi hành án,Ngày yêu cầu,Mã ngân hàng,Số tài khoản"
const row = (n: number, over: Partial<Record<"owed" | "bin" | "account" | "id" | "cccd", string>> = {}) =>
  [over.id ?? `C${String(n).padStart(4, "0")}`, over.cccd ?? cccdFor(n), `Nguyễn Văn ${n}`, "c", over.owed ?? formatVndDigits(BigInt(n) * 1_000_000_000n), "16/06/2025",
    over.bin ?? (n % 7 === 0 ? "" : "970436"), over.account ?? (n % 7 === 0 ? "" : String(1_000_000_000 + n))].join(",")

describe("bienlai payout, spawned as shipped", () => {
  beforeAll(async () => {
    mkdirSync(dir, { recursive: true })
    await initPki({ dir: join(dir, "keys"), agencies: ["HCM"], algorithm: "ECDSA-P256", passphrase, now: new Date() })
  })

  test("from a creditor list to a round paid and deposited", async () => {
    // A bad list: a creditor twice, a zero and a negative claim, an unknown bank code, an impossible account number.
    const bad = join(dir, "bad.csv")
    writeFileSync(bad, [header, row(1), row(2), row(3, { cccd: cccdFor(1) }), row(4, { owed: "0" }), row(5, { owed: "-5.000" }),
      row(6, { bin: "999999" }), row(8, { account: "12" })].join("\n") + "\n")
    const refused = bienlai("import", bad, ...scope, "--by", "lan.nguyen")
    expect(refused.code).toBe(3)
    const rejects = readFileSync(`${bad}.rejects.ndjson`, "utf8").trim().split("\n").map((l) => JSON.parse(l) as { row: number; reasons: Array<string> })
    expect(rejects.map((r) => r.row)).toEqual([4, 5, 6, 7, 8])
    expect(rejects[0]!.reasons.join()).toContain("listed twice in rank c (also on line 2)")
    expect(rejects[1]!.reasons.join()).toContain("the amount owed is zero")
    expect(rejects[2]!.reasons.join()).toContain("negative")
    expect(rejects[3]!.reasons.join()).toMatch(/999999/)
    expect(rejects[4]!.reasons.join()).toMatch(/account/i)

    const good = join(dir, "creditors.csv")
    writeFileSync(good, [header, ...Array.from({ length: 30 }, (_, i) => row(i + 1))].join("\n") + "\n")
    const imported = bienlai("import", good, ...scope, "--by", "lan.nguyen", "--json")
    expect(imported.stderr).toBe("")
    expect(imported.code).toBe(0)
    expect(JSON.parse(imported.stdout)).toEqual({ claims: 30, owed: String(465n * 1_000_000_000n) })
    // Importing the same list again clashes with what is stored: refused, row by row.
    expect(bienlai("import", good, ...scope, "--by", "lan.nguyen").code).toBe(3)

    const planned = bienlai("plan", ...scope, "--planner", "lan.nguyen", "--legal-date", "2025-07-01", "--available", "100.000.000.000", "--ratio", "10%", "--fee", "circular216", "--json")
    expect(planned.code).toBe(0)
    expect(planned.stderr).toContain("payout plan: storing took")
    const plan = JSON.parse(planned.stdout) as { round: number; planSha256: string; paid: string; lines: number }
    expect(plan).toMatchObject({ round: 1, lines: 30, paid: String(46_500_000_000n) })

    const shown = bienlai("show", ...scope, "--round", "1")
    expect(shown.stdout).toContain(`SHA-256 ${plan.planSha256}`)
    const byPlanner = bienlai("approve", ...scope, "--round", "1", "--sha256", plan.planSha256, "--approver", "lan.nguyen")
    expect(byPlanner.code).toBe(1)
    expect(byPlanner.stderr).toContain("cannot also approve it")
    expect(bienlai("approve", ...scope, "--round", "1", "--sha256", "0".repeat(64), "--approver", "hung.tran").stderr).toContain("not the one reviewed")
    const approved = bienlai("approve", ...scope, "--round", "1", "--sha256", plan.planSha256, "--approver", "hung.tran")
    expect(approved.code).toBe(0)

    const pain001 = join(dir, "round1.xml")
    const debtor = ["--debtor-name", "Cục THADS TP. Hồ Chí Minh", "--debtor-bin", "970436", "--debtor-account", "0071000123456"]
    const exported = bienlai("export", ...scope, "--round", "1", "--out", pain001, "--by", "ke.toan", ...debtor, "--json")
    expect(exported.code).toBe(0)
    expect(JSON.parse(exported.stdout)).toMatchObject({ batch: 1, count: 26, fresh: true })
    const xml = readFileSync(pain001, "utf8")
    expect(await xsdErrors("pain.001.001.09", xml)).toEqual([])
    const again = bienlai("export", ...scope, "--round", "1", "--out", join(dir, "again.xml"), "--by", "ke.toan", ...debtor)
    expect(again.stdout).toContain("nothing new to send")
    expect(readFileSync(join(dir, "again.xml"), "utf8")).toBe(xml)

    const ids = [...xml.matchAll(/<EndToEndId>([^<]+)<\/EndToEndId>/g)].map((m) => m[1]!)
    const messageId = /<MsgId>([^<]+)<\/MsgId>/.exec(xml)![1]!
    const badAnswer = join(dir, "bad-pain002.xml")
    writeFileSync(badAnswer, pain002Document(messageId, [{ endToEndId: ids[0]!, status: "ACSC" }, { endToEndId: "000000000000-0000001", status: "ACSC" }]))
    const refusedAnswer = bienlai("answers", badAnswer, "--agency", "HCM", "--by", "ke.toan")
    expect(refusedAnswer.code).toBe(1)
    expect(refusedAnswer.stderr).toContain("pain.002 TxInfAndSts 2 (000000000000-0000001): there is no payout line")
    const answer = join(dir, "pain002.xml")
    writeFileSync(answer, pain002Document(messageId, ids.map((id, i) => ({ endToEndId: id, status: i === 0 ? "RJCT" as const : "ACSC" as const, ...(i === 0 ? { reason: "AC04" } : {}) }))))
    const answered = bienlai("answers", answer, "--agency", "HCM", "--by", "ke.toan", "--json")
    expect(answered.code).toBe(0)
    expect(JSON.parse(answered.stdout)).toMatchObject({ format: "pain.002", paid: 25, returned: 1 })

    const deposited = bienlai("deposit", ...scope, "--round", "1", "--reference", "STK-001", "--by", "ke.toan", "--json")
    expect(JSON.parse(deposited.stdout)).toMatchObject({ count: 5 })

    const report = bienlai("report", ...scope, "--round", "1", "--json")
    expect(report.code).toBe(0)
    const r = JSON.parse(report.stdout)
    expect(r.addsUp).toBe(true)
    expect(r.byState.paid.lines).toBe(25)
    expect(r.byState.deposited.lines).toBe(5)
    expect(BigInt(r.byState.paid.amount) + BigInt(r.byState.deposited.amount)).toBe(46_500_000_000n)
    expect(r.byRank.c.amount).toBe("46500000000")
    expect(bienlai("report", ...scope, "--round", "1").stdout).toContain("the sums add up")
  })

  test("wrong usage is exit 2 with the usage", () => {
    const r = bienlai("approve", ...scope, "--round", "1")
    expect(r.code).toBe(2)
    expect(r.stderr).toContain("needs --sha256, --approver")
    expect(spawnSync(process.execPath, [join(root, "jobs/bin/bienlai.ts"), "--help"], { encoding: "utf8" }).stdout).toContain("payout")
  })
})
