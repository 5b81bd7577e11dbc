/**
 * `bienlai report` as shipped: a real process on an embedded database in a
 * temporary folder, seeded with issued and voided receipts. The report as
 * JSON, CSV, PDF and XLSX; closing a period by two officers (the asker never
 * approves, a wrong SHA-256 is refused); a closed period written twice gives
 * the same bytes; bad flags are usage errors naming what is wrong.
 * Who closes, approves, rejects or withdraws is the officer whose API token is
 * in BIENLAI_TOKEN, never a typed name: the attacks on that are here too.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test"
import { mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { grantToken, insertOfficer } from "../../edge/officers/tokens.ts"
import { openDb } from "../../store/database/open-db.ts"
import { insertAgency } from "../../store/officers/officers.ts"
import { pdfPagesText } from "./pdf-text.ts"

// Each step is a real process (about two seconds each, several times that on a loaded machine).
setDefaultTimeout(300_000)

const root = join(import.meta.dir, "..", "..")
let dir: string
const tokens = new Map<string, string>()

/** `bienlai report …` with `token` in BIENLAI_TOKEN (stdin is not a terminal, so nothing is prompted). */
const withToken = (token: string, ...args: Array<string>) => {
  const p = Bun.spawnSync([process.execPath, join(root, "jobs", "bin", "bienlai.ts"), "report", ...args], {
    env: { ...process.env, BIENLAI_DATA: join(dir, "data"), DATABASE_URL: "", BIENLAI_TOKEN: token },
    cwd: dir
  })
  return { code: p.exitCode, out: p.stdout.toString(), err: p.stderr.toString() }
}
/** As the officer `who`, by their own token. */
const as = (who: string, ...args: Array<string>) => withToken(tokens.get(who)!, ...args)
const bienlai = (...args: Array<string>) => withToken("", ...args)

const receipt = (n: number, office: string, amount: bigint, issuedAt: string, voidedAt?: string) => {
  const symbol = issuedAt.startsWith("2024") ? "AA/24E" : "AA/25E"
  const lookup = `A${String(n).padStart(11, "0")}`
  return [
    `INSERT INTO receipts (agency, id, office, form, symbol, number, lookup_code, status, amount, maker, approver, created_at, issued_at,
       canonical, seal_algorithm, seal_key_id, seal_signature, voided_reason, voided_by, voided_at, status_by, status_at)
     VALUES ('HCM', gen_random_uuid(), $1::text, '01-BLTHADS', $2::text, $3::integer, $4::text, $5::text, $6::bigint, 'lan.nguyen', 'hung.tran',
       $7::timestamptz, $7::timestamptz, '{}', 'Ed25519', 'k1', 'sig', $8::text, $9::text, $10::timestamptz, 'hung.tran', coalesce($10::timestamptz, $7::timestamptz))`,
    [office, symbol, n, lookup, voidedAt === undefined ? "issued" : "voided", amount.toString(), issuedAt,
      voidedAt === undefined ? null : "sai số tiền", voidedAt === undefined ? null : "hung.tran", voidedAt ?? null]
  ] as const
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "bienlai-report-"))
  const db = await openDb({ dataDir: join(dir, "data") })
  await db.query("INSERT INTO agencies (code, name, parent_name, place) VALUES ('HCM', 'Thi hành án dân sự Thành phố Hồ Chí Minh', 'BỘ TƯ PHÁP', 'TP. Hồ Chí Minh')")
  await insertAgency(db, "HNI", "Cục THADS TP. Hà Nội")
  for (const [id, role, name, agency] of [["hung.tran", "approver", "Trần Văn Hùng", "HCM"], ["bao.pham", "admin", "Phạm Quốc Bảo", "HCM"],
    ["mai.le", "auditor", "Lê Thị Mai", "HCM"], ["lan.nguyen", "officer", "Nguyễn Thị Lan", "HCM"], ["thu.pham", "approver", "Phạm Thị Thu", "HNI"]] as const) {
    await insertOfficer(db, { id, agency, name, role })
    tokens.set(id, await grantToken(db, id, "report cli test", (n) => crypto.getRandomValues(new Uint8Array(n))))
  }
  // November 2024 (month 2 of the statistical year 2025) and January 2025 (month 4); one voided in December.
  for (const [sql, params] of [
    receipt(1, "HCM-KV01", 10_000_000n, "2024-11-04T02:00:00.000Z"),
    receipt(2, "HCM-KV02", 2_500_000n, "2024-11-20T09:00:00.000Z", "2024-12-02T03:00:00.000Z"),
    // 30 September 23:30 in Vietnam: still the statistical year 2024, so in no month of 2025.
    receipt(3, "HCM-KV01", 7_000_000n, "2024-09-30T16:30:00.000Z"),
    receipt(4, "HCM-KV01", 40_000_000n, "2025-01-15T04:00:00.000Z")
  ]) await db.query(sql, params)
  await db.close()
}, 120_000)
afterAll(() => {
  rmSync(dir, { recursive: true, force: true })
})

