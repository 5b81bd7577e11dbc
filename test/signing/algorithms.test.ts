/**
 * The legal algorithms (Circular 15/2025/TT-BKHCN): ECDSA P-256 by default,
 * RSA-PSS seals with an ECDSA P-256 token certificate beside them, Ed25519
 * still verified (a token of version 1 made before this change, kept in
 * test/vectors/token-v1-ed25519.json, still verifies); the algorithm a
 * version 2 token names must be its key's; and the verification primitive
 * comes through a port (node:crypto, WebCrypto, a cache of verified
 * signatures), all of which agree.
 */
import { describe, expect, test } from "bun:test"
import { Clock, Effect, Result } from "effect"
import { movableClock } from "../support/clock.ts"
import fc from "fast-check"
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { fromBase64Url } from "../../domain/signing/bytes.ts"
import { sealReceipt, signStatusList, signToken } from "../../domain/signing/issue-token.ts"
import { indexStatusLists, openStatusList } from "../../domain/signing/status-list.ts"
import { assembleToken, decodeToken, encodeTokenBody, tokenSignedBytes } from "../../domain/signing/token.ts"
import type { SignatureAlgorithm } from "../../domain/signing/trust.ts"
import { verify } from "../../domain/signing/verify.ts"
import { Signer } from "../../domain/ports/signer.ts"
import { initPki } from "../../adapters/keys/manage.ts"
import { keyStoreSigner } from "../../adapters/keys/signer.ts"
import { signTrustList } from "../../adapters/keys/signed-trust-list.ts"
import { buildTrustList, loadTrustList } from "../../adapters/keys/trust-list.ts"
import { x509 } from "../../adapters/keys/x509.ts"
import { importNodePublicKey, nodeCryptoVerifier } from "../../adapters/verify/node-crypto.ts"
import { verifiedCache } from "../../adapters/verify/verified-cache.ts"
import { currentRuntime, fastestPrimitive, fastestVerifier } from "../../adapters/verify/fastest.ts"
import { importWebCryptoPublicKey } from "../../adapters/verify/webcrypto.ts"
import { makePki, receipt, run, signerFor, statusListFor, tokenFor } from "./fixtures.ts"
import { scratch } from "./openssl-tools.ts"

const at = { now: "2025-07-01T00:01:00.000Z" }
const listContent = { agency: "HCM", form: "01-BLTHADS", symbol: "AA/25E", issuedAt: "2025-07-01T00:00:00.000Z", freshForSeconds: 120, size: 50, voided: [], replaced: [] }

describe("the default is ECDSA P-256", () => {
  test("bienlai keys init (initPki) makes ECDSA P-256 keys and root unless told otherwise, and the key store signer's tokens name ECDSA", async () => {
    const { dir } = scratch("bienlai-default-")
    await initPki({ dir: join(dir, "keys"), agencies: ["HCM"], passphrase: "p", now: new Date("2025-06-01T00:00:00Z") })
    const signer = await keyStoreSigner({ dir: join(dir, "keys"), passphrase: "p" })
    const at2025 = movableClock("2025-06-23T09:00:00Z")
    const r = receipt()
    const seal = await Effect.runPromise(Effect.provideService(Effect.provideService(sealReceipt(r), Signer, signer), Clock.Clock, at2025))
    expect(seal.algorithm).toBe("ECDSA-P256")
    const token = await Effect.runPromise(Effect.provideService(Effect.provideService(signToken(r), Signer, signer), Clock.Clock, at2025))
    const decoded = Result.getOrThrow(decodeToken(token))
    expect(decoded).toMatchObject({ version: 2, algorithm: "ECDSA-P256", keyId: seal.keyId })
    const root = new x509.X509Certificate(readFileSync(join(dir, "keys", "root.crt.pem"), "utf8"))
    expect(root.signatureAlgorithm).toMatchObject({ name: "ECDSA" })
  })

  test("ECDSA signatures differ at every signing, so the same receipt gives a different token each time (both verify)", async () => {
    const pki = await makePki()
    const status = indexStatusLists([await statusListFor(listContent, pki.hcm, pki.trust)])
    const [a, b] = [await tokenFor(receipt(), pki.hcm), await tokenFor(receipt(), pki.hcm)]
    expect(a).not.toBe(b)
    expect((await verify(a, pki.trust, status, at))._tag).toBe("Valid")
    expect((await verify(b, pki.trust, status, at))._tag).toBe("Valid")
  })
})

