import { describe, expect, test } from "bun:test"
import { Result } from "effect"
import fc from "fast-check"
import { BASE45_ALPHABET, decodeBase45, encodeBase45 } from "../../domain/signing/base45.ts"
import { canonicalBytes } from "../../domain/canonical.ts"
import { assembleStatusList, encodeStatusListBody, indexStatusLists, openStatusList, statusListSignedBytes } from "../../domain/signing/status-list.ts"
import { signStatusList } from "../../domain/signing/issue-token.ts"
import { verify } from "../../domain/signing/verify.ts"
import { makePki, noStatus, receipt, run, signerFor, statusListFor, tokenFor } from "./fixtures.ts"

const pki = await makePki("Ed25519")
const r42 = receipt()
const token = await tokenFor(r42, pki.hcm)
const hash = new Uint8Array(await crypto.subtle.digest("SHA-256", canonicalBytes(r42) as Uint8Array<ArrayBuffer>)).subarray(0, 16)
// The verifier's clock, and a status list of the token's series signed a minute before it, vouched for two minutes.
const at = { now: "2025-07-01T00:01:00.000Z" }
const listContent = { agency: "HCM", form: "01-BLTHADS", symbol: "AA/25E", issuedAt: "2025-07-01T00:00:00.000Z", freshForSeconds: 120, size: 50, voided: [], replaced: [] }
const fresh = indexStatusLists([await statusListFor(listContent, pki.hcm, pki.trust)])
const freshEc = async (ec: Awaited<ReturnType<typeof makePki>>) => indexStatusLists([await statusListFor(listContent, ec.hcm, ec.trust)])

describe("verify: the nine results", () => {
  test("valid, with the summary the token carries and the age of the status that says so", async () => {
    const r = await verify(token, pki.trust, fresh, at)
    expect(r._tag).toBe("Valid")
    if (r._tag !== "Valid") return
    expect(r.receipt).toMatchObject({ agency: "HCM", series: { form: "01-BLTHADS", symbol: "AA/25E" }, number: 42, printedNumber: "0000042", amount: 125_500_000n, maskedName: "Nguyễn V. H.", issuedAt: "2025-06-23T08:15:30.000Z", keyId: pki.hcm.keyId })
    expect(r.receipt.receiptHash).toBe(Buffer.from(hash).toString("hex"))
    expect(r.statusAsOf).toBe("2025-07-01T00:00:00.000Z")
    expect(r.statusAgeSeconds).toBe(60)
  })

  test("without a status list an authentic receipt is 'status unknown', never valid", async () => {
    const r = await verify(token, pki.trust, noStatus, at)
    expect(r).toMatchObject({ _tag: "StatusUnknown", reason: "no_status_list", statusAsOf: null, statusAgeSeconds: null, receipt: { number: 42 } })
    expect(r.message).toContain("authentic, but its status is unknown")
  })

  test("a list older than the freshness its agency stated gives 'status unknown' with its age; at the limit it is still valid", async () => {
    expect(await verify(token, pki.trust, fresh, { now: "2025-07-01T00:02:00.000Z" })).toMatchObject({ _tag: "Valid", statusAgeSeconds: 120 })
    const stale = await verify(token, pki.trust, fresh, { now: "2025-07-01T00:02:01.000Z" })
    expect(stale).toMatchObject({ _tag: "StatusUnknown", reason: "stale", statusAsOf: "2025-07-01T00:00:00.000Z", statusAgeSeconds: 121, freshForSeconds: 120 })
    // A day later: still only "authentic".
    expect(await verify(token, pki.trust, fresh, { now: "2025-07-02T00:00:00.000Z" })).toMatchObject({ _tag: "StatusUnknown", statusAgeSeconds: 86_400 })
  })

  test("for any clock and freshness, valid only while the list is within its stated freshness", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 100_000 }), fc.integer({ min: 0, max: 200_000 }), async (freshFor, later) => {
        const list = indexStatusLists([await statusListFor({ ...listContent, freshForSeconds: freshFor }, pki.hcm, pki.trust)])
        const r = await verify(token, pki.trust, list, { now: new Date(Date.parse(listContent.issuedAt) + later * 1000).toISOString() })
        expect(r._tag).toBe(later <= freshFor ? "Valid" : "StatusUnknown")
        if ("statusAgeSeconds" in r) expect(r.statusAgeSeconds).toBe(later)
      }),
      { numRuns: 40 }
    )
  })

  test("ECDSA P-256 tokens verify too", async () => {
    const ec = await makePki("ECDSA-P256")
    expect((await verify(await tokenFor(r42, ec.hcm), ec.trust, await freshEc(ec), at))._tag).toBe("Valid")
    expect((await verify(await tokenFor(r42, ec.hcm), pki.trust, fresh, at))._tag).toBe("UnknownKey")
  })

  test("a key outside the trust list is an unknown key", async () => {
    const r = await verify(await tokenFor(r42, pki.stranger), pki.trust, fresh, at)
    expect(r).toMatchObject({ _tag: "UnknownKey", keyId: pki.stranger.keyId })
  })

  test("another agency's key is an unknown key for this agency", async () => {
    const forged = await tokenFor(r42, pki.hni) // signs a token that claims HCM with HNI's key
    const r = await verify(forged, pki.trust, fresh, at)
    expect(r._tag).toBe("UnknownKey")
    expect(r.message).toContain("trusted for HNI, not for HCM")
  })

  test("a revoked certificate is rejected", async () => {
    const r = await verify(await tokenFor(r42, pki.revoked), pki.trust, fresh, at)
    expect(r).toMatchObject({ _tag: "CertificateRevoked", keyId: pki.revoked.keyId, revokedAt: "2025-07-01T00:00:00.000Z" })
  })

  test("a certificate that had expired at the issue date is rejected", async () => {
    const r = await verify(await tokenFor(r42, pki.expired), pki.trust, fresh, at)
    expect(r).toMatchObject({ _tag: "CertificateNotValidAtIssueDate", keyId: pki.expired.keyId, issuedAt: "2025-06-23T08:15:30.000Z" })
    const during = receipt({ series: { form: "01-BLTHADS", symbol: "AA/20E" }, createdAt: "2020-06-01T00:00:00.000Z", issuedAt: "2020-06-01T03:00:00.000Z" })
    expect((await verify(await tokenFor(during, pki.expired), pki.trust, noStatus, at))._tag).toBe("StatusUnknown")
  })

  test("voided and replaced come from the signed status list", async () => {
    const list = await statusListFor(
      {
        agency: "HCM",
        form: "01-BLTHADS",
        symbol: "AA/25E",
        issuedAt: "2025-07-01T00:00:00.000Z",
        freshForSeconds: 120,
        size: 50,
        voided: [42],
        replaced: [{ number: 7, by: { form: "01-BLTHADS", symbol: "AA/25E", number: 48 } }]
      },
      pki.hcm,
      pki.trust
    )
    const status = indexStatusLists([list])
    expect(await verify(token, pki.trust, status, at)).toMatchObject({ _tag: "Voided", statusAsOf: "2025-07-01T00:00:00.000Z" })
    const r7 = await verify(await tokenFor(receipt({ number: 7 }), pki.hcm), pki.trust, status, at)
    expect(r7).toMatchObject({ _tag: "Replaced", replacement: { form: "01-BLTHADS", symbol: "AA/25E", number: 48 } })
    expect(r7.message).toContain("số 0000048")
    expect(await verify(await tokenFor(receipt({ number: 8 }), pki.hcm), pki.trust, status, at)).toMatchObject({ _tag: "Valid", statusAsOf: "2025-07-01T00:00:00.000Z" })
    // Issued after the list was made: authentic, status not yet known.
    expect(await verify(await tokenFor(receipt({ number: 51 }), pki.hcm), pki.trust, status, at)).toMatchObject({ _tag: "StatusUnknown", reason: "not_covered", statusAsOf: "2025-07-01T00:00:00.000Z" })
    // Voiding and replacing are final: a list past its freshness still proves them.
    const weekLater = { now: "2025-07-08T00:00:00.000Z" }
    expect(await verify(token, pki.trust, status, weekLater)).toMatchObject({ _tag: "Voided", statusAgeSeconds: 7 * 86_400 })
    expect(await verify(await tokenFor(receipt({ number: 7 }), pki.hcm), pki.trust, status, weekLater)).toMatchObject({ _tag: "Replaced" })
  })

  test("malformed says what is wrong", async () => {
    expect(await verify("hello", pki.trust, fresh, at)).toMatchObject({ _tag: "Malformed" })
    expect((await verify(token.slice(0, 30), pki.trust, fresh, at)).message).toContain("ends inside")
    expect(await verify(undefined as unknown as string, pki.trust, fresh, at)).toMatchObject({ _tag: "Malformed" })
  })

  test("a changed signed field is a signature failure, not a verdict on the forged field", async () => {
    const bytes = Result.getOrThrow(decodeBase45(token))
    const i = bytes.indexOf(0x2a, 20) // the low byte of number 42 (u24)
    const forged = Uint8Array.from(bytes)
    forged[i] = 0x2b
    expect((await verify(encodeBase45(forged), pki.trust, fresh, at))._tag).toBe("SignatureInvalid")
  })
})

