/**
 * The receipt PDF's layout (adapters/pdf/receipt-pdf.ts), read back with
 * PDF.js: every state renders with its stamp (a table), and whatever the
 * schema allows in the payer's name and address, the reason, the amount in
 * words, corrections and a voiding reason (property, up to each field's
 * maximum, with words longer than a line) stays on one A4 page with every
 * line of text inside Decree 30's margins.
 */
import { describe, expect, test } from "bun:test"
import fc from "fast-check"
import { mkdirSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { MARGIN, PAGE, placeAndDate, receiptPdf, type ReceiptPdfInput, vietnamDateTime } from "../../adapters/pdf/receipt-pdf.ts"
import { wrap } from "../../adapters/pdf/pen.ts"
import { openPdf } from "../../adapters/pdfjs/open.ts"
import { renderPdfPages } from "../../adapters/pdfjs/pdf-pages.ts"
import { qrPng } from "../../adapters/qr/encode.ts"
import type { IssuedReceipt } from "../../domain/receipt.ts"
import { receipt } from "../signing/fixtures.ts"
import { pdfText } from "../support/pdf-text.ts"

const out = join(import.meta.dir, "..", "..", "test-output", "pdf")
mkdirSync(out, { recursive: true })

const qr = await qrPng("http://localhost:8787/v/AAAA", { scale: 4 })

const input = (r: IssuedReceipt, over: Partial<ReceiptPdfInput> = {}): ReceiptPdfInput => ({
  receipt: r,
  letterhead: { name: "Cục Thi hành án dân sự Thành phố Hồ Chí Minh", parentName: "Bộ Tư pháp", place: "Thành phố Hồ Chí Minh" },
  approver: { name: "Trần Quốc Hùng", title: "Phó Cục trưởng" },
  maker: { name: "Nguyễn Thị Lan" },
  qrPng: qr,
  verifyUrl: "http://localhost:8787/v/AAAA",
  full: true,
  signature: { kind: "signed", by: "Cục Thi hành án dân sự Thành phố Hồ Chí Minh", at: "2025-06-23T08:15:30.000Z" },
  ...over
})

interface Placed {
  readonly str: string
  readonly x: number
  readonly y: number
  readonly width: number
  readonly rotated: boolean
}

/** Every text item PDF.js finds, with its baseline origin and width, per page. */
const placedText = async (bytes: Uint8Array): Promise<ReadonlyArray<ReadonlyArray<Placed>>> => {
  const doc = await openPdf(bytes)
  try {
    const pages: Array<Array<Placed>> = []
    for (let n = 1; n <= doc.numPages; n++) {
      const items = (await (await doc.getPage(n)).getTextContent()).items
      pages.push(items.flatMap((i) => ("str" in i && i.str.trim() !== "" ? [{ str: i.str, x: i.transform[4] as number, y: i.transform[5] as number, width: i.width, rotated: i.transform[1] !== 0 }] : [])))
    }
    return pages
  } finally {
    await doc.destroy()
  }
}

/** Lines outside the margins (the faint diagonal stamp word crosses the page by design and is left out). */
const outside = (items: ReadonlyArray<Placed>) =>
  items.filter((i) =>
    !i.rotated &&
    (i.x < MARGIN.left - 0.5 || i.x + i.width > PAGE.width - MARGIN.right + 0.5 || i.y < MARGIN.bottom - 0.5 || i.y > PAGE.height - MARGIN.top + 0.5)
  )

const correction = (field: "payerName" | "payerAddress", value: string) => ({ field, value, by: "lan.nguyen", approvedBy: "hung.tran", at: "2025-06-24T02:00:00.000Z" })

const states: ReadonlyArray<{ readonly name: string; readonly receipt: IssuedReceipt; readonly extra?: Partial<ReceiptPdfInput>; readonly stamp: ReadonlyArray<string>; readonly absent: ReadonlyArray<string> }> = [
  { name: "issued", receipt: receipt(), stamp: [], absent: ["ĐÃ HỦY", "ĐÃ THAY THẾ"] },
  {
    name: "voided",
    receipt: receipt({ status: "voided", voided: { reason: "Nộp trùng, đã hoàn trả", by: "hung.tran", at: "2025-06-24T17:30:00.000Z" } }),
    stamp: ["ĐÃ HỦY", "Biên lai này đã bị hủy ngày 25/06/2025.", "Lý do: Nộp trùng, đã hoàn trả"],
    absent: ["ĐÃ THAY THẾ"]
  },
  {
    name: "replaced",
    receipt: receipt({ status: "replaced", replacedBy: { id: "1b7e4a52-3c1d-4f8e-9a6b-2d5c8e1f4a71", series: { form: "01-BLTHADS", symbol: "AA/25E" }, number: 57 } }),
    extra: { replacement: { series: { form: "01-BLTHADS", symbol: "AA/25E" }, number: 57, issuedAt: "2025-06-25T01:00:00.000Z", amount: 130_000_000n, reason: "Nộp bổ sung" } },
    stamp: ["ĐÃ THAY THẾ", "Biên lai này đã được thay thế bởi biên lai ký hiệu AA/25E số 0000057 ngày 25/06/2025.", "Lý do: biên lai thay thế ghi số tiền 130.000.000 đồng, nội dung: Nộp bổ sung"],
    absent: ["ĐÃ HỦY"]
  },
  {
    name: "replaced, its replacement unreadable",
    receipt: receipt({ status: "replaced", replacedBy: { id: "1b7e4a52-3c1d-4f8e-9a6b-2d5c8e1f4a71", series: { form: "01-BLTHADS", symbol: "AA/25E" }, number: 57 } }),
    stamp: ["ĐÃ THAY THẾ", "Biên lai này đã được thay thế bởi biên lai ký hiệu AA/25E số 0000057."],
    absent: ["ĐÃ HỦY", "Lý do"]
  }
]

describe("every state renders with its stamp", () => {
  for (const s of states) {
    test(s.name, async () => {
      const { bytes } = await receiptPdf(input(s.receipt, s.extra))
      const text = (await pdfText(bytes)).replace(/\s+/g, " ")
      for (const line of s.stamp) expect(text).toContain(line)
      for (const line of s.absent) expect(text).not.toContain(line)
      // Officers by full name and title only.
      expect(text).toContain("Trần Quốc Hùng")
      expect(text).toContain("PHÓ CỤC TRƯỞNG")
      expect(text).not.toContain("hung.tran")
      expect(text).not.toContain("truong-phong.minh")
      const pages = await placedText(bytes)
      expect(pages.length).toBe(1)
      expect(outside(pages[0]!)).toEqual([])
    })
  }

  test("unknown approver, title and place: nothing printed in their place, never a login id", async () => {
    const { bytes } = await receiptPdf(input(receipt(), { approver: undefined, maker: undefined, letterhead: { name: "Cục Thi hành án dân sự Thành phố Hồ Chí Minh" } }))
    const text = (await pdfText(bytes)).replace(/\s+/g, " ")
    expect(text).toContain("NGƯỜI DUYỆT")
    expect(text).toContain("Ngày 23 tháng 06 năm 2025")
    expect(text).not.toContain("Người lập biên lai")
    expect(text).not.toContain("truong-phong.minh")
    expect(text).not.toContain("can-bo.lan")
  })
})

describe("place, date and time as official documents write them", () => {
  test("in Vietnam time, with leading zeros", () => {
    expect(placeAndDate("Thành phố Hồ Chí Minh", "2026-12-04T17:30:00.000Z")).toBe("Thành phố Hồ Chí Minh, ngày 05 tháng 12 năm 2026")
    expect(placeAndDate(undefined, "2026-02-01T00:00:00.000Z")).toBe("Ngày 01 tháng 02 năm 2026")
    expect(vietnamDateTime("2026-12-04T17:30:00.000Z")).toBe("05/12/2026 00:30")
  })
})

// Vietnamese words, and words longer than any line (a run of letters with no space to break at).
const syllables = ["Nguyễn", "Trần", "Thị", "Hồng", "Phường", "Bến", "Thành", "đường", "Lê", "Lợi", "tỉnh", "Khánh", "Hòa", "nộp", "tiền", "thi", "hành", "án", "quyết", "định", "số", "1234/QĐ-CTHADS", "Công", "ty", "TNHH", "Xây", "dựng"]
const letters = [..."aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ0123456789"]
const word = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...syllables) },
  { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom(...letters), minLength: 1, maxLength: 90 }) }
)
const textUpTo = (max: number) =>
  fc.array(word, { minLength: 1, maxLength: max }).map((ws) => ws.join(" ").slice(0, max).trim()).filter((s) => s !== "")

