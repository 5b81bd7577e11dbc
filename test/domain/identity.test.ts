import { describe, expect, test } from "bun:test"
import { Result, Schema } from "effect"
import fc from "fast-check"
import {
  CccdString,
  IdentityNumberString,
  InvalidIdentityNumber,
  maskIdentityNumber,
  normalizeIdentityNumber,
  taxCodeCheckDigit,
  validateCccd,
  validateCmnd,
  validateIdentityNumber,
  validatePassport,
  validateTaxCode
} from "../../domain/identity.ts"
import { birthProvinceName, birthProvinces } from "../../domain/provinces.ts"
import {
  expectedTaxCheck,
  unofficialProvinceCccdArbitrary,
  validCccdArbitrary,
  validCmndArbitrary,
  validIdentityArbitrary,
  validPassportArbitrary,
  validTaxBaseArbitrary,
  validTaxCodeArbitrary,
  withFormattingNoise,
  wrongLengthDigitsArbitrary
} from "./identity.arbitraries.ts"

const runs = { numRuns: 300 }

const ok = <A, E>(result: Result.Result<A, E>): A => {
  if (Result.isFailure(result)) throw new Error(`expected success, got ${String(result.failure)}`)
  return result.success
}

const err = <A>(result: Result.Result<A, InvalidIdentityNumber>): InvalidIdentityNumber => {
  if (Result.isSuccess(result)) throw new Error(`expected failure, got ${JSON.stringify(result.success)}`)
  return result.failure
}

describe("birth-registration province list", () => {
  // Annex 1 of Circular 07/2016/TT-BCA, restated here so a slip in
  // domain/provinces.ts cannot agree with itself.
  const official =
    "001 002 004 006 008 010 011 012 014 015 017 019 020 022 024 025 026 027 030 031 033 034 035 036 037 038 " +
    "040 042 044 045 046 048 049 051 052 054 056 058 060 062 064 066 067 068 070 072 074 075 077 079 080 082 " +
    "083 084 086 087 089 091 092 093 094 095 096"

  test("holds exactly the 63 official codes, in order", () => {
    expect(birthProvinces.map((p) => p.code).join(" ")).toBe(official)
  })

  test("names the provinces as the circular does", () => {
    expect(birthProvinceName("001")).toBe("Hà Nội")
    expect(birthProvinceName("031")).toBe("Hải Phòng")
    expect(birthProvinceName("046")).toBe("Thừa Thiên Huế")
    expect(birthProvinceName("048")).toBe("Đà Nẵng")
    expect(birthProvinceName("077")).toBe("Bà Rịa - Vũng Tàu")
    expect(birthProvinceName("079")).toBe("Hồ Chí Minh")
    expect(birthProvinceName("092")).toBe("Cần Thơ")
    expect(birthProvinceName("096")).toBe("Cà Mau")
    expect(new Set(birthProvinces.map((p) => p.name)).size).toBe(63)
  })

  test("knows no code in the gaps", () => {
    for (const code of ["000", "003", "005", "013", "028", "039", "078", "097", "099"]) {
      expect(birthProvinceName(code)).toBeUndefined()
    }
  })
})

