import { describe, expect, test } from "bun:test"
import fc from "fast-check"
import { tidyAddress } from "../../domain/extraction/address.ts"
import { extractFields } from "../../domain/extraction/extract.ts"
import { fold } from "../../domain/extraction/fold.ts"
import { labelData } from "../../domain/extraction/label-data.ts"
import { matchLabels } from "../../domain/extraction/labels.ts"
import type { OcrPage } from "../../domain/extraction/ocr-output.ts"
import { pageFromText } from "../../domain/extraction/ocr-output.ts"

// Every wording a label entry names ("A / B / C (variants)"), as printed.
const examples = labelData.flatMap((e) => e.printed.split(" / ").map((p) => ({ printed: p.replace(/\s*\(.*\)$/u, "").trim(), entry: e })))
const prefixes = ["Theo mẫu C1-02/NS", "Kính gửi Cục THADS", "1.", "(*)", "Ghi chú", "Mục A", "b)"]
const values = ["Nguyễn Văn An", "079185001234", "5.000.000 đồng", "Phường Bến Thành", "12/05/2025"]
const colons = [":", " :", ";", ". "]

const found = (line: string, field: string, at: number, cellStarts?: ReadonlySet<number>) =>
  matchLabels(fold(line), cellStarts === undefined ? {} : { cellStarts }).find((m) => m.field === field && m.start === at)

describe("label data", () => {
  test("every entry names its sources and a field, and each of its wordings is found as that field", () => {
    for (const { printed, entry } of examples) {
      expect(entry.sources.length).toBeGreaterThan(0)
      const m = found(`${printed}: Nguyễn Văn An`, entry.field, 0)
      expect({ printed, field: m?.field }).toEqual({ printed, field: entry.field })
    }
  })

  test("the new labels of real forms are read", () => {
    const cases: ReadonlyArray<readonly [string, string]> = [
      ["Số định danh cá nhân: 079185001234", "payerIdNumber"],
      ["Số định danh cá nhân/CCCD: 079185001234", "payerIdNumber"],
      ["Số CMND/CCCD/Hộ chiếu: 079185001234", "payerIdNumber"],
      ["Số CCCD và Số định danh cá nhân: 079185001234", "payerIdNumber"],
      ["Họ và tên người nộp tiền: Nguyễn Văn An", "payerName"],
      ["Đơn vị/Người nộp: Nguyễn Văn An", "payerName"],
      ["Người nộp thuế: Nguyễn Văn An", "payerName"],
      ["Trú tại: Phường Bến Thành", "payerAddress"],
      ["Số tiền bằng số: 5.000.000", "amount"]
    ]
    for (const [line, field] of cases) expect(matchLabels(fold(line))[0]?.field).toBe(field as never)
  })
})

describe("property: the label matcher", () => {
  test("a label with a colon is found whatever precedes it, and its value starts right after it", () => {
    fc.assert(
      fc.property(fc.constantFrom(...examples), fc.constantFrom(...prefixes), fc.constantFrom(...colons), fc.constantFrom(...values), (ex, prefix, colon, value) => {
        fc.pre(ex.entry.lineStartOnly !== true)
        const line = `${prefix} ${ex.printed}${colon} ${value}`
        const m = found(line, ex.entry.field, fold(prefix).length + 1)
        expect(m).toBeDefined()
        expect(fold(line).slice(m?.valueStart).startsWith(fold(value))).toBe(true)
      }),
      { numRuns: 400 }
    )
  })

  test("without a colon a label is found at the start of the line or of a table cell, never inside a sentence", () => {
    fc.assert(
      fc.property(fc.constantFrom(...examples), fc.constantFrom(...prefixes), fc.constantFrom(...values), (ex, prefix, value) => {
        const at = fold(prefix).length + 1
        expect(found(`${ex.printed} ${value}`, ex.entry.field, 0)).toBeDefined()
        const line = `${prefix} ${ex.printed} ${value}`
        expect(found(line, ex.entry.field, at, new Set([at]))).toBeDefined()
        // After words (not only numbering such as "1." or "(*)") and no cell: a sentence, no label.
        // Labels no sentence holds ("Số CMND") are found anywhere (their own property below).
        if (/\p{L}/u.test(prefix) && ex.entry.anywhere !== true) expect(found(line, ex.entry.field, at)).toBeUndefined()
      }),
      { numRuns: 400 }
    )
  })

  test("a label no sentence holds is found after other text without a colon (two columns, a speck in the gap)", () => {
    fc.assert(
      fc.property(fc.constantFrom(...examples.filter((e) => e.entry.anywhere === true)), fc.constantFrom(...prefixes), fc.constantFrom(...values), (ex, prefix, value) => {
        expect(found(`${prefix} ${ex.printed} ${value}`, ex.entry.field, fold(prefix).length + 1)).toBeDefined()
      }),
      { numRuns: 100 }
    )
  })

  test("a caption in capitals without a colon is no label", () => {
    const r = extractFields([pageFromText("GIẤY NỘP TIỀN\nNGƯỜI NỘP TIỀN NGƯỜI THU TIỀN")])
    expect(r.fields.payerName).toBeUndefined()
  })
})