for (const keyType of ["RSA-PSS-2048", "RSA-PSS-3072"] as const) {
  describe(`an agency whose seal is ${keyType}`, async () => {
    const pki = await makePki(keyType)
    const layer = signerFor("HCM", pki.hcm, pki.hcmToken)

    test("the seal is RSA-PSS, the token and the status list are signed by its ECDSA P-256 token certificate, and the token is valid", async () => {
      const r = receipt()
      const seal = await run(sealReceipt(r), layer)
      expect(seal).toMatchObject({ algorithm: "RSA-PSS", keyId: pki.hcm.keyId })
      expect(fromBase64Url(seal.signature)!.length).toBe(keyType === "RSA-PSS-2048" ? 256 : 384)
      const token = await run(signToken(r), layer)
      expect(Result.getOrThrow(decodeToken(token))).toMatchObject({ algorithm: "ECDSA-P256", keyId: pki.hcmToken.keyId })
      const status = await statusListFor(listContent, pki.hcmToken, pki.trust)
      expect(status.keyId).toBe(pki.hcmToken.keyId)
      expect((await verify(token, pki.trust, indexStatusLists([status]), at))._tag).toBe("Valid")
    })

    test("the trust list says which certificate is for what: the RSA one seals only, the ECDSA one tokens only", () => {
      expect(pki.trust.keys.get(pki.hcm.keyId)).toMatchObject({ algorithm: "RSA-PSS", purpose: "seal" })
      expect(pki.trust.keys.get(pki.hcmToken.keyId)).toMatchObject({ algorithm: "ECDSA-P256", purpose: "token" })
      expect(pki.list.agencies.find((a) => a.keyId === pki.hcmToken.keyId)?.purpose).toBe("token")
    })

    test("a token or a status list naming the RSA seal key is refused, and so is a seal by the token key's certificate", async () => {
      const t = Result.getOrThrow(decodeToken(await run(signToken(receipt()), layer)))
      const body = encodeTokenBody(t, "ECDSA-P256")
      // Whatever the signature bytes, a token that names the seal key is not the agency's token.
      const forged = assembleToken(body, pki.hcm.keyId, t.signature)
      const r = await verify(forged, pki.trust, indexStatusLists([]), at)
      expect(r).toMatchObject({ _tag: "SignatureInvalid" })
      expect(r.message).toContain("does not sign QR tokens")
      // The signers never hand the RSA key out for tokens: with only the seal key, no token is made.
      const sealOnly = signerFor("HCM", pki.hcm)
      const refused = await Effect.runPromise(Effect.result(Effect.provide(signToken(receipt()), sealOnly)))
      expect(Result.isFailure(refused) && refused.failure.reason).toBe("no_key")
      // And with only the token key, no seal.
      const tokenOnly = signerFor("HCM", pki.hcmToken)
      const noSeal = await Effect.runPromise(Effect.result(Effect.provide(sealReceipt(receipt()), tokenOnly)))
      expect(Result.isFailure(noSeal) && noSeal.failure.reason).toBe("no_key")
      // A status list naming the seal key is refused before its signature is even tried.
      const good = await run(signStatusList(listContent), layer)
      const named = good.slice()
      named.set(Buffer.from(pki.hcm.keyId, "hex"), good.length - 72)
      const refusedList = await openStatusList(named, pki.trust)
      expect(Result.isFailure(refusedList) && refusedList.failure.message).toContain("is a seal key")
    })
  })
}

describe("a version 2 token's algorithm byte", () => {
  test("naming another algorithm than its key's is refused as a forgery, whatever the signature", async () => {
    const pki = await makePki()
    const t = Result.getOrThrow(decodeToken(await tokenFor(receipt(), pki.hcm)))
    // The same claims, the algorithm byte switched to Ed25519, re-signed with the real ECDSA key: still refused.
    const body = encodeTokenBody(t, "Ed25519")
    const sig = new Uint8Array(await crypto.subtle.sign({ name: "ECDSA", hash: "SHA-256" }, pki.hcm.keys.privateKey, tokenSignedBytes(body) as Uint8Array<ArrayBuffer>))
    const r = await verify(assembleToken(body, pki.hcm.keyId, sig), pki.trust, indexStatusLists([]), at)
    expect(r).toMatchObject({ _tag: "SignatureInvalid" })
    expect(r.message).toContain("says it is signed with Ed25519, but key")
  })
})