describe("CCCD", () => {
  test("decodes a Ho Chi Minh City man born in 2003", () => {
    expect(ok(validateCccd("079203001234"))).toEqual({
      kind: "cccd",
      value: "079203001234",
      provinceCode: "079",
      provinceName: "Hồ Chí Minh",
      gender: "male",
      birthYear: 2003
    })
  })

  test("decodes a Hanoi woman born in 1985 and a Nam Định woman born in 2005", () => {
    const hanoi = ok(validateCccd("001185012345"))
    expect([hanoi.provinceName, hanoi.gender, hanoi.birthYear]).toEqual(["Hà Nội", "female", 1985])
    const namDinh = ok(validateCccd("036305000123"))
    expect([namDinh.provinceName, namDinh.gender, namDinh.birthYear]).toEqual(["Nam Định", "female", 2005])
  })

  test("accepts the groups people type: spaces, dots, dashes", () => {
    expect(ok(validateCccd(" 079 203 001 234 ")).value).toBe("079203001234")
    expect(ok(validateCccd("079.203.001.234")).value).toBe("079203001234")
    expect(ok(validateCccd("079-203-001234")).value).toBe("079203001234")
  })

  test("rejects province codes off the official list", () => {
    const e = err(validateCccd("099203001234"))
    expect([e.kind, e.rule, e.input]).toEqual(["cccd", "province_code", "099203001234"])
    expect(e.message).toBe('CCCD 099203001234: province code "099" is not on the official list')
    expect(err(validateCccd("000203001234")).rule).toBe("province_code")
    expect(err(validateCccd("003203001234")).rule).toBe("province_code")
  })

  test("rejects a century digit meaning the 1800s", () => {
    const e = err(validateCccd("079803001234"))
    expect(e.rule).toBe("century_gender")
    expect(e.message).toContain('century digit "8"')
    expect(err(validateCccd("079903001234")).rule).toBe("century_gender")
  })

  test("reads the later centuries and rejects births after the current year", () => {
    expect(ok(validateCccd("079430001234")).birthYear).toBe(2130)
    expect(ok(validateCccd("079725001234")).gender).toBe("female")
    const future = err(validateCccd("079430001234", { currentYear: 2025 }))
    expect(future.rule).toBe("birth_year")
    expect(future.message).toContain("2130")
    expect(err(validateCccd("079226001234", { currentYear: 2025 })).rule).toBe("birth_year")
    // A newborn gets a number in the year of birth.
    expect(ok(validateCccd("079225001234", { currentYear: 2025 })).birthYear).toBe(2025)
  })

  test("rejects 11 and 13 digits, naming the count", () => {
    const short = err(validateCccd("07920300123"))
    expect([short.rule, short.message]).toEqual(["length", "CCCD 07920300123: has 11 digits, a CCCD has 12"])
    expect(err(validateCccd("0792030012345")).message).toContain("has 13 digits")
  })

  test("rejects letters, pointing at the first one (OCR reads 0 as O)", () => {
    const e = err(validateCccd("07920300123O"))
    expect(e.rule).toBe("characters")
    expect(e.message).toContain('character "O" at position 12')
  })

  test("rejects an empty or blank input", () => {
    expect(err(validateCccd("")).rule).toBe("empty")
    expect(err(validateCccd(" . ")).rule).toBe("empty")
  })

  test("every generated CCCD validates and decodes to what was generated", () => {
    fc.assert(
      fc.property(validCccdArbitrary, (generated) => {
        expect(ok(validateCccd(generated.value))).toEqual({ kind: "cccd", ...generated })
      }),
      runs
    )
  })

  test("formatting noise does not change the result", () => {
    fc.assert(
      fc.property(
        validCccdArbitrary.chain((c) => fc.tuple(fc.constant(c.value), withFormattingNoise(c.value))),
        ([value, noisy]) => {
          expect(validateCccd(noisy)).toEqual(validateCccd(value))
        }
      ),
      runs
    )
  })

  test("any code off the official list is rejected as a province code", () => {
    fc.assert(
      fc.property(unofficialProvinceCccdArbitrary, (value) => {
        expect(err(validateCccd(value)).rule).toBe("province_code")
      }),
      runs
    )
  })

  test("the birth year is accepted up to the current year and rejected after it", () => {
    fc.assert(
      fc.property(validCccdArbitrary, fc.integer({ min: 1900, max: 2299 }), (generated, currentYear) => {
        const result = validateCccd(generated.value, { currentYear })
        expect(Result.isSuccess(result)).toBe(generated.birthYear <= currentYear)
        if (Result.isFailure(result)) expect(result.failure.rule).toBe("birth_year")
      }),
      runs
    )
  })
})

