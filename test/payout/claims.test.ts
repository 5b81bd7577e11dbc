/**
 * The creditor list: every problem named with its row, nothing accepted
 * half-way, and the bank adapter's check plugged in as a parameter.
 */
import { describe, expect, test } from "bun:test"
import { Result } from "effect"
import fc from "fast-check"
import { claimJson, decodeClaims, type InvalidClaims } from "../../domain/payout/claim.ts"
import { validCccdArbitrary } from "../domain/identity.arbitraries.ts"
import { makeClaim } from "./fixtures.ts"

const row = (n: number, over: Record<string, unknown> = {}) => ({ ...claimJson(makeClaim(n)), ...over })

const problemsOf = (rows: ReadonlyArray<unknown>, options = {}): InvalidClaims["problems"] => {
  const r = decodeClaims(rows, options)
  if (Result.isSuccess(r)) throw new Error("the list was accepted")
  return r.failure.problems
}

describe("decodeClaims", () => {
  test("accepts a valid list, amounts as bigint", () => {
    const r = decodeClaims([row(1), row(2, { owed: "30081000000000", rank: "a" }), row(3, { bankAccount: undefined })].map((x) =>
      JSON.parse(JSON.stringify(x))
    ))
    expect(Result.isSuccess(r)).toBe(true)
    const claims = Result.getOrThrow(r)
    expect(claims[1]!.owed).toBe(30_081_000_000_000n)
    expect(claims[2]!.bankAccount).toBeUndefined()
  })

  test("a negative claim, a zero claim and a fractional claim are each named with their row", () => {
    const problems = problemsOf([row(1, { owed: "-5000" }), row(2, { owed: "0" }), row(3, { owed: "12.5" }), row(4)])
    expect(problems.map((p) => [p.row, p.path])).toEqual([[1, "owed"], [2, "owed"], [3, "owed"]])
    expect(problems[0]!.message).toContain("negative")
    expect(problems[1]!.message).toContain("zero")
    expect(problems[2]!.message).toContain("not whole đồng")
  })

  test("a creditor listed twice in the same rank, and a claim id used twice, name both rows", () => {
    const problems = problemsOf([row(1), row(2), row(3, { creditor: row(1).creditor }), row(4, { id: row(2).id })])
    expect(problems).toEqual([
      { row: 3, path: "creditor.identityNumber", message: expect.stringContaining("listed twice in rank c (also on row 1)") },
      { row: 4, path: "id", message: expect.stringContaining("already used on row 2") }
    ])
  })

  test("the same person in two ranks is two claims; under two names it is an error", () => {
    expect(Result.isSuccess(decodeClaims([row(1), row(2, { creditor: row(1).creditor, rank: "a" })]))).toBe(true)
    const problems = problemsOf([row(1), row(2, { creditor: { ...row(1).creditor, name: "Nguyễn Văn Khác" }, rank: "a" })])
    expect(problems).toEqual([{ row: 2, path: "creditor.name", message: expect.stringContaining("on row 1") }])
  })

  test("every invalid field of every row at once", () => {
    const problems = problemsOf([
      row(1, { creditor: { identityNumber: "001299999", name: "" }, rank: "d", requestDate: "2025-02-30", bankAccount: { bin: "97043", number: "12 34" } }),
      row(2),
      row(3, { extra: true })
    ])
    const paths = problems.map((p) => `${p.row}:${p.path}`)
    expect(paths).toContain("1:creditor.name")
    expect(paths).toContain("1:rank")
    expect(paths).toContain("1:requestDate")
    expect(paths).toContain("1:bankAccount.bin")
    expect(paths).toContain("1:bankAccount.number")
    expect(paths.some((p) => p.startsWith("3:"))).toBe(true)
    expect(paths.some((p) => p.startsWith("2:"))).toBe(false)
  })

  test("identity numbers typed with spaces and names in NFD are stored canonical", () => {
    const claims = Result.getOrThrow(decodeClaims([row(1, { creditor: { identityNumber: "079 085 000 001", name: "Nguyễn Văn An".normalize("NFD") } })]))
    expect(claims[0]!.creditor.identityNumber).toBe("079085000001")
    expect(claims[0]!.creditor.name).toBe("Nguyễn Văn An".normalize("NFC"))
  })

  test("the bank adapter's check plugs in and its refusal is named with the row", () => {
    const checkBankAccount = (a: { bin: string }) => (a.bin === "970436" ? undefined : `unknown bank BIN ${a.bin}`)
    const problems = problemsOf([row(1), row(2, { bankAccount: { bin: "999999", number: "123" } })], { checkBankAccount })
    expect(problems).toEqual([{ row: 2, path: "bankAccount", message: "unknown bank BIN 999999" }])
  })

  test("property: any list of valid distinct creditors decodes, in the same order, with the same amounts", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.record({ cccd: validCccdArbitrary, owed: fc.bigInt({ min: 1n, max: 10n ** 15n - 1n }) }), {
          selector: (r) => r.cccd.value,
          maxLength: 30
        }),
        (people) => {
          const rows = people.map((p, i) => row(i, { creditor: { identityNumber: p.cccd.value, name: `Người ${i}` }, owed: p.owed.toString() }))
          const claims = Result.getOrThrow(decodeClaims(rows))
          expect(claims.map((c) => c.owed)).toEqual(people.map((p) => p.owed))
          expect(claims.map(claimJson)).toEqual(rows as never)
        }
      ),
      { numRuns: 100 }
    )
  })
})
