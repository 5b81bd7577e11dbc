import { describe, expect, test } from "bun:test"
import fc from "fast-check"
import { extractFields } from "../../domain/extraction/extract.ts"
import { correctCapitalName, correctCapitals, correctMemo, memoPayerName } from "../../domain/extraction/gazetteer/correct-memo.ts"
import { correctReason } from "../../domain/extraction/gazetteer/correct-words.ts"
import { isSpeck, ligatureReading, mendDecisionDashes } from "../../domain/extraction/gazetteer/fragments.ts"
import { memoWords, plainNameWords } from "../../domain/extraction/gazetteer/memo-words.ts"
import { correctByPairs, knownPair } from "../../domain/extraction/gazetteer/reason-phrases.ts"
import { mendMemoPhrases } from "../../domain/extraction/gazetteer/memo-phrases.ts"
import { reasonWords } from "../../domain/extraction/gazetteer/reason-words.ts"
import { pageFromText } from "../../domain/extraction/ocr-output.ts"

const MEMO = "words of transfer contents, without marks"
const REASON = "payment-reason words"

const receipt = (reason: string) =>
  extractFields([pageFromText(["BIÊN LAI THU TIỀN", "Họ tên người nộp: Lê Văn An", "Số tiền: 5.000.000 đồng", `Nội dung: ${reason}`].join("\n"))], {
    currentYear: 2026
  })

describe("fragments inside a reason with marks", () => {
  test("a word split in two, one piece no word, is joined when together they are a reason word", () => {
    expect(correctReason("N ộp tiền bồi thường")).toEqual({ value: "Nộp tiền bồi thường", corrections: [{ from: "N ộp", to: "Nộp", against: REASON }] })
    expect(correctReason("Nộp ti ền án phí").value).toBe("Nộp tiền án phí")
    // Neither piece a word: together a reason word with a slipped mark.
    expect(correctReason("N ốp tiền án phí").value).toBe("Nộp tiền án phí")
    // Two reason words are never joined, whatever they make.
    expect(correctReason("Nộp tiền thi hành án").corrections).toEqual([])
  })

  test("a speck or a stray letter between two words is dropped, a letter that may be a word is not", () => {
    expect(correctReason("Nộp tiền ' án phí")).toEqual({ value: "Nộp tiền án phí", corrections: [{ from: "' án", to: "án", against: REASON }] })
    expect(correctReason("Nộp tiền án phí ' |").corrections).toEqual([{ from: "phí ' |", to: "phí", against: REASON }])
    // Short scraps after the last reason word (a seal's strokes), not a name's initial after a name.
    expect(correctReason("Nộp tiền án phí hình sự sơ thẩm co U").value).toBe("Nộp tiền án phí hình sự sơ thẩm")
    expect(correctReason("Nộp tiền án phí hình sự sơ thẩm c").value).toBe("Nộp tiền án phí hình sự sơ thẩm")
    expect(correctReason("Nộp tiền thay ông Lê Văn A").corrections).toEqual([])
    expect(correctReason("Nộp tiền trả nợ vay NH").corrections).toEqual([])
    // A stray "l" before a reason word is dropped, not joined into "lần".
    expect(correctReason("Nộp tiền l án phí").value).toBe("Nộp tiền án phí")
    // "a" may be a Vietnamese word: it stays; a dash may stand alone in a real reason.
    expect(correctReason("Nộp tiền a án phí").corrections).toEqual([])
    expect(correctReason("Nộp tiền án phí - lệ phí").corrections).toEqual([])
    // A capital after a capitalised word may be a name's initial.
    expect(correctReason("Nguyễn Văn B nộp tiền án phí").corrections).toEqual([])
  })

  test("the field reports each mend as a correction with what was read", () => {
    const r = receipt("N ộp tiền : bồi thường")
    expect(r.fields.reason).toBe("Nộp tiền bồi thường")
    expect(r.warnings.filter((w) => w.code === "corrected" && w.field === "reason").map((w) => [w.original, w.corrected])).toEqual([
      ["N ộp", "Nộp"],
      [": bồi", "bồi"]
    ])
  })
})

