import { describe, expect, test } from "bun:test"
import { Result } from "effect"
import * as fc from "fast-check"
import {
  amountInWords,
  amountsAgree,
  type InvalidAmountInWords,
  parseAmountInWords
} from "../../domain/amount-in-words.ts"
import { formatVnd, MAX_VND } from "../../domain/money.ts"
import { stripDiacritics } from "../../domain/text.ts"
import { trickyAmountArbitrary } from "./amount.arbitraries.ts"

const read = (text: string): bigint => {
  const result = parseAmountInWords(text)
  if (Result.isFailure(result)) throw new Error(`expected ${JSON.stringify(text)} to parse: ${result.failure.message}`)
  return result.success
}

const failure = (text: string): InvalidAmountInWords => {
  const result = parseAmountInWords(text)
  if (Result.isSuccess(result)) throw new Error(`expected ${JSON.stringify(text)} to fail, got ${result.success}`)
  return result.failure
}

const amount = trickyAmountArbitrary

describe("amountInWords", () => {
  test.each([
    [0n, "Không đồng"],
    [1n, "Một đồng"],
    [10n, "Mười đồng"],
    [11n, "Mười một đồng"],
    [14n, "Mười bốn đồng"],
    [15n, "Mười lăm đồng"],
    [20n, "Hai mươi đồng"],
    [21n, "Hai mươi mốt đồng"],
    [24n, "Hai mươi tư đồng"],
    [25n, "Hai mươi lăm đồng"],
    [55n, "Năm mươi lăm đồng"],
    [101n, "Một trăm linh một đồng"],
    [110n, "Một trăm mười đồng"],
    [115n, "Một trăm mười lăm đồng"],
    [1_005n, "Một nghìn không trăm linh năm đồng"],
    [1_050n, "Một nghìn không trăm năm mươi đồng"],
    [10_000n, "Mười nghìn đồng"],
    [1_000_001n, "Một triệu không trăm linh một đồng"],
    [1_005_000n, "Một triệu không trăm linh năm nghìn đồng"],
    [125_500_000n, "Một trăm hai mươi lăm triệu năm trăm nghìn đồng"],
    [1_000_000_000n, "Một tỷ đồng"],
    [1_000_000_001n, "Một tỷ không trăm linh một đồng"],
    [5_000_050_000n, "Năm tỷ không trăm năm mươi nghìn đồng"],
    [2_345_000_000n, "Hai tỷ ba trăm bốn mươi lăm triệu đồng"],
    [10n ** 12n, "Một nghìn tỷ đồng"],
    [1_001_000_000_000n, "Một nghìn không trăm linh một tỷ đồng"],
    [12_000_000_000_000n, "Mười hai nghìn tỷ đồng"],
    [
      999_999_999_999_999n,
      "Chín trăm chín mươi chín nghìn chín trăm chín mươi chín tỷ chín trăm chín mươi chín triệu " +
      "chín trăm chín mươi chín nghìn chín trăm chín mươi chín đồng"
    ]
  ])("%p → %p", (n, words) => {
    expect(amountInWords(n)).toBe(words)
    expect(read(words)).toBe(n)
  })

  test("a programming error outside [0, 10^15) throws RangeError", () => {
    expect(() => amountInWords(-1n)).toThrow(RangeError)
    expect(() => amountInWords(MAX_VND)).toThrow(RangeError)
  })

  test("property: the words never contain a bare digit after trăm or a scale, and skip zero groups", () => {
    fc.assert(
      fc.property(amount, (n) => {
        const words = amountInWords(n)
        expect(words).toMatch(/^[A-ZĐ]/u)
        expect(words.endsWith(" đồng")).toBe(true)
        expect(words).not.toMatch(/không (nghìn|triệu|tỷ)/u)
        expect(words).not.toMatch(/ {2}/)
      }),
      { numRuns: 500 }
    )
  })
})

