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
import { openDb } from "../../store/database/open-db.ts"
import { grantToken, insertOfficer } from "../../edge/officers/tokens.ts"
import { insertAgency } from "../../store/officers/officers.ts"

setDefaultTimeout(300_000)
const root = join(import.meta.dir, "..", "..")
const dir = join(root, "test-output", "payout-cli", `${process.pid}-${Date.now().toString(36)}`)
const passphrase = "payout-cli-test-passphrase-0123"
const CASE = "3699/QĐ-CTHADS"

// The officers who run the steps, each with their own API token (the CLI takes who acts from BIENLAI_TOKEN).
const people = [
  { id: "lan.nguyen", agency: "HCM", name: "Nguyễn Thị Lan", role: "officer" },
  { id: "hung.tran", agency: "HCM", name: "Trần Quốc Hùng", role: "approver" },
  { id: "an.vo", agency: "HCM", name: "Võ Văn An", role: "approver" },
  { id: "ke.toan", agency: "HCM", name: "Kế Toán", role: "officer" },
  { id: "thu.pham", agency: "HNI", name: "Phạm Thị Thu", role: "approver" },
  { id: "mai.le", agency: "HCM", name: "Lê Thị Mai", role: "auditor" }
] as const
type Person = typeof people[number]["id"]
const tokens = new Map<string, string>()

/** Runs `bienlai payout …` as `who` (their token in BIENLAI_TOKEN; stdin is not a terminal, so nothing is prompted). */
const as = (who: Person | undefined, ...args: Array<string>) => {
  const r = spawnSync(process.execPath, [join(root, "jobs/bin/bienlai.ts"), "payout", ...args], {
    cwd: dir,
    encoding: "utf8",
    env: {
      ...process.env, DATABASE_URL: "", BIENLAI_DATA: join(dir, "data"), BIENLAI_KEYS_DIR: join(dir, "keys"), BIENLAI_KEY_PASSPHRASE: passphrase, BIENLAI_PROGRESS_EVERY_MS: "0",
      BIENLAI_TOKEN: who === undefined ? "" : tokens.get(who)!
    }
  })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}
const bienlai = (...args: Array<string>) => as(undefined, ...args)
const scope = ["--agency", "HCM", "--case", CASE]

const header = "Mã khoản,Số CCCD,Họ tên,Hạng,Số tiền được thi hành án,Ngày yêu cầu,Mã ngân hàng,Số tài khoản"
const row = (n: number, over: Partial<Record<"owed" | "bin" | "account" | "id" | "cccd", string>> = {}) =>
  [over.id ?? `C${String(n).padStart(4, "0")}`, over.cccd ?? cccdFor(n), `Nguyễn Văn ${n}`, "c", over.owed ?? formatVndDigits(BigInt(n) * 1_000_000_000n), "16/06/2025",
    over.bin ?? (n % 7 === 0 ? "" : "970436"), over.account ?? (n % 7 === 0 ? "" : String(1_000_000_000 + n))].join(",")

