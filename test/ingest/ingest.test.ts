/**
 * Bulk ingestion end to end, on PGlite always and on PostgreSQL when
 * TEST_DATABASE_URL is set: a file mixing good rows with every kind of bad
 * row, checked by counts and line by line in the rejects file; reruns that
 * store nothing twice; drafts signed in bulk; maker-checker (the maker is the
 * run's, a row naming another is rejected); and the same
 * file giving byte-identical receipts on both databases.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test"
import { Result } from "effect"
import { readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import ExcelJS from "exceljs"
import { amountInWords } from "../../domain/amount-in-words.ts"
import { decodeToken, encodeTokenBody, tokenSignedBytes } from "../../domain/signing/token.ts"
import { runIngest, type IngestOptions, type IngestSummary } from "../../jobs/ingest/ingest.ts"
import { runBulkSign } from "../../jobs/ingest/sign-drafts.ts"
import { isClean, auditNumbering } from "../../store/receipts/numbering-audit.ts"
import { type TestDatabase, targets } from "../store/databases.ts"
import { cccd, csvOf, fixedNow, goodRow, header, makeKey, outDir, seededBytes, seedOfficers, type TestKey } from "./harness.ts"

const enc = new TextEncoder()
// Databases and worker threads start slowly on a busy machine.
setDefaultTimeout(30_000)

/** 20 good rows, a repeat, and one row of every kind of bad. */
const mixedRows = (): Array<Record<string, string>> => {
  const good = Array.from({ length: 20 }, (_, i) => goodRow(i + 1))
  return [
    ...good.slice(0, 5),
    goodRow(100, { external_id: "BAD-AMOUNT", amount: "12,5 triệu" }), // row 7
    goodRow(101, { external_id: "BAD-WORDS", amount: "125.500.000", amount_in_words: "Một trăm triệu đồng" }), // row 8
    goodRow(102, { external_id: "BAD-CCCD", payer_id_number: "999085001234" }), // row 9
    goodRow(103, { external_id: "NO-NAME", payer_name: "" }), // row 10
    ...good.slice(5, 10),
    goodRow(3), // row 16: the same external id and content as row 4
    goodRow(104, { external_id: "MANY", amount: "abc", payer_id_number: "12345", decision_date: "31/02/2025" }), // row 17
    goodRow(105, { external_id: "ANOTHER-MAKER", maker: "hung.tran" }), // row 18: not the run's maker
    ...good.slice(10)
  ]
}

/** The mixed file, with a TCVN3-encoded row (payer "Nguyễn Văn Ân") spliced in as row 12. */
const writeMixedCsv = (path: string): void => {
  const lines = csvOf(mixedRows()).split("\n")
  const legacy = Uint8Array.from([
    ...enc.encode("LEGACY-TCVN3,HCM-KV01,01-BLTHADS,AA/26E,Nguy"),
    0xd4, // ễ in TCVN3
    ...enc.encode("n V"),
    0xa8, // ă in TCVN3
    ...enc.encode("n \xc2n".replace("\xc2", "A")),
    ...enc.encode(",079085000777,,,,Nop tien,1.000.000,,tien mat,,lan.nguyen")
  ])
  const before = enc.encode(lines.slice(0, 11).join("\n") + "\n")
  const after = enc.encode(lines.slice(11).join("\n"))
  const bytes = new Uint8Array(before.length + legacy.length + 1 + after.length)
  bytes.set(before)
  bytes.set(legacy, before.length)
  bytes[before.length + legacy.length] = 0x0a
  bytes.set(after, before.length + legacy.length + 1)
  writeFileSync(path, bytes)
}

const rejectLines = (path: string): Array<{ row: number; reasons: Array<string>; input: string; inputBase64?: string }> =>
  readFileSync(path, "utf8").trim().split("\n").filter((l) => l !== "").map((l) => JSON.parse(l))

const ok = <A>(r: Result.Result<A, { message: string }>): A => {
  if (Result.isFailure(r)) throw new Error(r.failure.message)
  return r.success
}

type ReceiptRow = { id: string; number: number | null; lookup_code: string | null; status: string; canonical: string | null; seal_signature: string | null }
const receiptsOf = (t: TestDatabase) =>
  t.db.query<ReceiptRow>("SELECT id::text AS id, number, lookup_code, status, canonical, seal_signature FROM receipts ORDER BY number NULLS LAST, id")

const seen: Record<string, Array<ReceiptRow>> = {}
// One key for both databases, so their receipts can be compared seal for seal.
const sharedKey = makeKey()

