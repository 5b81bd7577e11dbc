import { describe, expect, test } from "bun:test"
import fc from "fast-check"
import { amountInWords } from "../../domain/amount-in-words.ts"
import { provinceNamed } from "../../domain/extraction/address.ts"
import { extractFields } from "../../domain/extraction/extract.ts"
import { fold } from "../../domain/extraction/fold.ts"
import { pageFromText } from "../../domain/extraction/ocr-output.ts"
import { findDates, findDecisionNumbers, readAmount, readIdentityNumber } from "../../domain/extraction/readers.ts"
import { formatVndDigits } from "../../domain/money.ts"
import { birthProvinces } from "../../domain/provinces.ts"
import { stripDiacritics } from "../../domain/text.ts"

const extract = (text: string) => extractFields([pageFromText(text)], { currentYear: 2026 })

const slip = (over: Partial<Record<string, string>> = {}) =>
  [
    "GIẤY NỘP TIỀN THI HÀNH ÁN",
    `Họ và tên người nộp tiền: ${over.name ?? "Nguyễn Thị Hồng Nhung"}`,
    `Số CCCD: ${over.id ?? "079185001234"}`,
    `Địa chỉ: ${over.address ?? "Số 12 đường Lê Lợi, phường Bến Thành, Thành phố Hồ Chí Minh"}`,
    `Theo Quyết định thi hành án số: ${over.decision ?? "1234/QĐ-CTHADS"} ngày ${over.decisionDate ?? "12/05/2025"}`,
    "Nội dung nộp: Nộp tiền thi hành án",
    `Số tiền: ${over.amount ?? "125.500.000 đồng"}`,
    `Bằng chữ: ${over.words ?? "Một trăm hai mươi lăm triệu năm trăm nghìn đồng"}`,
    `TP. Hồ Chí Minh, ${over.paymentDate ?? "ngày 23 tháng 6 năm 2025"}`,
    "NGƯỜI NỘP TIỀN NGƯỜI THU TIỀN"
  ].join("\n")

describe("extractFields on a payment slip", () => {
  test("reads every field", () => {
    const r = extract(slip())
    expect(r.documentType).toBe("payment_slip")
    expect(r.fields).toEqual({
      payerName: "Nguyễn Thị Hồng Nhung",
      payerIdNumber: "079185001234",
      payerAddress: "Số 12 đường Lê Lợi, phường Bến Thành, Thành phố Hồ Chí Minh",
      decisionNumber: "1234/QĐ-CTHADS",
      decisionDate: "2025-05-12",
      paymentDate: "2025-06-23",
      amount: "125500000",
      amountInWords: "Một trăm hai mươi lăm triệu năm trăm nghìn đồng",
      reason: "Nộp tiền thi hành án"
    })
    expect(r.warnings).toEqual([])
    for (const c of Object.values(r.confidence)) expect(c).toBeGreaterThan(0.5)
  })

  test("warns when the figures and the words disagree", () => {
    const r = extract(slip({ amount: "125.000.000 đồng" }))
    expect(r.warnings.map((w) => w.code)).toContain("amount_words_mismatch")
    expect(r.fields.amount).toBe("125000000")
    expect(r.confidence.amount ?? 1).toBeLessThan(0.6)
  })

  test("unsure figures one digit off the words are taken as misread: the words' amount, with the warning", () => {
    const r = extractFields([pageFromText(slip({ amount: "125.800.000 đồng" }), 0.7)], { currentYear: 2026 })
    expect(r.fields.amount).toBe("125500000")
    expect(r.confidence.amount ?? 1).toBeLessThan(0.5)
    expect(r.warnings.find((w) => w.code === "amount_words_mismatch")?.message).toContain("misread")
    // Far from the words (not a slip of a digit or two): the figures stand.
    const far = extractFields([pageFromText(slip({ amount: "9.000 đồng" }), 0.7)], { currentYear: 2026 })
    expect(far.fields.amount).toBe("9000")
  })

  test("warns about a CCCD that breaks its rules (century digit 9)", () => {
    const r = extract(slip({ id: "079985001234" }))
    expect(r.warnings.find((w) => w.code === "invalid_identity_number")?.message).toContain("079985001234")
    expect(r.confidence.payerIdNumber ?? 1).toBeLessThan(0.5)
  })

  test("warns when the decision is dated after the payment", () => {
    const r = extract(slip({ decisionDate: "01/07/2025" }))
    expect(r.warnings.map((w) => w.code)).toContain("decision_after_payment")
  })

  test("a blank field is absent, never invented", () => {
    const r = extract(slip({ address: ".............................", id: "" }))
    expect(r.fields.payerAddress).toBeUndefined()
    expect(r.fields.payerIdNumber).toBeUndefined()
    expect(r.confidence.payerAddress).toBeUndefined()
  })

  test("tolerates O/0 and l/1 in numbers and a QD without its stroke", () => {
    const r = extract(slip({ id: "O79l85OO1234", amount: "l25.5OO.OOO đồng", decision: "l234/QD-CTHADS", decisionDate: "l2/O5/2025" }))
    expect(r.fields.payerIdNumber).toBe("079185001234")
    expect(r.fields.amount).toBe("125500000")
    expect(r.fields.decisionNumber).toBe("1234/QĐ-CTHADS")
    expect(r.fields.decisionDate).toBe("2025-05-12")
    expect(r.confidence.payerIdNumber ?? 1).toBeLessThan(0.95)
  })

  test("tolerates lost diacritics in labels and a value broken over two lines", () => {
    const r = extract(slip().replace("Họ và tên người nộp tiền", "Ho va ten nguoi nop tien").replace(
      "Địa chỉ: Số 12 đường Lê Lợi, phường Bến Thành, Thành phố Hồ Chí Minh",
      "Dia chi: Số 12 đường Lê Lợi, phường Bến Thành,\nThành phố Hồ Chí Minh"
    ))
    expect(r.fields.payerName).toBe("Nguyễn Thị Hồng Nhung")
    expect(r.fields.payerAddress).toBe("Số 12 đường Lê Lợi, phường Bến Thành, Thành phố Hồ Chí Minh")
  })
})

