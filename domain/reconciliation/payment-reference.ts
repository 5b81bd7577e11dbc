/**
 * The bienlai payment reference: what a payer writes in the transfer memo
 * (or what a VietQR code puts there) so that the credit matches by itself.
 *
 *   "BL" + 10 body characters + 1 check character, e.g. "BL7K2M9QX4TR5"
 *
 * The body uses Crockford's base32 alphabet (digits and upper-case letters
 * without I, L, O, U), so it survives what banks do to memos: upper case, no
 * accents, no punctuation. The check character (Luhn mod 32) catches every
 * single wrong character and every swap of two neighbours but 0 and Z (the
 * one blind spot of Luhn mod N, between the first and last character), so a reference
 * found inside noise (spaces, dots or dashes the bank or payer inserted,
 * neighbouring words run together) is trusted only when it checks.
 *
 * A receipt or draft has a reference derived from its id (the first 50 bits
 * of its UUID); a payment request gets one from fresh randomness.
 */
import { Result, Schema } from "effect"
import { stripDiacritics } from "../text.ts"

export const REFERENCE_PREFIX = "BL"
export const REFERENCE_BODY_LENGTH = 10
export const REFERENCE_LENGTH = REFERENCE_PREFIX.length + REFERENCE_BODY_LENGTH + 1

const alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
const valueOf = new Map<string, number>(Array.from(alphabet, (c, i) => [c, i] as const))
// Crockford's reading of the look-alikes.
const lookAlikes: Record<string, string> = { O: "0", I: "1", L: "1" }

export class InvalidPaymentReference extends Schema.TaggedError<InvalidPaymentReference>()("InvalidPaymentReference", {
  input: Schema.String,
  message: Schema.String
}) {}

/** Luhn mod 32 over the body: the character that makes the weighted sum 0. */
export const checkCharacter = (body: string): string => {
  let sum = 0
  let double = true
  for (let i = body.length - 1; i >= 0; i--) {
    let v = valueOf.get(body[i] as string) ?? 0
    if (double) {
      v *= 2
      v = Math.floor(v / 32) + (v % 32)
    }
    sum += v
    double = !double
  }
  return alphabet[(32 - (sum % 32)) % 32] as string
}

/** The reference for a body of 10 alphabet characters. */
export const formatPaymentReference = (body: string): string => {
  if (body.length !== REFERENCE_BODY_LENGTH || Array.from(body).some((c) => !valueOf.has(c))) {
    throw new RangeError(`formatPaymentReference: ${JSON.stringify(body)} is not ${REFERENCE_BODY_LENGTH} base32 characters`)
  }
  return REFERENCE_PREFIX + body + checkCharacter(body)
}

/** A reference from 50 bits: the first 7 bytes given (the last 6 bits of the 7th are dropped). */
export const paymentReferenceFromBytes = (bytes: Uint8Array): string => {
  if (bytes.length < 7) throw new RangeError("paymentReferenceFromBytes needs 7 bytes")
  let bits = 0n
  for (let i = 0; i < 7; i++) bits = (bits << 8n) | BigInt(bytes[i] as number)
  bits >>= 6n
  let body = ""
  for (let i = 0; i < REFERENCE_BODY_LENGTH; i++) {
    body = alphabet[Number(bits & 31n)] + body
    bits >>= 5n
  }
  return formatPaymentReference(body)
}

/** The reference of a receipt or draft: from the first 50 bits of its UUID. */
export const paymentReferenceForId = (uuid: string): string => {
  const hex = uuid.replace(/-/g, "").slice(0, 14)
  const bytes = new Uint8Array(7)
  for (let i = 0; i < 7; i++) bytes[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16)
  return paymentReferenceFromBytes(bytes)
}

const compact = (text: string): string => (/^[\x00-\x7f]*$/.test(text) ? text : stripDiacritics(text)).toUpperCase().replace(/[^A-Z0-9]/g, "")

const normaliseBody = (text: string): string | undefined => {
  let out = ""
  for (const c of text) {
    const d = lookAlikes[c] ?? c
    if (!valueOf.has(d)) return undefined
    out += d
  }
  return out
}

/** One reference as typed: case, accents, spaces and punctuation do not matter; the check must hold. */
export const parsePaymentReference = (input: string): Result.Result<string, InvalidPaymentReference> => {
  const text = compact(input)
  const fail = (why: string) => Result.fail(new InvalidPaymentReference({ input, message: `${JSON.stringify(input)} is not a bienlai payment reference: ${why}` }))
  if (!text.startsWith(REFERENCE_PREFIX)) return fail(`it must start with ${REFERENCE_PREFIX}`)
  if (text.length !== REFERENCE_LENGTH) return fail(`it must have ${REFERENCE_LENGTH} letters and digits, not ${text.length}`)
  const rest = normaliseBody(text.slice(REFERENCE_PREFIX.length))
  if (rest === undefined) return fail("it holds a character outside 0-9 and A-Z without I, L, O, U")
  const body = rest.slice(0, REFERENCE_BODY_LENGTH)
  if (checkCharacter(body) !== rest.slice(REFERENCE_BODY_LENGTH)) return fail("its check character is wrong (a character was mistyped)")
  return Result.succeed(REFERENCE_PREFIX + rest)
}

/**
 * Every reference that checks inside a memo, in order of appearance, without
 * repeats. The memo is read with its spaces and punctuation removed, so a
 * reference split by the bank ("BL7K2M 9QX4TR5") is still found.
 */
export const findPaymentReferences = (memo: string): Array<string> => {
  const text = compact(memo)
  const found: Array<string> = []
  let at = text.indexOf(REFERENCE_PREFIX)
  while (at >= 0 && at + REFERENCE_LENGTH <= text.length) {
    const rest = normaliseBody(text.slice(at + REFERENCE_PREFIX.length, at + REFERENCE_LENGTH))
    if (rest !== undefined && checkCharacter(rest.slice(0, REFERENCE_BODY_LENGTH)) === rest.slice(REFERENCE_BODY_LENGTH)) {
      const ref = REFERENCE_PREFIX + rest
      if (!found.includes(ref)) found.push(ref)
    }
    at = text.indexOf(REFERENCE_PREFIX, at + 1)
  }
  return found
}