describe("CMND", () => {
  test("accepts 9 digits, with typed spaces", () => {
    expect(ok(validateCmnd("025 123 456"))).toEqual({ kind: "cmnd", value: "025123456" })
  })

  test("rejects other lengths and letters", () => {
    expect(err(validateCmnd("0251234567")).message).toBe("CMND 0251234567: has 10 digits, a CMND has 9")
    expect(err(validateCmnd("02512345")).rule).toBe("length")
    expect(err(validateCmnd("02512345A")).rule).toBe("characters")
  })

  test("every 9-digit string is a CMND and keeps its digits", () => {
    fc.assert(
      fc.property(validCmndArbitrary, (value) => {
        expect(ok(validateCmnd(value)).value).toBe(value)
      }),
      runs
    )
  })
})

describe("passport", () => {
  test("accepts one letter and 7 digits, upper-casing the letter", () => {
    expect(ok(validatePassport("C1234567"))).toEqual({ kind: "passport", value: "C1234567" })
    expect(ok(validatePassport("b 1234567")).value).toBe("B1234567")
  })

  test("rejects other shapes", () => {
    const digitsOnly = err(validatePassport("12345678"))
    expect(digitsOnly.rule).toBe("format")
    expect(digitsOnly.message).toBe("passport 12345678: a passport number is one letter followed by 7 digits, e.g. C1234567")
    expect(err(validatePassport("CC123456")).rule).toBe("format")
    expect(err(validatePassport("C123456")).rule).toBe("length")
    expect(err(validatePassport("C12345678")).rule).toBe("length")
    expect(err(validatePassport("Đ1234567")).rule).toBe("characters")
  })

  test("every generated passport number validates, also in lower case", () => {
    fc.assert(
      fc.property(validPassportArbitrary, (value) => {
        expect(ok(validatePassport(value)).value).toBe(value)
        expect(ok(validatePassport(value.toLowerCase())).value).toBe(value)
      }),
      runs
    )
  })
})

describe("tax code", () => {
  test("accepts published enterprise codes", () => {
    for (const code of ["0100233488", "0100109106", "0300588569", "0314409058"]) {
      expect(ok(validateTaxCode(code))).toEqual({ kind: "tax_code", value: code, base: code })
    }
  })

  test("accepts a dependent unit's code, also with a typographic dash", () => {
    const expected = { kind: "tax_code", value: "0314409058-002", base: "0314409058", branch: "002" } as const
    expect(ok(validateTaxCode("0314409058-002"))).toEqual(expected)
    expect(ok(validateTaxCode("0314 409 058 – 002"))).toEqual(expected)
    expect(ok(validateTaxCode("0314409058002"))).toEqual(expected)
  })

  test("rejects a wrong check digit, naming the one required", () => {
    const e = err(validateTaxCode("0100233480"))
    expect(e.rule).toBe("check_digit")
    expect(e.message).toBe('tax code 0100233480: check digit is "0" but digits 1–9 "010023348" require "8"')
  })

  test("rejects nine digits whose weighted sum is a multiple of 11", () => {
    expect(taxCodeCheckDigit("031440908")).toBeUndefined()
    const e = err(validateTaxCode("0314409080"))
    expect(e.rule).toBe("check_digit")
    expect(e.message).toContain("admit no check digit")
  })

  test("rejects branch 000 and an all-zero sequence number", () => {
    expect(err(validateTaxCode("0100233488-000")).rule).toBe("branch")
    expect(err(validateTaxCode("0100000000")).rule).toBe("sequence")
  })

  test("rejects other lengths and stray characters", () => {
    expect(err(validateTaxCode("010023348")).rule).toBe("length")
    expect(err(validateTaxCode("01002334881")).rule).toBe("length")
    expect(err(validateTaxCode("0100233488-01")).rule).toBe("length")
    expect(err(validateTaxCode("0100233488/001")).rule).toBe("characters")
  })

  test("codes built by computing the check digit validate, branch or not", () => {
    fc.assert(
      fc.property(validTaxCodeArbitrary, (generated) => {
        expect(ok(validateTaxCode(generated.value))).toEqual({ kind: "tax_code", ...generated })
      }),
      runs
    )
  })

  test("any other check digit is rejected", () => {
    fc.assert(
      fc.property(validTaxBaseArbitrary, fc.integer({ min: 1, max: 9 }), (base, shift) => {
        const wrong = base.slice(0, 9) + String((Number(base[9]) + shift) % 10)
        expect(err(validateTaxCode(wrong)).rule).toBe("check_digit")
      }),
      runs
    )
  })

  test("any single mistyped digit among the first nine is caught", () => {
    fc.assert(
      fc.property(
        validTaxBaseArbitrary,
        fc.integer({ min: 0, max: 8 }),
        fc.integer({ min: 1, max: 9 }),
        (base, position, shift) => {
          const typo = base.slice(0, position) + String((Number(base[position]) + shift) % 10) + base.slice(position + 1)
          expect(Result.isFailure(validateTaxCode(typo))).toBe(true)
        }
      ),
      runs
    )
  })

  test("the check digit agrees with the rule restated in the generators", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 9, maxLength: 9 }), (ds) => {
        const nine = ds.join("")
        const expected = expectedTaxCheck(nine)
        expect(taxCodeCheckDigit(nine)).toBe(expected === 10 ? undefined : expected)
      }),
      runs
    )
  })
})