// A page whose words carry boxes: [text, x0, y0] with 20-pixel letters.
const boxed = (rows: ReadonlyArray<ReadonlyArray<readonly [string, number, number]>>): OcrPage => ({
  lines: rows.map((words) => ({
    words: words.map(([text, x0, y0]) => ({ text, confidence: 0.95, box: { x0, y0, x1: x0 + text.length * 11, y1: y0 + 20 } }))
  }))
})

describe("values away from their labels", () => {
  test("two labels on one line: each value ends where the next label starts", () => {
    const r = extractFields([pageFromText("GIẤY NỘP TIỀN\nHọ tên: Trần Thị Bình Số CCCD: 079185001234\nSố tiền: 5.000.000 đồng")], { currentYear: 2026 })
    expect(r.fields.payerName).toBe("Trần Thị Bình")
    expect(r.fields.payerIdNumber).toBe("079185001234")
  })

  test("a label in a table cell, its value in the next cell read as a line of its own", () => {
    const page = boxed([
      [["GIẤY", 300, 20], ["NỘP", 360, 20], ["TIỀN", 410, 20]],
      [["Người", 40, 100], ["nộp", 110, 100], ["tiền", 160, 100]],
      [["Số", 40, 140], ["định", 75, 140], ["danh", 130, 140], ["cá", 190, 140], ["nhân", 220, 140]],
      [["Lê", 400, 101], ["Thị", 430, 101], ["Hoa", 470, 101]],
      [["079185001234", 400, 141]]
    ])
    const r = extractFields([page], { currentYear: 2026 })
    expect(r.fields.payerName).toBe("Lê Thị Hoa")
    expect(r.fields.payerIdNumber).toBe("079185001234")
  })

  test("a value wrapped in its cell runs on; the next row's value cell does not, whatever its label", () => {
    // Rows 40 to 60 px apart; a value wrapped in its cell, 28 px below its first line.
    const page = boxed([
      [["GIẤY", 300, 20], ["NỘP", 360, 20], ["TIỀN", 410, 20]],
      [["Địa", 40, 100], ["chỉ", 85, 100]],
      [["Nội", 40, 188], ["dung", 85, 188], ["khoản", 140, 188], ["nộp", 210, 188]],
      [["Ghi", 40, 228], ["chú", 85, 228]],
      [["Số", 400, 100], ["5", 430, 100], ["đường", 450, 100], ["Lê", 520, 100], ["Lợi,", 550, 100], ["phường", 600, 100]],
      [["Bến", 400, 128], ["Thành,", 445, 128], ["Thành", 520, 128], ["phố", 585, 128], ["Hồ", 625, 128], ["Chí", 655, 128], ["Minh", 700, 128]],
      [["Nộp", 400, 188], ["tiền", 445, 188], ["thi", 495, 188], ["hành", 530, 188], ["án", 585, 188]],
      [["kèm", 400, 228], ["theo", 445, 228], ["bản", 495, 228], ["sao", 540, 228]]
    ])
    const r = extractFields([page], { currentYear: 2026 })
    expect(r.fields.payerAddress).toBe("Số 5 đường Lê Lợi, phường Bến Thành, Thành phố Hồ Chí Minh")
    expect(r.fields.reason).toBe("Nộp tiền thi hành án")
  })

  test("a transfer's content wrapped in its cell runs on, even with a speck read before it", () => {
    // The wrapped line starts under the memo's first letter, not under the speck ("`") left of it.
    const page = boxed([
      [["GIẤY", 300, 20], ["BÁO", 360, 20], ["CÓ", 410, 20]],
      [["Diễn", 40, 100], ["giải", 95, 100], ["`", 250, 104], ["KIEU", 400, 100], ["TRONG", 450, 100], ["BAO", 520, 100], ["NOP", 560, 100], ["TIEN", 600, 100], ["THA", 650, 100], ["THEO", 690, 100], ["QD", 740, 100]],
      [["2606/QD-THADS", 400, 128]]
    ])
    expect(extractFields([page], { currentYear: 2026 }).fields.reason).toBe("KIEU TRONG BAO NOP TIEN THA THEO QD 2606/QD-THADS")
    // Nor with a rule's "|" read at the table's left edge before the wrapped part.
    const ruled = boxed([...page.lines.slice(0, 2).map((l) => l.words.map((w) => [w.text, w.box?.x0 ?? 0, w.box?.y0 ?? 0] as const)), [["|", 30, 132], ["2606/QD-THADS", 400, 128]]])
    expect(extractFields([ruled], { currentYear: 2026 }).fields.reason).toBe("KIEU TRONG BAO NOP TIEN THA THEO QD 2606/QD-THADS")
  })

  test("a transfer's content listed before its label's line (its cell a little higher) still runs on past that line", () => {
    // As tesseract listed a phone photo's credit advice: the memo's first line, then "Diễn giải", then the wrapped part.
    const page = boxed([
      [["GIẤY", 300, 20], ["BÁO", 360, 20], ["CÓ", 410, 20]],
      [["QUACH", 400, 96], ["DINH", 470, 96], ["LUC", 525, 96], ["NOP", 570, 96], ["TIEN", 615, 96], ["THA", 665, 96], ["THEO", 705, 96], ["QD", 760, 96]],
      [["Diễn", 40, 92], ["giải", 95, 93]],
      [["2458/QD-PTHADS", 400, 124]]
    ])
    expect(extractFields([page], { currentYear: 2026 }).fields.reason).toBe("QUACH DINH LUC NOP TIEN THA THEO QD 2458/QD-PTHADS")
  })

  test("an address wrapped onto a line with a speck read as a colon runs on", () => {
    const page = pageFromText("QUYẾT ĐỊNH\nHọ và tên: Nguyễn Văn An\nNơi cư trú: Số 360 đường Phạm Văn Đồng, phường Long Hương, thành phố Hồ Chí\nMinh. :\nSố tiền: 5.000.000 đồng")
    expect(extractFields([page], { currentYear: 2026 }).fields.payerAddress).toBe("Số 360 đường Phạm Văn Đồng, phường Long Hương, thành phố Hồ Chí Minh")
    // A colon after a word still ends it: the next label's line.
    const next = pageFromText("GIẤY NỘP TIỀN\nĐịa chỉ: Thôn Trung, xã Tam Ngãi\nGhi chú: nộp thay\nSố tiền: 5.000.000 đồng")
    expect(extractFields([next], { currentYear: 2026 }).fields.payerAddress).toBe("Thôn Trung, xã Tam Ngãi")
  })

  test("a label with a colon and its value on the line below", () => {
    const r = extractFields([pageFromText("GIẤY NỘP TIỀN\nĐịa chỉ:\nSố 5 đường Lê Lợi, phường Bến Thành, Thành phố Hồ Chí Minh\nSố tiền: 5.000.000 đồng")])
    expect(r.fields.payerAddress).toBe("Số 5 đường Lê Lợi, phường Bến Thành, Thành phố Hồ Chí Minh")
  })
})