describe("fragments inside a memo in capitals", () => {
  test("lower-case junk and specks between words are dropped, with the word after them", () => {
    expect(correctMemo("NOP TIEN THA THEO QD Oc 1431/QD-THADS")).toEqual({
      value: "NOP TIEN THA THEO QD 1431/QD-THADS",
      corrections: [{ from: "Oc 1431/QD-THADS", to: "1431/QD-THADS", against: MEMO }]
    })
    expect(correctMemo("NOP TIEN . THA THEO QD 12/QD-THADS").value).toBe("NOP TIEN THA THEO QD 12/QD-THADS")
    // After the last word too: a table's rule read as "|".
    expect(correctMemo("NOP TIEN THA THEO QD 1334/QD- CTHADS |").value).toBe("NOP TIEN THA THEO QD 1334/QD-CTHADS")
    // A word read partly in lower case that is a memo word is not junk; "A" may be a word (a name's).
    expect(correctMemo("NOP TIEN THEO Ba 12/2025").value).toBe("NOP TIEN THEO Ba 12/2025")
    expect(correctMemo("NGUYEN VAN A NOP TIEN").corrections).toEqual([])
    expect(correctMemo("NGUYEN VAN B NOP TIEN").corrections).toEqual([])
    expect(correctMemo("NOP TIEN THEO QD N 12/QD-THADS").value).toBe("NOP TIEN THEO QD 12/QD-THADS")
  })

  test("a name word split off a lone letter is joined in the name, not where the letter is a word of its own", () => {
    expect(correctCapitalName("TRAN VAN NGHI A").value).toBe("TRAN VAN NGHIA")
    const memo = correctMemo("TRAN VAN NGHI A NOP TIEN THA THEO QD 1431/QD-PTHADS")
    expect(memo.value).toBe("TRAN VAN NGHIA NOP TIEN THA THEO QD 1431/QD-PTHADS")
    expect(memo.corrections).toEqual([{ from: "NGHI A", to: "NGHIA", against: "Vietnamese middle and given names, without marks" }])
    expect(memoPayerName("TRAN VAN NGHI A NOP TIEN THA")).toBe("TRAN VAN NGHIA")
    // "VAN A" is no split word: "VANA" is none.
    expect(correctCapitalName("NGUYEN VAN A").value).toBe("NGUYEN VAN A")
  })

  test("a decision number's doubled or spaced dash is one dash; œ is read for the Q it stands for", () => {
    expect(correctMemo("NOP TIEN THI HANH AN THEO QD 1431/QD- -CCTHADS").value).toBe("NOP TIEN THI HANH AN THEO QD 1431/QD-CCTHADS")
    expect(mendDecisionDashes("QD 12/QD - THADS", "x").value).toBe("QD 12/QD-THADS")
    expect(mendDecisionDashes("QD 12/QD-THADS NGAY 12-05", "x").corrections).toEqual([])
    expect(correctMemo("NOP TIEN THA THEO QD 1431/œD-CCTHADS")).toEqual({
      value: "NOP TIEN THA THEO QD 1431/QD-CCTHADS",
      corrections: [{ from: "1431/œD-CCTHADS", to: "1431/QD-CCTHADS", against: MEMO }]
    })
    // Where neither reading or both give words, the token stays.
    expect(ligatureReading("XœZ", (w) => memoWords.has(w))).toBeUndefined()
  })

  test("specks are signs alone, never a dash, a slash or a figure", () => {
    for (const s of [".", "'", "`", "~", ":", "‘", "."]) expect(isSpeck(s)).toBe(true)
    for (const s of ["-", "/", "–", "(", "12", "a", "Đ"]) expect(isSpeck(s)).toBe(false)
  })
})

// Texts made of vocabulary words, with fragments of the kinds above mixed in.
const reasonText = fc.array(fc.constantFrom(...reasonWords), { minLength: 1, maxLength: 8 }).map((w) => w.join(" "))
const memoText = fc.array(fc.constantFrom(...memoWords), { minLength: 1, maxLength: 8 }).map((w) => w.join(" "))
const withFragments = (text: fc.Arbitrary<string>) =>
  fc.tuple(text, fc.array(fc.tuple(fc.nat(), fc.constantFrom(".", "'", "l", "Oc", "A", "N", "`", ":", "r")), { maxLength: 3 }), fc.nat()).map(([t, inserts, cut]) => {
    const tokens = t.split(" ")
    for (const [at, f] of inserts) tokens.splice(at % (tokens.length + 1), 0, f)
    // A word split in two pieces.
    const i = cut % tokens.length
    const w = tokens[i] ?? ""
    if (w.length > 2) tokens.splice(i, 1, w.slice(0, 1), w.slice(1))
    return tokens.join(" ")
  })