describe("bienlai payout, spawned as shipped", () => {
  beforeAll(async () => {
    mkdirSync(dir, { recursive: true })
    await initPki({ dir: join(dir, "keys"), agencies: ["HCM"], algorithm: "ECDSA-P256", passphrase, now: new Date() })
    const db = await openDb({ dataDir: join(dir, "data") })
    await insertAgency(db, "HCM", "Cục THADS TP. Hồ Chí Minh")
    await insertAgency(db, "HNI", "Cục THADS TP. Hà Nội")
    for (const p of people) {
      await insertOfficer(db, p)
      tokens.set(p.id, await grantToken(db, p.id, "cli test", (n) => crypto.getRandomValues(new Uint8Array(n))))
    }
    await db.close()
  })

  test("from a creditor list to a round paid and deposited", async () => {
    // A bad list: a creditor twice, a zero and a negative claim, an unknown bank code, an impossible account number.
    const bad = join(dir, "bad.csv")
    writeFileSync(bad, [header, row(1), row(2), row(3, { cccd: cccdFor(1) }), row(4, { owed: "0" }), row(5, { owed: "-5.000" }),
      row(6, { bin: "999999" }), row(8, { account: "12" })].join("\n") + "\n")
    const refused = as("lan.nguyen", "import", bad, ...scope)
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
    const imported = as("lan.nguyen", "import", good, ...scope, "--json")
    expect(imported.stderr).toBe("")
    expect(imported.code).toBe(0)
    expect(JSON.parse(imported.stdout)).toEqual({ claims: 30, owed: String(465n * 1_000_000_000n) })
    // Importing the same list again clashes with what is stored: refused, row by row.
    expect(as("lan.nguyen", "import", good, ...scope).code).toBe(3)

    const planned = as("lan.nguyen", "plan", ...scope, "--legal-date", "2025-07-01", "--available", "100.000.000.000", "--ratio", "10%", "--fee", "circular216", "--json")
    expect(planned.code).toBe(0)
    expect(planned.stderr).toContain("payout plan: storing took")
    const plan = JSON.parse(planned.stdout) as { round: number; planSha256: string; paid: string; lines: number }
    expect(plan).toMatchObject({ round: 1, lines: 30, paid: String(46_500_000_000n) })

    const shown = bienlai("show", ...scope, "--round", "1")
    expect(shown.stdout).toContain(`SHA-256 ${plan.planSha256}`)
    const byPlanner = as("lan.nguyen", "approve", ...scope, "--round", "1", "--sha256", plan.planSha256)
    expect(byPlanner.code).toBe(1)
    expect(byPlanner.stderr).toContain("lan.nguyen has the role officer; payout approve needs the role approver")
    expect(as("hung.tran", "approve", ...scope, "--round", "1", "--sha256", "0".repeat(64)).stderr).toContain("not the one reviewed")
    const approved = as("hung.tran", "approve", ...scope, "--round", "1", "--sha256", plan.planSha256)
    expect(approved.code).toBe(0)

    const pain001 = join(dir, "round1.xml")
    const debtor = ["--debtor-name", "Cục THADS TP. Hồ Chí Minh", "--debtor-bin", "970436", "--debtor-account", "0071000123456"]
    const exported = as("ke.toan", "export", ...scope, "--round", "1", "--out", pain001, ...debtor, "--json")
    expect(exported.code).toBe(0)
    expect(JSON.parse(exported.stdout)).toMatchObject({ batch: 1, count: 26, fresh: true })
    const xml = readFileSync(pain001, "utf8")
    expect(await xsdErrors("pain.001.001.09", xml)).toEqual([])
    const again = as("ke.toan", "export", ...scope, "--round", "1", "--out", join(dir, "again.xml"), ...debtor)
    expect(again.stdout).toContain("nothing new to send")
    expect(readFileSync(join(dir, "again.xml"), "utf8")).toBe(xml)

    const ids = [...xml.matchAll(/<EndToEndId>([^<]+)<\/EndToEndId>/g)].map((m) => m[1]!)
    const messageId = /<MsgId>([^<]+)<\/MsgId>/.exec(xml)![1]!
    const badAnswer = join(dir, "bad-pain002.xml")
    writeFileSync(badAnswer, pain002Document(messageId, [{ endToEndId: ids[0]!, status: "ACSC" }, { endToEndId: "000000000000-0000001", status: "ACSC" }]))
    const refusedAnswer = as("ke.toan", "answers", badAnswer, "--agency", "HCM")
    expect(refusedAnswer.code).toBe(1)
    expect(refusedAnswer.stderr).toContain("pain.002 TxInfAndSts 2 (000000000000-0000001): there is no payout line")
    const answer = join(dir, "pain002.xml")
    writeFileSync(answer, pain002Document(messageId, ids.map((id, i) => ({ endToEndId: id, status: i === 0 ? "RJCT" as const : "ACSC" as const, ...(i === 0 ? { reason: "AC04" } : {}) }))))
    const answered = as("ke.toan", "answers", answer, "--agency", "HCM", "--json")
    expect(answered.code).toBe(0)
    expect(JSON.parse(answered.stdout)).toMatchObject({ format: "pain.002", paid: 25, returned: 1 })

    const deposited = as("ke.toan", "deposit", ...scope, "--round", "1", "--reference", "STK-001", "--json")
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

  test("four eyes by identity: who acts is the token's officer, never a typed name", () => {
    // Round 2 planned by an approver, who then tries every way to approve it alone or from outside.
    const planned = as("hung.tran", "plan", ...scope, "--legal-date", "2025-08-01", "--available", "1.000.000.000", "--json")
    expect(planned.code).toBe(0)
    const plan = JSON.parse(planned.stdout) as { planSha256: string; planner: string }
    expect(plan.planner).toBe("hung.tran")
    const approve = ["approve", ...scope, "--round", "2", "--sha256", plan.planSha256]
    // A name typed on the command line is refused outright: it used to be all it took.
    const typed = as("hung.tran", ...approve, "--approver", "lan.nguyen")
    expect(typed.code).toBe(2)
    expect(typed.stderr).toContain("--approver is not read any more")
    // The planner approving their own round, with their own real token.
    const own = as("hung.tran", ...approve)
    expect(own.code).toBe(1)
    expect(own.stderr).toContain("hung.tran planned round 2 and cannot also approve it")
    // No token (and no terminal to ask on), a made-up token, another agency's approver, roles that may not approve.
    const none = bienlai(...approve)
    expect(none.code).toBe(1)
    expect(none.stderr).toContain("BIENLAI_TOKEN is not set and there is no terminal")
    const forged = spawnSync(process.execPath, [join(root, "jobs/bin/bienlai.ts"), "payout", ...approve], {
      cwd: dir, encoding: "utf8", env: { ...process.env, DATABASE_URL: "", BIENLAI_DATA: join(dir, "data"), BIENLAI_TOKEN: `blk_${"A".repeat(43)}` }
    })
    expect(forged.status).toBe(1)
    expect(forged.stderr).toContain("the officer token is unknown, revoked or expired")
    expect(forged.stderr).not.toContain("A".repeat(43))
    const other = as("thu.pham", ...approve)
    expect(other.code).toBe(1)
    expect(other.stderr).toContain("thu.pham works for agency HNI; they cannot act for agency HCM")
    const officer = as("lan.nguyen", ...approve)
    expect(officer.stderr).toContain("lan.nguyen has the role officer; payout approve needs the role approver")
    const auditor = as("mai.le", ...approve)
    expect(auditor.stderr).toContain("mai.le has the role auditor")
    // An auditor cannot move money in any other step either.
    expect(as("mai.le", "deposit", ...scope, "--round", "1", "--reference", "STK-002").stderr).toContain("payout deposit needs the role officer or approver")
    // None of it changed the round: still planned, then approved by the one officer who may.
    expect(JSON.parse(bienlai("report", ...scope, "--round", "2", "--json").stdout).status).toBe("planned")
    const approved = as("ke.toan", ...approve)
    expect(approved.stderr).toContain("ke.toan has the role officer")
    const second = as("an.vo", ...approve, "--json")
    expect(second.code).toBe(0)
    expect(JSON.parse(second.stdout)).toMatchObject({ approver: "an.vo", round: 2 })
  })

  test("wrong usage is exit 2 with the usage", () => {
    const r = bienlai("approve", ...scope, "--round", "1")
    expect(r.code).toBe(2)
    expect(r.stderr).toContain("needs --sha256")
    const badCase = bienlai("report", "--agency", "HCM", "--case", "3699", "--round", "1")
    expect(badCase.code).toBe(2)
    expect(badCase.stderr).toContain('--case: "3699" is not a decision number')
    expect(spawnSync(process.execPath, [join(root, "jobs/bin/bienlai.ts"), "--help"], { encoding: "utf8" }).stdout).toContain("payout")
  })
})
