import { describe, expect, test } from "bun:test"
import fc from "fast-check"
import { extractFields } from "../../domain/extraction/extract.ts"
import { pageFromText } from "../../domain/extraction/ocr-output.ts"
import { readIdentityNumber } from "../../domain/extraction/readers.ts"

describe("readIdentityNumber on faxes", () => {
  test("what is left of a garbled label before the number is not part of it", () => {
    expect(readIdentityNumber("/C-CCD 001156190092", 2026)?.value).toBe("001156190092")
    expect(readIdentityNumber("/C-CCD 0011 5619 0092", 2026)?.value).toBe("001156190092")
    expect(readIdentityNumber("ZICCCD/HC: 068204887094", 2026)?.value).toBe("068204887094")
  })

  test("a word without digits before the number never becomes a passport's letter", () => {
    expect(readIdentityNumber("Nguyễn Văn A 0123456", 2026)?.value).toBe("0123456")
    expect(readIdentityNumber("B1234567", 2026)?.value).toBe("B1234567")
  })

  test("a zero with specks above it (Ö) is a zero, fixed and so less sure", () => {
    const read = readIdentityNumber("Ö68204887094", 2026)
    expect(read?.value).toBe("068204887094")
    expect(read?.fixed).toBe(true)
  })

  test("the label garbled by a fax still gives the number on a treasury slip's row", () => {
    const e = extractFields([pageFromText("GIẤY NỘP TIỀN VÀO NGÂN SÁCH NHÀ NƯỚC\nNgười nộp thuế Kiều Kim Lộc\nSố định danh cá nhân/C-CCD 001156190092")], { currentYear: 2026 })
    expect(e.fields.payerIdNumber).toBe("001156190092")
  })

  test("property: a 12-digit number after any leftover of a label reads back whole", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{12}$/), fc.constantFrom("", "/C-CCD ", "CCCD/HC: ", "/CCCD ", "ZICCCD "), (digits, garble) => {
        expect(readIdentityNumber(`${garble}${digits}`, 2026)?.value).toBe(digits)
      })
    )
  })
})
