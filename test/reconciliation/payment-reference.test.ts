/**
 * The bienlai payment reference: format ∘ parse round trip, the check
 * character, and survival inside bank memos (upper case, accents gone,
 * spaces and punctuation inserted, neighbouring words run together).
 */
import { describe, expect, test } from "bun:test"
import { Result } from "effect"
import fc from "fast-check"
import {
  checkCharacter,
  findPaymentReferences,
  formatPaymentReference,
  parsePaymentReference,
  paymentReferenceForId,
  paymentReferenceFromBytes
} from "../../domain/reconciliation/payment-reference.ts"

const alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
const body = fc.array(fc.constantFrom(...alphabet), { minLength: 10, maxLength: 10 }).map((cs) => cs.join(""))
const reference = body.map(formatPaymentReference)
const words = fc.array(fc.constantFrom("NGUYEN", "VAN", "A", "NOP", "TIEN", "THA", "THEO", "QD", "757/QD-PTHADS", "Trần", "thị", "CK", "-", "."), { maxLength: 8 })

/** Breaks a reference up the way banks and payers do. */
const mangle = (ref: string, cuts: ReadonlyArray<number>, sep: string, lower: boolean): string => {
  let out = ""
  for (let i = 0; i < ref.length; i++) out += (cuts.includes(i) && i > 0 ? sep : "") + ref[i]
  return lower ? out.toLowerCase() : out
}

describe("payment reference", () => {
  test("parse ∘ format is the identity, and the reference is 13 characters", () => {
    fc.assert(fc.property(body, (b) => {
      const ref = formatPaymentReference(b)
      expect(ref).toHaveLength(13)
      expect(Result.getOrThrow(parsePaymentReference(ref))).toBe(ref)
    }))
  })

  test("one wrong character, or a swap of two different neighbours (but 0 and Z, Luhn's blind spot), is refused", () => {
    fc.assert(fc.property(body, fc.nat(10), fc.constantFrom(...alphabet), (b, i, c) => {
      const ref = formatPaymentReference(b)
      const at = 2 + i
      fc.pre(ref[at] !== c)
      const wrong = ref.slice(0, at) + c + ref.slice(at + 1)
      expect(Result.isFailure(parsePaymentReference(wrong))).toBe(true)
    }))
    fc.assert(fc.property(body, fc.nat(8), (b, i) => {
      fc.pre(b[i] !== b[i + 1] && `${b[i]}${b[i + 1]}` !== "0Z" && `${b[i]}${b[i + 1]}` !== "Z0")
      const swapped = b.slice(0, i) + b[i + 1] + b[i] + b.slice(i + 2)
      const ref = `BL${swapped}${checkCharacter(b)}`
      expect(Result.isFailure(parsePaymentReference(ref))).toBe(true)
    }))
  })

  test("found inside any memo, whatever the bank did to it", () => {
    fc.assert(fc.property(reference, words, words, fc.array(fc.nat(12), { maxLength: 4 }), fc.constantFrom(" ", ".", "-", "  ", "/"), fc.boolean(), (ref, before, after, cuts, sep, lower) => {
      const memo = [...before, mangle(ref, cuts, sep, lower), ...after].join(" ")
      expect(findPaymentReferences(memo)).toContain(ref)
    }))
  })

  test("typed with look-alikes (O for 0, I or L for 1) it still parses", () => {
    const ref = formatPaymentReference("0011223344")
    expect(Result.getOrThrow(parsePaymentReference(ref.replace(/0/g, "O").replace(/1/g, "i").replace(/^BL/, "bl")))).toBe(ref)
  })

  test("a receipt's reference comes from its id, always the same", () => {
    const id = "0193b4d2-7c1e-7abc-8def-0123456789ab"
    expect(paymentReferenceForId(id)).toBe(paymentReferenceForId(id))
    expect(paymentReferenceForId(id)).toMatch(/^BL[0-9A-HJKMNP-TV-Z]{11}$/)
    expect(paymentReferenceFromBytes(new Uint8Array(7))).toBe(`BL0000000000${checkCharacter("0000000000")}`)
  })

  test("refusals name what is wrong", () => {
    const err = (s: string) => {
      const r = parsePaymentReference(s)
      return Result.isFailure(r) ? r.failure.message : "accepted"
    }
    expect(err("XX12345")).toContain("must start with BL")
    expect(err("BL123")).toContain("13 letters and digits")
    expect(err("BLUUUUUUUUUUU")).toContain("outside")
    const ref = formatPaymentReference("7K2M9QX4TR")
    const bad = ref.slice(0, 12) + (ref[12] === "0" ? "1" : "0")
    expect(err(bad)).toContain("check character")
  })
})
