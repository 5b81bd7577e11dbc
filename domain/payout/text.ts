/**
 * Small schema parts shared by the payout schemas.
 */
import { Schema } from "effect"

export const pattern = (regExp: RegExp, expected: string) =>
  Schema.String.check(Schema.isPattern(regExp, { expected, message: `expected ${expected}` }))

/** Free text a person typed: not blank, no surrounding spaces, at most `max` characters. */
export const text = (max: number, expected: string) =>
  Schema.String.check(
    Schema.makeFilter((s: string) => {
      if (s.trim() === "") return `${expected} must not be empty`
      if (s !== s.trim()) return `${expected} must not start or end with spaces`
      if (s.length > max) return `${expected} is longer than ${max} characters`
      return undefined
    }, { expected })
  )
