import { describe, expect, test } from "bun:test"
import { Result } from "effect"
import fc from "fast-check"
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { secretFromBytes, secretKey, signWebhook, verifyWebhook, webhookHeaders, WEBHOOK_TOLERANCE_SECONDS } from "../../adapters/notify/webhook-signature.ts"
import { makeReceiver } from "./webhook-receiver.ts"

const vectors = JSON.parse(readFileSync(join(import.meta.dir, "vectors", "standard-webhooks.json"), "utf8")) as {
  vectors: Array<{ secret: string; id: string; timestamp: number; body: string; signature: string }>
}

const secretArb = fc.uint8Array({ minLength: 24, maxLength: 64 }).map(secretFromBytes)
const idArb = fc.stringMatching(/^[A-Za-z0-9_-]{1,40}$/)
const bodyArb = fc.oneof(fc.string(), fc.json())
const now = 1_750_650_000

const verify = (secrets: Array<string>, headers: Record<string, string>, body: string | Uint8Array, at = now) =>
  verifyWebhook({ secrets, headers, body, nowSeconds: at })

const reason = (r: ReturnType<typeof verify>): string => {
  if (Result.isSuccess(r)) throw new Error("expected a refusal")
  return r.failure._tag === "WebhookVerificationError" ? r.failure.reason : r.failure._tag
}

describe("Standard Webhooks signatures", () => {
  test("the specification's published test vector", () => {
    for (const v of vectors.vectors) {
      expect(Result.getOrThrow(signWebhook(v.secret, { id: v.id, timestamp: v.timestamp, body: v.body }))).toBe(v.signature)
      const headers = { "webhook-id": v.id, "webhook-timestamp": String(v.timestamp), "webhook-signature": v.signature }
      expect(Result.isSuccess(verify([v.secret], headers, v.body, v.timestamp + 10))).toBe(true)
    }
  })

  test("sign then verify, for any secret, id and body", () => {
    fc.assert(
      fc.property(secretArb, idArb, bodyArb, fc.integer({ min: -WEBHOOK_TOLERANCE_SECONDS, max: WEBHOOK_TOLERANCE_SECONDS }), (secret, id, body, skew) => {
        const headers = Result.getOrThrow(webhookHeaders([secret], { id, timestamp: now, body }))
        expect(Result.getOrThrow(verify([secret], headers, body, now + skew))).toEqual({ id, timestamp: now })
      })
    )
  })

  test("any change to the body, the id or the timestamp, or another secret, is refused", () => {
    fc.assert(
      fc.property(secretArb, secretArb, idArb, bodyArb, (secret, other, id, body) => {
        fc.pre(secret !== other)
        const headers = Result.getOrThrow(webhookHeaders([secret], { id, timestamp: now, body }))
        expect(reason(verify([secret], headers, `${body} `))).toBe("no_matching_signature")
        expect(reason(verify([secret], { ...headers, "webhook-id": `${id}x` }, body))).toBe("no_matching_signature")
        expect(reason(verify([secret], { ...headers, "webhook-timestamp": String(now - 1) }, body))).toBe("no_matching_signature")
        expect(reason(verify([other], headers, body))).toBe("no_matching_signature")
      })
    )
  })

  test("the replay window is 5 minutes either way", () => {
    const secret = vectors.vectors[0]!.secret
    const headers = Result.getOrThrow(webhookHeaders([secret], { id: "abc", timestamp: now, body: "{}" }))
    expect(Result.isSuccess(verify([secret], headers, "{}", now + 300))).toBe(true)
    expect(reason(verify([secret], headers, "{}", now + 301))).toBe("too_old")
    expect(reason(verify([secret], headers, "{}", now - 301))).toBe("too_new")
  })

  test("missing or malformed headers are refused by name", () => {
    const secret = vectors.vectors[0]!.secret
    const headers = Result.getOrThrow(webhookHeaders([secret], { id: "abc", timestamp: now, body: "{}" }))
    const { "webhook-signature": _s, ...noSignature } = headers
    expect(reason(verify([secret], noSignature, "{}"))).toBe("missing_header")
    expect(reason(verify([secret], { ...headers, "webhook-timestamp": "soon" }, "{}"))).toBe("bad_timestamp")
    expect(reason(verify([secret], { ...headers, "webhook-signature": "v1,short" }, "{}"))).toBe("no_matching_signature")
    expect(reason(verify([secret], { ...headers, "webhook-signature": headers["webhook-signature"].replace("v1,", "v1a,") }, "{}"))).toBe(
      "no_matching_signature"
    )
    // Header names are case-insensitive.
    expect(Result.isSuccess(verify([secret], { "Webhook-Id": "abc", "WEBHOOK-TIMESTAMP": String(now), "webhook-signature": headers["webhook-signature"] }, "{}"))).toBe(true)
  })

  test("during a rotation both secrets sign and either verifies", () => {
    fc.assert(
      fc.property(secretArb, secretArb, (oldSecret, newSecret) => {
        const headers = Result.getOrThrow(webhookHeaders([newSecret, oldSecret], { id: "rot", timestamp: now, body: "x" }))
        expect(headers["webhook-signature"].split(" ")).toHaveLength(2)
        expect(Result.isSuccess(verify([oldSecret], headers, "x"))).toBe(true)
        expect(Result.isSuccess(verify([newSecret], headers, "x"))).toBe(true)
      }),
      { numRuns: 20 }
    )
  })

  test("secrets are whsec_ and 24 to 64 bytes of base64", () => {
    expect(Result.isFailure(secretKey("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"))).toBe(true)
    expect(Result.isFailure(secretKey("whsec_c2hvcnQ="))).toBe(true)
    expect(Result.isFailure(secretKey("whsec_not base64!"))).toBe(true)
    expect(Result.getOrThrow(secretKey(vectors.vectors[0]!.secret))).toHaveLength(24)
    expect(Result.isFailure(signWebhook(vectors.vectors[0]!.secret, { id: "a.b", timestamp: now, body: "" }))).toBe(true)
  })

  test("the receiver written from docs/NOTIFICATIONS.md agrees with the signer", async () => {
    await fc.assert(
      fc.asyncProperty(secretArb, idArb, bodyArb, async (secret, id, body) => {
        const receiver = makeReceiver(secret, () => now * 1000)
        const headers = Result.getOrThrow(webhookHeaders([secret], { id, timestamp: now, body: JSON.stringify(body) }))
        const response = await receiver.handle(new Request("http://receiver/hook", { method: "POST", headers, body: JSON.stringify(body) }))
        expect(response.status).toBe(204)
        expect(receiver.processed).toEqual([{ id, payload: body }])
      }),
      { numRuns: 40 }
    )
  })
})