describe("bienlai report", () => {
  test("the report as JSON: months of the statistical year, the 30 September receipt outside it", () => {
    const r = bienlai("--period", "2025/4", "--agency", "HCM")
    expect(r.err).toBe("")
    expect(r.code).toBe(0)
    const report = JSON.parse(r.out)
    expect(report.from).toBe("2024-10-01")
    expect(report.to).toBe("2025-01-31")
    expect(report.monthly.map((m: any) => m.issued.count)).toEqual([0, 2, 0, 1])
    expect(report.monthly.map((m: any) => m.voided.amount)).toEqual(["0", "0", "2500000", "0"])
    expect(report.total.issued.amount).toBe("52500000")
    expect(report.status).toBe("provisional")
    // Without --agency: every agency, here one, as CSV on standard output.
    const all = bienlai("--period", "2025/4", "--format", "csv")
    expect(all.code).toBe(0)
    expect(all.out.split("\r\n").filter((l) => l.includes(",HCM,HCM-KV01,total,")).map((l) => l.split(",").slice(6, 8))).toEqual([["2", "50000000"]])
  })

  test("bad flags are usage errors that say what is wrong", () => {
    expect(bienlai("--period", "2025/13").code).toBe(2)
    expect(bienlai("--period", "2025/13").err).toContain("1 to 12 months")
    expect(bienlai().err).toContain("--period is required")
    expect(bienlai("--period", "2025/4", "--format", "docx").err).toContain("--format must be one of")
    expect(bienlai("--period", "2025/4", "--format", "pdf").err).toContain("--out FILE is required")
  })

  test("a typed name is refused: who acts is the token's officer", () => {
    for (const args of [["close", "--period", "2025/4"], ["approve", "--id", "x", "--figures", "f".repeat(64)], ["withdraw", "--id", "x"]]) {
      const typed = as("hung.tran", ...args, "--agency", "HCM", "--by", "bao.pham")
      expect(typed.code).toBe(2)
      expect(typed.err).toContain("--by is not read any more: the officer is the one whose API token is in BIENLAI_TOKEN")
    }
    const none = bienlai("close", "--agency", "HCM", "--period", "2025/4")
    expect(none.code).toBe(1)
    expect(none.err).toContain("BIENLAI_TOKEN is not set and there is no terminal")
    expect(bienlai("closings", "--agency", "HCM").out).toBe("")
  })

  test("forged tokens, other agencies and roles that may not close are refused, and nothing is recorded", () => {
    const forgedToken = `blk_${"Q".repeat(43)}`
    const forged = withToken(forgedToken, "close", "--agency", "HCM", "--period", "2025/4")
    expect(forged.code).toBe(1)
    expect(forged.err).toContain("the officer token is unknown, revoked or expired")
    expect(forged.err + forged.out).not.toContain(forgedToken)
    const junk = withToken("hung.tran", "close", "--agency", "HCM", "--period", "2025/4")
    expect(junk.code).toBe(1)
    expect(junk.err).toContain("is not a bienlai token")
    // A real token with one character changed is no token at all.
    const real = tokens.get("bao.pham")!
    const altered = `${real.slice(0, -1)}${real.endsWith("A") ? "B" : "A"}`
    const tampered = withToken(altered, "close", "--agency", "HCM", "--period", "2025/4")
    expect(tampered.err).toContain("the officer token is unknown")
    expect(tampered.err).not.toContain(altered)

    const elsewhere = as("thu.pham", "close", "--agency", "HCM", "--period", "2025/4")
    expect(elsewhere.code).toBe(1)
    expect(elsewhere.err).toContain("thu.pham works for agency HNI; they cannot act for agency HCM")
    for (const who of ["mai.le", "lan.nguyen"]) {
      const role = as(who, "close", "--agency", "HCM", "--period", "2025/4")
      expect(role.code).toBe(1)
      expect(role.err).toContain(`${who} has the role`)
      expect(role.err).toContain("report close needs the role approver or admin")
    }
    expect(bienlai("closings", "--agency", "HCM").out).toBe("")
  })

  test("the other officer rejects a closing; the asker withdraws one; nobody else withdraws", () => {
    const first = as("hung.tran", "close", "--agency", "HCM", "--period", "2025/4")
    expect(first.code).toBe(0)
    const [, id1, sha1] = /^(\S+) .* SHA-256 ([0-9a-f]{64})/.exec(first.out) ?? []
    // An approver of another agency cannot reach it; the asker cannot reject their own.
    expect(as("thu.pham", "reject", "--agency", "HCM", "--id", id1!, "--figures", sha1!, "--reason", "x").err).toContain("works for agency HNI")
    expect(as("hung.tran", "reject", "--agency", "HCM", "--id", id1!, "--figures", sha1!, "--reason", "x").err).toContain("four eyes")
    const rejected = as("bao.pham", "reject", "--agency", "HCM", "--id", id1!, "--figures", sha1!, "--reason", "thiếu số liệu tháng 1")
    expect(rejected.code).toBe(0)
    expect(rejected.out).toContain("rejected by bao.pham")

    const second = as("bao.pham", "close", "--agency", "HCM", "--period", "2025/4")
    expect(second.code).toBe(0)
    const [, id2] = /^(\S+) /.exec(second.out) ?? []
    const notTheirs = as("hung.tran", "withdraw", "--agency", "HCM", "--id", id2!)
    expect(notTheirs.code).toBe(1)
    expect(notTheirs.err).toContain("only bao.pham, who requested closing")
    const withdrawn = as("bao.pham", "withdraw", "--agency", "HCM", "--id", id2!)
    expect(withdrawn.code).toBe(0)
    expect(withdrawn.out).toContain("by bao.pham")
    const listed = bienlai("closings", "--agency", "HCM").out
    expect(listed).toContain(`${id1} `)
    expect(listed).toContain(`${id2} `)
    expect(listed).not.toContain("waiting for approval")
  })

  test("closing by two officers; the closed report written twice is the same file", async () => {
    expect(as("mai.le", "close", "--agency", "HCM", "--period", "2025/4").err).toContain("needs the role approver or admin")
    const asked = as("hung.tran", "close", "--agency", "HCM", "--period", "2025/4")
    expect(asked.code).toBe(0)
    const [, id, sha] = /^(\S+) .* SHA-256 ([0-9a-f]{64})/.exec(asked.out) ?? []
    expect(id).toBeDefined()
    const own = as("hung.tran", "approve", "--agency", "HCM", "--id", id!, "--figures", sha!)
    expect(own.code).toBe(1)
    expect(own.err).toContain("four eyes")
    expect(as("bao.pham", "approve", "--agency", "HCM", "--id", id!, "--figures", "f".repeat(64)).err).toContain("read the report again")
    const closed = as("bao.pham", "approve", "--agency", "HCM", "--id", id!, "--figures", sha!)
    expect(closed.code).toBe(0)
    expect(closed.out).toContain("closed by bao.pham")
    expect(bienlai("closings", "--agency", "HCM").out).toContain("closed by bao.pham")

    const files: Record<string, Array<Buffer>> = {}
    for (const round of [1, 2]) {
      for (const ext of ["pdf", "xlsx", "csv"]) {
        const out = join(dir, `r${round}.${ext}`)
        const w = bienlai("--period", "2025/4", "--agency", "HCM", "--out", out)
        expect(w.code).toBe(0)
        expect(w.err).toContain("closed report 2025/4")
        ;(files[ext] ??= []).push(readFileSync(out))
      }
      await Bun.sleep(1100)
    }
    for (const ext of ["pdf", "xlsx", "csv"]) expect(files[ext]![0]!.equals(files[ext]![1]!)).toBe(true)
    const text = (await pdfPagesText(new Uint8Array(files["pdf"]![0]!))).join(" ")
    for (const words of ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Số liệu chính thức", "52.500.000", "Phạm Quốc Bảo"]) expect(text).toContain(words)
  })
})
