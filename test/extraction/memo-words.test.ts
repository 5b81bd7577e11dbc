import { describe, expect, test } from "bun:test"
import fc from "fast-check"
import { tidyAddressText } from "../../domain/extraction/address.ts"
import { extractFields } from "../../domain/extraction/extract.ts"
import { correctCapitalName, correctMemo, isWord, memoPayerName, nearestWord } from "../../domain/extraction/gazetteer/correct-memo.ts"
import { correctAddressWords } from "../../domain/extraction/gazetteer/address-words.ts"
import { correctReason } from "../../domain/extraction/gazetteer/correct-words.ts"
import { memoWords, plainFamilyNames, plainNameWords } from "../../domain/extraction/gazetteer/memo-words.ts"
import { correctNameWords } from "../../domain/extraction/gazetteer/name-words.ts"
import { givenNames, middleNames } from "../../domain/extraction/gazetteer/given-names.ts"
import { familyNames } from "../../domain/extraction/gazetteer/surnames.ts"
import { correctStreetName, streetNames } from "../../domain/extraction/gazetteer/street-names.ts"
import { maybeSyllable } from "../../domain/extraction/gazetteer/syllables.ts"
import { pageFromText } from "../../domain/extraction/ocr-output.ts"

const advice = (accountName: string | undefined, memo: string) =>
  extractFields([pageFromText([
    "GIẤY BÁO CÓ",
    "Ngày hạch toán: 12/08/2025",
    ...(accountName === undefined ? [] : [`Tên tài khoản chuyển: ${accountName}`]),
    "Số tiền ghi có: 5,000,000 VND",
    `Diễn giải: ${memo}`
  ].join("\n"))], { currentYear: 2026 })

const corrected = (r: ReturnType<typeof advice>, field: string) =>
  r.warnings.filter((w) => w.code === "corrected" && w.field === field).map((w) => [w.original, w.corrected])

describe("transfer memos in unaccented capitals", () => {
  test("doubled, run-together and look-alike letters are corrected, each reported with what was read", () => {
    expect(correctMemo("VO THU MINH NOOP TIEN THA THEO OD 757/QD-PTHADS").value).toBe("VO THU MINH NOP TIEN THA THEO QD 757/QD-PTHADS")
    expect(correctMemo("TRAN VAN AN NOPTIEN THA THEO QD 12/QD-THADS").value).toBe("TRAN VAN AN NOP TIEN THA THEO QD 12/QD-THADS")
    expect(correctMemo("N0P TlEN THI HANH AN").value).toBe("NOP TIEN THI HANH AN")
    // A glyph too many, where no other slip gives a word; a rule read as "I" before the number.
    expect(correctMemo("NOP TIEN THA THEO QOD I 533/QD-THADS").value).toBe("NOP TIEN THA THEO QD 533/QD-THADS")
    const r = advice("QUAACH THI BAO VEN", "QUAACH THI BAO VEN NOOP TIEN THA THEO QD 757/QD-PTHADS")
    expect(r.fields.payerName).toBe("QUACH THI BAO YEN")
    expect(r.fields.reason).toBe("QUACH THI BAO YEN NOP TIEN THA THEO QD 757/QD-PTHADS")
    expect(corrected(r, "payerName")).toEqual([["QUAACH", "QUACH"], ["VEN", "YEN"]])
    expect(corrected(r, "reason")).toEqual([["QUAACH", "QUACH"], ["NOOP", "NOP"], ["VEN", "YEN"]])
  })

  test("a vocabulary word with one letter doubled goes back to it, or stays where another word is as near", () => {
    let back = 0
    let total = 0
    for (const w of memoWords) {
      for (let i = 0; i < w.length; i++) {
        const doubled = w.slice(0, i + 1) + w.slice(i)
        if (isWord(doubled)) continue
        total++
        const to = nearestWord(doubled, memoWords)
        if (to === w) back++
        else expect(to).toBeUndefined()
      }
    }
    // Most come back; the rest have two words as near and stay as read.
    expect(back / total).toBeGreaterThan(0.8)
  })

  test("a word that may be a Vietnamese syllable is never changed, in or out of the vocabulary", () => {
    for (const w of memoWords) expect(nearestWord(w, memoWords)).toBeUndefined()
    const initials = ["", "b", "ch", "d", "gi", "kh", "ng", "ngh", "nh", "ph", "qu", "th", "tr", "v", "x"]
    const rhymes = ["a", "en", "oc", "uong", "ien", "oanh", "uyen", "ep", "ao", "ut", "ang", "ieu"]
    fc.assert(
      fc.property(fc.constantFrom(...initials), fc.constantFrom(...rhymes), fc.integer({ min: 0, max: 6 }), (i, r, n) => {
        const word = (i + r).toUpperCase()
        fc.pre(word.length >= 2)
        expect(maybeSyllable(word)).toBe(true)
        const line = `${"NOP TIEN ".repeat(n)}${word} THA`
        expect(correctMemo(line).value).toBe(line)
      })
    )
  })

  test("a word two vocabulary words are equally near stays as read", () => {
    // "IIEN": I read for L ("LIEN") or for T ("TIEN"), both words.
    expect(nearestWord("IIEN", memoWords)).toBeUndefined()
    expect(correctMemo("NOP IIEN THA").corrections).toEqual([])
    // A letter read twice comes before two words run together: "HAANH" is "HANH", not "HA ANH".
    expect(correctMemo("NOP TIEN THI HAANH AN THEO QD 3095/QD- CCTHADS").value).toBe("NOP TIEN THI HANH AN THEO QD 3095/QD-CCTHADS")
  })

  test("decision numbers, figures and signs are never touched", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9999 }), fc.constantFrom("QD-CTHADS", "QD-PTHADS", "QD-THADS", "QĐ-CCTHADS"), (n, s) => {
        const memo = `NOP TIEN THEO QD ${n}/${s} NGAY 12/05/2025`
        expect(correctMemo(memo).value).toBe(memo)
      })
    )
  })
})

