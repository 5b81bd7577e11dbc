import { describe, expect, test } from "bun:test"
import fc from "fast-check"
import { extractFields } from "../../domain/extraction/extract.ts"
import { correctAddress } from "../../domain/extraction/gazetteer/correct-address.ts"
import { correctReason } from "../../domain/extraction/gazetteer/correct-words.ts"
import { correctAddressWords } from "../../domain/extraction/gazetteer/address-words.ts"
import { correctFamilyName, familyNames } from "../../domain/extraction/gazetteer/surnames.ts"
import { provinceNames2025, units } from "../../domain/extraction/gazetteer/units.ts"
import { provinces2025 } from "../../domain/extraction/gazetteer/units-2025.ts"
import { pageFromText } from "../../domain/extraction/ocr-output.ts"
import { stripDiacritics } from "../../domain/text.ts"

const slip = (address: string, reason = "Nộp tiền thi hành án", name = "Nguyễn Thị Hồng Nhung") =>
  extractFields([pageFromText([
    "GIẤY NỘP TIỀN THI HÀNH ÁN",
    `Họ và tên người nộp tiền: ${name}`,
    `Địa chỉ: ${address}`,
    `Nội dung nộp: ${reason}`,
    "Số tiền: 5.000.000 đồng"
  ].join("\n"))], { currentYear: 2026 })

const addressOf = (u: (typeof units)[number]) => `Số 12 đường Lê Lợi, ${u.kind.toLowerCase()} ${u.name}, ${u.province === "Hồ Chí Minh" ? "Thành phố" : "tỉnh"} ${u.province}`

// Vowels whose mark OCR swaps for a neighbouring one.
const slips: Readonly<Record<string, string>> = { "ề": "ể", "ồ": "ố", "ế": "ề", "ờ": "ở", "à": "ả", "ấ": "ầ", "ú": "ù", "í": "ì", "ạ": "ả", "ộ": "ổ" }

describe("the 2025 gazetteer", () => {
  test("holds 34 provinces and 3,321 communes, wards and special zones", () => {
    expect(provinces2025.length).toBe(34)
    expect(units.length).toBe(3321)
    expect(new Set(units.map((u) => u.code)).size).toBe(3321)
    expect(provinceNames2025).toContain("Hồ Chí Minh")
  })

  test("a slipped mark on a ward is corrected to the real unit, with a warning naming what was read", () => {
    const r = slip("Số 5 đường 30/4, phường Ninh Kiểu, Thành phố Cần Thơ")
    expect(r.fields.payerAddress).toBe("Số 5 đường 30/4, phường Ninh Kiều, Thành phố Cần Thơ")
    // Most slips have one real unit near; the property below counts how often.
    const w = r.warnings.find((x) => x.code === "corrected")
    expect(w).toMatchObject({ field: "payerAddress", original: "phường Ninh Kiểu", corrected: "phường Ninh Kiều" })
  })

  test("reason words: bối thường → bồi thường, tiến → tiền, words run together split; each reported", () => {
    const r = slip("Phường Bến Thành, Thành phố Hồ Chí Minh", "Nộp tiến bối thường thiệt hại theo bản án")
    expect(r.fields.reason).toBe("Nộp tiền bồi thường thiệt hại theo bản án")
    expect(r.warnings.filter((w) => w.code === "corrected").map((w) => w.original)).toEqual(["tiến", "bối"])
    expect(correctReason("Nộp tiền thihành án").value).toBe("Nộp tiền thi hành án")
  })

  test("a name in unaccented capitals keeps none of the marks OCR gave it", () => {
    const r = slip("Phường Bến Thành, Thành phố Hồ Chí Minh", "Nộp tiền thi hành án", "VO THỦ MINH")
    expect(r.fields.payerName).toBe("VO THU MINH")
    expect(r.warnings.find((w) => w.field === "payerName")?.original).toBe("VO THỦ MINH")
    expect(slip("Phường Bến Thành, Thành phố Hồ Chí Minh", "Nộp tiền thi hành án", "NGUYỄN VĂN AN").fields.payerName).toBe("NGUYỄN VĂN AN")
  })
})