describe("properties of the fragment rules", () => {
  test("a text made only of vocabulary words is never changed (but for a word that pairs with neither neighbour, reason-phrases.ts)", () => {
    fc.assert(fc.property(reasonText, (t) => {
      const r = correctReason(t)
      for (const c of r.corrections) expect(c.against).toBe("word pairs of payment reasons")
      if (r.corrections.length === 0) expect(r.value).toBe(t)
    }))
    fc.assert(fc.property(memoText, (t) => expect(correctCapitals(t, memoWords, MEMO)).toEqual({ value: t, corrections: [] })))
  })

  test("every change is reported with text that was read, and correcting again changes nothing", () => {
    const check = (correct: (t: string) => { readonly value: string; readonly corrections: ReadonlyArray<{ readonly from: string; readonly to: string }> }) => (t: string) => {
      const once = correct(t)
      if (once.value !== t) expect(once.corrections.length).toBeGreaterThan(0)
      // What each correction says was read is what was read, or what an earlier one made of it.
      const seen = new Set([...t.split(" "), ...once.corrections.flatMap((c) => c.to.split(" "))])
      for (const c of once.corrections) for (const w of c.from.split(" ")) expect(seen.has(w)).toBe(true)
      expect(correct(once.value).value).toBe(once.value)
    }
    fc.assert(fc.property(withFragments(reasonText), check(correctReason)))
    fc.assert(fc.property(withFragments(memoText), check((t) => correctCapitals(t, memoWords, MEMO))))
  })
})

describe("word pairs of payment reasons, corrected until nothing changes", () => {
  test("a word corrected into a pair can make its neighbour the one slip that pairs; correcting again changes nothing", () => {
    // Found by the property above: one pass made "cho phí lao", a second "chi phí lao".
    const once = correctReason("c ho chi lao nộp")
    expect(once.value).toBe("chi phí lao nộp")
    expect(once.corrections.map((c) => [c.from, c.to])).toEqual([["c ho", "cho"], ["chi", "phí"], ["cho", "chi"]])
    expect(correctReason(once.value)).toEqual({ value: once.value, corrections: [] })
  })

  test("property: correcting by pairs is idempotent and a word in a known pair is never changed", () => {
    const words = fc.array(fc.constantFrom(...reasonWords), { minLength: 1, maxLength: 8 })
    fc.assert(fc.property(words, (w) => {
      const once = correctByPairs(w)
      expect(correctByPairs(once.words)).toEqual({ words: once.words, corrections: [] })
      for (let i = 0; i < w.length; i++) {
        const pairs = (a: string | undefined, b: string | undefined) => a !== undefined && b !== undefined && knownPair(a, b)
        if (pairs(w[i - 1], w[i]) || pairs(w[i], w[i + 1])) expect(once.words[i]).toBe(w[i])
      }
    }), { numRuns: 500 })
  })
})

describe("a name word split off at the end of a name in capitals", () => {
  const advice = (name: string) =>
    extractFields([pageFromText(["GIẤY BÁO CÓ", `Tên tài khoản chuyển: ${name}`, "Số tiền: 5.000.000 đồng", "Nội dung: NOP TIEN THI HANH AN THEO QD 1431/QD-CCTHADS"].join("\n"))], {
      currentYear: 2026
    })

  test("its last letter is joined back, and the join is reported; a lone initial is still a speck", () => {
    const split = advice("TRAN VAN NGHI A")
    expect(split.fields.payerName).toBe("TRAN VAN NGHIA")
    expect(split.warnings).toContainEqual(expect.objectContaining({ code: "corrected", field: "payerName", original: "NGHI A", corrected: "NGHIA" }))
    expect(advice("TRAN VAN NGHIA").fields.payerName).toBe("TRAN VAN NGHIA")
    // "B" makes no name word with "THI": a speck, dropped as before.
    expect(advice("LE THI B").fields.payerName).toBe("LE THI")
  })

  test("property: no lone letter is left in a name in capitals: joined into a name word, or dropped as a speck", () => {
    const names = [...memoWords].filter((w) => /^[A-Z]{2,}$/.test(w)).slice(0, 400)
    // A letter that is a given name of its own ("Y") may stand alone: "DU Y" is two name words, as printed.
    const letters = [..."ABCDEGHIKLMNOPQRSTUVXY"].filter((l) => !plainNameWords.has(l))
    expect(letters).not.toContain("Y")
    expect(advice("LE DU Y").fields.payerName).toBe("LE DU Y")
    fc.assert(fc.property(fc.array(fc.constantFrom(...names), { minLength: 2, maxLength: 4 }), fc.constantFrom(...letters), (words, letter) => {
      const name = advice(`${words.join(" ")} ${letter}`).fields.payerName ?? ""
      // No name at all (words that are no name, "SOC CMND") leaves no lone letter either.
      expect(name.split(" ").filter((w) => w !== "").every((w) => w.length > 1)).toBe(true)
    }))
  })
})

