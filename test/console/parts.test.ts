/**
 * The console's pure parts: CSV writing (round trip through an RFC 4180
 * reader, formula cells neutralized), chart scaling in bigint, drafts from
 * whatever OCR found (always a draft the domain accepts), both languages
 * complete, and sign-in never redirecting outside the console.
 */
import { describe, expect, test } from "bun:test"
import fc from "fast-check"
import { Result } from "effect"
import { barChart, columnChart, share } from "../../edge/console/charts.ts"
import { draftInputFromReading, hasPlaceholder, NOT_READ } from "../../edge/console/draft-from-scan.ts"
import { neutralize, toCsv } from "../../edge/console/export.ts"
import { tables } from "../../edge/console/i18n.ts"
import { safeNext } from "../../edge/console/session.ts"
import { lastDays } from "../../edge/console/dashboard.ts"
import { createDraft } from "../../domain/lifecycle.ts"
import { fieldNames } from "../../domain/extraction/extraction.ts"

/** A strict RFC 4180 reader, written independently of the writer. */
const readCsv = (text: string): Array<Array<string>> => {
  const rows: Array<Array<string>> = []
  let row: Array<string> = []
  let cell = ""
  let i = text.startsWith("\uFEFF") ? 1 : 0
  let quoted = false
  for (; i < text.length; i++) {
    const ch = text[i]!
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (cell += '"'), i++
      else if (ch === '"') quoted = false
      else cell += ch
    } else if (ch === '"') quoted = true
    else if (ch === ",") row.push(cell), (cell = "")
    else if (ch === "\r" && text[i + 1] === "\n") row.push(cell), rows.push(row), (row = []), (cell = ""), i++
    else cell += ch
  }
  return rows
}

describe("CSV export", () => {
  test("reading what was written gives the cells back, formula starts neutralized", () => {
    const cell = fc.string({ unit: fc.constantFrom("a", "Ầ", "đ", ",", '"', "\n", "\r", " ", "=", "+", "-", "@", "1", "\t") })
    fc.assert(
      fc.property(fc.array(cell, { minLength: 1, maxLength: 5 }), fc.array(fc.array(cell, { minLength: 1, maxLength: 5 }), { maxLength: 6 }), (header, rows) => {
        const back = readCsv(toCsv({ header, rows }))
        expect(back).toEqual([header, ...rows].map((r) => r.map(neutralize)))
      }),
      { numRuns: 300 }
    )
  })

  test("a payer name that looks like a formula is written as text", () => {
    expect(toCsv({ header: ["Tên"], rows: [["=HYPERLINK(\"http://x\")"]] })).toBe('\uFEFFTên\r\n"\'=HYPERLINK(""http://x"")"\r\n')
    expect(neutralize("Nguyễn Văn Hòa")).toBe("Nguyễn Văn Hòa")
  })
})

describe("charts", () => {
  test("share is in [0, 1], 1 for the maximum and monotonic, even for amounts beyond 2^53", () => {
    const amount = fc.bigInt({ min: 0n, max: 10n ** 15n - 1n })
    fc.assert(
      fc.property(amount, amount, amount, (a, b, m0) => {
        const max = [a, b, m0].reduce((x, y) => (x > y ? x : y))
        const [lo, hi] = a <= b ? [a, b] : [b, a]
        expect(share(lo, max)).toBeGreaterThanOrEqual(0)
        expect(share(hi, max)).toBeLessThanOrEqual(1)
        expect(share(lo, max)).toBeLessThanOrEqual(share(hi, max))
        if (max > 0n) expect(share(max, max)).toBe(1)
      }),
      { numRuns: 300 }
    )
    expect(share(999_999_999_999_999n, 999_999_999_999_999n)).toBe(1)
    expect(share(0n, 0n)).toBe(0)
  })

  test("one bar per value, the largest full height, labels escaped", () => {
    const svg = String(columnChart({ id: "c", title: "Số biên lai", bars: [
      { label: "<b>", value: 5n, display: "5" },
      { label: "23/06", value: 10n, display: "10" }
    ], height: 200 }))
    expect(svg.match(/<rect /g)?.length).toBe(2)
    expect(svg).toContain('height="150"') // the plot is 200 - 16 - 34
    expect(svg).toContain('height="75"')
    expect(svg).not.toContain("<b>")
    const bars = String(barChart({ id: "b", title: "Đơn vị", bars: [{ label: "HCM-KV01", value: 2_350_000_000n, display: "2.350.000.000 đ" }] }))
    expect(bars).toContain("2.350.000.000 đ")
  })

  test("the dashboard's days are consecutive Vietnam days ending today", () => {
    const days = lastDays(new Date("2025-06-22T18:30:00.000Z"), 30) // 01:30 on 23 June in Vietnam
    expect(days.length).toBe(30)
    expect(days[29]).toBe("2025-06-23")
    expect(days[0]).toBe("2025-05-25")
  })
})