describe("words of addresses and reasons", () => {
  test("an address word with a slipped mark is corrected and reported; names and listed words stay", () => {
    const r = slip("Tổ dần phố 4, xã Ia Hrú, tỉnh Gia Lai")
    expect(r.fields.payerAddress).toBe("Tổ dân phố 4, xã Ia Hrú, tỉnh Gia Lai")
    expect(r.warnings.find((w) => w.field === "payerAddress")).toMatchObject({ code: "corrected", original: "dần", corrected: "dân" })
    expect(correctAddressWords("Số 5 đường Lê Lợi, khu phố cũ, phường Bến Thành").corrections).toEqual([])
  })

  test("a reason word listed twice is still the one word with its letters: sơ thầm → sơ thẩm", () => {
    expect(correctReason("Nộp tiền án phí hình sự sơ thầm").value).toBe("Nộp tiền án phí hình sự sơ thẩm")
  })
})

describe("bank account names", () => {
  test("a name in capitals beside a transfer content in unaccented capitals loses the marks OCR gave it", () => {
    const advice = (name: string) =>
      extractFields([pageFromText([
        "GIẤY BÁO CÓ",
        `Tên tài khoản chuyển: ${name}`,
        "Số tiền ghi có: 5,000,000 VND",
        "Diễn giải: THAI CONG DUYEN NOP TIEN THA THEO QD 12/QD-CTHADS"
      ].join("\n"))], { currentYear: 2026 })
    const r = advice("THÁI CỘNG DUYEN")
    expect(r.fields.payerName).toBe("THAI CONG DUYEN")
    expect(r.warnings.find((w) => w.field === "payerName")).toMatchObject({ code: "corrected", original: "THÁI CỘNG DUYEN" })
    // Beside a content with marks, a name in capitals keeps its own.
    expect(slip("Phường Bến Thành, Thành phố Hồ Chí Minh", "Nộp tiền thi hành án", "THÁI CỘNG DUYÊN").fields.payerName).toBe("THÁI CỘNG DUYÊN")
  })
})

describe("family names", () => {
  test("a family name with a slipped mark is corrected, with a warning naming what was read", () => {
    const r = slip("Phường Bến Thành, Thành phố Hồ Chí Minh", "Nộp tiền thi hành án", "Đỉnh Tấn Lực")
    expect(r.fields.payerName).toBe("Đinh Tấn Lực")
    expect(r.warnings.find((w) => w.field === "payerName")).toMatchObject({ code: "corrected", original: "Đỉnh", corrected: "Đinh" })
  })

  test("a real family name, a name without marks and an unknown first word are left as read", () => {
    fc.assert(
      fc.property(fc.constantFrom(...familyNames), (family) => {
        const name = `${family} Văn An`
        expect(correctFamilyName(name).value).toBe(name)
      })
    )
    expect(correctFamilyName("DINH TAN LUC").value).toBe("DINH TAN LUC")
    expect(correctFamilyName("Xyz Văn An").value).toBe("Xyz Văn An")
    // "La" and "Lã" share their letters: "Lả" could be either, so it stays.
    expect(correctFamilyName("Lả Văn An").value).toBe("Lả Văn An")
  })
})