describe("a token made before version 2 (Ed25519, version 1) still verifies", async () => {
  const vector = JSON.parse(readFileSync(join(import.meta.dir, "..", "vectors", "token-v1-ed25519.json"), "utf8")) as {
    canonical: string
    seal: { algorithm: string; keyId: string; signature: string }
    token: string
    statusList: string
    rootCertificate: string
    rootPrivateKeyPkcs8: string
    agencyCertificate: string
    keyId: string
  }
  const root = new x509.X509Certificate(Buffer.from(vector.rootCertificate, "base64"))
  const agency = new x509.X509Certificate(Buffer.from(vector.agencyCertificate, "base64"))
  const rootKey = await crypto.subtle.importKey("pkcs8", Buffer.from(vector.rootPrivateKeyPkcs8, "base64"), { name: "Ed25519" }, false, ["sign"])
  const list = buildTrustList({
    root,
    agencies: [{ agency: "HCM", keyId: vector.keyId, algorithm: "Ed25519", certificate: agency, keyPath: "" }],
    revocations: [],
    issuedAt: new Date("2025-07-02T00:00:00Z")
  })
  const loaded = await loadTrustList(await signTrustList(list, { certificate: root, privateKey: rootKey }), { heldRoots: [root] })
  const trust = Result.getOrThrow(loaded).anchors

  test("the stored token is version 1 and verifies as valid with its stored status list", async () => {
    expect(Result.getOrThrow(decodeToken(vector.token))).toMatchObject({ version: 1, algorithm: undefined, keyId: vector.keyId })
    const status = Result.getOrThrow(await openStatusList(new Uint8Array(Buffer.from(vector.statusList, "base64")), trust))
    const r = await verify(vector.token, trust, indexStatusLists([status]), at)
    expect(r).toMatchObject({ _tag: "Valid", receipt: { number: 42, keyId: vector.keyId } })
  })

  test("its stored seal verifies over its canonical bytes; one changed character of either does not", async () => {
    const check = await importNodePublicKey(new Uint8Array(agency.publicKey.rawData), "Ed25519")
    const bytes = new TextEncoder().encode(vector.canonical)
    expect(check.verify(fromBase64Url(vector.seal.signature)!, bytes)).toBe(true)
    expect(check.verify(fromBase64Url(vector.seal.signature)!, new TextEncoder().encode(vector.canonical.replace("125500000", "125500001")))).toBe(false)
  })

  test("any changed character of the stored token is refused", async () => {
    const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
    await fc.assert(
      fc.asyncProperty(fc.nat(vector.token.length - 1), fc.nat(alphabet.length - 1), async (i, k) => {
        const c = alphabet[k]!
        fc.pre(c !== vector.token[i])
        const r = await verify(vector.token.slice(0, i) + c + vector.token.slice(i + 1), trust, indexStatusLists([]), at)
        expect(["SignatureInvalid", "Malformed", "UnknownKey"]).toContain(r._tag)
      }),
      { numRuns: 150 }
    )
  })
})