describe("fields stated in a decision's sentences", () => {
  const decision = (body: string) =>
    extractFields([pageFromText([
      "CỤC THI HÀNH ÁN DÂN SỰ THÀNH PHỐ CẦN THƠ",
      "Số: 321/QĐ-CTHADS Cần Thơ, ngày 5 tháng 3 năm 2025",
      "QUYẾT ĐỊNH",
      "Về việc thi hành án",
      "Căn cứ Bản án số 12/2025/DS-ST ngày 2 tháng 1 năm 2025 của Tòa án nhân dân;",
      "QUYẾT ĐỊNH:",
      body,
      "Điều 2. Chấp hành viên có trách nhiệm tổ chức thi hành quyết định này."
    ].join("\n"))], { currentYear: 2026 })

  test("the debtor after \"Cho thi hành án đối với ông/bà:\" and the amount after \"phải nộp\"", () => {
    const r = decision("Điều 1. Cho thi hành án đối với ông/bà: Nguyễn Văn Hùng, sinh năm 1980\nphải nộp số tiền 50.000.000 đồng (Năm mươi triệu đồng).")
    expect(r.fields).toMatchObject({ payerName: "Nguyễn Văn Hùng", amount: "50000000", amountInWords: "Năm mươi triệu đồng", decisionNumber: "321/QĐ-CTHADS" })
  })

  test("\"Buộc bà … phải nộp …\", the sentence broken over two lines", () => {
    const r = decision("Điều 1. Buộc bà Trần Thị Minh Thư phải\nnộp cho ông Lê Văn Tám số tiền 1.250.000.000 đồng.")
    expect(r.fields.payerName).toBe("Trần Thị Minh Thư")
    expect(r.fields.amount).toBe("1250000000")
  })

  test("a labelled value wins over a sentence", () => {
    const r = decision("Điều 1. Cho thi hành án đối với ông Nguyễn Văn Hùng\nNgười phải thi hành án: Phạm Thị Lan\nSố tiền phải thi hành: 7.000.000 đồng")
    expect(r.fields.payerName).toBe("Phạm Thị Lan")
    expect(r.fields.amount).toBe("7000000")
  })
})

