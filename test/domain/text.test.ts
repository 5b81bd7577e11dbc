import { describe, expect, test } from "bun:test"
import * as fc from "fast-check"
import { foldForSearch, nfc, stripDiacritics } from "../../domain/text.ts"

// Names and words that carry every Vietnamese mark: tones on plain and hatted
// vowels, breve, horn, đ.
const samples = [
  "Nguyễn Văn Hòa",
  "Trần Thị Thuỷ",
  "Đặng Ngọc Ánh",
  "Phạm Quốc Cường",
  "Lê Thị Hương Giang",
  "Cục Thi hành án dân sự TP. Hồ Chí Minh",
  "Ủy ban nhân dân",
  "Bùi Đức Lượng"
]

describe("nfc", () => {
  test("composes decomposed Vietnamese", () => {
    const decomposed = "Hòa".normalize("NFD")
    expect(decomposed.length).toBe(4)
    expect(nfc(decomposed)).toBe("Hòa")
    expect(nfc(decomposed).length).toBe(3)
  })
})

describe("stripDiacritics", () => {
  test("removes tones and vowel marks and maps đ/Đ", () => {
    expect(stripDiacritics("Nguyễn Văn Hòa")).toBe("Nguyen Van Hoa")
    expect(stripDiacritics("Đặng Ngọc Ánh")).toBe("Dang Ngoc Anh")
    expect(stripDiacritics("Bùi Đức Lượng")).toBe("Bui Duc Luong")
    expect(stripDiacritics("Ủy ban nhân dân")).toBe("Uy ban nhan dan")
    expect(stripDiacritics("đồng")).toBe("dong")
  })

  test("gives the same result for composed and decomposed input", () => {
    for (const s of samples) {
      expect(stripDiacritics(s.normalize("NFD"))).toBe(stripDiacritics(s.normalize("NFC")))
    }
  })

  test("leaves no combining mark and no đ on any Vietnamese sample", () => {
    for (const s of samples) {
      expect(stripDiacritics(s)).toMatch(/^[A-Za-z .]+$/)
    }
  })
})

describe("foldForSearch", () => {
  test("an unaccented lowercase query meets the accented name", () => {
    expect(foldForSearch("Nguyễn Văn Hòa")).toBe("nguyen van hoa")
    expect(foldForSearch("nguyen van hoa")).toBe(foldForSearch("Nguyễn Văn Hòa"))
  })

  test("both tone placements fold alike (Hòa / Hoà, Thủy / Thuỷ)", () => {
    expect(foldForSearch("Hòa")).toBe(foldForSearch("Hoà"))
    expect(foldForSearch("Thủy")).toBe(foldForSearch("Thuỷ"))
  })

  test("collapses whitespace, including NBSP, and trims", () => {
    expect(foldForSearch("  Nguyễn\u00a0 Văn\t\nHòa  ")).toBe("nguyen van hoa")
  })

  test("uppercase with marks folds to the same key", () => {
    expect(foldForSearch("NGUYỄN VĂN HÒA")).toBe("nguyen van hoa")
    expect(foldForSearch("ĐẶNG")).toBe("dang")
  })

  test("property: insensitive to normalization form and case, and idempotent", () => {
    const vietnameseChar = fc.constantFrom(..."aăâbcdđeêghiklmnoôơpqrstuưvxyàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ  ".split(""))
    const text = fc.array(vietnameseChar, { maxLength: 30 }).map((cs) => cs.join(""))
    fc.assert(
      fc.property(text, (s) => {
        const key = foldForSearch(s)
        expect(foldForSearch(s.normalize("NFD"))).toBe(key)
        expect(foldForSearch(s.toUpperCase())).toBe(key)
        expect(foldForSearch(key)).toBe(key)
        expect(key).toMatch(/^(?:[a-z]+(?: [a-z]+)*)?$/)
      }),
      { numRuns: 300 }
    )
  })
})