describe("tesseract's slips seen on degraded scans", () => {
  test("a label split or run together, and a colon read as a full stop", () => {
    const r = extract(slip()
      .replace("Họ và tên người nộp tiền:", "N gười nộp tiền:")
      .replace("Số CCCD:", "§ốCCCD.")
      .replace("Số tiền:", "__ Số tiền."))
    expect(r.fields.payerName).toBe("Nguyễn Thị Hồng Nhung")
    expect(r.fields.payerIdNumber).toBe("079185001234")
    expect(r.fields.amount).toBe("125500000")
  })

  test("a doubled dash or Đ in the decision number", () => {
    for (const printed of ["1234/QĐ- -CTHADS", "1234/QĐ-ĐĐ-CTHADS", "1234/QĐĐ-CTHADS", "1234/QD — CTHADS", "12 34/QĐ-CTHADS"]) {
      expect(findDecisionNumbers(`Căn cứ Quyết định số ${printed} ngày 12/05/2025`).map((f) => f.value)).toEqual(["1234/QĐ-CTHADS"])
    }
  })

  test("dates with a speck, a lost h, or a repeated last digit; a different digit is no date", () => {
    expect(findDates("ngày 21 | tháng 6 năm 2024").map((d) => d.iso)).toEqual(["2024-06-21"])
    expect(findDates("ngày 29 táng 11 năm 2024").map((d) => d.iso)).toEqual(["2024-11-29"])
    const repeated = findDates("Đà Nẵng, ngày 23 3 tháng 4 năm 2025")
    expect(repeated.map((d) => d.iso)).toEqual(["2025-04-23"])
    expect(repeated[0]?.fixed).toBe(true)
    expect(findDates("ngày 23 5 tháng 4 năm 2025")).toEqual([])
    // A year with a digit lost is not completed: nothing is invented.
    expect(findDates("ngày 23 tháng 2 năm 025")).toEqual([])
  })

  test("a glyph read twice, standing apart, is dropped from names and addresses; real lone letters and digits stay", () => {
    const r = extract(slip({ name: "Lê Thanh V Vy", address: "Số 179 9 đường Lý Thường Kiệt, phường Cầu Giấy, tỉnh h Đồng N Nai" }))
    expect(r.fields.payerName).toBe("Lê Thanh Vy")
    expect(r.fields.payerAddress).toBe("Số 179 đường Lý Thường Kiệt, phường Cầu Giấy, tỉnh Đồng Nai")
    expect(extract(slip({ address: "Ấp 3, xã Tân Phú, tỉnh Đồng Nai" })).fields.payerAddress).toBe("Ấp 3, xã Tân Phú, tỉnh Đồng Nai")
  })

  test("unit words with slipped marks are spelled right before a name; names are left alone", () => {
    const r = extract(slip({ address: "Số 12 đuờng Lê Lợi, phưởng Bến Thành, Thành phô Hồ Chí Minh" }))
    expect(r.fields.payerAddress).toBe("Số 12 đường Lê Lợi, phường Bến Thành, Thành phố Hồ Chí Minh")
    const names = extract(slip({ address: "Số 5 Dương Quảng Hàm, phường Dương Nội, thành phô Hà Nội" }))
    expect(names.fields.payerAddress).toBe("Số 5 Dương Quảng Hàm, phường Dương Nội, thành phố Hà Nội")
  })

  test("a leader read as lower-case letters is no address; a speck beside a comma goes", () => {
    expect(extract(slip({ address: "c.cse" })).fields.payerAddress).toBeUndefined()
    expect(extract(slip({ address: "Số 39 đường Điện Biên Phủ, ; phường Tân Định, Thành phố Hồ Chí Minh" })).fields.payerAddress).toBe(
      "Số 39 đường Điện Biên Phủ, phường Tân Định, Thành phố Hồ Chí Minh"
    )
  })

  test("the province ending an address is read as the province it can only be", () => {
    expect(extract(slip({ address: "Thôn Đông, xã Quảng Yên, tỉnh Đông Nai" })).fields.payerAddress).toBe("Thôn Đông, xã Quảng Yên, tỉnh Đồng Nai")
    expect(extract(slip({ address: "Số 92 đường Lê Lợi, phường Thủ Dầu Một, tỉnh Đồng Na" })).fields.payerAddress).toBe(
      "Số 92 đường Lê Lợi, phường Thủ Dầu Một, tỉnh Đồng Nai"
    )
    // A name cut short by more than a letter is left as read: nothing is completed.
    expect(extract(slip({ address: "Số 39 đường Điện Biên Phủ, Thành phố Hồ Chí" })).fields.payerAddress).toBe(
      "Số 39 đường Điện Biên Phủ, Thành phố Hồ Chí"
    )
  })

  test("CCCD read CCCTD, an echo letter inside a label, a quote before the number", () => {
    expect(extract(slip().replace("Số CCCD:", "Số CCCTD:")).fields.payerIdNumber).toBe("079185001234")
    expect(extract(slip().replace("Số CCCD: 079185001234", "Số định danh c cá nhân: '079185001234")).fields.payerIdNumber).toBe("079185001234")
  })

  test("a letter stuck to the month, a lost slash, a split leading group, words that end with đồng", () => {
    expect(findDates("Đà Nẵng, ngày 12 tháng 6n năm 2024").map((d) => d.iso)).toEqual(["2024-06-12"])
    expect(findDecisionNumbers("Số:2541QĐ-CTHADS. Hà Nội").map((d) => d.value)).toEqual(["2541/QĐ-CTHADS"])
    expect(findDecisionNumbers("Số: 6/QĐÐ-THADS -TP. Hồ Chí Minh").map((d) => d.value)).toEqual(["6/QĐ-THADS"])
    expect(readAmount("37 1.000. 000 VND")?.value).toBe(371_000_000n)
    const r = extract(slip({ paymentDate: "ngày 23 tháng 6n năm 2025" }).replace("TP. Hồ Chí Minh, ", "¬ | Đà Nẵng, "))
    expect(r.fields.amountInWords).toBe("Một trăm hai mươi lăm triệu năm trăm nghìn đồng")
    expect(r.fields.paymentDate).toBe("2025-06-23")
  })

  test("names start with a capital and words run together are split; addresses lose inner stops and trailing specks", () => {
    expect(extract(slip({ name: "bùi Xuân Hạnh" })).fields.payerName).toBe("Bùi Xuân Hạnh")
    expect(extract(slip({ name: "Hoàng ThịNam" })).fields.payerName).toBe("Hoàng Thị Nam")
    expect(extract(slip({ address: "SỐ 326 đường Phan Đình Phùng, phường Bến. Thành, Thành phố. Đà Nẵng | 1" })).fields.payerAddress).toBe(
      "Số 326 đường Phan Đình Phùng, phường Bến Thành, Thành phố Đà Nẵng"
    )
    expect(extract(slip({ address: "Số 5 đường Lê Lợi, TP. Hồ Chí Minh" })).fields.payerAddress).toBe("Số 5 đường Lê Lợi, TP. Hồ Chí Minh")
    expect(extract(slip({ address: "Xã Tân Phú, Ấp 1" })).fields.payerAddress).toBe("Xã Tân Phú, Ấp 1")
  })

  test("a lone letter in a name is a speck", () => {
    expect(extract(slip({ name: "Lê Văn Khánh l" })).fields.payerName).toBe("Lê Văn Khánh")
  })

  test("a speck inside a label, and a dash read as + or :", () => {
    expect(extract(slip().replace("Họ và tên người nộp tiền:", "Họ và tên người. nộp tiền:")).fields.payerName).toBe("Nguyễn Thị Hồng Nhung")
    for (const printed of ["2123/QD+ CCTHADS", "2123/QD- :CCTHADS"]) {
      expect(findDecisionNumbers(`NOP TIEN THI HANH AN THEO QD ${printed}`).map((f) => f.value)).toEqual(["2123/QĐ-CCTHADS"])
    }
  })

  test("a digit group split by OCR and a G for 6 still read as the amount", () => {
    expect(readAmount("74G. 000 VND")?.value).toBe(746_000n)
  })

  test("an address gets back its dropped comma and loses stray quotes, but Thị xã stays whole", () => {
    const r = extract(slip({ address: "Số 29 đường Phan Đình Phùng, phường Cầu Giấy Thành phố “Cần Thơ" }))
    expect(r.fields.payerAddress).toBe("Số 29 đường Phan Đình Phùng, phường Cầu Giấy, Thành phố Cần Thơ")
    expect(extract(slip({ address: "Thôn Phú Mỹ, Thị xã Sơn Tây, Thành phố Hà Nội" })).fields.payerAddress).toBe(
      "Thôn Phú Mỹ, Thị xã Sơn Tây, Thành phố Hà Nội"
    )
  })
})