describe("validateIdentityNumber", () => {
  test("picks the kind by shape", () => {
    expect(ok(validateIdentityNumber("079 203 001 234")).kind).toBe("cccd")
    expect(ok(validateIdentityNumber("025123456")).kind).toBe("cmnd")
    expect(ok(validateIdentityNumber("c1234567")).kind).toBe("passport")
    expect(ok(validateIdentityNumber("0100233488")).kind).toBe("tax_code")
    expect(ok(validateIdentityNumber("0100233488-001")).kind).toBe("tax_code")
  })

  test("reports the kind's own rule once the shape is recognised", () => {
    const e = err(validateIdentityNumber("099203001234"))
    expect([e.kind, e.rule]).toEqual(["cccd", "province_code"])
    expect(err(validateIdentityNumber("0100233480")).kind).toBe("tax_code")
    expect(err(validateIdentityNumber("079430001234", { currentYear: 2025 })).rule).toBe("birth_year")
  })

  test("lists the accepted shapes for anything else", () => {
    const e = err(validateIdentityNumber("0792030012345"))
    expect([e.kind, e.rule]).toEqual(["unknown", "length"])
    expect(e.message).toContain("has 13 digits")
    for (const shape of ["CCCD (12 digits)", "CMND (9 digits)", "passport (1 letter + 7 digits", "tax code (10 digits"]) {
      expect(e.message).toContain(shape)
    }
    expect(err(validateIdentityNumber("HELLO")).rule).toBe("format")
    expect(err(validateIdentityNumber("079#203")).rule).toBe("characters")
    expect(err(validateIdentityNumber("")).rule).toBe("empty")
  })

  test("every valid number of any kind is recognised as its kind and kept canonical", () => {
    fc.assert(
      fc.property(validIdentityArbitrary, (generated) => {
        const result = ok(validateIdentityNumber(generated.value))
        expect([result.kind, result.value]).toEqual([generated.kind, generated.value])
      }),
      runs
    )
  })

  test("formatting noise does not change the result for any kind", () => {
    fc.assert(
      fc.property(
        validIdentityArbitrary.chain((g) => fc.tuple(fc.constant(g.value), withFormattingNoise(g.value))),
        ([value, noisy]) => {
          expect(validateIdentityNumber(noisy)).toEqual(validateIdentityNumber(value))
        }
      ),
      runs
    )
  })

  test("digit strings of any other length are rejected as unknown", () => {
    fc.assert(
      fc.property(wrongLengthDigitsArbitrary, (value) => {
        const e = err(validateIdentityNumber(value))
        expect([e.kind, e.rule]).toEqual(["unknown", "length"])
      }),
      runs
    )
  })

  test("never throws, whatever the input", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), (input) => {
        const result = validateIdentityNumber(input)
        if (Result.isFailure(result)) expect(result.failure).toBeInstanceOf(InvalidIdentityNumber)
      }),
      runs
    )
  })
})

