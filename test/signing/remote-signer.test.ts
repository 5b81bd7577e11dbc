/**
 * The remote signer (adapters/remote-signing/) against a signing service of
 * our own run as a real HTTP server (./remote-signing-service.ts): a
 * request waits, pending, until the "phone" confirms, and the seal then
 * verifies under the credential's certificate; a refusal on the phone, no
 * answer in time, the service's own expiry, a lapsed activation and a
 * message the approver never confirmed each end in one clear SigningError
 * with nothing signed. In two steps, a batch confirmed once signs its
 * messages and nothing else.
 */
import { afterAll, describe, expect, test } from "bun:test"
import { Effect, Result } from "effect"
import { canonicalBytes } from "../../domain/canonical.ts"
import { fromBase64Url } from "../../domain/signing/bytes.ts"
import { sealReceipt, signToken } from "../../domain/signing/issue-token.ts"
import { indexStatusLists } from "../../domain/signing/status-list.ts"
import { verify } from "../../domain/signing/verify.ts"

import type { Authorization } from "../../domain/signing/remote-authorization.ts"
import { remoteSigner, RemoteSigner } from "../../adapters/remote-signing/remote-signer.ts"
import type { RemoteSigningConfig } from "../../adapters/remote-signing/remote-signer.ts"
import { importNodePublicKey } from "../../adapters/verify/node-crypto.ts"
import { makePki, receipt, statusListFor } from "./fixtures.ts"
import { startSigningService, type SigningService } from "./remote-signing-service.ts"

const pki = await makePki()
const services: Array<SigningService> = []
const start = async (over: { approvalSeconds?: number; sadSeconds?: number } = {}) => {
  const s = await startSigningService({ credentialId: "HCM-smartca-01", certificate: pki.hcm.certificate, privateKey: pki.hcm.keys.privateKey, accessToken: "service-token-not-logged", ...over })
  services.push(s)
  return s
}
afterAll(() => services.forEach((s) => s.stop()))

const config = (s: SigningService, over: Partial<RemoteSigningConfig> = {}): RemoteSigningConfig => ({
  baseUrl: s.url,
  accessToken: "service-token-not-logged",
  credentials: [{ agency: "HCM", credentialId: "HCM-smartca-01" }],
  pollIntervalMs: 20,
  confirmTimeoutMs: 10_000,
  ...over
})

/** The approver's phone: waits for a pending request and confirms or refuses it over HTTP. */
const phone = async (s: SigningService, answer: "confirm" | "refuse", count = 1) => {
  for (let done = 0; done < count;) {
    const ids = (await (await fetch(`${s.url}/test/pending`)).json()) as Array<string>
    for (const id of ids) {
      expect((await fetch(`${s.url}/test/${answer}/${id}`, { method: "POST" })).status).toBe(200)
      done++
    }
    await Bun.sleep(10)
  }
}

const check = await importNodePublicKey(new Uint8Array(pki.hcm.certificate.publicKey.rawData), "ECDSA-P256")

