/**
 * The payout notice's QR token and its round's status list (docs/QR-TOKEN.md,
 * "Payout notice tokens"): the layout round-trips, one flipped bit anywhere
 * in a signed token or list is refused, and the verifier's answers follow
 * the status list (paid, returned, stale, missing) as a receipt's do.
 */
import { describe, expect, test } from "bun:test"
import { Result } from "effect"
import fc from "fast-check"
import { decodeBase45, encodeBase45 } from "../../domain/signing/base45.ts"
import { decodeToken } from "../../domain/signing/token.ts"
import { signNoticeStatus, signNoticeToken } from "../../domain/payout/notice-sign.ts"
import { indexNoticeStatus, type NoticeLineState, type NoticeStatusContent, noticeStateOf, openNoticeStatus } from "../../domain/payout/notice-status.ts"
import {
  assembleNoticeToken,
  decodeNoticeToken,
  encodeNoticeTokenBody,
  isNoticeToken,
  NOTICE_SIGNING_CONTEXT,
  type NoticeTokenClaims,
  noticeTokenSignedBytes
} from "../../domain/payout/notice-token.ts"
import { authenticateNotice, verifyNotice } from "../../domain/payout/notice-verify.ts"
import { makePki, run, signerFor } from "../signing/fixtures.ts"

const claimsArb = fc.record({
  agency: fc.stringMatching(/^[A-Z][A-Z0-9]{1,15}$/),
  caseDecision: fc.constantFrom("3699/QĐ-CTHADS", "12/QĐ-THADS", "1234/2025/QĐ-CCTHADSQ1", "X"),
  round: fc.integer({ min: 1, max: 999 }),
  firstLine: fc.integer({ min: 1, max: 16_000_000 }),
  lineCount: fc.integer({ min: 1, max: 255 }),
  approvedAt: fc.integer({ min: 946_684_800, max: 4_102_444_799 }).map((s) => new Date(s * 1000).toISOString()),
  amount: fc.bigInt({ min: 0n, max: 10n ** 15n }),
  maskedName: fc.constantFrom("Nguyễn V. H.", "Trần T. M. D.", ""),
  noticeHash: fc.uint8Array({ minLength: 16, maxLength: 16 })
}).chain((c) => fc.bigInt({ min: 0n, max: c.amount }).map((fee): NoticeTokenClaims => ({ ...c, fee })))

const algorithms = fc.constantFrom("Ed25519" as const, "ECDSA-P256" as const)

const flipBit = (token: string, bit: number): string => {
  const bytes = Result.getOrThrow(decodeBase45(token))
  const copy = new Uint8Array(bytes)
  copy[bit >> 3]! ^= 1 << (bit & 7)
  return encodeBase45(copy)
}

describe("the notice token layout", () => {
  test("claims and algorithm survive encode → decode; the signed bytes are the notice context plus the body", () => {
    fc.assert(
      fc.property(claimsArb, algorithms, fc.uint8Array({ minLength: 64, maxLength: 64 }), (c, algorithm, sig) => {
        const body = encodeNoticeTokenBody(c, algorithm)
        expect(body[0]).toBe(0x11)
        const token = assembleNoticeToken(body, "0123456789abcdef", sig)
        expect(isNoticeToken(token)).toBe(true)
        const d = Result.getOrThrow(decodeNoticeToken(token))
        expect({ ...d, noticeHash: [...d.noticeHash] }).toMatchObject({ ...c, noticeHash: [...c.noticeHash], algorithm, keyId: "0123456789abcdef" })
        expect([...d.signature]).toEqual([...sig])
        expect([...d.signedBytes]).toEqual([...noticeTokenSignedBytes(body)])
        expect([...d.signedBytes.subarray(0, NOTICE_SIGNING_CONTEXT.length)]).toEqual([...NOTICE_SIGNING_CONTEXT])
        // A receipt reader refuses it by its first byte, never misreads it.
        expect(Result.isFailure(decodeToken(token))).toBe(true)
      }),
      { numRuns: 300 }
    )
  })

  test("a receipt token is not taken for a notice token, and bad input names what is wrong", () => {
    const c: NoticeTokenClaims = {
      agency: "HCM", caseDecision: "3699/QĐ-CTHADS", round: 8, firstLine: 41, lineCount: 3, approvedAt: "2025-06-23T03:00:00.000Z",
      amount: 1_000n, fee: 10n, maskedName: "Lê H.", noticeHash: new Uint8Array(16)
    }
    const token = assembleNoticeToken(encodeNoticeTokenBody(c, "ECDSA-P256"), "0123456789abcdef", new Uint8Array(64))
    const reason = (t: string) => {
      const r = decodeNoticeToken(t)
      return Result.isFailure(r) ? r.failure.reason : "ok"
    }
    expect(reason(token)).toBe("ok")
    expect(reason(token.slice(0, -3))).toContain("signature")
    expect(reason("")).toBe("the token is empty")
    const bytes = Result.getOrThrow(decodeBase45(token))
    expect(reason(encodeBase45(new Uint8Array([...bytes, 0])))).toContain("unexpected byte")
    expect(reason(encodeBase45(new Uint8Array([0x02, ...bytes.subarray(1)])))).toContain("not a payout notice")
    expect(isNoticeToken(encodeBase45(new Uint8Array([0x02, ...bytes.subarray(1)])))).toBe(false)
    expect(() => encodeNoticeTokenBody({ ...c, fee: 2_000n }, "Ed25519")).toThrow("fee")
    expect(() => encodeNoticeTokenBody({ ...c, round: 1000 }, "Ed25519")).toThrow("round")
  })
})

