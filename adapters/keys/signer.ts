/**
 * Signer implementations for the `Signer` port (domain/ports/signer.ts).
 *
 * `memorySigner` signs with WebCrypto keys already in memory. `keyStoreSigner`
 * reads the development key store: for each agency it picks the newest
 * certificate that is valid now and not revoked, decrypts that private key
 * once (on first use) and keeps it as a non-extractable CryptoKey. Signing is
 * one WebCrypto call with no shared mutable state, so concurrent issuance
 * transactions may call `sign` at once.
 */
import { Effect, Layer } from "effect"
import { Signer, SigningError } from "../../domain/ports/signer.ts"
import type { Seal } from "../../domain/receipt.ts"
import { toBase64Url } from "../../domain/signing/bytes.ts"
import type { SignatureAlgorithm } from "../../domain/signing/trust.ts"
import { verifyParams } from "../../domain/signing/trust.ts"
import { readFileSync } from "node:fs"
import { currentCertificate, lockedSigningKey, noSigningKey } from "./current-key.ts"
import { decryptPrivateKey, listAgencyCertificates, readRevocations } from "./keystore.ts"

export interface SigningKey {
  readonly keyId: string
  readonly algorithm: SignatureAlgorithm
  readonly privateKey: CryptoKey
}

type SignerService = typeof Signer.Service

const signWith = (agency: string, key: SigningKey, bytes: Uint8Array): Effect.Effect<Seal, SigningError> =>
  Effect.tryPromise({
    try: () => crypto.subtle.sign(verifyParams(key.algorithm), key.privateKey, bytes as Uint8Array<ArrayBuffer>),
    catch: (e) => new SigningError({ agency, reason: "device", message: `signing for ${agency} with key ${key.keyId} failed: ${String(e)}` })
  }).pipe(Effect.map((sig) => ({ algorithm: key.algorithm, keyId: key.keyId, signature: toBase64Url(new Uint8Array(sig)) })))

/** A signer over keys already in memory (tests, or keys handed over by a secret manager). */
export const memorySigner = (keys: ReadonlyMap<string, SigningKey>): SignerService => ({
  sign: (agency, bytes) => {
    const key = keys.get(agency)
    return key === undefined
      ? Effect.fail(new SigningError({ agency, reason: "no_key", message: `no signing key for agency ${agency}` }))
      : signWith(agency, key, bytes)
  }
})

/** A signer over the development key store in `dir`. */
export const keyStoreSigner = async (opts: {
  readonly dir: string
  readonly passphrase: string
  readonly now: () => Date
}): Promise<SignerService> => {
  const revoked = new Set(readRevocations(opts.dir).map((r) => r.keyId))
  const stored = (await listAgencyCertificates(opts.dir)).filter((c) => !revoked.has(c.keyId))
  const opened = new Map<string, Promise<SigningKey>>()

  return {
    sign: (agency, bytes) =>
      Effect.gen(function*() {
        const cert = currentCertificate(stored, agency, opts.now().getTime())
        if (cert === undefined) return yield* noSigningKey(agency)
        let pending = opened.get(cert.keyId)
        if (pending === undefined) {
          // The promise is cached, so concurrent first calls decrypt once.
          pending = decryptPrivateKey(readFileSync(cert.keyPath, "utf8"), opts.passphrase, cert.algorithm).then((privateKey) => ({
            keyId: cert.keyId,
            algorithm: cert.algorithm,
            privateKey
          }))
          opened.set(cert.keyId, pending)
          pending.catch(() => opened.delete(cert.keyId))
        }
        const key = yield* Effect.tryPromise({
          try: () => pending,
          catch: () => lockedSigningKey(agency, cert.keyId)
        })
        return yield* signWith(agency, key, bytes)
      })
  }
}

export const KeyStoreSignerLayer = (opts: { readonly dir: string; readonly passphrase: string; readonly now?: () => Date }) =>
  Layer.effect(Signer)(Effect.promise(() => keyStoreSigner({ now: () => new Date(), ...opts })))

export const MemorySignerLayer = (keys: ReadonlyMap<string, SigningKey>) => Layer.succeed(Signer)(memorySigner(keys))