describe("remote signing (SmartCA style)", () => {
  test("the request is pending until the phone confirms; then the seal verifies under the credential's certificate", async () => {
    const s = await start()
    const seen: Array<Authorization["_tag"]> = []
    const r = receipt()
    const sealing = Effect.runPromise(Effect.provide(sealReceipt(r), RemoteSigner.layer(config(s, { onPending: (_, a) => seen.push(a._tag) }))))
    await Bun.sleep(100)
    // Nothing is signed while the approver has not confirmed.
    expect(seen).toEqual(["Pending"])
    expect(s.signed).toEqual([])
    await phone(s, "confirm")
    const seal = await sealing
    expect(seal).toMatchObject({ algorithm: "ECDSA-P256", keyId: pki.hcm.keyId })
    expect(check.verify(fromBase64Url(seal.signature)!, canonicalBytes(r))).toBe(true)
    // Exactly the hash of the canonical bytes was sent and signed.
    expect(s.signed).toEqual([Buffer.from(new Uint8Array(await crypto.subtle.digest("SHA-256", canonicalBytes(r) as Uint8Array<ArrayBuffer>))).toString("base64")])
  })

  test("a QR token signed remotely verifies", async () => {
    const s = await start()
    const r = receipt()
    const signing = Effect.runPromise(Effect.provide(signToken(r), RemoteSigner.layer(config(s))))
    await phone(s, "confirm")
    const status = indexStatusLists([await statusListFor({ agency: "HCM", form: "01-BLTHADS", symbol: "AA/25E", issuedAt: "2025-07-01T00:00:00.000Z", freshForSeconds: 120, size: 50, voided: [], replaced: [] }, pki.hcm, pki.trust)])
    expect((await verify(await signing, pki.trust, status, { now: "2025-07-01T00:01:00.000Z" }))._tag).toBe("Valid")
  })

  test("a refusal on the phone is a clear 'refused', and nothing is signed", async () => {
    const s = await start()
    const sealing = Effect.runPromise(Effect.result(Effect.provide(sealReceipt(receipt()), RemoteSigner.layer(config(s)))))
    await phone(s, "refuse")
    const r = await sealing
    expect(Result.isFailure(r) && r.failure).toMatchObject({ reason: "refused" })
    expect(Result.isFailure(r) && r.failure.message).toContain("the approver declined the signature on the phone")
    expect(s.signed).toEqual([])
  })

  test("no confirmation within our timeout, or the service's own expiry, is a clear 'timeout', and nothing is signed", async () => {
    const s = await start()
    const started = Date.now()
    const r = await Effect.runPromise(Effect.result(Effect.provide(sealReceipt(receipt()), RemoteSigner.layer(config(s, { confirmTimeoutMs: 300 })))))
    expect(Result.isFailure(r) && r.failure).toMatchObject({ reason: "timeout" })
    expect(Result.isFailure(r) && r.failure.message).toContain("did not confirm within")
    expect(Date.now() - started).toBeLessThan(3_000)
    const quick = await start({ approvalSeconds: 1 })
    const r2 = await Effect.runPromise(Effect.result(Effect.provide(sealReceipt(receipt()), RemoteSigner.layer(config(quick)))))
    expect(Result.isFailure(r2) && r2.failure.reason).toBe("timeout")
    expect([...s.signed, ...quick.signed]).toEqual([])
  })

  test("in two steps: a batch confirmed once signs its messages quickly, and nothing else; a lapsed activation signs nothing", async () => {
    const s = await start({ sadSeconds: 1 })
    const signer = await remoteSigner(config(s))
    const messages = ["biên lai 1", "biên lai 2", "biên lai 3"].map((m) => new TextEncoder().encode(m))
    const authorizing = Effect.runPromise(signer.authorize("HCM", "seal", { count: 3, messages }, "3 biên lai của HCM"))
    await phone(s, "confirm")
    const authorization = await authorizing
    expect(authorization.state()._tag).toBe("Authorized")
    const started = performance.now()
    for (const m of messages.slice(0, 2)) {
      const seal = await Effect.runPromise(authorization.sign(m))
      expect(check.verify(fromBase64Url(seal.signature)!, m)).toBe(true)
    }
    expect(performance.now() - started).toBeLessThan(1_000)
    // A message the approver never saw is refused here; the service is not even asked.
    const stranger = await Effect.runPromise(Effect.result(authorization.sign(new TextEncoder().encode("biên lai giả"))))
    expect(Result.isFailure(stranger) && stranger.failure.message).toContain("is not one the approver confirmed")
    expect(s.signed).toHaveLength(2)
    // Signing the same message twice is refused too.
    const twice = await Effect.runPromise(Effect.result(authorization.sign(messages[0]!)))
    expect(Result.isFailure(twice)).toBe(true)
    // The activation lapses after a second: the third message is no longer signed.
    await Bun.sleep(1_100)
    const late = await Effect.runPromise(Effect.result(authorization.sign(messages[2]!)))
    expect(Result.isFailure(late) && late.failure).toMatchObject({ reason: "timeout" })
    expect(s.signed).toHaveLength(2)
  })

  test("for bytes made after the confirmation (issuance numbers under the lock): N signatures of any bytes, then no more", async () => {
    const s = await start()
    const signer = await remoteSigner(config(s))
    const authorizing = Effect.runPromise(signer.authorize("HCM", "seal", { count: 2 }, "2 biên lai của HCM, đợt 7"))
    await phone(s, "confirm")
    const authorization = await authorizing
    // Only now are the bytes made (in issuance: the numbers are given under the series lock).
    const made = ["số 0000041", "số 0000042", "số 0000043"].map((m) => new TextEncoder().encode(m))
    for (const m of made.slice(0, 2)) expect(check.verify(fromBase64Url((await Effect.runPromise(authorization.sign(m))).signature)!, m)).toBe(true)
    const third = await Effect.runPromise(Effect.result(authorization.sign(made[2]!)))
    expect(Result.isFailure(third) && third.failure.message).toContain("the authorisation is exhausted")
    expect(authorization.state()._tag).toBe("Exhausted")
    expect(s.signed).toHaveLength(2)
  })

  test("a wrong access token or an unknown credential stops the signer at start, with the service's reason; the token is not in it", async () => {
    const s = await start()
    const bad = await Effect.runPromise(Effect.result(Effect.provide(sealReceipt(receipt()), RemoteSigner.layer(config(s, { accessToken: "wrong-token-abc" })))))
    expect(Result.isFailure(bad) && bad.failure.message).toContain("the access token is not valid")
    expect(Result.isFailure(bad) && bad.failure.message).not.toContain("wrong-token-abc")
    const unknown = await Effect.runPromise(Effect.result(Effect.provide(sealReceipt(receipt()), RemoteSigner.layer(config(s, { credentials: [{ agency: "HCM", credentialId: "nope" }] })))))
    expect(Result.isFailure(unknown) && unknown.failure.message).toContain("unknown credentialID")
    // A credential certified for another agency is refused for this one.
    const other = await Effect.runPromise(Effect.result(Effect.provide(sealReceipt(receipt()), RemoteSigner.layer(config(s, { credentials: [{ agency: "HNI", credentialId: "HCM-smartca-01" }] })))))
    expect(Result.isFailure(other) && other.failure.message).toContain("is certified for HCM, not HNI")
  })
})

