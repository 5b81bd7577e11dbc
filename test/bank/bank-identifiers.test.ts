import { describe, expect, test } from "bun:test"
import { Result } from "effect"
import fc from "fast-check"
import {
  ACCOUNT_MAX_LENGTH,
  ACCOUNT_MIN_LENGTH,
  checkAccountNumber,
  checkBankAccount,
  checkBin,
  normalizeAccountNumber
} from "../../domain/bank/account-number.ts"
import { bankByBin, bankByCode, banks } from "../../domain/bank/banks.ts"

const failure = <A, E>(r: Result.Result<A, E>): E => {
  if (Result.isSuccess(r)) throw new Error(`expected a failure, got ${JSON.stringify(r.success)}`)
  return r.failure
}

describe("the NAPAS BIN list", () => {
  test("knows the big banks by BIN, with their short names and BICs", () => {
    // Restated from the published VietQR list so a slip in domain/bank/banks.ts cannot agree with itself.
    const expected: ReadonlyArray<readonly [string, string, string]> = [
      ["970436", "Vietcombank", "BFTVVNVX"],
      ["970415", "VietinBank", "ICBVVNVX"],
      ["970418", "BIDV", "BIDVVNVX"],
      ["970405", "Agribank", "VBAAVNVX"],
      ["970407", "Techcombank", "VTCBVNVX"],
      ["970422", "MB Bank", "MSCBVNVX"],
      ["970416", "ACB", "ASCBVNVX"],
      ["970432", "VPBank", "VPBKVNVX"],
      ["970403", "Sacombank", "SGTTVNVX"]
    ]
    for (const [bin, shortName, bic] of expected) {
      const bank = bankByBin(bin)
      expect(bank?.shortName).toBe(shortName)
      expect(bank?.bic).toBe(bic)
    }
  })

  test("every BIN is 6 digits and appears once; every code once; every BIC is a Vietnamese 8-character BIC", () => {
    expect(banks.length).toBeGreaterThan(50)
    expect(new Set(banks.map((b) => b.bin)).size).toBe(banks.length)
    expect(new Set(banks.map((b) => b.code)).size).toBe(banks.length)
    for (const b of banks) {
      expect(b.bin).toMatch(/^\d{6}$/)
      if (b.bic !== undefined) expect(b.bic).toMatch(/^[A-Z]{4}VN[A-Z0-9]{2}$/)
    }
  })

  test("renamed banks keep their BIN under the new name and remember the old one", () => {
    expect(bankByBin("970449")?.shortName).toBe("LPBank")
    expect(bankByBin("970449")?.formerly?.[0]).toContain("LienVietPostBank")
    expect(bankByBin("970406")?.shortName).toBe("Vikki Bank")
    expect(bankByBin("970414")?.bic).toBeUndefined()
  })

  test("looks banks up by VietQR code, in any case", () => {
    expect(bankByCode("vcb")?.bin).toBe("970436")
    expect(bankByCode("nope")).toBeUndefined()
  })
})

describe("checkBin", () => {
  test("accepts a known BIN", () => {
    expect(Result.getOrThrow(checkBin(" 970436 ")).shortName).toBe("Vietcombank")
  })
  test.each([
    ["", "empty"],
    ["97043", "format"],
    ["97043A", "format"],
    ["999999", "unknown"]
  ])("%p is refused as %p", (input, rule) => {
    const e = failure(checkBin(input))
    expect(e.rule).toBe(rule as typeof e.rule)
    expect(e.message.length).toBeGreaterThan(10)
  })
})

describe("checkAccountNumber", () => {
  test("drops the grouping people type", () => {
    expect(Result.getOrThrow(checkAccountNumber("0071 000 123456"))).toBe("0071000123456")
    expect(Result.getOrThrow(checkAccountNumber("0071-000-123456"))).toBe("0071000123456")
    expect(Result.getOrThrow(checkAccountNumber("0071.000.123456"))).toBe("0071000123456")
  })

  test.each([
    ["", "empty", "empty"],
    ["  ", "empty", "empty"],
    ["0071A00123456", "characters", "\"A\" at position 5"],
    ["12345", "length", "6 to 19 digits, this one has 5"],
    ["12345678901234567890", "length", "this one has 20"],
    ["000000000", "all_zeros", "all zeros"]
  ])("%p is refused (%s) naming %p", (input, rule, fragment) => {
    const e = failure(checkAccountNumber(input))
    expect(e.rule).toBe(rule as typeof e.rule)
    expect(e.message).toContain(fragment)
  })

  test("a bank's own documented bounds apply when it has them", () => {
    const vcb = bankByBin("970436")
    if (vcb === undefined) throw new Error("no VCB")
    const strict = { ...vcb, accountLength: { min: 13, max: 13 } }
    expect(failure(checkAccountNumber("1234567890", strict)).message).toContain("Vietcombank account numbers have 13 to 13 digits")
    expect(Result.isSuccess(checkAccountNumber("1234567890123", strict))).toBe(true)
  })

  test("property: every digit string in the generic range that is not all zeros is accepted unchanged", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(..."0123456789"), minLength: ACCOUNT_MIN_LENGTH, maxLength: ACCOUNT_MAX_LENGTH }).filter((s) => /[1-9]/.test(s)),
        (digits) => {
          expect(Result.getOrThrow(checkAccountNumber(digits))).toBe(digits)
        }
      )
    )
  })

  test("property: separators never change the result", () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(..."0123456789 .-"), maxLength: 30 }), (typed) => {
        const a = checkAccountNumber(typed)
        const b = checkAccountNumber(normalizeAccountNumber(typed))
        expect(Result.isSuccess(a)).toBe(Result.isSuccess(b))
        if (Result.isSuccess(a) && Result.isSuccess(b)) expect(a.success).toBe(b.success)
      })
    )
  })
})

describe("checkBankAccount", () => {
  test("names every problem at once", () => {
    const problems = failure(checkBankAccount("123", "12a"))
    expect(problems.map((p) => p._tag)).toEqual(["InvalidBankCode", "InvalidAccountNumber"])
  })
  test("a good pair gives the bank and the digits", () => {
    const ok = Result.getOrThrow(checkBankAccount("970415", "1010 1234 5678"))
    expect(ok.bank.shortName).toBe("VietinBank")
    expect(ok.account).toBe("101012345678")
  })
})