for (const target of targets) {
  describe(`bulk ingestion on ${target.name}`, () => {
    let t: TestDatabase
    let key: TestKey
    let dir: string
    const base = (over: Partial<IngestOptions>): IngestOptions => ({
      db: t.db,
      file: join(dir, "mixed.csv"),
      defaults: { agency: "HCM" },
      maker: "lan.nguyen",
      mode: "issue",
      approver: "hung.tran",
      signer: key.spec,
      threads: 0,
      batchSize: 7,
      now: fixedNow,
      randomBytes: seededBytes(7),
      ...over
    })

    beforeAll(async () => {
      t = await target.make()
      await seedOfficers(t.db)
      key = await sharedKey
      dir = outDir(`ingest-${target.name}`)
      writeMixedCsv(join(dir, "mixed.csv"))
    }, 60_000)
    afterAll(async () => {
      await t?.dispose()
    })

    test("a mixed file: counts, and every rejected row with its row number and every reason", async () => {
      const rejectsPath = join(dir, "mixed.rejects.ndjson")
      const s: IngestSummary = ok(await runIngest(base({ rejectsPath })))
      expect(s.read).toBe(28)
      expect(s.read).toBe(s.accepted + s.rejected)
      expect(s.rejected).toBe(7)
      expect(s.accepted).toBe(21)
      expect(s.inserted).toBe(20)
      expect(s.duplicates).toBe(1)
      expect(s.series).toEqual([{ agency: "HCM", form: "01-BLTHADS", symbol: "AA/26E", count: 20, first: 1, last: 20 }])

      const lines = rejectLines(rejectsPath)
      expect(lines.map((l) => l.row)).toEqual([7, 8, 9, 10, 12, 18, 19])
      const [amount, words, cccd, missing, encoding, many, another] = lines
      expect(amount?.reasons).toEqual([expect.stringMatching(/^amount: .*not a number/)])
      expect(amount?.input).toContain("BAD-AMOUNT")
      expect(words?.reasons).toEqual([expect.stringMatching(/^amount_in_words: the amount in words does not say 125500000/)])
      expect(cccd?.reasons).toEqual([expect.stringMatching(/^payer_id_number: .*999/)])
      expect(missing?.reasons).toEqual(["payer_name: the payer's name is missing"])
      expect(encoding?.reasons).toEqual([expect.stringMatching(/not valid UTF-8 .*looks like TCVN3/)])
      expect(Buffer.from(encoding?.inputBase64 ?? "", "base64").includes(0xd4)).toBe(true)
      expect(many?.reasons.map((r) => r.split(":")[0])).toEqual(["amount", "payer_id_number", "decision_date"])
      // The maker column is a claim: naming anyone but the run's maker (the token's officer) rejects the row, it is not rewritten.
      expect(another?.reasons).toEqual([expect.stringMatching(/^maker: the row names hung.tran as its maker \(người lập\), but this run's maker is lan.nguyen/)])
      expect(another?.input).toContain("ANOTHER-MAKER")

      const rows = await receiptsOf(t)
      expect(rows.length).toBe(20)
      expect(rows.map((r) => r.number)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1))
      expect(rows.every((r) => r.status === "issued")).toBe(true)
      const audits = await auditNumbering(t.db, {})
      expect(audits.every(isClean)).toBe(true)
      // The seal covers the stored canonical bytes.
      const first = rows[0] as ReceiptRow
      expect(await crypto.subtle.verify("Ed25519", key.publicKey, Buffer.from(first.seal_signature ?? "", "base64url"), enc.encode(first.canonical ?? ""))).toBe(true)
      // Each receipt's QR token was signed with its seal and stored with it (served as stored: store/receipts/qr-token.ts).
      const tokens = await t.db.query<{ qr_token: string | null; canonical: string }>("SELECT qr_token, canonical FROM receipts ORDER BY number")
      expect(tokens.every((r) => r.qr_token !== null)).toBe(true)
      const token = Result.getOrThrow(decodeToken(tokens[0]?.qr_token ?? ""))
      expect(token.keyId).toBe(key.keyId)
      expect(token.number).toBe(1)
      expect(Buffer.from(token.receiptHash).toString("hex")).toBe(Buffer.from(await crypto.subtle.digest("SHA-256", enc.encode(tokens[0]?.canonical ?? ""))).subarray(0, 16).toString("hex"))
      expect(await crypto.subtle.verify("Ed25519", key.publicKey, token.signature as Uint8Array<ArrayBuffer>, tokenSignedBytes(encodeTokenBody(token, "Ed25519")) as Uint8Array<ArrayBuffer>)).toBe(true)
      // The audit log recorded each issuance, by the approver.
      const [logged] = await t.db.query<{ n: number }>("SELECT count(*)::integer AS n FROM audit_log WHERE action = 'issued' AND actor = 'hung.tran'")
      expect(logged?.n).toBe(20)
      seen[target.name] = rows
    })

    test("running the same file again stores nothing twice and reports the rows as already present", async () => {
      const s = ok(await runIngest(base({ rejectsPath: join(dir, "again.rejects.ndjson"), randomBytes: seededBytes(99) })))
      expect(s.inserted).toBe(0)
      expect(s.duplicates).toBe(21)
      expect(s.rejected).toBe(7)
      expect(s.series).toEqual([])
      expect((await receiptsOf(t)).length).toBe(20)
      const [counter] = await t.db.query<{ last_number: number }>("SELECT last_number FROM series_counter WHERE agency = 'HCM'")
      expect(counter?.last_number).toBe(20)
    })

    test("an external id reused with other content is rejected, naming the stored receipt, which stays as it was", async () => {
      const before = await receiptsOf(t)
      const file = join(dir, "reused.csv")
      const rejectsPath = join(dir, "reused.rejects.ndjson")
      writeFileSync(file, csvOf([
        goodRow(1), // row 2: stored, same content: already present
        goodRow(2, { amount: "2.002.000", amount_in_words: amountInWords(2_002_000n) }), // row 3: stored, other amount
        goodRow(900, { symbol: "AA/26E", external_id: "NEW-1" }), // row 4: new
        goodRow(901, { symbol: "AA/26E", external_id: "NEW-1" }), // row 5: the same new id, another payment
        goodRow(900, { symbol: "AA/26E", external_id: "NEW-1" }) // row 6: a true repeat of row 4
      ]))
      for (const threads of [0, 2]) {
        const s = ok(await runIngest(base({ file, rejectsPath, threads, randomBytes: seededBytes(5 + threads) })))
        expect(s.read).toBe(5)
        expect(s.read).toBe(s.accepted + s.rejected)
        expect(s.rejected).toBe(2)
        // The first run stores row 4; the second finds it stored too.
        expect(s.inserted + s.duplicates).toBe(3)
        expect(s.inserted).toBe(threads === 0 ? 1 : 0)
        const lines = rejectLines(rejectsPath)
        expect(lines.map((l) => l.row)).toEqual([3, 5])
        const stored2 = before.find((r) => JSON.parse(r.canonical ?? "{}").payer?.idNumber === cccd(2))
        expect(lines[0]?.reasons).toEqual([expect.stringMatching(new RegExp(`^external_id: is already stored \\(receipt ${stored2?.id}\\), with other content`))])
        expect(lines[0]?.input).toContain("2.002.000")
        expect(lines[1]?.reasons).toEqual([expect.stringMatching(/^external_id: was given to row 4 of this file \(receipt .*\), with other content/)])
        expect(lines[1]?.input).toContain("NEW-1")
      }
      // Nothing stored changed: the receipt of row 3's id kept its amount and seal.
      const after = await receiptsOf(t)
      expect(after.length).toBe(before.length + 1)
      expect(after.filter((r) => before.some((b) => b.id === r.id))).toEqual(before)
    })

    test("as drafts too: an external id stored as a draft with other content is rejected, the draft left as it was", async () => {
      const file = join(dir, "drafts-reused.csv")
      const rejectsPath = join(dir, "drafts-reused.rejects.ndjson")
      const drafts = (reason: string) => [goodRow(950, { symbol: "AD/26E", external_id: "DRAFT-1" }), goodRow(951, { symbol: "AD/26E", external_id: "DRAFT-2", reason })]
      writeFileSync(file, csvOf(drafts("Nộp tiền thi hành án theo quyết định")))
      const first = ok(await runIngest(base({ file, rejectsPath, mode: "drafts", approver: undefined, signer: undefined })))
      expect([first.inserted, first.rejected]).toEqual([2, 0])
      const stored = await t.db.query<{ draft: string }>("SELECT draft::text AS draft FROM receipts WHERE symbol = 'AD/26E' ORDER BY id")
      writeFileSync(file, csvOf(drafts("Nộp tiền án phí")))
      const again = ok(await runIngest(base({ file, rejectsPath, mode: "drafts", approver: undefined, signer: undefined })))
      expect([again.inserted, again.duplicates, again.rejected]).toEqual([0, 1, 1])
      expect(rejectLines(rejectsPath).map((l) => [l.row, l.reasons[0]?.split(" (")[0]])).toEqual([[3, "external_id: is already stored"]])
      expect(await t.db.query<{ draft: string }>("SELECT draft::text AS draft FROM receipts WHERE symbol = 'AD/26E' ORDER BY id")).toEqual(stored)
      // Out of the way of the bulk signing test below, which signs the agency's submitted drafts.
      await t.db.query("DELETE FROM receipts WHERE symbol = 'AD/26E' AND status IN ('draft', 'submitted')")
    })

    test("worker threads give the same result as the calling thread", async () => {
      const rows = Array.from({ length: 60 }, (_, i) => goodRow(500 + i, { symbol: "AB/26E" }))
      const file = join(dir, "threads.csv")
      writeFileSync(file, csvOf(rows))
      const s = ok(await runIngest(base({ file, threads: 2, batchSize: 8, randomBytes: seededBytes(11) })))
      expect(s.inserted).toBe(60)
      expect(s.series).toEqual([{ agency: "HCM", form: "01-BLTHADS", symbol: "AB/26E", count: 60, first: 1, last: 60 }])
      const numbered = await t.db.query<{ ext: string; number: number }>(
        "SELECT canonical::jsonb->'payer'->>'name' AS ext, number FROM receipts WHERE symbol = 'AB/26E' ORDER BY number"
      )
      // Numbers follow the file's order.
      expect(numbered.map((r) => r.ext)).toEqual(rows.map((r) => r["payer_name"] ?? ""))
    }, 30_000)

    test("NDJSON and XLSX carry the same columns as CSV", async () => {
      const rows = Array.from({ length: 6 }, (_, i) => goodRow(700 + i, { symbol: "AC/26E", external_id: `NDJ-${i}` }))
      const ndjson = join(dir, "rows.ndjson")
      writeFileSync(ndjson, rows.map((r, i) => JSON.stringify(i === 0 ? { ...r, amount: 2_500_000, amount_in_words: amountInWords(2_500_000n) } : r)).join("\n") + "\n")
      const n = ok(await runIngest(base({ file: ndjson, rejectsPath: join(dir, "ndjson.rejects.ndjson"), randomBytes: seededBytes(13) })))
      expect([n.format, n.inserted, n.rejected]).toEqual(["ndjson", 6, 0])

      const xlsx = join(dir, "rows.xlsx")
      const book = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: xlsx, useSharedStrings: true, useStyles: true })
      const sheet = book.addWorksheet("Biên lai")
      sheet.addRow(["Số tiền", "Họ tên", ...header.filter((h) => h !== "amount" && h !== "payer_name")]).commit()
      rows.forEach((r, i) => {
        const rest = header.filter((h) => h !== "amount" && h !== "payer_name").map((h) => (h === "external_id" ? `XLSX-${i}` : r[h] ?? ""))
        // A number cell for the amount, a date cell for the decision date.
        const cells: Array<unknown> = [1_000_000 * (i + 1), r["payer_name"], ...rest]
        const words = header.filter((h) => h !== "amount" && h !== "payer_name").indexOf("amount_in_words") + 2
        cells[words] = amountInWords(BigInt(1_000_000 * (i + 1)))
        cells[header.filter((h) => h !== "amount" && h !== "payer_name").indexOf("decision_date") + 2] = new Date(Date.UTC(2025, 2, 14))
        sheet.addRow(cells).commit()
      })
      sheet.addRow([12_345_678_901_234_567_890, "Nguyễn Văn Quá Lớn", "XLSX-BIG"]).commit()
      sheet.commit()
      await book.commit()
      const xr = join(dir, "xlsx.rejects.ndjson")
      const x = ok(await runIngest(base({ file: xlsx, rejectsPath: xr, randomBytes: seededBytes(17), defaults: { agency: "HCM", symbol: "AC/26E", form: "01-BLTHADS" } })))
      expect([x.format, x.inserted, x.rejected]).toEqual(["xlsx", 6, 1])
      const [big] = rejectLines(xr)
      expect(big?.row).toBe(8)
      expect(big?.reasons.some((r) => r.startsWith("amount:"))).toBe(true)
      const [decision] = await t.db.query<{ d: string }>(
        "SELECT canonical::jsonb->'case'->>'decisionDate' AS d FROM receipts WHERE symbol = 'AC/26E' AND amount = 1000000"
      )
      expect(decision?.d).toBe("2025-03-14")
    }, 15_000)

    test("drafts first, then bienlai sign issues them; the maker cannot sign their own", async () => {
      // Eight rows made by lan.nguyen, one (without a maker column) by hung.tran, each with their own run.
      const rows = Array.from({ length: 9 }, (_, i) => goodRow(900 + i, { symbol: "AD/26E", ...(i === 4 ? { maker: "" } : {}) }))
      const file = join(dir, "drafts.csv")
      writeFileSync(file, csvOf(rows.filter((_, i) => i !== 4)))
      const own = join(dir, "drafts-hung.csv")
      writeFileSync(own, csvOf([rows[4] as Record<string, string>]))
      const d = ok(await runIngest(base({ file, mode: "drafts", approver: undefined, signer: undefined })))
      expect([d.inserted, d.rejected, d.series.length]).toEqual([8, 0, 0])
      const h = ok(await runIngest(base({ file: own, maker: "hung.tran", mode: "drafts", approver: undefined, signer: undefined })))
      expect([h.inserted, h.rejected]).toEqual([1, 0])
      // A file's rows are submitted by the run's maker, with the hash of their content.
      const stored = await t.db.query<{ status: string; hashed: boolean }>(
        "SELECT status, content_sha256 ~ '^[0-9a-f]{64}$' AS hashed FROM receipts WHERE symbol = 'AD/26E'"
      )
      expect(stored.every((r) => r.status === "submitted" && (r.hashed === true || (r.hashed as unknown) === "t"))).toBe(true)
      // A draft its maker took back (withdrawn) is not signed in bulk.
      await t.db.query(
        `UPDATE receipts SET status = 'draft', content_sha256 = NULL, draft = jsonb_set(draft, '{status}', '"draft"')
          WHERE id = (SELECT id FROM receipts WHERE symbol = 'AD/26E' AND maker = 'lan.nguyen' ORDER BY id LIMIT 1)`
      )
      const rejectsPath = join(dir, "sign.rejects.ndjson")
      const s = ok(await runBulkSign({ db: t.db, agency: "HCM", approver: "hung.tran", signer: key.spec, threads: 0, batchSize: 4, now: fixedNow, rejectsPath, randomBytes: seededBytes(19) }))
      expect([s.read, s.inserted, s.rejected]).toEqual([8, 7, 1])
      expect(s.series).toEqual([{ agency: "HCM", form: "01-BLTHADS", symbol: "AD/26E", count: 7, first: 1, last: 7 }])
      const [withdrawn] = await t.db.query<{ n: number }>("SELECT count(*)::integer AS n FROM receipts WHERE symbol = 'AD/26E' AND status = 'draft'")
      expect(withdrawn?.n).toBe(1)
      const [left] = rejectLines(rejectsPath)
      expect(left?.reasons).toEqual([expect.stringMatching(/approver: hung.tran prepared this receipt/)])
      const again = ok(await runBulkSign({ db: t.db, agency: "HCM", approver: "hung.tran", signer: key.spec, threads: 0, now: fixedNow }))
      expect([again.read, again.inserted, again.rejected]).toEqual([1, 0, 1])
      expect((await auditNumbering(t.db, { agency: "HCM" })).every(isClean)).toBe(true)
    })

    test("an approver who is not an approver of the agency is refused before anything is read", async () => {
      for (const approver of ["lan.nguyen", "tuan.le", "mai.pham", "nobody.here"]) {
        const r = await runIngest(base({ approver }))
        expect(Result.isFailure(r) && r.failure._tag).toBe("IngestRefused")
      }
      // Nor a maker who may not make the agency's receipts, nor a maker approving their own run.
      for (const [maker, says] of [
        ["mai.pham", "mai.pham is an auditor and may not prepare receipts"],
        ["tuan.le", "tuan.le is an officer of HNI, not of HCM"],
        ["nobody.here", "nobody.here is not a registered officer"],
        ["hung.tran", "hung.tran prepared this receipt and cannot also approve it"]
      ] as const) {
        const r = await runIngest(base({ maker, file: join(dir, "not-there.csv") }))
        expect(Result.isFailure(r) && r.failure.message).toContain(says)
      }
      const s = await runBulkSign({ db: t.db, agency: "HCM", approver: "tuan.le", signer: key.spec, threads: 0 })
      expect(Result.isFailure(s) && s.failure.message).toMatch(/tuan.le belongs to HNI, not to HCM/)
    })
  })
}

if (targets.length > 1) {
  test("the same file gives the same receipts on PGlite and PostgreSQL, byte for byte", () => {
    const [a, b] = [seen["PGlite"], seen["PostgreSQL"]]
    expect(a?.length).toBe(20)
    expect(b).toEqual(a as Array<ReceiptRow>)
  })
}
