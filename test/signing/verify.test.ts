import { describe, expect, test } from "bun:test"
import { Result } from "effect"
import fc from "fast-check"
import { BASE45_ALPHABET, decodeBase45, encodeBase45 } from "../../domain/signing/base45.ts"
import { canonicalBytes } from "../../domain/canonical.ts"
import { indexStatusLists, openStatusList } from "../../domain/signing/status-list.ts"
import { signStatusList } from "../../domain/signing/issue-token.ts"
import { verify } from "../../domain/signing/verify.ts"
import { makePki, noStatus, receipt, run, signerFor, statusListFor, tokenFor } from "./fixtures.ts"

const pki = await makePki("Ed25519")
const r42 = receipt()
const token = await tokenFor(r42, pki.hcm)
const hash = new Uint8Array(await crypto.subtle.digest("SHA-256", canonicalBytes(r42) as Uint8Array<ArrayBuffer>)).subarray(0, 16)

describe("verify: the eight results", () => {
  test("valid, with the summary the token carries", async () => {
    const r = await verify(token, pki.trust, noStatus)
    expect(r._tag).toBe("Valid")
    if (r._tag !== "Valid") return
    expect(r.receipt).toMatchObject({ agency: "HCM", series: { form: "01-BLTHADS", symbol: "AA/25E" }, number: 42, printedNumber: "0000042", amount: 125_500_000n, maskedName: "Nguyễn V. H.", issuedAt: "2025-06-23T08:15:30.000Z", keyId: pki.hcm.keyId })
    expect(r.receipt.receiptHash).toBe(Buffer.from(hash).toString("hex"))
    expect(r.statusAsOf).toBeNull()
  })

  test("ECDSA P-256 tokens verify too", async () => {
    const ec = await makePki("ECDSA-P256")
    expect((await verify(await tokenFor(r42, ec.hcm), ec.trust, noStatus))._tag).toBe("Valid")
    expect((await verify(await tokenFor(r42, ec.hcm), pki.trust, noStatus))._tag).toBe("UnknownKey")
  })

  test("a key outside the trust list is an unknown key", async () => {
    const r = await verify(await tokenFor(r42, pki.stranger), pki.trust, noStatus)
    expect(r).toMatchObject({ _tag: "UnknownKey", keyId: pki.stranger.keyId })
  })

  test("another agency's key is an unknown key for this agency", async () => {
    const forged = await tokenFor(r42, pki.hni) // signs a token that claims HCM with HNI's key
    const r = await verify(forged, pki.trust, noStatus)
    expect(r._tag).toBe("UnknownKey")
    expect(r.message).toContain("trusted for HNI, not for HCM")
  })

  test("a revoked certificate is rejected", async () => {
    const r = await verify(await tokenFor(r42, pki.revoked), pki.trust, noStatus)
    expect(r).toMatchObject({ _tag: "CertificateRevoked", keyId: pki.revoked.keyId, revokedAt: "2025-07-01T00:00:00.000Z" })
  })

  test("a certificate that had expired at the issue date is rejected", async () => {
    const r = await verify(await tokenFor(r42, pki.expired), pki.trust, noStatus)
    expect(r).toMatchObject({ _tag: "CertificateNotValidAtIssueDate", keyId: pki.expired.keyId, issuedAt: "2025-06-23T08:15:30.000Z" })
    const during = receipt({ series: { form: "01-BLTHADS", symbol: "AA/20E" }, createdAt: "2020-06-01T00:00:00.000Z", issuedAt: "2020-06-01T03:00:00.000Z" })
    expect((await verify(await tokenFor(during, pki.expired), pki.trust, noStatus))._tag).toBe("Valid")
  })

  test("voided and replaced come from the signed status list", async () => {
    const list = await statusListFor(
      {
        agency: "HCM",
        form: "01-BLTHADS",
        symbol: "AA/25E",
        issuedAt: "2025-07-01T00:00:00.000Z",
        size: 50,
        voided: [42],
        replaced: [{ number: 7, by: { form: "01-BLTHADS", symbol: "AA/25E", number: 48 } }]
      },
      pki.hcm,
      pki.trust
    )
    const status = indexStatusLists([list])
    expect(await verify(token, pki.trust, status)).toMatchObject({ _tag: "Voided", statusAsOf: "2025-07-01T00:00:00.000Z" })
    const r7 = await verify(await tokenFor(receipt({ number: 7 }), pki.hcm), pki.trust, status)
    expect(r7).toMatchObject({ _tag: "Replaced", replacement: { form: "01-BLTHADS", symbol: "AA/25E", number: 48 } })
    expect(r7.message).toContain("số 0000048")
    expect(await verify(await tokenFor(receipt({ number: 8 }), pki.hcm), pki.trust, status)).toMatchObject({ _tag: "Valid", statusAsOf: "2025-07-01T00:00:00.000Z" })
    // Issued after the list was made: authentic, status not yet known.
    expect(await verify(await tokenFor(receipt({ number: 51 }), pki.hcm), pki.trust, status)).toMatchObject({ _tag: "Valid", statusAsOf: null })
  })

  test("malformed says what is wrong", async () => {
    expect(await verify("hello", pki.trust, noStatus)).toMatchObject({ _tag: "Malformed" })
    expect((await verify(token.slice(0, 30), pki.trust, noStatus)).message).toContain("ends inside")
    expect(await verify(undefined as unknown as string, pki.trust, noStatus)).toMatchObject({ _tag: "Malformed" })
  })

  test("a changed signed field is a signature failure, not a verdict on the forged field", async () => {
    const bytes = Result.getOrThrow(decodeBase45(token))
    const at = bytes.indexOf(0x2a, 20) // the low byte of number 42 (u24)
    const forged = Uint8Array.from(bytes)
    forged[at] = 0x2b
    expect((await verify(encodeBase45(forged), pki.trust, noStatus))._tag).toBe("SignatureInvalid")
  })
})