describe("the verification primitive is a port", () => {
  const algorithms = [["ECDSA-P256", "ECDSA-P256"], ["RSA-PSS-2048", "RSA-PSS"], ["Ed25519", "Ed25519"]] as const

  for (const [keyType, algorithm] of algorithms) {
    test(`node:crypto, WebCrypto and the cache agree on valid and altered ${keyType} signatures`, async () => {
      const pki = await makePki(keyType)
      const spki = new Uint8Array(pki.hcm.certificate.publicKey.rawData)
      const checks = [await importNodePublicKey(spki, algorithm), await importWebCryptoPublicKey(spki, algorithm), await verifiedCache(nodeCryptoVerifier, { maxEntries: 8 }).importPublicKey(spki, algorithm)]
      const params = algorithm === "ECDSA-P256" ? { name: "ECDSA", hash: "SHA-256" } : algorithm === "RSA-PSS" ? { name: "RSA-PSS", saltLength: 32 } : { name: "Ed25519" }
      await fc.assert(
        fc.asyncProperty(fc.uint8Array({ minLength: 0, maxLength: 300 }), fc.nat(), fc.boolean(), async (message, where, alter) => {
          const sig = new Uint8Array(await crypto.subtle.sign(params, pki.hcm.keys.privateKey, message as Uint8Array<ArrayBuffer>))
          if (alter) sig[where % sig.length]! ^= 1 << (where % 8)
          const answers = await Promise.all(checks.map(async (c) => c.verify(sig, message)))
          expect(answers).toEqual([!alter, !alter, !alter])
        }),
        { numRuns: keyType.startsWith("RSA") ? 25 : 60 }
      )
    })
  }

  test("a key of another algorithm than the trust list says is not imported", async () => {
    const pki = await makePki()
    const spki = new Uint8Array(pki.hcm.certificate.publicKey.rawData)
    for (const wrong of ["Ed25519", "RSA-PSS"] as const satisfies ReadonlyArray<SignatureAlgorithm>) {
      await expect(importNodePublicKey(spki, wrong)).rejects.toThrow(/expected/)
    }
  })

  test("the cache answers a repeat from memory, never keeps a refusal, never lends one key's answer to another, and stays within its bound", async () => {
    const pki = await makePki()
    let calls = 0
    const counting = { name: "counting", importPublicKey: async (spki: Uint8Array, algorithm: SignatureAlgorithm) => {
      const inner = await importNodePublicKey(spki, algorithm)
      return { verify: (s: Uint8Array, d: Uint8Array) => (calls++, inner.verify(s, d)) }
    } }
    const cache = verifiedCache(counting, { maxEntries: 3 })
    const hcm = await cache.importPublicKey(new Uint8Array(pki.hcm.certificate.publicKey.rawData), "ECDSA-P256")
    const hni = await cache.importPublicKey(new Uint8Array(pki.hni.certificate.publicKey.rawData), "ECDSA-P256")
    const sign = async (m: string) => new Uint8Array(await crypto.subtle.sign({ name: "ECDSA", hash: "SHA-256" }, pki.hcm.keys.privateKey, new TextEncoder().encode(m)))
    const msg = (m: string) => new TextEncoder().encode(m)
    const a = await sign("a")
    expect(await hcm.verify(a, msg("a"))).toBe(true)
    expect(await hcm.verify(a, msg("a"))).toBe(true)
    expect(calls).toBe(1)
    // Another key is asked itself, and says no.
    expect(await hni.verify(a, msg("a"))).toBe(false)
    expect(calls).toBe(2)
    // A refusal is asked again every time.
    const forged = a.slice()
    forged[5]! ^= 1
    expect(await hcm.verify(forged, msg("a"))).toBe(false)
    expect(await hcm.verify(forged, msg("a"))).toBe(false)
    expect(calls).toBe(4)
    // A signature with its data split differently is another entry.
    expect(await hcm.verify(a.subarray(0, 63), new Uint8Array([a[63]!, ...msg("a")]))).toBe(false)
    for (const m of ["b", "c", "d"]) expect(await hcm.verify(await sign(m), msg(m))).toBe(true)
    expect(cache.stats().size).toBe(3)
    // "a" was the least recently used: it left, so it is checked again.
    const before = calls
    expect(await hcm.verify(a, msg("a"))).toBe(true)
    expect(calls).toBe(before + 1)
  })
})


describe("the fastest primitive per runtime", () => {
  test("WebCrypto for ECDSA P-256 in Deno, node:crypto otherwise; whichever is picked, it verifies the same", async () => {
    expect(fastestPrimitive("deno", "ECDSA-P256")).toBe("WebCrypto")
    for (const runtime of ["bun", "node"] as const) expect(fastestPrimitive(runtime, "ECDSA-P256")).toBe("node:crypto")
    for (const runtime of ["bun", "deno", "node"] as const) {
      expect(fastestPrimitive(runtime, "Ed25519")).toBe("node:crypto")
      expect(fastestPrimitive(runtime, "RSA-PSS")).toBe("node:crypto")
    }
    expect(currentRuntime()).toBe("bun")
    const pki = await makePki()
    const status = indexStatusLists([await statusListFor(listContent, pki.hcm, pki.trust)])
    const token = await tokenFor(receipt(), pki.hcm)
    for (const runtime of ["bun", "deno", "node"] as const) {
      const trust = Result.getOrThrow(await loadTrustList(pki.signedList, { heldRoots: [pki.root.certificate], verifier: fastestVerifier(runtime) })).anchors
      expect((await verify(token, trust, status, at))._tag).toBe("Valid")
      expect((await verify(token.slice(0, -3) + (token.endsWith("000") ? "111" : "000"), trust, status, at))._tag).not.toBe("Valid")
    }
  })
})