describe("other documents", () => {
  test("bank credit advice: reference, date, decision from the transfer content", () => {
    const r = extract(
      [
        "NGÂN HÀNG TMCP NGOẠI THƯƠNG VIỆT NAM",
        "GIẤY BÁO CÓ",
        "Ngày giao dịch: 23/06/2025",
        "Số tham chiếu: FT25174OO12345",
        "Người chuyển: Trần Văn Bình",
        "Số tiền: 1,250,000,000 VND",
        "Số tiền bằng chữ: Một tỷ hai trăm năm mươi triệu đồng",
        "Nội dung: NOP TIEN THỊ HANH AN THEO QD 56/QD-THADS"
      ].join("\n")
    )
    expect(r.documentType).toBe("bank_advice")
    expect(r.fields).toMatchObject({
      paymentDate: "2025-06-23",
      bankReference: "FT25174001234" + "5",
      payerName: "Trần Văn Bình",
      amount: "1250000000",
      decisionNumber: "56/QĐ-THADS",
      reason: "NOP TIEN THI HANH AN THEO QD 56/QD-THADS"
    })
    expect(r.fields.decisionDate).toBeUndefined()
  })

  test("enforcement decision: number and date from the header, no payment date", () => {
    const r = extract(
      [
        "Số: 321/QĐ-CCTHADS Cần Thơ, ngày 5 tháng 3 năm 2025",
        "QUYẾT ĐỊNH",
        "Căn cứ Bản án số 12/2025/DS-ST ngày 2 tháng 1 năm 2025 của Tòa án nhân dân;",
        "Điều 1. Cho thi hành án đối với:",
        "Ông/Bà: Lê Văn Nam",
        "Số tiền phải thi hành: 5.200.000 đồng",
        "Bằng chữ: Năm triệu hai trăm nghìn đồng"
      ].join("\n")
    )
    expect(r.documentType).toBe("decision")
    expect(r.fields).toMatchObject({ decisionNumber: "321/QĐ-CCTHADS", decisionDate: "2025-03-05", payerName: "Lê Văn Nam", amount: "5200000" })
    expect(r.fields.paymentDate).toBeUndefined()
  })

  test("no text and unknown documents say so", () => {
    expect(extractFields([{ lines: [] }]).warnings.map((w) => w.code)).toEqual(["no_text"])
    const r = extract("Thực đơn hôm nay\nPhở bò 50.000")
    expect(r.documentType).toBe("unknown")
    expect(r.warnings.map((w) => w.code)).toContain("unknown_document")
    expect(r.fields.amount).toBeUndefined()
  })
})