describe("tampering never yields valid and never throws", () => {
  const bytes = Result.getOrThrow(decodeBase45(token))
  const check = async (t: string) => {
    if (t === token) return
    const r = await verify(t, pki.trust, noStatus)
    expect(r._tag).not.toBe("Valid")
  }
  const runs = { numRuns: 150 }

  test("flipping any bit of any byte", async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: bytes.length - 1 }), fc.integer({ min: 0, max: 7 }), async (i, bit) => {
        const b = Uint8Array.from(bytes)
        b[i]! ^= 1 << bit
        await check(encodeBase45(b))
      }),
      runs
    )
  })

  test("replacing any character", async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: token.length - 1 }), fc.constantFrom(...BASE45_ALPHABET, "a", "é", "\u0000"), async (i, c) => {
        await check(token.slice(0, i) + c + token.slice(i + 1))
      }),
      runs
    )
  })

  test("truncating or extending, by bytes or characters", async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: bytes.length - 1 }), fc.uint8Array({ minLength: 1, maxLength: 8 }), fc.string({ maxLength: 6 }), async (n, extra, chars) => {
        await check(encodeBase45(bytes.subarray(0, n)))
        await check(token.slice(0, n))
        await check(encodeBase45(new Uint8Array([...bytes, ...extra])))
        await check(token + chars)
        await check(chars + token)
      }),
      runs
    )
  })

  test("splicing in bytes from another valid token", async () => {
    const other = Result.getOrThrow(decodeBase45(await tokenFor(receipt({ number: 43, amount: 5_000_000n, amountInWords: "Năm triệu đồng" }), pki.hcm)))
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: bytes.length }), fc.nat({ max: other.length }), fc.nat({ max: 80 }), async (at, from, len) => {
        const spliced = new Uint8Array([...bytes.subarray(0, at), ...other.subarray(from, from + len), ...bytes.subarray(at + len)])
        await check(encodeBase45(spliced))
      }),
      runs
    )
  })
})

describe("status lists", () => {
  const content = { agency: "HCM", form: "01-BLTHADS", symbol: "AA/25E", issuedAt: "2025-07-01T00:00:00.000Z", size: 10_000, voided: [1, 42, 9_999], replaced: [] }

  test("a 10 000-receipt list with a few voided is small", async () => {
    const bytes = await run(signStatusList(content), signerFor("HCM", pki.hcm))
    expect(bytes.length).toBeLessThan(200)
    expect(Result.isSuccess(await openStatusList(bytes, pki.trust))).toBe(true)
  })

  test("a changed byte, another agency's key, a revoked key or an unknown key is rejected", async () => {
    const bytes = await run(signStatusList(content), signerFor("HCM", pki.hcm))
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: bytes.length - 1 }), fc.integer({ min: 1, max: 255 }), async (i, x) => {
        const b = Uint8Array.from(bytes)
        b[i]! ^= x
        expect(Result.isFailure(await openStatusList(b, pki.trust))).toBe(true)
      }),
      { numRuns: 100 }
    )
    const reason = async (signer: Parameters<typeof signerFor>[1]) => {
      const r = await openStatusList(await run(signStatusList(content), signerFor("HCM", signer)), pki.trust)
      return Result.isFailure(r) ? r.failure.reason : "accepted"
    }
    expect(await reason(pki.hni)).toContain("belongs to HNI")
    expect(await reason(pki.revoked)).toContain("revoked")
    expect(await reason(pki.stranger)).toContain("not in the trust list")
    expect(await reason(pki.expired)).toContain("not valid at")
  })

  test("bits and replacements round trip for random sets", async () => {
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(fc.integer({ min: 1, max: 300 }), { maxLength: 20 }), async (numbers) => {
        const voided = numbers.filter((n) => n % 3 !== 0)
        const replaced = numbers.filter((n) => n % 3 === 0).map((n) => ({ number: n, by: { form: "01-BLTHADS", symbol: "AB/26E", number: n + 1000 } }))
        const list = await statusListFor({ ...content, size: 300, voided, replaced }, pki.hcm, pki.trust)
        const { statusOf } = await import("../../domain/signing/status-list.ts")
        for (let n = 1; n <= 300; n++) {
          const s = statusOf(list, n)
          const expected = voided.includes(n) ? "voided" : replaced.some((r) => r.number === n) ? "replaced" : "good"
          expect(s.kind).toBe(expected)
        }
      }),
      { numRuns: 15 }
    )
  })
})