describe("parseAmountInWords: variants", () => {
  test.each([
    ["Một trăm hai mươi lăm triệu năm trăm ngàn đồng", 125_500_000n],
    ["một triệu không trăm lẻ năm nghìn đồng", 1_005_000n],
    ["Hai mươi bốn đồng", 24n],
    ["Hai mươi nhăm nghìn", 25_000n],
    ["hai mươi một", 21n],
    ["hai mươi mốt", 21n],
    ["mot tram hai muoi lam trieu nam tram nghin dong", 125_500_000n],
    ["MỘT TRIỆU KHÔNG TRĂM LINH NĂM NGHÌN ĐỒNG", 1_005_000n],
    ["Bằng chữ: Một tỷ đồng", 1_000_000_000n],
    ["Số tiền bằng chữ: Năm trăm nghìn đồng chẵn./.", 500_000n],
    ["(Viết bằng chữ: Hai tỉ, ba trăm - bốn mươi lăm triệu đồng)", 2_345_000_000n],
    ["Ba ty", 3_000_000_000n],
    ["ba ti hai tram trieu", 3_200_000_000n],
    ["mười lăm nghìn VNĐ", 15_000n],
    ["Mười   triệu,đồng", 10_000_000n],
    ["Một trămhai mươilăm triệu", 125_000_000n],
    ["haimươilăm", 25n],
    ["năm triệu chan", 5_000_000n],
    ["Không đồng", 0n],
    ["muoi", 10n],
    ["muoi lam", 15n],
    ["mot tram muoi", 110n],
    ["hai muoi", 20n],
    ["nam muoi lam", 55n],
    ["một triệu linh năm nghìn", 1_005_000n],
    ["một tỷ không triệu năm trăm nghìn", 1_000_500_000n],
    ["một trăm linh tư", 104n],
    ["Một trăm hai mươi lăm triệu năm trăm nghìn đồng".normalize("NFD"), 125_500_000n]
  ])("%p → %p", (text, n) => {
    expect(read(text)).toBe(n)
  })
})

describe("parseAmountInWords: errors", () => {
  test.each([
    ["", "empty"],
    ["   ", "empty"],
    ["Bằng chữ:", "empty"],
    ["đồng", "empty"],
    ["./.", "empty"],
    ["một trăm xyz nghìn", "unknown_word"],
    ["12 triệu", "unknown_word"],
    ["một trăm trăm", "bad_sequence"],
    ["mười mười", "bad_sequence"],
    ["trăm", "bad_sequence"],
    ["hai ba", "bad_sequence"],
    ["hai mươi mười", "bad_sequence"],
    ["linh năm", "bad_sequence"],
    ["một trăm linh", "bad_sequence"],
    ["một tỷ tỷ", "bad_sequence"],
    ["nghìn", "bad_sequence"],
    ["một nghìn triệu", "bad_sequence"],
    ["một đồng hai", "bad_sequence"],
    ["không mươi", "bad_sequence"],
    ["một trăm năm", "ambiguous"],
    ["một nghìn năm", "ambiguous"],
    ["hai triệu tư", "ambiguous"],
    ["một tỷ một", "ambiguous"],
    ["một triệu tỷ", "too_large"],
    ["chín trăm nghìn tỷ chín trăm nghìn tỷ", "bad_sequence"]
  ] as const)("%p → %p", (text, reason) => {
    const error = failure(text)
    expect(error._tag).toBe("InvalidAmountInWords")
    expect(error.reason).toBe(reason)
    expect(error.input).toBe(text)
    expect(error.message).toContain(JSON.stringify(text))
  })

  test("messages name the offending word or sequence", () => {
    expect(failure("một trăm xyz nghìn").message).toContain(`"xyz"`)
    expect(failure("một trăm trăm").message).toContain(`"trăm trăm"`)
    expect(failure("mười mười").message).toContain(`"mười mười"`)
    expect(failure("một tỷ tỷ").message).toContain(`"tỷ"`)
  })
})

