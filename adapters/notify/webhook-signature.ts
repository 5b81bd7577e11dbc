/**
 * Standard Webhooks signatures (https://www.standardwebhooks.com, spec
 * version 1.0.0, symmetric scheme): the sender signs
 * `webhook-id + "." + webhook-timestamp + "." + body` with HMAC-SHA256 under
 * the endpoint's secret and sends `v1,` + base64(signature) in
 * `webhook-signature` (space-separated when several secrets are in use
 * during a rotation). Secrets are written `whsec_` + base64 of 24 to 64
 * random bytes.
 *
 * The verifier is for the receiving side (and documented in
 * docs/NOTIFICATIONS.md so that a receiver can be written without this
 * code): it checks the three headers, refuses a timestamp more than the
 * tolerance (5 minutes) away from its clock, and compares signatures in
 * constant time. Remembering ids (the idempotency key) is the receiver's
 * part.
 */
import { createHmac, timingSafeEqual } from "node:crypto"
import { Result, Schema } from "effect"

export const WEBHOOK_TOLERANCE_SECONDS = 5 * 60
const PREFIX = "whsec_"

export class InvalidWebhookSecret extends Schema.TaggedError<InvalidWebhookSecret>()("InvalidWebhookSecret", {
  message: Schema.String
}) {}

export const VerificationFailure = Schema.Literals([
  "missing_header",
  "bad_timestamp",
  "too_old",
  "too_new",
  "no_matching_signature"
])
export type VerificationFailure = typeof VerificationFailure.Type

export class WebhookVerificationError extends Schema.TaggedError<WebhookVerificationError>()("WebhookVerificationError", {
  reason: VerificationFailure,
  message: Schema.String
}) {}

/** The key bytes of a `whsec_` secret, or why it is not one. */
export const secretKey = (secret: string): Result.Result<Uint8Array, InvalidWebhookSecret> => {
  if (!secret.startsWith(PREFIX)) return Result.fail(new InvalidWebhookSecret({ message: `a webhook secret starts with "${PREFIX}"` }))
  const body = secret.slice(PREFIX.length)
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(body) || body.length % 4 !== 0) {
    return Result.fail(new InvalidWebhookSecret({ message: `after "${PREFIX}" a webhook secret is standard base64` }))
  }
  const key = new Uint8Array(Buffer.from(body, "base64"))
  if (key.length < 24 || key.length > 64) {
    return Result.fail(new InvalidWebhookSecret({ message: `a webhook secret holds 24 to 64 bytes, not ${key.length}` }))
  }
  return Result.succeed(key)
}

/** A new secret from random bytes (24 to 64 of them). */
export const secretFromBytes = (bytes: Uint8Array): string => {
  if (bytes.length < 24 || bytes.length > 64) throw new RangeError("a webhook secret needs 24 to 64 random bytes")
  return PREFIX + Buffer.from(bytes).toString("base64")
}

const utf8 = new TextEncoder()
const asBytes = (body: string | Uint8Array): Uint8Array => (typeof body === "string" ? utf8.encode(body) : body)

const mac = (key: Uint8Array, id: string, timestamp: number, body: Uint8Array): Buffer =>
  createHmac("sha256", key).update(`${id}.${timestamp}.`).update(body).digest()

/** The `webhook-signature` value for one secret: "v1," + base64 HMAC-SHA256. */
export const signWebhook = (
  secret: string,
  message: { readonly id: string; readonly timestamp: number; readonly body: string | Uint8Array }
): Result.Result<string, InvalidWebhookSecret> => {
  if (message.id === "" || message.id.includes(".") || /\s/.test(message.id)) {
    return Result.fail(new InvalidWebhookSecret({ message: "a webhook id must be non-empty, without dots or spaces" }))
  }
  if (!Number.isSafeInteger(message.timestamp) || message.timestamp < 0) {
    return Result.fail(new InvalidWebhookSecret({ message: "a webhook timestamp is whole seconds since 1970" }))
  }
  return Result.map(secretKey(secret), (key) => `v1,${mac(key, message.id, message.timestamp, asBytes(message.body)).toString("base64")}`)
}

