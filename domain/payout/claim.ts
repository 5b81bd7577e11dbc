/**
 * Creditors (người được thi hành án) and their claims in one case, as Effect
 * Schemas. One claim is one row of a creditor list: who is owed, how much,
 * in which rank of art. 47, since when they requested enforcement, whether an
 * asset secures it, and where to send the money.
 *
 * `decodeClaims` checks a whole list and names every problem with its row,
 * including the ones only the list as a whole shows (a creditor listed twice),
 * because an officer fixing an import needs the complete list at once.
 */
import { Result, Schema, SchemaTransformation } from "effect"
import { IsoDate } from "../dates.ts"
import { IdentityNumberString, validateIdentityNumber } from "../identity.ts"
import { MAX_VND } from "../money.ts"
import { listIssues } from "../receipt.ts"
import { Rank } from "./rules.ts"
import { pattern, text } from "./text.ts"

/** A claim's id in the case: stable, opaque, unique; it orders ties. */
export const ClaimId = pattern(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/, "a claim id of 1–64 letters, digits, . _ : -")

/**
 * A Vietnamese bank account, by shape only: the bank's 6-digit NAPAS BIN
 * (970436 is Vietcombank) and the account number. Whether the BIN exists and
 * the number can be right is checked by the bank adapter, passed to
 * `decodeClaims` as `checkBankAccount`.
 */
export const BankAccount = Schema.Struct({
  bin: pattern(/^\d{6}$/, "a 6-digit bank BIN, like 970436"),
  number: pattern(/^[0-9A-Z]{1,19}$/, "an account number of 1–19 digits or capital letters")
})
export type BankAccount = typeof BankAccount.Type

export const Creditor = Schema.Struct({
  identityNumber: IdentityNumberString,
  name: text(200, "the creditor's name")
})
export type Creditor = typeof Creditor.Type

/** The amount owed: whole đồng, at least 1, below 10^15, written as plain digits. */
export const OwedFromString = Schema.String.check(
  Schema.makeFilter((s: string) => {
    if (/^-\s*\d/.test(s)) return `the amount owed is negative (${s}); a claim is at least 1 đồng`
    if (/^0+$/.test(s)) return "the amount owed is zero; a claim is at least 1 đồng"
    if (!/^[1-9]\d*$/.test(s)) return `the amount owed "${s}" is not whole đồng in plain digits`
    if (s.length > 15) return "the amount owed must be below 10^15 đồng"
    return undefined
  }, { expected: "the amount owed in plain digits" })
).pipe(
  Schema.decodeTo(
    Schema.BigInt.check(Schema.isBetweenBigInt({ minimum: 1n, maximum: MAX_VND, exclusiveMaximum: true })),
    SchemaTransformation.bigintFromString
  )
)

export const Claim = Schema.Struct({
  id: ClaimId,
  creditor: Creditor,
  rank: Rank,
  owed: OwedFromString,
  /** When the creditor requested enforcement; absent: not requested (Decree 62/2015 art. 49). */
  requestDate: Schema.optionalKey(IsoDate),
  /** The pledged or mortgaged asset that secures this claim (art. 47.3). */
  secured: Schema.optionalKey(Schema.Struct({ asset: text(300, "the secured asset") })),
  /** Where to send the money; absent: the share is deposited (gửi tiết kiệm). */
  bankAccount: Schema.optionalKey(BankAccount)
})
export type Claim = typeof Claim.Type
/** The JSON form: the amount owed as a digit string. */
export type ClaimJson = typeof Claim.Encoded

export interface ClaimProblem {
  /** 1-based position in the list. */
  readonly row: number
  readonly path: string
  readonly message: string
}

export class InvalidClaims extends Schema.TaggedError<InvalidClaims>()("InvalidClaims", {
  problems: Schema.Array(Schema.Struct({ row: Schema.Number, path: Schema.String, message: Schema.String })),
  message: Schema.String
}) {}

export interface DecodeClaimsOptions {
  /** The bank adapter's check of a BIN and account number: the problem, or undefined. */
  readonly checkBankAccount?: (account: BankAccount) => string | undefined
}