describe("names in unaccented capitals", () => {
  test("the first word against family names, the others against middle and given names", () => {
    expect(correctCapitalName("TRAM VAN AN").value).toBe("TRAN VAN AN")
    expect(correctCapitalName("TA NHUU ANH").value).toBe("TA NHU ANH")
    expect(correctCapitalName("QUACH THI BAO VEN").corrections).toEqual([{ from: "VEN", to: "YEN", against: "Vietnamese middle and given names, without marks" }])
    // A family name followed by words of the names' vocabulary is never changed.
    fc.assert(
      fc.property(fc.constantFrom(...plainFamilyNames), fc.array(fc.constantFrom(...plainNameWords), { minLength: 1, maxLength: 4 }), (family, words) => {
        const name = [family, ...words].join(" ")
        expect(correctCapitalName(name).value).toBe(name)
      })
    )
  })

  test("a credit advice whose account-name line was lost takes the name its memo opens with", () => {
    const r = advice(undefined, "KIEU TRONG BAO NOP TIEN THA THEO QD 2606/QD-THADS")
    expect(r.fields.payerName).toBe("KIEU TRONG BAO")
    expect(memoPayerName("NOP TIEN THA THEO QD 1/QD-THADS")).toBeUndefined()
    // A memo that is only words of names is no name followed by a content.
    expect(memoPayerName("TRAN VAN AN")).toBeUndefined()
    // Nor a name cut short by a one-letter word or a sign.
    expect(memoPayerName("NGUYEN VAN A NOP TIEN THA")).toBeUndefined()
    expect(advice(undefined, "CHUYEN TIEN THA").fields.payerName).toBeUndefined()
  })
})

describe("names and addresses with marks", () => {
  test("a given name with a slipped mark takes the one given name with its letters; a name word stays", () => {
    expect(correctNameWords("Hà Văn Chị").value).toBe("Hà Văn Chi")
    expect(correctNameWords("Trịnh Bảo Chỉ").value).toBe("Trịnh Bảo Chi")
    expect(correctNameWords("Lê Chí Thanh").value).toBe("Lê Chí Thanh")
    expect(correctNameWords("Hà Văn Chi").corrections).toEqual([])
  })

  test("a name word with o read u (or u read o), its marks kept, takes the one name word it makes (corpus B seed 70913's fax)", () => {
    expect(correctNameWords("Nguyễn Bảu Tài")).toEqual({ value: "Nguyễn Bảo Tài", corrections: [{ from: "Bảu", to: "Bảo", against: "Vietnamese middle and given names" }] })
    expect(correctNameWords("Trần Văn Bảu").value).toBe("Trần Văn Bảo")
    // Name words read right stay, whatever letters they have.
    fc.assert(
      fc.property(fc.constantFrom(...familyNames), fc.constantFrom(...middleNames), fc.constantFrom(...givenNames), (f, m, g) => {
        expect(correctNameWords(`${f} ${m} ${g}`).corrections).toEqual([])
      })
    )
  })

  test("an address word opening the address or a part is corrected in capitals, a name never", () => {
    expect(correctAddressWords("Tố dân phố 4, phường Nghĩa Lộ, tỉnh Lào Cai").value).toBe("Tổ dân phố 4, phường Nghĩa Lộ, tỉnh Lào Cai")
    expect(correctAddressWords("Số 5 đường Tô Hiến Thành, phường Bến Thành").value).toBe("Số 5 đường Tô Hiến Thành, phường Bến Thành")
    expect(correctAddressWords("Tô Hiến Thành, phường Bến Thành").value).toBe("Tô Hiến Thành, phường Bến Thành")
    // A backslash standing apart is a speck.
    expect(tidyAddressText("Số 300 đường Lê Lợi, phường Cầu Giấy, tỉnh Đồng \\ Nai")).toBe("Số 300 đường Lê Lợi, phường Cầu Giấy, tỉnh Đồng Nai")
    // The house number's word with its S read as 5 (corpus B seed 49).
    expect(tidyAddressText("5ố 368 đường Quang Trung, xã Trung Sơn, tỉnh Thanh Hóa")).toBe("Số 368 đường Quang Trung, xã Trung Sơn, tỉnh Thanh Hóa")
    expect(tidyAddressText("Số 154 đường Nguyễn Trãi, phường Tân Định, Thành phối Hải Phòng")).toBe("Số 154 đường Nguyễn Trãi, phường Tân Định, Thành phố Hải Phòng")
  })
})

