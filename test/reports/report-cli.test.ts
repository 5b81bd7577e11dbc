/**
 * `bienlai report` as shipped: a real process on an embedded database in a
 * temporary folder, seeded with issued and voided receipts. The report as
 * JSON, CSV, PDF and XLSX; closing a period by two officers (the asker never
 * approves, a wrong SHA-256 is refused); a closed period written twice gives
 * the same bytes; bad flags are usage errors naming what is wrong.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { openDb } from "../../store/database/open-db.ts"
import { pdfPagesText } from "./pdf-text.ts"

const root = join(import.meta.dir, "..", "..")
let dir: string

const bienlai = (...args: Array<string>) => {
  const p = Bun.spawnSync([process.execPath, join(root, "jobs", "bin", "bienlai.ts"), "report", ...args], {
    env: { ...process.env, BIENLAI_DATA: join(dir, "data"), DATABASE_URL: "" },
    cwd: dir
  })
  return { code: p.exitCode, out: p.stdout.toString(), err: p.stderr.toString() }
}

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
  for (const [id, role, name] of [["hung.tran", "approver", "Trần Văn Hùng"], ["bao.pham", "admin", "Phạm Quốc Bảo"], ["mai.le", "auditor", "Lê Thị Mai"]]) {
    await db.query("INSERT INTO officers (id, agency, name, role) VALUES ($1::text, 'HCM', $2::text, $3::text)", [id, name, role])
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
  })

  test("bad flags are usage errors that say what is wrong", () => {
    expect(bienlai("--period", "2025/13").code).toBe(2)
    expect(bienlai("--period", "2025/13").err).toContain("1 to 12 months")
    expect(bienlai().err).toContain("--period is required")
    expect(bienlai("--period", "2025/4", "--format", "docx").err).toContain("--format must be one of")
    expect(bienlai("--period", "2025/4", "--format", "pdf").err).toContain("--out FILE is required")
    expect(bienlai("close", "--agency", "HCM", "--period", "2025/4").err).toContain("--by OFFICER is required")
  })

  test("closing by two officers; the closed report written twice is the same file", async () => {
    expect(bienlai("close", "--agency", "HCM", "--period", "2025/4", "--by", "mai.le").err).toContain("only an approver or an admin")
    const asked = bienlai("close", "--agency", "HCM", "--period", "2025/4", "--by", "hung.tran")
    expect(asked.code).toBe(0)
    const [, id, sha] = /^(\S+) .* SHA-256 ([0-9a-f]{64})/.exec(asked.out) ?? []
    expect(id).toBeDefined()
    const own = bienlai("approve", "--agency", "HCM", "--id", id!, "--figures", sha!, "--by", "hung.tran")
    expect(own.code).toBe(1)
    expect(own.err).toContain("four eyes")
    expect(bienlai("approve", "--agency", "HCM", "--id", id!, "--figures", "f".repeat(64), "--by", "bao.pham").err).toContain("read the report again")
    const closed = bienlai("approve", "--agency", "HCM", "--id", id!, "--figures", sha!, "--by", "bao.pham")
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