const pki = await makePki("ECDSA-P256")
const signer = signerFor("HCM", pki.hcm)

const notice: NoticeTokenClaims = {
  agency: "HCM", caseDecision: "3699/QĐ-CTHADS", round: 8, firstLine: 2, lineCount: 2, approvedAt: "2025-06-23T03:00:00.000Z",
  amount: 248_146_349n, fee: 0n, maskedName: "Nguyễn V. H.", noticeHash: new Uint8Array(16).fill(7)
}
const token = await run(signNoticeToken(notice), signer)

const listOf = async (states: ReadonlyArray<NoticeLineState>, issuedAt = "2025-06-23T04:00:00.000Z") => {
  const content: NoticeStatusContent = { agency: "HCM", caseDecision: "3699/QĐ-CTHADS", round: 8, issuedAt, freshForSeconds: 120, states }
  return run(signNoticeStatus(content), signer)
}
const opened = async (bytes: Uint8Array) => Result.getOrThrow(await openNoticeStatus(bytes, pki.trust))

describe("a signed notice token", () => {
  test("verifies against the trust list; any one flipped bit is refused", async () => {
    expect((await authenticateNotice(token, pki.trust))._tag).toBe("Authentic")
    const bits = Result.getOrThrow(decodeBase45(token)).length * 8
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: bits - 1 }), async (bit) => {
        const result = await authenticateNotice(flipBit(token, bit), pki.trust)
        expect(result._tag).not.toBe("Authentic")
      }),
      { numRuns: 300 }
    )
  })

  test("another agency's key, a stranger's key or a seal it does not name: refused", async () => {
    const hni = await run(signNoticeToken({ ...notice, agency: "HNI" }), signerFor("HNI", pki.hni))
    expect((await authenticateNotice(hni, pki.trust))._tag).toBe("Authentic")
    const forged = await run(signNoticeToken(notice), signerFor("HCM", pki.stranger))
    expect((await authenticateNotice(forged, pki.trust))._tag).toBe("UnknownKey")
    const expired = await run(signNoticeToken(notice), signerFor("HCM", pki.expired))
    expect((await authenticateNotice(expired, pki.trust))._tag).toBe("CertificateNotValidAtIssueDate")
  })

  test("the status list decides: paid, returned, stale, missing, too short", async () => {
    const now = { now: "2025-06-23T04:01:00.000Z" }
    const at = async (states: ReadonlyArray<NoticeLineState>, when = now) => verifyNotice(token, pki.trust, indexNoticeStatus([await opened(await listOf(states))]), when)
    const paid = await at(["approved", "paid", "paid", "sent"])
    expect(paid).toMatchObject({ _tag: "Valid", state: "paid", lines: ["paid", "paid"] })
    const returned = await at(["paid", "paid", "returned"])
    expect(returned).toMatchObject({ _tag: "Valid", state: "returned", lines: ["paid", "returned"] })
    // Stale: a list older than it vouches for says nothing of a line that may still change...
    const later = { now: "2025-06-23T05:00:00.000Z" }
    expect(await at(["paid", "sent", "sent"], later)).toMatchObject({ _tag: "StatusUnknown", reason: "stale" })
    // ...but paid and deposited are final.
    expect(await at(["paid", "paid", "deposited"], later)).toMatchObject({ _tag: "Valid", state: "settled" })
    expect(await at(["paid", "paid"])).toMatchObject({ _tag: "StatusUnknown", reason: "not_covered" })
    expect(await verifyNotice(token, pki.trust, indexNoticeStatus([]), now)).toMatchObject({ _tag: "StatusUnknown", reason: "no_status_list" })
  })

  test("a status list round-trips; any one flipped bit of it is refused", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom<NoticeLineState>("approved", "sent", "paid", "returned", "deposited"), { minLength: 1, maxLength: 40 }), async (states) => {
        const bytes = await listOf(states)
        const list = await opened(bytes)
        expect([...list.states]).toEqual(states)
        const bit = (bytes.length * 8 * 0.618) | 0
        const copy = new Uint8Array(bytes)
        copy[bit >> 3]! ^= 1 << (bit & 7)
        expect(Result.isFailure(await openNoticeStatus(copy, pki.trust))).toBe(true)
      }),
      { numRuns: 40 }
    )
    const bytes = await listOf(["paid", "returned", "sent"])
    for (let bit = 0; bit < bytes.length * 8; bit++) {
      const copy = new Uint8Array(bytes)
      copy[bit >> 3]! ^= 1 << (bit & 7)
      expect(Result.isFailure(await openNoticeStatus(copy, pki.trust))).toBe(true)
    }
  })

  test("the notice's one state: returned first, then on its way, then not sent, then settled", () => {
    expect(noticeStateOf(["paid", "returned", "sent"])).toBe("returned")
    expect(noticeStateOf(["paid", "sent"])).toBe("sent")
    expect(noticeStateOf(["approved", "paid"])).toBe("approved")
    expect(noticeStateOf(["paid", "paid"])).toBe("paid")
    expect(noticeStateOf(["deposited"])).toBe("deposited")
    expect(noticeStateOf(["deposited", "paid"])).toBe("settled")
  })
})