describe("street names", () => {
  test("a famous street's name with slipped marks takes them back; other streets and listed names stay", () => {
    expect(correctStreetName("Số 90 đường Lê Duấn, xã Quảng La").value).toBe("Số 90 đường Lê Duẩn, xã Quảng La")
    expect(correctStreetName("Số 348 đường Nguyễn Văn Cử, xã Tam Ngãi").corrections).toEqual([{ from: "Nguyễn Văn Cử", to: "Nguyễn Văn Cừ", against: "names of streets" }])
    fc.assert(
      fc.property(fc.constantFrom(...streetNames), fc.constantFrom("đường", "phố"), (name, word) => {
        const address = `Số 5 ${word} ${name}, phường Bến Thành`
        expect(correctStreetName(address).value).toBe(address)
      })
    )
    expect(correctStreetName("Số 5 phố Hàng Bạc, phường Hoàn Kiếm").value).toBe("Số 5 phố Hàng Bạc, phường Hoàn Kiếm")
  })

  test("a listed name with a word split in two or two words run together is joined back and reported; one read without marks gets none", () => {
    expect(correctStreetName("Số 337 đường Trần Hư ng Đạo, phường Sài Gòn, Thành phố Đà Nẵng")).toEqual({
      value: "Số 337 đường Trần Hưng Đạo, phường Sài Gòn, Thành phố Đà Nẵng",
      corrections: [{ from: "Trần Hư ng Đạo", to: "Trần Hưng Đạo", against: "names of streets" }]
    })
    expect(correctStreetName("Số 3 đường TrầnHưng Đạo, xã Tân Phú").value).toBe("Số 3 đường Trần Hưng Đạo, xã Tân Phú")
    expect(correctStreetName("Số 3 đường Tran Hu ng Dao, xã Tân Phú").value).toBe("Số 3 đường Tran Hung Dao, xã Tân Phú")
  })

  test("property: every listed name split inside any word is joined back, and joining again changes nothing", () => {
    const multi = streetNames.filter((n) => n.split(" ").some((w) => w.length >= 3))
    fc.assert(
      fc.property(fc.constantFrom(...multi), fc.nat(), fc.nat(), (name, w, at) => {
        const words = name.split(" ")
        const long = words.map((x, i) => [x, i] as const).filter(([x]) => x.length >= 3)
        const [word, i] = long[w % long.length] ?? ["", 0]
        const cut = 1 + (at % (word.length - 1))
        const split = [...words.slice(0, i), word.slice(0, cut), word.slice(cut), ...words.slice(i + 1)].join(" ")
        const once = correctStreetName(`Số 5 đường ${split}, phường Bến Thành`)
        // Unless the split makes another listed name's letters too (none does today), the name comes back.
        expect(once.value).toBe(`Số 5 đường ${name}, phường Bến Thành`)
        expect(correctStreetName(once.value).corrections).toEqual([])
      })
    )
  })
})

describe("reasons with marks", () => {
  test("the reason's capitalised first word is corrected as its lower case; a name opening it is not", () => {
    expect(correctReason("Nốp tiền thi hành án")).toEqual({ value: "Nộp tiền thi hành án", corrections: [{ from: "Nốp", to: "Nộp", against: "payment-reason words" }] })
    expect(correctReason("Lê Văn An nộp tiền").value).toBe("Lê Văn An nộp tiền")
    expect(correctReason("Nộp tiền án phí").corrections).toEqual([])
  })
})