describe("drafts from what OCR read", () => {
  const series = { form: "01-BLTHADS", symbol: "AA/25E" }
  const probe = { id: "0b7e2a4c-1d3f-4e5a-8b6c-7d8e9f0a1b2c", maker: "lan.nguyen", now: "2025-06-23T03:00:00.000Z" }

  test("whatever subset of fields was read, with whatever text, the draft is one the domain accepts", () => {
    const value = fc.oneof(
      fc.string({ maxLength: 40 }),
      fc.constantFrom("079190004567", "001099999999", "2025-05-12", "2025-02-30", "125500000", "1219/QĐ-CCTHADS", "FT25163123456", "Nguyễn Văn Hòa", "", "  ")
    )
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...fieldNames), value), (fields) => {
        const input = draftInputFromReading({ documentType: "payment_slip", fields, confidence: {}, warnings: [], ms: 1 }, "HCM", series)
        expect(Result.isSuccess(createDraft(input, probe))).toBe(true)
      }),
      { numRuns: 300 }
    )
  })

  test("unread required fields get the placeholder; an invalid CCCD is left out; words come from the figures", () => {
    const input = draftInputFromReading({ documentType: "payment_slip", fields: { amount: "38200000", payerIdNumber: "999190004567", amountInWords: "Ba mươi tám đồng" }, confidence: {}, warnings: [], ms: 1 }, "HCM", series)
    expect(input.payer.name).toBe(NOT_READ)
    expect(input.reason).toBe(NOT_READ)
    expect(input.payer.idNumber).toBeUndefined()
    expect(hasPlaceholder(input)).toBe(true)
    const draft = Result.getOrThrow(createDraft(input, probe))
    expect(draft.amountInWords).toBe("Ba mươi tám triệu hai trăm nghìn đồng")
    expect(draft.payment).toEqual({ method: "cash" })
  })

  test("a bank reference makes it a transfer", () => {
    const input = draftInputFromReading({ documentType: "bank_advice", fields: { payerName: "Lê Hữu Thảo", reason: "Nộp tiền thi hành án", amount: "1000", bankReference: "FT25163123456" }, confidence: {}, warnings: [], ms: 1 }, "HCM", series)
    expect(input.payment).toEqual({ method: "bank_transfer", reference: "FT25163123456" })
    expect(hasPlaceholder(input)).toBe(false)
  })
})

describe("languages and sign-in", () => {
  test("Vietnamese and English fill the same keys, none empty", () => {
    expect(Object.keys(tables.en).sort()).toEqual(Object.keys(tables.vi).sort())
    for (const t of [tables.vi, tables.en]) for (const v of Object.values(t)) expect(v.trim()).not.toBe("")
  })

  test("after sign-in the browser only ever goes somewhere inside the console", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.webUrl(), fc.constantFrom("/console/queue", "//evil.example", "/console//evil.example", "/consolex", "/console/../admin")), (next) => {
        const to = safeNext(next)
        expect(to === "/console" || (to.startsWith("/console/") && !to.includes("//"))).toBe(true)
        expect(to.includes("..")).toBe(false)
      }),
      { numRuns: 100 }
    )
    expect(safeNext("/console/queue")).toBe("/console/queue")
    expect(safeNext(undefined)).toBe("/console")
  })
})