describe("long fields wrap within the margins on one A4 page", () => {
  test("property: name, address, reason, amount in words, corrections, voiding reason up to their maximum lengths", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          name: textUpTo(200),
          address: textUpTo(300),
          reason: textUpTo(500),
          words: textUpTo(300),
          correctedName: fc.option(textUpTo(300), { nil: undefined }),
          correctedAddress: fc.option(textUpTo(300), { nil: undefined }),
          voided: fc.option(textUpTo(500), { nil: undefined }),
          agency: textUpTo(120),
          title: textUpTo(80),
          full: fc.boolean()
        }),
        async (v) => {
          const r = receipt({
            payer: { name: v.name, idNumber: "079085001234", address: v.address },
            reason: v.reason,
            amountInWords: v.words,
            annotations: [
              ...(v.correctedName === undefined ? [] : [correction("payerName", v.correctedName)]),
              ...(v.correctedAddress === undefined ? [] : [correction("payerAddress", v.correctedAddress)])
            ],
            ...(v.voided === undefined ? {} : { status: "voided" as const, voided: { reason: v.voided, by: "hung.tran", at: "2025-06-24T01:00:00.000Z" } })
          })
          const { bytes, signatureRect } = await receiptPdf(input(r, {
            full: v.full,
            letterhead: { name: v.agency, parentName: "Bộ Tư pháp", place: "Thành phố Hồ Chí Minh" },
            approver: { name: "Trần Quốc Hùng", title: v.title },
            signature: { kind: "signed", by: v.agency, at: "2025-06-23T08:15:30.000Z" }
          }))
          const pages = await placedText(bytes)
          expect(pages.length).toBe(1)
          expect(outside(pages[0]!)).toEqual([])
          const [x1, y1, x2, y2] = signatureRect
          expect(x1 >= MARGIN.left && x2 <= PAGE.width - MARGIN.right && y1 >= MARGIN.bottom && y2 <= PAGE.height - MARGIN.top).toBe(true)
        }
      ),
      { numRuns: 25 }
    )
  }, 120_000)

  test("every field at its maximum at once still fits, drawn smaller", async () => {
    const long = (n: number) => Array.from({ length: n }, (_, i) => syllables[i % syllables.length]).join(" ").slice(0, n)
    const r = receipt({
      payer: { name: long(200), idNumber: "079085001234", address: long(300) },
      reason: long(500),
      amountInWords: long(300),
      annotations: [correction("payerName", long(300)), correction("payerAddress", long(300))],
      status: "voided",
      voided: { reason: long(500), by: "hung.tran", at: "2025-06-24T01:00:00.000Z" }
    })
    const { bytes } = await receiptPdf(input(r))
    const pages = await placedText(bytes)
    expect(pages.length).toBe(1)
    expect(outside(pages[0]!)).toEqual([])
    const [page] = await renderPdfPages(bytes, { dpi: 100, maxPagePixels: 40_000_000, maxPages: 1, pageTimeMs: 20_000 })
    writeFileSync(join(out, "longest.png"), page!.png)
  }, 30_000)
})

describe("wrap", () => {
  test("property: lines fit the width, and joined they give the words back", async () => {
    const doc = await (await import("pdf-lib")).PDFDocument.create()
    doc.registerFontkit((await import("@pdf-lib/fontkit")).default)
    const { fontBytes, pdfFonts } = await import("../../adapters/pdf/fonts.ts")
    const font = await doc.embedFont(fontBytes(pdfFonts().regular), { subset: true })
    fc.assert(
      fc.property(textUpTo(400), fc.integer({ min: 40, max: 400 }), (text, width) => {
        const lines = wrap(text, font, 12, width)
        for (const l of lines) expect(font.widthOfTextAtSize(l, 12)).toBeLessThanOrEqual(width)
        expect(lines.join("").replace(/\s+/g, "")).toBe(text.replace(/\s+/g, ""))
      }),
      { numRuns: 200 }
    )
  })
})