describe("labels and values as a fax or a phone leaves them (corpus B seed 70913)", () => {
  test("a vowel read twice with its mark ('cá nhầân') still makes the label, and its value in the column is found", () => {
    expect(found("Số định danh cá nhầân/CCCD", "payerIdNumber", 0)?.valueStart).toBe(fold("Số định danh cá nhầân/CCCD").length)
    // A letter read twice where the label has it once is not enough to make another label.
    expect(matchLabels(fold("Ngày nộp: 25/03/2026")).map((m) => m.field)).not.toContain("payerIdNumber")
  })

  test("a speck before HC read as a letter ('CMND/CCCD/IHC;') leaves the identity label whole, mid-line after the name", () => {
    const e = extractFields(
      [pageFromText(["GIẤY NỘP TIỀN", "Họ và tên người nộp tiền: Nguyễn Bảo Tài Số CMND/CCCD/IHC; 220509450", "Số tiền bằng số: 4.207.000.000 VND"].join("\n"))],
      { currentYear: 2026 }
    )
    expect(e.fields.payerIdNumber).toBe("220509450")
    expect(e.fields.payerName).toBe("Nguyễn Bảo Tài")
  })

  test("a decision's agency code with a mark on it, and QĐ read as two signs, are read and marked as repaired", () => {
    const memo = extractFields([pageFromText(["GIẤY BÁO CÓ", "Số tiền: 5.000.000 đồng", "Diễn giải: TRINH CONG MAN NOP TIEN THA THEO QD 497/QD-CTHÁDS"].join("\n"))], { currentYear: 2026 })
    expect(memo.fields.decisionNumber).toBe("497/QĐ-CTHADS")
    const slip = extractFields(
      [pageFromText(["GIẤY NỘP TIỀN VÀO NGÂN SÁCH NHÀ NƯỚC", "Số tiền: 52.010.000 đồng", "“Theo Quyết định sô 1557/Q0P-THADS ngày 26/02/2026"].join("\n"))],
      { currentYear: 2026 }
    )
    expect(slip.fields.decisionNumber).toBe("1557/QĐ-THADS")
    expect(slip.fields.decisionDate).toBe("2026-02-26")
    const clean = extractFields(
      [pageFromText(["GIẤY NỘP TIỀN VÀO NGÂN SÁCH NHÀ NƯỚC", "Số tiền: 52.010.000 đồng", "Theo Quyết định số 1557/QĐ-THADS ngày 26/02/2026"].join("\n"))],
      { currentYear: 2026 }
    )
    // The repaired reading is less sure than the one printed clean.
    expect(slip.confidence.decisionNumber ?? 1).toBeLessThan(clean.confidence.decisionNumber ?? 0)
  })
})

