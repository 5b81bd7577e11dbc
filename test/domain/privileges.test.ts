/**
 * The pure rules of officer administration (domain/privileges.ts):
 * enrolment codes round-trip through what a person types, and no approval
 * passes when the approver made the request, is no admin of that agency, or
 * names anything other than what was asked.
 */
import { describe, expect, test } from "bun:test"
import fc from "fast-check"
import { Result } from "effect"
import {
  checkApproval,
  enrolmentCodeFromBytes,
  normalizeEnrolmentCode,
  parseOfficerDetails,
  type PrivilegeRequest,
  Roles,
  tokenLifetimeDays
} from "../../domain/privileges.ts"

const bytes13 = fc.uint8Array({ minLength: 13, maxLength: 13 })

describe("enrolment codes", () => {
  test("a code reads back as itself however it is typed: case, spaces, dashes, I/L for 1, O for 0", () => {
    fc.assert(fc.property(bytes13, fc.constantFrom("lower", "spaces", "plain", "lookalikes"), (b, style) => {
      const code = enrolmentCodeFromBytes(b)
      expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{5}(-[0-9A-HJKMNP-TV-Z]{5}){3}$/)
      const typed = style === "lower" ? code.toLowerCase()
        : style === "spaces" ? ` ${code.replace(/-/g, " ")} `
        : style === "plain" ? code.replace(/-/g, "")
        : code.replace(/1/g, "l").replace(/0/g, "O")
      expect(normalizeEnrolmentCode(typed)).toBe(code)
    }))
  })

  test("different first 100 bits give different codes; anything that is not a code is refused", () => {
    fc.assert(fc.property(bytes13, bytes13, (a, b) => {
      const sameBits = a.slice(0, 12).every((x, i) => x === b[i]) && (a[12]! >> 4) === (b[12]! >> 4)
      expect(enrolmentCodeFromBytes(a) === enrolmentCodeFromBytes(b)).toBe(sameBits)
    }))
    fc.assert(fc.property(fc.string({ maxLength: 40 }), (text) => {
      const n = normalizeEnrolmentCode(text)
      if (n !== undefined) expect(normalizeEnrolmentCode(n)).toBe(n)
    }))
    for (const bad of ["", "blk_abc", "7KQ2M-9XWPD-3HRTA-0BCV", "7KQ2M-9XWPD-3HRTA-0BCVEU", "7KQ2M-9XWPD-3HRTA-0BCV!"]) expect(normalizeEnrolmentCode(bad)).toBeUndefined()
  })
})

describe("approvals", () => {
  const ids = fc.constantFrom("admin.a", "admin.b", "lan.nguyen")
  const request = fc.record({
    requestedBy: ids,
    agency: fc.constantFrom("HCM", "HNI"),
    officer: fc.constantFrom("vy.truong", "lan.nguyen"),
    name: fc.constantFrom("Trương Thảo Vy", "Lan"),
    role: fc.constantFrom(...Roles),
    kind: fc.constantFrom("create" as const, "role" as const),
    decision: fc.constantFrom(null, "approved" as const, "rejected" as const),
    expiresInMs: fc.integer({ min: -10_000, max: 10_000 })
  }).map((r): PrivilegeRequest => ({
    id: "6a1f5c7e-0000-4000-8000-000000000000",
    ...r,
    requestedAt: "2025-06-23T00:00:00.000Z",
    expiresAt: new Date(Date.parse("2025-06-23T12:00:00.000Z") + r.expiresInMs).toISOString()
  }))
  const approver = fc.record({ officer: ids, agency: fc.constantFrom("HCM", "HNI"), role: fc.constantFrom(...Roles) })
  const seen = fc.record({ officer: fc.constantFrom("vy.truong", "lan.nguyen"), name: fc.constantFrom("Trương Thảo Vy", "Lan"), role: fc.constantFrom(...Roles) })

  test("an approval passes exactly when a second admin of the agency names an open, unexpired request as asked", () => {
    fc.assert(fc.property(request, approver, seen, (r, a, s) => {
      const ok = Result.isSuccess(checkApproval(r, a, s, "2025-06-23T12:00:00.000Z"))
      const expected = a.role === "admin" && a.agency === r.agency && r.decision === null && Date.parse(r.expiresAt) > Date.parse("2025-06-23T12:00:00.000Z") &&
        a.officer !== r.requestedBy && s.officer === r.officer && s.name === r.name && s.role === r.role
      expect(ok).toBe(expected)
      if (a.officer === r.requestedBy) expect(ok).toBe(false)
    }), { numRuns: 2000 })
  })

  test("officer details: every problem is named at once", () => {
    const bad = parseOfficerDetails({ id: "Vy Truong", name: "", role: "chief" })
    expect(Result.isFailure(bad) && bad.failure.length).toBe(3)
    expect(Result.getOrThrow(parseOfficerDetails({ id: "vy.truong", name: " Trương Thảo Vy ", role: "officer" }))).toEqual({ officer: "vy.truong", name: "Trương Thảo Vy", role: "officer" })
  })

  test("token lifetimes: the default unless asked, never beyond the maximum", () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 400 }), fc.integer({ min: 1, max: 400 }), fc.oneof(fc.constant(undefined), fc.integer({ min: -5, max: 500 }), fc.double(), fc.string()), (defaultDays, maxDays, asked) => {
      const r = tokenLifetimeDays(asked, { defaultDays, maxDays })
      if (Result.isSuccess(r)) expect(r.success >= 1 && r.success <= maxDays).toBe(true)
      if (asked === undefined) expect(r).toEqual(Result.succeed(Math.min(defaultDays, maxDays)))
    }))
  })
})