/** A bank's credit advice whose transfer content is `memo`, through the extractor. */
const memoAdvice = (memo: string) =>
  extractFields([pageFromText(["GIẤY BÁO CÓ", "Số tiền: 5.000.000 đồng", `Nội dung: ${memo}`].join("\n"))], { currentYear: 2026 })

describe("a decision number's figures and slash as printed", () => {
  test("look-alike figures and an odd or doubled slash are mended, reported; the decision is found", () => {
    const memo = correctMemo("CHAU THI MY THU NOP TIEN THA THEO QD s23/QD-PTHADS")
    expect(memo.value).toBe("CHAU THI MY THU NOP TIEN THA THEO QD 523/QD-PTHADS")
    expect(memo.corrections).toContainEqual({ from: "s23/QD", to: "523/QD", against: MEMO })
    expect(correctMemo("NOP TIEN THA THEO QD 2643⁄/QD-CTHADS").value).toBe("NOP TIEN THA THEO QD 2643/QD-CTHADS")
    expect(correctReason("Nộp tiền theo Quyết định số 1O23//QĐ-CTHADS").value).toBe("Nộp tiền theo Quyết định số 1023/QĐ-CTHADS")
    const advice = memoAdvice("NOP TIEN THA THEO QD s23/QD-PTHADS")
    expect(advice.fields.decisionNumber).toBe("523/QĐ-PTHADS")
    expect(advice.fields.reason).toBe("NOP TIEN THA THEO QD 523/QD-PTHADS")
  })

  test("the space before the number lost or read a figure late ('QD1166/QD', 'QD1 166/QD'): the figures stay the number's (corpus A seed 67219)", () => {
    for (const memo of ["NOP TIEN THI HANH AN THEO QD1 166/QD-THADS", "NOP TIEN THI HANH AN THEO QD1166/QD-THADS"]) {
      expect(correctMemo(memo).value).toBe("NOP TIEN THI HANH AN THEO QD 1166/QD-THADS")
      const advice = memoAdvice(memo)
      expect(advice.fields.decisionNumber).toBe("1166/QĐ-THADS")
      expect(advice.fields.reason).toBe("NOP TIEN THI HANH AN THEO QD 1166/QD-THADS")
      // Mended, so less sure than the number printed apart.
      expect(advice.confidence.decisionNumber ?? 1).toBeLessThan(memoAdvice("NOP TIEN THI HANH AN THEO QD 1166/QD-THADS").confidence.decisionNumber ?? 0)
    }
    expect(correctMemo("NOP TIEN THI HANH AN THEO QD1 166/QD-THADS").corrections).toContainEqual({ from: "QD1 166", to: "QD 1166", against: MEMO })
    // A speck between the word and the number, read as a sign (corpus B seed 49).
    expect(correctMemo("LA THI MY GIANG NOP TIEN THA THEO QD - 2847/QD-THADS")).toEqual({
      value: "LA THI MY GIANG NOP TIEN THA THEO QD 2847/QD-THADS",
      corrections: [{ from: "QD -", to: "QD", against: MEMO }]
    })
    // A word and figures with no decision number after them are no such case.
    expect(correctMemo("NOP TIEN QD1 LAN 2").value).toBe("NOP TIEN QD LAN 2")
  })

  test("a number with fewer than two real digits, or figures that are a word, stays as read", () => {
    for (const text of ["NOP TIEN THEO QD s/QD-CTHADS", "THEO QD SO/QD-CTHADS", "Số 23/QĐ-CTHADS", "NOP TIEN THEO QD 1431/QD-CCTHADS"]) {
      expect(mendDecisionDashes(text, MEMO)).toEqual({ value: text, corrections: [] })
    }
  })

  test("property: mending is idempotent, and a number printed right is never changed", () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 99999 }), fc.constantFrom("CTHADS", "CCTHADS", "PTHADS"), (n, office) => {
      const text = `NOP TIEN THEO QD ${n}/QD-${office}`
      expect(mendDecisionDashes(text, MEMO)).toEqual({ value: text, corrections: [] })
      const slipped = `NOP TIEN THEO QD ${String(n).replace(/5/g, "s").replace(/0/g, "O")}⁄/QD-${office}`
      const once = mendDecisionDashes(slipped, MEMO).value
      expect(mendDecisionDashes(once, MEMO).value).toBe(once)
    }))
  })

  test("two words run together with a letter read twice are split, when only one reading gives words", () => {
    const memo = correctMemo("QUACH BAO NGHIA NOPTIEEN THA THEO QD 2295/QD-PTHADS")
    expect(memo.value).toBe("QUACH BAO NGHIA NOP TIEN THA THEO QD 2295/QD-PTHADS")
    expect(memo.corrections).toContainEqual({ from: "NOPTIEEN", to: "NOP TIEN", against: MEMO })
  })
})