describe("property: gazetteer correction", () => {
  const unit = fc.constantFrom(...units)

  test("never corrects an exact unit", () => {
    fc.assert(
      fc.property(unit, (u) => {
        const r = correctAddress(addressOf(u))
        expect(r.corrections).toEqual([])
        expect(r.value).toBe(addressOf(u))
      }),
      { numRuns: 500 }
    )
  })

  test("never adds marks to an address printed without them, in capitals or not", () => {
    fc.assert(
      fc.property(unit, fc.boolean(), (u, capitals) => {
        const plain = stripDiacritics(addressOf(u))
        const printed = capitals ? plain.toUpperCase() : plain
        expect(correctAddress(printed)).toEqual({ value: printed, corrections: [] })
        const r = slip(printed, "NOP TIEN THI HANH AN", "VO THU MINH")
        expect(stripDiacritics(r.fields.payerAddress ?? "")).toBe(r.fields.payerAddress ?? "")
        expect(r.fields.reason).toBe("NOP TIEN THI HANH AN")
        expect(r.fields.payerName).toBe("VO THU MINH")
      }),
      { numRuns: 200 }
    )
  })

  test("always warns: whatever it changes is reported with the original text, and a slipped mark comes back to a real unit", () => {
    fc.assert(
      fc.property(unit, fc.nat(), (u, at) => {
        const positions = Array.from(u.name).flatMap((c, i) => (slips[c] === undefined ? [] : [i]))
        fc.pre(positions.length > 0)
        const i = positions[at % positions.length] ?? 0
        const chars = Array.from(u.name)
        chars[i] = slips[chars[i] ?? ""] ?? ""
        const slipped = chars.join("")
        const r = slip(addressOf({ ...u, name: slipped }))
        const value = r.fields.payerAddress ?? ""
        const warned = r.warnings.filter((w) => w.code === "corrected")
        if (value !== addressOf({ ...u, name: slipped })) {
          expect(warned.length).toBeGreaterThan(0)
          for (const w of warned) expect(addressOf({ ...u, name: slipped })).toContain(w.original ?? "\u0000")
        } else expect(warned).toEqual([])
        // The slipped name is no unit: it is brought back to the real one, or left as read where two
        // units are as near ("Sơn Hả": Sơn Hà and Sơn Hạ), never taken to a third.
        if (!units.some((x) => x.name === slipped)) expect([addressOf(u), addressOf({ ...u, name: slipped })]).toContain(value)
      }),
      { numRuns: 400 }
    )
  })
})

describe("addresses as a fax or a phone leaves them (corpus B seed 70913)", () => {
  test("a full stop before a unit's word is its comma; a unit's capital I read as l is put back; a street's m read as ru is", () => {
    const read = (address: string) =>
      extractFields([pageFromText(["GIẤY NỘP TIỀN", "Họ và tên người nộp tiền: Nguyễn Bảo Tài", `Địa chỉ: ${address}`, "Số tiền: 5.000.000 đồng"].join("\n"))], { currentYear: 2026 })
    expect(read("Bản Nà Sài, phường Thượng Hồng. tỉnh Hưng Yên").fields.payerAddress).toBe("Bản Nà Sài, phường Thượng Hồng, tỉnh Hưng Yên")
    const ia = read("Số 103 đường Tôn Đức Thắng, xã la Ly, tỉnh Gia Lai")
    expect(ia.fields.payerAddress).toBe("Số 103 đường Tôn Đức Thắng, xã Ia Ly, tỉnh Gia Lai")
    expect(ia.warnings).toContainEqual(expect.objectContaining({ code: "corrected", original: "xã la Ly", corrected: "xã Ia Ly" }))
    const m = read("Số 285 đường Phạru Văn Đông, xã Phù Mỹ Bắc, tỉnh Gia Lai")
    expect(m.fields.payerAddress).toBe("Số 285 đường Phạm Văn Đồng, xã Phù Mỹ Bắc, tỉnh Gia Lai")
    expect(m.warnings).toContainEqual(expect.objectContaining({ code: "corrected", original: "Phạru Văn Đông", corrected: "Phạm Văn Đồng" }))
  })

  test("property: a real unit whose name starts with I is found again when the I is read as l; a name that is a unit is left", () => {
    const iNames = units.filter((u) => /^I\p{Ll}/u.test(u.name))
    expect(iNames.length).toBeGreaterThan(5)
    fc.assert(
      fc.property(fc.constantFrom(...iNames), fc.constantFrom("l", "1"), (u, look) => {
        const address = `Số 5 đường Lê Lợi, xã ${u.name}, tỉnh ${u.province}`
        expect(correctAddress(address).value).toBe(address)
        expect(correctAddress(address.replace(`xã ${u.name}`, `xã ${look}${u.name.slice(1)}`)).value).toBe(address)
      })
    )
  })
})