const decodeOne = Schema.decodeUnknownResult(Claim)

// People type identity numbers with spaces and dots and names in any Unicode
// form; the stored claim holds the canonical number and NFC text, so that
// duplicates are found and lookups match.
const tidyRow = (row: unknown): unknown => {
  if (row === null || typeof row !== "object") return row
  const r = row as Record<string, unknown>
  const creditor = r["creditor"]
  if (creditor === null || typeof creditor !== "object") return row
  const c = creditor as Record<string, unknown>
  const id = c["identityNumber"]
  const name = c["name"]
  const canonical = typeof id === "string" ? validateIdentityNumber(id) : undefined
  return {
    ...r,
    creditor: {
      ...c,
      ...(canonical !== undefined && Result.isSuccess(canonical) ? { identityNumber: canonical.success.value } : {}),
      ...(typeof name === "string" ? { name: name.normalize("NFC") } : {})
    }
  }
}

/**
 * Decodes a creditor list, or lists every problem with its row: each invalid
 * field, a bank account the bank adapter refuses, a claim id used twice, and
 * a creditor listed twice in the same rank (same identity number), or under
 * two different names.
 */
export const decodeClaims = (
  rows: ReadonlyArray<unknown>,
  options: DecodeClaimsOptions = {}
): Result.Result<ReadonlyArray<Claim>, InvalidClaims> => {
  const problems: Array<ClaimProblem> = []
  const claims: Array<Claim> = []
  const rowOfClaim: Array<number> = []
  rows.forEach((raw, index) => {
    const row = index + 1
    const decoded = decodeOne(tidyRow(raw), { errors: "all", onExcessProperty: "error" })
    if (Result.isFailure(decoded)) {
      for (const issue of listIssues(decoded.failure.issue)) problems.push({ row, ...issue })
      return
    }
    const claim = decoded.success
    const account = claim.bankAccount
    const refusal = account === undefined ? undefined : options.checkBankAccount?.(account)
    if (refusal !== undefined) problems.push({ row, path: "bankAccount", message: refusal })
    claims.push(claim)
    rowOfClaim.push(row)
  })

  const byId = new Map<string, number>()
  const byPerson = new Map<string, number>()
  const nameOf = new Map<string, { readonly name: string; readonly row: number }>()
  claims.forEach((claim, i) => {
    const row = rowOfClaim[i]!
    const sameId = byId.get(claim.id)
    if (sameId !== undefined) problems.push({ row, path: "id", message: `claim id "${claim.id}" is already used on row ${sameId}` })
    else byId.set(claim.id, row)
    const person = claim.creditor.identityNumber
    const personRank = `${person} ${claim.rank}`
    const sameRank = byPerson.get(personRank)
    if (sameRank !== undefined) {
      problems.push({
        row,
        path: "creditor.identityNumber",
        message: `the creditor ${person} is listed twice in rank ${claim.rank} (also on row ${sameRank}); merge the two claims`
      })
    } else {
      byPerson.set(personRank, row)
    }
    const named = nameOf.get(person)
    if (named === undefined) nameOf.set(person, { name: claim.creditor.name, row })
    else if (named.name !== claim.creditor.name) {
      problems.push({
        row,
        path: "creditor.name",
        message: `identity number ${person} is named "${claim.creditor.name}" here but "${named.name}" on row ${named.row}`
      })
    }
  })

  if (problems.length === 0) return Result.succeed(claims)
  problems.sort((a, b) => a.row - b.row)
  const shown = problems.slice(0, 20).map((p) => `row ${p.row}${p.path ? ` ${p.path}` : ""}: ${p.message}`).join("; ")
  const more = problems.length > 20 ? `; and ${problems.length - 20} more` : ""
  return Result.fail(
    new InvalidClaims({ problems, message: `the creditor list has ${problems.length} problem(s): ${shown}${more}` })
  )
}

/** The JSON form of a claim (amount owed as a digit string), without running the encoder. */
export const claimJson = (claim: Claim): ClaimJson => ({ ...claim, owed: claim.owed.toString(10) })
