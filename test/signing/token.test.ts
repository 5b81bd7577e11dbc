import { describe, expect, test } from "bun:test"
import { Result } from "effect"
import fc from "fast-check"
import { encodeBase45 } from "../../domain/signing/base45.ts"
import { assembleToken, decodeToken, encodeTokenBody, tokenSignedBytes, TOKEN_SIGNING_CONTEXT, TOKEN_V1_SIGNING_CONTEXT } from "../../domain/signing/token.ts"
import type { TokenClaims } from "../../domain/signing/token.ts"
import { extractToken, pathSegmentToToken, qrContent, tokenToPathSegment, tokenUrl } from "../../domain/signing/url.ts"
import { qrMatrix } from "../../adapters/qr/encode.ts"
import { makePki, receipt, tokenFor } from "./fixtures.ts"

const claims = fc.record({
  agency: fc.stringMatching(/^[A-Z][A-Z0-9]{1,15}$/),
  form: fc.stringMatching(/^[0-9A-Z][0-9A-Z/.-]{0,19}$/),
  symbol: fc.stringMatching(/^[A-Z]{2}\/\d{2}E$/),
  number: fc.integer({ min: 1, max: 9_999_999 }),
  issuedAt: fc.integer({ min: 946_684_800, max: 4_102_444_799 }).map((s) => new Date(s * 1000).toISOString()),
  amount: fc.bigInt({ min: 1n, max: 10n ** 18n }),
  maskedName: fc.constantFrom("Nguyễn V. H.", "Trần T. M. D.", "Công T. T. N.", ""),
  receiptHash: fc.uint8Array({ minLength: 16, maxLength: 16 })
}) satisfies fc.Arbitrary<TokenClaims>

const algorithms = fc.constantFrom("Ed25519" as const, "ECDSA-P256" as const)

describe("the token layout", () => {
  test("claims and the algorithm survive encode → decode, and the signed bytes are the context plus the body", () => {
    fc.assert(
      fc.property(claims, algorithms, fc.uint8Array({ minLength: 64, maxLength: 64 }), (c, algorithm, sig) => {
        const body = encodeTokenBody(c, algorithm)
        expect(body[0]).toBe(2)
        expect(body[1]).toBe(algorithm === "Ed25519" ? 0x01 : 0x02)
        const d = Result.getOrThrow(decodeToken(assembleToken(body, "0123456789abcdef", sig)))
        expect({ ...d, receiptHash: [...d.receiptHash] }).toMatchObject({ ...c, receiptHash: [...c.receiptHash], keyId: "0123456789abcdef", version: 2, algorithm })
        expect(d.signature).toEqual(sig)
        expect(d.signedBytes).toEqual(tokenSignedBytes(body))
        expect(d.signedBytes.subarray(0, TOKEN_SIGNING_CONTEXT.length)).toEqual(TOKEN_SIGNING_CONTEXT)
      }),
      { numRuns: 200 }
    )
  })

  test("version 1 tokens (no algorithm byte) are still read, with their own signing context", () => {
    fc.assert(
      fc.property(claims, fc.uint8Array({ minLength: 64, maxLength: 64 }), (c, sig) => {
        const body = encodeTokenBody(c, "Ed25519", 1)
        const d = Result.getOrThrow(decodeToken(assembleToken(body, "0123456789abcdef", sig)))
        expect({ ...d, receiptHash: [...d.receiptHash] }).toMatchObject({ ...c, receiptHash: [...c.receiptHash], version: 1 })
        expect(d.algorithm).toBeUndefined()
        expect(d.signedBytes).toEqual(new Uint8Array([...TOKEN_V1_SIGNING_CONTEXT, ...body]))
        // One byte shorter than version 2, which spends it on the algorithm.
        expect(encodeTokenBody(c, "Ed25519").length).toBe(body.length + 1)
      }),
      { numRuns: 100 }
    )
  })

  test("says what is wrong", () => {
    const body = encodeTokenBody({ agency: "HCM", form: "01-BLTHADS", symbol: "AA/25E", number: 42, issuedAt: "2025-06-23T08:15:30.000Z", amount: 1n, maskedName: "Lê H.", receiptHash: new Uint8Array(16) }, "ECDSA-P256")
    const full = assembleToken(body, "0123456789abcdef", new Uint8Array(64))
    const reason = (t: string) => {
      const r = decodeToken(t)
      return Result.isFailure(r) ? r.failure.reason : "ok"
    }
    expect(reason(full)).toBe("ok")
    expect(reason("")).toBe("the token is empty")
    expect(reason(full.slice(0, -3))).toBe("it ends inside the signature")
    expect(reason(full + "000")).toContain("unexpected byte(s) after the signature")
    expect(reason(full.replace(/^.../, encodeBase45(new Uint8Array([3, 2]))))).toContain("version 3 is not supported")
    // An algorithm byte no token is signed with (0x03 would be, say, RSA): refused before any key is looked up.
    expect(reason(full.replace(/^.../, encodeBase45(new Uint8Array([2, 3]))))).toContain("algorithm 0x03 is not one a token is signed with")
    expect(reason("hello")).toContain("not a base45 character")
  })
})

describe("the token in a URL", () => {
  test("space, % and / are percent-encoded and come back", () => {
    expect(tokenToPathSegment("A B%C/D:E$")).toBe("A%20B%25C%2FD:E$")
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(..."0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:") }), (t) => {
        const segment = tokenToPathSegment(t)
        expect(segment).not.toMatch(/[ /]/)
        expect(pathSegmentToToken(segment)).toBe(t)
      }),
      { numRuns: 300 }
    )
  })

  test("extractToken finds the token in our URLs, upper or lower case, and refuses other text", async () => {
    const pki = await makePki()
    const token = await tokenFor(receipt(), pki.hcm)
    expect(extractToken(tokenUrl("https://bienlai.thads.moj.gov.vn/", token))).toEqual({ _tag: "Token", token })
    expect(extractToken(qrContent("https://bienlai.thads.moj.gov.vn", token))).toEqual({ _tag: "Token", token })
    expect(extractToken(token)).toEqual({ _tag: "Token", token })
    expect(extractToken("https://vnexpress.net/tin-tuc")._tag).toBe("NotBienlai")
    expect(extractToken("WIFI:S:quan-ca-phe;T:WPA;P:12345678;;")._tag).toBe("NotBienlai")
  })

  test("the whole URL fits a version ≤ 10 QR code at level M in alphanumeric mode, even with the largest number, amount and name", async () => {
    const pki = await makePki()
    const long = receipt({
      series: { form: "01-BLTHADS", symbol: "ZZ/25E" },
      number: 9_999_999,
      amount: 987_654_321_012_345n,
      payer: { name: "Công ty Trách nhiệm hữu hạn Xây dựng và Thương mại Minh Phát Sài Gòn" }
    })
    // ECDSA signatures differ at each signing, and so do the characters that need escaping: try several.
    for (const r of [receipt(), long]) {
      for (let i = 0; i < 20; i++) {
        const content = qrContent("https://bienlai.thads.moj.gov.vn", await tokenFor(r, pki.hcm))
        const m = qrMatrix(content, "M")
        expect(m.mode).toBe("ALPHANUMERIC")
        expect(m.version).toBeLessThanOrEqual(10)
      }
    }
  })
})