/** The three headers of one delivery, signed with every given secret (several during a rotation). */
export const webhookHeaders = (
  secrets: ReadonlyArray<string>,
  message: { readonly id: string; readonly timestamp: number; readonly body: string | Uint8Array }
): Result.Result<Record<"webhook-id" | "webhook-timestamp" | "webhook-signature", string>, InvalidWebhookSecret> => {
  const signatures: Array<string> = []
  for (const s of secrets) {
    const signed = signWebhook(s, message)
    if (Result.isFailure(signed)) return Result.fail(signed.failure)
    signatures.push(signed.success)
  }
  if (signatures.length === 0) return Result.fail(new InvalidWebhookSecret({ message: "no secret to sign with" }))
  return Result.succeed({ "webhook-id": message.id, "webhook-timestamp": String(message.timestamp), "webhook-signature": signatures.join(" ") })
}

type HeaderSource = Headers | Readonly<Record<string, string | undefined>>
const header = (h: HeaderSource, name: string): string | undefined => {
  if (h instanceof Headers) return h.get(name) ?? undefined
  const key = Object.keys(h).find((k) => k.toLowerCase() === name)
  return key === undefined ? undefined : h[key]
}

const fail = (reason: VerificationFailure, message: string) => Result.fail(new WebhookVerificationError({ reason, message }))

/**
 * Verifies a received webhook: the headers are present, the timestamp is
 * within `toleranceSeconds` of `nowSeconds`, and one of the `v1`
 * signatures matches one of the secrets. Returns the id and timestamp.
 * Pass the body exactly as received: parsing and re-serialising JSON
 * changes the bytes and breaks the signature.
 */
export const verifyWebhook = (input: {
  readonly secrets: ReadonlyArray<string>
  readonly headers: HeaderSource
  readonly body: string | Uint8Array
  readonly nowSeconds: number
  readonly toleranceSeconds?: number
}): Result.Result<{ readonly id: string; readonly timestamp: number }, WebhookVerificationError | InvalidWebhookSecret> => {
  const id = header(input.headers, "webhook-id")
  const stamp = header(input.headers, "webhook-timestamp")
  const signatures = header(input.headers, "webhook-signature")
  if (id === undefined || stamp === undefined || signatures === undefined || id === "") {
    return fail("missing_header", "webhook-id, webhook-timestamp and webhook-signature are all required")
  }
  if (!/^\d{1,12}$/.test(stamp)) return fail("bad_timestamp", "webhook-timestamp must be whole seconds since 1970")
  const timestamp = Number(stamp)
  const tolerance = input.toleranceSeconds ?? WEBHOOK_TOLERANCE_SECONDS
  if (input.nowSeconds - timestamp > tolerance) return fail("too_old", `the webhook is more than ${tolerance} s old (a replay?)`)
  if (timestamp - input.nowSeconds > tolerance) return fail("too_new", `the webhook's timestamp is more than ${tolerance} s ahead of this clock`)

  const keys: Array<Uint8Array> = []
  for (const s of input.secrets) {
    const key = secretKey(s)
    if (Result.isFailure(key)) return Result.fail(key.failure)
    keys.push(key.success)
  }
  const body = asBytes(input.body)
  const received = signatures.split(" ").flatMap((entry) => {
    const [version, value] = entry.split(",", 2)
    if (version !== "v1" || value === undefined) return []
    const bytes = Buffer.from(value, "base64")
    return bytes.length === 32 ? [bytes] : []
  })
  for (const key of keys) {
    const expected = mac(key, id, timestamp, body)
    if (received.some((r) => timingSafeEqual(r, expected))) return Result.succeed({ id, timestamp })
  }
  return fail("no_matching_signature", "no v1 signature in webhook-signature matches the secret")
}