describe("normalizeIdentityNumber", () => {
  test("drops spaces and dots, unifies dashes, upper-cases", () => {
    expect(normalizeIdentityNumber(" c 123.4567 ")).toBe("C1234567")
    expect(normalizeIdentityNumber("0100233488 — 001")).toBe("0100233488-001")
    expect(normalizeIdentityNumber("079\u00a0203\u200b001234")).toBe("079203001234")
  })

  test("is idempotent", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 30 }), (input) => {
        const once = normalizeIdentityNumber(input)
        expect(normalizeIdentityNumber(once)).toBe(once)
      }),
      runs
    )
  })
})

describe("maskIdentityNumber", () => {
  test("keeps only the last three characters", () => {
    expect(maskIdentityNumber("079203001234")).toBe("*********234")
    expect(maskIdentityNumber("0100233488-001")).toBe("***********001")
    expect(maskIdentityNumber("C1234567")).toBe("*****567")
  })

  test("masks a value of three characters or fewer entirely", () => {
    expect(maskIdentityNumber("123")).toBe("***")
    expect(maskIdentityNumber("")).toBe("")
  })

  test("keeps the length and the last three, and hides everything else", () => {
    fc.assert(
      fc.property(validIdentityArbitrary, ({ value }) => {
        const masked = maskIdentityNumber(value)
        expect(masked.length).toBe(value.length)
        expect(masked.slice(-3)).toBe(value.slice(-3))
        expect(masked.slice(0, -3)).toMatch(/^\*+$/)
      }),
      runs
    )
  })
})

describe("schemas", () => {
  const decodeAny = Schema.decodeUnknownResult(IdentityNumberString)
  const decodeCccd = Schema.decodeUnknownResult(CccdString)
  const failureMessage = (result: Result.Result<unknown, { readonly message: string }>): string =>
    Result.isFailure(result) ? result.failure.message : "(decoded)"

  test("IdentityNumberString accepts every valid number in canonical form", () => {
    fc.assert(
      fc.property(validIdentityArbitrary, ({ value }) => {
        expect(ok(decodeAny(value))).toBe(value)
      }),
      runs
    )
  })

  test("a decoding failure carries the validator's message", () => {
    for (const input of ["099203001234", "0100233480", "HELLO", "0100233488-000", ""]) {
      expect(failureMessage(decodeAny(input))).toBe(err(validateIdentityNumber(input)).message)
    }
    expect(failureMessage(decodeCccd("079803001234"))).toBe(err(validateCccd("079803001234")).message)
  })

  test("a valid number that is not canonical is refused with the canonical form", () => {
    expect(failureMessage(decodeAny("079 203 001 234"))).toBe(
      'identity number "079 203 001 234" is valid but not in canonical form "079203001234"'
    )
    expect(Result.isFailure(decodeAny("c1234567"))).toBe(true)
  })

  test("CccdString accepts CCCDs only", () => {
    expect(ok(decodeCccd("079203001234"))).toBe("079203001234")
    expect(Result.isFailure(decodeCccd("0100233488"))).toBe(true)
    expect(Result.isFailure(decodeCccd(79203001234))).toBe(true)
  })
})

describe("InvalidIdentityNumber", () => {
  test("is a tagged error carrying kind, rule and the raw input", () => {
    const e = err(validateTaxCode(" 0100233488-000 "))
    expect(e._tag).toBe("InvalidIdentityNumber")
    expect(e).toBeInstanceOf(Error)
    expect([e.kind, e.rule, e.input]).toEqual(["tax_code", "branch", " 0100233488-000 "])
  })
})