describe("tampering never yields valid and never throws", () => {
  const bytes = Result.getOrThrow(decodeBase45(token))
  const check = async (t: string) => {
    if (t === token) return
    const r = await verify(t, pki.trust, fresh, at)
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
  const content = { agency: "HCM", form: "01-BLTHADS", symbol: "AA/25E", issuedAt: "2025-07-01T00:00:00.000Z", freshForSeconds: 120, size: 10_000, voided: [1, 42, 9_999], replaced: [] }

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

  test("the stated freshness round trips; a version 1 list (none stated) proves voided but never in force", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 0xffff_ffff }), async (freshFor) => {
        expect((await statusListFor({ ...content, freshForSeconds: freshFor }, pki.hcm, pki.trust)).freshForSeconds).toBe(freshFor)
      }),
      { numRuns: 20 }
    )
    // A version 1 list: the same fields without freshFor, signed by the agency.
    const v2 = await encodeStatusListBody({ ...content, size: 50, voided: [7] })
    const freshAt = 4 + 1 + 1 + 3 + 1 + 10 + 6 + 4
    const v1 = new Uint8Array([...v2.subarray(0, freshAt), ...v2.subarray(freshAt + 4)])
    v1[4] = 1
    const signature = new Uint8Array(await crypto.subtle.sign("Ed25519", pki.hcm.keys.privateKey, statusListSignedBytes(v1) as Uint8Array<ArrayBuffer>))
    const opened = await openStatusList(assembleStatusList(v1, pki.hcm.keyId, signature), pki.trust)
    expect(Result.isSuccess(opened)).toBe(true)
    if (Result.isFailure(opened)) return
    expect(opened.success.freshForSeconds).toBe(0)
    const lists = indexStatusLists([opened.success])
    expect((await verify(await tokenFor(receipt({ number: 7 }), pki.hcm), pki.trust, lists, { now: content.issuedAt }))._tag).toBe("Voided")
    expect(await verify(await tokenFor(receipt({ number: 8 }), pki.hcm), pki.trust, lists, { now: "2025-07-01T00:00:01.000Z" })).toMatchObject({ _tag: "StatusUnknown", reason: "stale" })
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