describe("'Số' read 'Sũ', '5ố' or '5u' before a label's next word (corpus B seed 49)", () => {
  test("the identity label is found mid-line after a name in capitals, and the name ends before it", () => {
    const e = extractFields(
      [pageFromText(["GIẤY BÁO CÓ", "Tên tài khoản chuyển: DOAN KIM XUYEN Sũ định danh cá nhân - 017157920774", "Số tiền: 5.000.000 đồng", "Nội dung: NOP TIEN THA THEO QD 12/QD-THADS"].join("\n"))],
      { currentYear: 2026 }
    )
    expect(e.fields.payerName).toBe("DOAN KIM XUYEN")
    expect(e.fields.payerIdNumber).toBe("017157920774")
    for (const read of ["Sũ tiền: 5.000.000 đồng", "5ố tiền: 5.000.000 đồng", "5u tham chiếu: FT123456789"]) expect(matchLabels(fold(read)).length).toBe(1)
    // The "Số" lost altogether on a photo (corpus B seed 51): "định danh cá nhân" alone is the label.
    const lost = extractFields(
      [pageFromText(["GIẤY NỘP TIỀN VÀO NGÂN SÁCH NHÀ NƯỚC", "Người nộp thuế: Hà Đình Xuyến định danh cá nhân CCCD 031064787218", "Số tiền: 5.000.000 đồng"].join("\n"))],
      { currentYear: 2026 }
    )
    expect([lost.fields.payerName, lost.fields.payerIdNumber]).toEqual(["Hà Đình Xuyến", "031064787218"])
    // "sự" before a word that opens no label stays what it is.
    expect(matchLabels(fold("Nộp tiền thi hành án dân sự theo bản án")).filter((m) => m.field !== "other")).toEqual([])
  })
})

describe("what a fresh evaluation seed's faxes taught (corpus B seed 86843)", () => {
  test("QĐ's Q read O before an office's code, a speck glued after the code: the number is read, repaired", () => {
    const memo = extractFields([pageFromText(["GIẤY BÁO CÓ", "Số tiền: 5.000.000 đồng", "Diễn giải: DINH TRONG UYEN NOP TIEN THA THEO QD 1222/OD-PTHADS"].join("\n"))], { currentYear: 2026 })
    expect(memo.fields.decisionNumber).toBe("1222/QĐ-PTHADS")
    expect(memo.fields.reason).toBe("DINH TRONG UYEN NOP TIEN THA THEO QD 1222/QD-PTHADS")
    const slip = extractFields([pageFromText(["GIẤY NỘP TIỀN VÀO NGÂN SÁCH NHÀ NƯỚC", "Số tiền: 5.000.000 đồng", "Theo Quyết định số 253/QĐ-THADSN ngày 26/02/2026"].join("\n"))], { currentYear: 2026 })
    expect(slip.fields.decisionNumber).toBe("253/QĐ-THADS")
    // An O before D with no enforcement office's code after it is not a decision number.
    expect(extractFields([pageFromText(["GIẤY BÁO CÓ", "Số tiền: 5.000.000 đồng", "Diễn giải: 12/OD-XYZ"].join("\n"))], { currentYear: 2026 }).fields.decisionNumber).toBeUndefined()
  })

  test("the amount's row run on after the province on a fax ('56 tiền ghỉ cú'): the address ends at the province, the amount is found", () => {
    // As the fax's lines came: the address wrapped, then the amount's row with "Số" read "56".
    const e = extractFields(
      [pageFromText(["GIẤY BÁO CÓ", "Địa chỉ người chuyển Số 372 đường Bạch Đằng, xã Văn Kiều, tỉnh", "Nghệ An", "56 tiền ghỉ cú 50,010,000,000 VND"].join("\n"))],
      { currentYear: 2026 }
    )
    expect(e.fields.payerAddress).toBe("Số 372 đường Bạch Đằng, xã Văn Kiều, tỉnh Nghệ An")
    expect(e.fields.amount).toBe("50010000000")
    // Had the row run on into the address all the same, the address ends at its province.
    expect(tidyAddress("Số 372 đường Bạch Đằng, xã Văn Kiều, tỉnh Nghệ An 56 tiền ghỉ cú 50,010,000,000 VND")).toBe("Số 372 đường Bạch Đằng, xã Văn Kiều, tỉnh Nghệ An")
    // Words without figures after a province are not cut by this rule.
    expect(tidyAddress("Số 1 đường Lê Lợi, tỉnh Nghệ An xyz")).not.toBe("Số 1 đường Lê Lợi, tỉnh Nghệ An")
    // A modifier letter standing alone in an address is a speck.
    const speck = extractFields([pageFromText(["GIẤY BÁO CÓ", "Địa chỉ: Số 215 đường Lạc Long Quân, xã Cát Tiên 3, tỉnh ˆ Lâm Đồng"].join("\n"))], { currentYear: 2026 })
    expect(speck.fields.payerAddress).toBe("Số 215 đường Lạc Long Quân, xã Cát Tiên 3, tỉnh Lâm Đồng")
  })
})
