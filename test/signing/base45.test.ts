import { describe, expect, test } from "bun:test"
import { Result } from "effect"
import fc from "fast-check"
import { BASE45_ALPHABET, decodeBase45, encodeBase45 } from "../../domain/signing/base45.ts"

const ascii = (s: string) => new TextEncoder().encode(s)

describe("base45 (RFC 9285)", () => {
  test("the RFC's examples", () => {
    expect(encodeBase45(ascii("AB"))).toBe("BB8")
    expect(encodeBase45(ascii("Hello!!"))).toBe("%69 VD92EX0")
    expect(encodeBase45(ascii("base-45"))).toBe("UJCLQE7W581")
    expect(encodeBase45(ascii("ietf!"))).toBe("QED8WEX0")
    expect(new TextDecoder().decode(Result.getOrThrow(decodeBase45("QED8WEX0")))).toBe("ietf!")
  })

  test("rejects what the RFC calls invalid, naming the position", () => {
    const overflow = decodeBase45("GGW") // 65 535 + 1 does not fit two bytes
    expect(Result.isFailure(overflow) && overflow.failure.message).toContain("exceeds two bytes")
    const bad = decodeBase45("QEd8WE")
    expect(Result.isFailure(bad) && bad.failure.position).toBe(2)
    expect(Result.isFailure(decodeBase45("QED8W"))).toBe(true) // "8W" is 1448, more than a byte
    expect(Result.isFailure(decodeBase45("QED8"))).toBe(true) // dangling character
    expect(Result.isFailure(decodeBase45(":Z"))).toBe(true) // 44 + 35·45 > 255
  })

  test("round trip for any bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const text = encodeBase45(bytes)
        expect([...text].every((c) => BASE45_ALPHABET.includes(c))).toBe(true)
        expect(Result.getOrThrow(decodeBase45(text))).toEqual(bytes)
      }),
      { numRuns: 300 }
    )
  })

  test("each byte string has exactly one encoding: decoding then encoding gives back the text", () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...BASE45_ALPHABET), maxLength: 60 }), (text) => {
        const decoded = decodeBase45(text)
        if (Result.isSuccess(decoded)) expect(encodeBase45(decoded.success)).toBe(text)
      }),
      { numRuns: 500 }
    )
  })
})