describe("memo words a speck joined, and a QĐ read QU", () => {
  test("'THEO.QD' set apart, '1979/QU-' read as QD, each reported; the decision is found", () => {
    const memo = correctMemo("LA TRONG TAI NOP TIEN THA THEO.QD 612/QD-PTHADS")
    expect(memo.value).toBe("LA TRONG TAI NOP TIEN THA THEO QD 612/QD-PTHADS")
    expect(memo.corrections).toContainEqual({ from: "THEO.QD", to: "THEO QD", against: MEMO })
    expect(correctMemo("NOP TIEN THA THEO QD 1979/QU-CTHADS").value).toBe("NOP TIEN THA THEO QD 1979/QD-CTHADS")
    expect(correctReason("Nộp tiền theo Quyết định số 1979/QU-CTHADS").value).toBe("Nộp tiền theo Quyết định số 1979/QĐ-CTHADS")
    const advice = memoAdvice("NOP TIEN THA THEO QD 1979/QU-CTHADS")
    expect(advice.fields.decisionNumber).toBe("1979/QĐ-CTHADS")
    // Not before a word: "12/QUAN" is no decision.
    expect(correctMemo("NOP TIEN THEO QD 12/QUAN").value).toBe("NOP TIEN THEO QD 12/QUAN")
  })
})

describe("specks a fax leaves around labels and names", () => {
  const advice = (...lines: ReadonlyArray<string>) =>
    extractFields([pageFromText(["GIẤY BÁO CÓ", ...lines, "Số tiền ghi có 7,507,000,000 VND"].join("\n"))], { currentYear: 2026 })

  test("a hyphen between two words of a label ('Số định-danh cá nhân') is read as the space it stands for", () => {
    expect(advice('Số định-danh cá nhân "054181137374').fields.payerIdNumber).toBe("054181137374")
  })

  test("a label ending in a speck has its value in the next line, as one ending bare; a leader is still a blank", () => {
    expect(advice("Số định danh cá nhân: .", "054181137374").fields.payerIdNumber).toBe("054181137374")
    expect(advice("Số định danh cá nhân:", "054181137374").fields.payerIdNumber).toBe("054181137374")
    expect(advice("Số định danh cá nhân: ..........", "054181137374").fields.payerIdNumber).toBeUndefined()
  })

  test("a speck before a name ('ˆ. KIEU CONG ANH') is no part of it and does not end it", () => {
    expect(advice("Tên tài khoản chuyển ˆ. KIEU CONG ANH").fields.payerName).toBe("KIEU CONG ANH")
  })
})

describe("a set phrase's word split with a letter read twice (corpus A seed 67219)", () => {
  test("'THI HA ANH AN' is 'THI HANH AN', reported; 'HA ANH' in a name is left", () => {
    expect(correctMemo("NOP TIEN THI HA ANH AN THEO QD 246/QD-THADS")).toEqual({
      value: "NOP TIEN THI HANH AN THEO QD 246/QD-THADS",
      corrections: [{ from: "HA ANH", to: "HANH", against: MEMO }]
    })
    expect(correctMemo("NGUYEN HA ANH NOP TIEN THA THEO QD 246/QD-THADS").corrections).toEqual([])
  })

  test("property: a phrase's word split anywhere, with or without its letter read twice, is mended; mending again changes nothing", () => {
    fc.assert(
      fc.property(fc.constantFrom("HANH", "TIEN", "PHI", "BOI", "THUONG", "CHAM", "DAN"), fc.nat(), fc.boolean(), (word, at, twice) => {
        const phrase = ["NOP TIEN THI HANH AN DAN SU", "NOP TIEN AN PHI", "TIEN BOI THUONG", "LAI CHAM THI HANH AN"].find((p) => p.split(" ").slice(1, -1).includes(word)) ?? ""
        // Read twice, the letter before the split starts the second piece: split after the first letter, that piece is the word.
        const cut = twice ? 2 + (at % (word.length - 2)) : 1 + (at % (word.length - 1))
        const split = `${word.slice(0, cut)} ${twice ? word[cut - 1] : ""}${word.slice(cut)}`
        const read = phrase.split(" ").map((w) => (w === word ? split : w)).join(" ")
        const once = mendMemoPhrases(read, MEMO)
        expect(once.value).toBe(phrase)
        expect(mendMemoPhrases(once.value, MEMO).corrections).toEqual([])
      })
    )
  })
})