// Rewrites generated words the way other writers, regions and OCR do.
const variant = fc.record({
  noDiacritics: fc.boolean(),
  caseChange: fc.constantFrom("keep", "lower", "upper"),
  ngan: fc.boolean(),
  le: fc.boolean(),
  bon: fc.boolean(),
  nham: fc.boolean(),
  motAfterTens: fc.boolean(),
  dropDong: fc.boolean(),
  chan: fc.constantFrom("", " chẵn", " chẵn./.", ".", " chan"),
  label: fc.constantFrom("", "Bằng chữ: ", "Số tiền bằng chữ: ", "(Bằng chữ: "),
  nfd: fc.boolean()
})

type Variant = typeof variant extends fc.Arbitrary<infer V> ? V : never

const rewrite = (words: string, v: Variant): string => {
  const swap: Record<string, string> = {
    ...(v.ngan ? { "nghìn": "ngàn" } : {}),
    ...(v.le ? { "linh": "lẻ" } : {}),
    ...(v.bon ? { "tư": "bốn" } : {}),
    ...(v.nham ? { "lăm": "nhăm" } : {}),
    ...(v.motAfterTens ? { "mốt": "một" } : {})
  }
  let text = words.split(" ").map((w) => swap[w] ?? w).join(" ")
  if (v.dropDong) text = text.replace(/ đồng$/u, "")
  text = v.label + text + v.chan
  if (v.noDiacritics) text = stripDiacritics(text)
  if (v.caseChange === "lower") text = text.toLowerCase()
  if (v.caseChange === "upper") text = text.toUpperCase()
  return v.nfd ? text.normalize("NFD") : text.normalize("NFC")
}

describe("round trips", () => {
  test("property: parseAmountInWords reads back amountInWords", () => {
    fc.assert(
      fc.property(amount, (n) => {
        expect(read(amountInWords(n))).toBe(n)
      }),
      { numRuns: 2000 }
    )
  })

  test("property: the round trip survives regional, OCR and layout variants", () => {
    fc.assert(
      fc.property(amount, variant, (n, v) => {
        expect(read(rewrite(amountInWords(n), v))).toBe(n)
      }),
      { numRuns: 2000 }
    )
  })

  test("property: words that lost their spaces still read back", () => {
    fc.assert(
      fc.property(amount, fc.integer({ min: 0, max: 100 }), (n, seed) => {
        const words = amountInWords(n).split(" ")
        const joined = words.reduce((text, w, i) => text + ((seed >> (i % 7)) & 1 ? "" : " ") + w)
        expect(read(joined)).toBe(n)
      }),
      { numRuns: 500 }
    )
  })
})

describe("amountsAgree", () => {
  test("figures as bigint or text agree with matching words", () => {
    expect(amountsAgree(125_500_000n, "Một trăm hai mươi lăm triệu năm trăm nghìn đồng")).toBe(true)
    expect(amountsAgree("125.500.000 đ", "một trăm hai mươi lăm triệu năm trăm ngàn đồng chẵn")).toBe(true)
    expect(amountsAgree("1,005,000 VND", "mot trieu khong tram le nam nghin dong")).toBe(true)
  })

  test("disagreement or an unreadable side is false", () => {
    expect(amountsAgree(125_500_000n, "Một trăm hai mươi lăm triệu đồng")).toBe(false)
    expect(amountsAgree("125.500.00", "Một trăm hai mươi lăm triệu năm trăm nghìn đồng")).toBe(false)
    expect(amountsAgree(125_500_000n, "Một trăm hai mươi lăm triệu năm trăm xyz đồng")).toBe(false)
    expect(amountsAgree(-5n, "năm đồng")).toBe(false)
    expect(amountsAgree(MAX_VND, "một triệu tỷ")).toBe(false)
  })

  test("property: formatted figures agree with generated words, and not with a neighbour's", () => {
    fc.assert(
      fc.property(amount, (n) => {
        expect(amountsAgree(formatVnd(n), amountInWords(n))).toBe(true)
        expect(amountsAgree(n, amountInWords(n))).toBe(true)
        const neighbour = n === 0n ? 1n : n - 1n
        expect(amountsAgree(neighbour, amountInWords(n))).toBe(false)
      }),
      { numRuns: 500 }
    )
  })
})
