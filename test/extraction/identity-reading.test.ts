import { describe, expect, test } from "bun:test"
import fc from "fast-check"
import { decideReading, digitTargets, LONE_READING_CONFIDENCE, readingOf, withDecision } from "../../domain/extraction/ensemble.ts"
import { extractFields } from "../../domain/extraction/extract.ts"
import { pageFromText } from "../../domain/extraction/ocr-output.ts"
import { withoutTrailingSpecks } from "../../domain/extraction/fields/identity-number.ts"
import { readIdentityNumber } from "../../domain/extraction/readers.ts"
import { replaceWords } from "../../domain/extraction/reread.ts"

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

// A faint slip's CCCD read with a thirteenth digit, and its number's words read again under each
// treatment (as adapters/ocr/reread.ts does): the same chain of pure steps the adapter runs.
describe("an identity number whose first reading breaks its rules", () => {
  const options = { currentYear: 2026 }
  const pages = [pageFromText("GIẤY NỘP TIỀN THI HÀNH ÁN\nHọ và tên người nộp tiền: Kiều Kim Lộc\nSố CCCD: 0011561900922\nSố tiền: 2.500.000 đồng")]
  const first = extractFields(pages, options)
  const [target] = digitTargets(pages, first, ["payerIdNumber"])
  const secondOpinions = (texts: ReadonlyArray<string | undefined>) =>
    texts.flatMap((t) => (t === undefined ? [] : [extractFields(replaceWords(pages, target!, [{ text: t, confidence: 0.9 }]), options)]))
  const decide = (texts: ReadonlyArray<string | undefined>) => {
    const others = secondOpinions(texts)
    const decision = decideReading(readingOf(first, "payerIdNumber", 2026), others.map((e) => readingOf(e, "payerIdNumber", 2026)))
    const chosen = decision.kind === "keep" ? undefined : others.find((e) => e.fields.payerIdNumber === decision.value)
    return chosen === undefined || decision.kind === "keep" ? first : withDecision(chosen, "payerIdNumber", decision)
  }

  test("is flagged at first", () => {
    expect(first.fields.payerIdNumber).toBe("0011561900922")
    expect(first.warnings.map((w) => w.code)).toContain("invalid_identity_number")
  })

  test("takes the one valid number a single treatment read, at 0.7 at most", () => {
    const taken = decide(["0011561900922", "001156190092", undefined, "0011561900922"])
    expect(taken.fields.payerIdNumber).toBe("001156190092")
    expect(taken.confidence.payerIdNumber).toBeLessThanOrEqual(LONE_READING_CONFIDENCE)
    expect(taken.warnings.map((w) => w.code)).not.toContain("invalid_identity_number")
  })

  test("takes nothing when two treatments read two different valid numbers", () => {
    expect(decide(["001156190092", "001156190022", undefined, undefined]).fields.payerIdNumber).toBe("0011561900922")
  })

  test("property: whatever the treatments read, the number kept is the first or one that keeps the rules", () => {
    const read = fc.constantFrom<string | undefined>("0011561900922", "001156190092", "001156190022", "0791850012345", "00115619009", undefined)
    fc.assert(
      fc.property(fc.array(read, { maxLength: 4 }), (texts) => {
        const kept = decide(texts)
        if (kept.fields.payerIdNumber === first.fields.payerIdNumber) return
        expect(readIdentityNumber(kept.fields.payerIdNumber!, 2026)?.checked._tag).toBe("Success")
        expect(texts).toContain(kept.fields.payerIdNumber)
      })
    )
  })
})

describe("a speck after the number", () => {
  const slip = (value: string) =>
    extractFields([pageFromText(`GIẤY NỘP TIỀN THI HÀNH ÁN\nNgười nộp tiền: Bùi Xuân Hạnh\nSố định danh cá nhân: ${value}\nSố tiền: 421.000.000 đồng`)], { currentYear: 2026 })

  test("a letter or what is left of the next cell after the digits is not part of the number", () => {
    expect(slip("077195243650 c").fields.payerIdNumber).toBe("077195243650")
    expect(slip("095165801304 | cu |").fields.payerIdNumber).toBe("095165801304")
    expect(withoutTrailingSpecks("077195243650 c")).toBe("077195243650")
    expect(withoutTrailingSpecks("077195243650")).toBeUndefined()
  })

  test("a look-alike letter standing for the last digit is still read as a digit, as before", () => {
    expect(slip("07719524365 O").fields.payerIdNumber).toBe("077195243650")
  })

  test("a look-alike letter after twelve digits that keep the rules is a speck, not a thirteenth digit", () => {
    const e = slip("077195243650 o")
    expect(e.fields.payerIdNumber).toBe("077195243650")
    expect(e.warnings.map((w) => w.code)).not.toContain("invalid_identity_number")
  })

  test("property: a CCCD followed by a word without digits reads as the CCCD", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^0[0-9]{2}[0-3][0-9]{8}$/).filter((d) => readIdentityNumber(d, 2026)?.checked._tag === "Success"), fc.stringMatching(/^[a-zà-ỹ|]{1,3}$/), (digits, speck) => {
        const alone = slip(digits)
        if (alone.warnings.some((w) => w.code === "invalid_identity_number")) return
        expect(slip(`${digits} ${speck}`).fields.payerIdNumber).toBe(digits)
      })
    )
  })
})