const confusable = (digits: string, swaps: ReadonlyArray<boolean>) =>
  Array.from(digits).map((d, i) => (swaps[i] ? (d === "0" ? "O" : d === "1" ? "l" : d) : d)).join("")

describe("properties", () => {
  test("any amount printed with dots, with 0/O and 1/l confusions, reads back", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 10n ** 13n }), fc.array(fc.boolean(), { maxLength: 20 }), (n, swaps) => {
        // The leading digit stays real: a lone "l" or "O" is deliberately not read as a number.
        const printed = confusable(formatVndDigits(n), [false, ...swaps])
        expect(readAmount(`${printed} đồng`)?.value).toBe(n)
      }),
      { numRuns: 200 }
    )
  })

  test("the figures agree with their own words and disagree with others' (no false alarms, no misses)", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1000n, max: 10n ** 12n }), fc.bigInt({ min: 1n, max: 10n ** 12n }), (n, m) => {
        const r = extract(slip({ amount: `${formatVndDigits(n)} đồng`, words: amountInWords(m) }))
        expect(r.warnings.some((w) => w.code === "amount_words_mismatch")).toBe(n !== m)
      }),
      { numRuns: 60 }
    )
  })

  test("dates in all three written forms read to the same ISO date", () => {
    fc.assert(
      fc.property(fc.date({ min: new Date("1990-01-01"), max: new Date("2099-12-31"), noInvalidDate: true }), (d) => {
        const iso = d.toISOString().slice(0, 10)
        const [y, m, day] = iso.split("-")
        for (const text of [`ngày ${Number(day)} tháng ${Number(m)} năm ${y}`, `${day}/${m}/${y}`, `${Number(day)}-${Number(m)}-${y}`]) {
          expect(findDates(text).map((f) => f.iso)).toEqual([iso])
        }
      }),
      { numRuns: 100 }
    )
  })

  test("decision numbers with confusions normalise to the canonical form", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 99999 }), fc.constantFrom("CTHADS", "THADS", "CCTHADS"), fc.array(fc.boolean()), (n, agency, swaps) => {
        const printed = `${confusable(String(n), swaps)}/${swaps[0] ? "QD" : "QĐ"}-${agency}`
        expect(findDecisionNumbers(`Theo QĐ số ${printed} ngày`).map((f) => f.value)).toEqual([`${n}/QĐ-${agency}`])
      }),
      { numRuns: 100 }
    )
  })

  test("a 12-digit CCCD with spaces reads back and keeps its check", () => {
    expect(readIdentityNumber("0791 8500 1234")?.value).toBe("079185001234")
    expect(readIdentityNumber("C1234567")?.value).toBe("C1234567")
    expect(readIdentityNumber("không có")).toBeUndefined()
  })
})

describe("province names", () => {
  test("property: every province, its marks stripped or one letter dropped, reads back as itself", () => {
    const names = [...new Set(birthProvinces.map((p) => p.name))]
    fc.assert(
      fc.property(fc.constantFrom(...names), fc.nat(), (name, at) => {
        expect(provinceNamed(stripDiacritics(name))).toBe(name)
        const i = at % name.length
        const dropped = name.slice(0, i) + name.slice(i + 1)
        // Unless dropping the letter spells another province ("Hậu Giang" → "Hậ Giang" is Hà Giang)
        // or leaves it as close to another one (then none is chosen).
        const read = provinceNamed(dropped)
        if (read !== undefined && read !== name) expect(fold(read)).toBe(fold(dropped))
      }),
      { numRuns: 200 }
    )
  })
})
