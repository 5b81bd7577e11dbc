/**
 * Signer implementations for the `Signer` port (domain/ports/signer.ts).
 *
 * `memorySigner` signs with WebCrypto keys already in memory. `keyStoreSigner`
 * reads the key store: for each agency and purpose (seal, token) it picks
 * the newest certificate that is valid now, not revoked and whose key is
 * here, and opens that key once (on first use): an encrypted PKCS#8 file
 * becomes a non-extractable CryptoKey; a key on a PKCS#11 token or HSM is
 * opened through adapters/keys/pkcs11-signer.ts, loaded only then. Signing
 * is one call with no shared mutable state, so concurrent issuance
 * transactions may call `sign` at once.
 */
import { Clock, Effect, Layer } from "effect"
import { Signer, SigningError } from "../../domain/ports/signer.ts"
import type { SigningPurpose } from "../../domain/ports/signer.ts"
import type { KeyPurpose, SignatureAlgorithm } from "../../domain/signing/trust.ts"
import { verifyParams } from "../../domain/signing/trust.ts"
import { readFileSync } from "node:fs"
import { currentCertificate, lockedSigningKey, noSigningKey, servesPurpose } from "./current-key.ts"
import { decryptPrivateKey, listAgencyCertificates, readRevocations } from "./keystore.ts"
import type { StoredAgencyCertificate } from "./keystore.ts"
import type { Pkcs11Settings } from "./pkcs11-settings.ts"
import { signerOf } from "./raw-key.ts"
import type { RawKey } from "./raw-key.ts"

export interface SigningKey {
  readonly keyId: string
  readonly algorithm: SignatureAlgorithm
  /** Absent: seals and tokens. */
  readonly purpose?: KeyPurpose
  readonly privateKey: CryptoKey
}

export const webCryptoKey = (key: SigningKey): RawKey => {
  const params = verifyParams(key.algorithm)
  return {
    keyId: key.keyId,
    algorithm: key.algorithm,
    sign: async (bytes) => new Uint8Array(await crypto.subtle.sign(params, key.privateKey, bytes as Uint8Array<ArrayBuffer>))
  }
}

/** A signer over keys already in memory (tests, or keys handed over by a secret manager): one key per agency, or several with their purposes. */
export const memorySigner = (keys: ReadonlyMap<string, SigningKey | ReadonlyArray<SigningKey>>): Signer["Service"] =>
  signerOf((agency, purpose) => {
    const held = keys.get(agency)
    const key = (held === undefined ? [] : Array.isArray(held) ? held : [held as SigningKey]).find((k: SigningKey) => servesPurpose(k, purpose))
    return key === undefined
      ? Effect.fail(new SigningError({ agency, reason: "no_key", message: `no ${purpose === "seal" ? "signing" : "token-signing"} key for agency ${agency}` }))
      : Effect.succeed(webCryptoKey(key))
  })

/** A signer over the key store in `dir`; which certificate is current is decided at Effect's Clock time of each signature. */
export const keyStoreSigner = async (opts: {
  readonly dir: string
  readonly passphrase: string
  /** How keys on a token are reached (module, PIN); from BIENLAI_PKCS11_* when absent. */
  readonly pkcs11?: Pkcs11Settings
  /** Only these certificates may sign (a reload: those the published trust list names and vouches for, edge/program/key-reload.ts). */
  readonly only?: ReadonlySet<string>
  /** Keys already opened, by key id, shared with the signer this one replaces (a reload opens no key twice). */
  readonly opened?: Map<string, Promise<RawKey>>
}): Promise<Signer["Service"]> => {
  const revoked = new Set(readRevocations(opts.dir).map((r) => r.keyId))
  const only = opts.only
  const stored = (await listAgencyCertificates(opts.dir)).filter((c) => !revoked.has(c.keyId) && (only === undefined || only.has(c.keyId)))
  const opened = opts.opened ?? new Map<string, Promise<RawKey>>()

  const open = async (agency: string, cert: StoredAgencyCertificate): Promise<RawKey> => {
    const location = cert.location ?? { kind: "file" as const, path: cert.keyPath }
    if (location.kind === "pkcs11") {
      const { openTokenKey } = await import("./pkcs11-signer.ts")
      const { pkcs11SettingsFromEnv } = await import("./pkcs11-settings.ts")
      return openTokenKey(agency, cert, location.reference, opts.pkcs11 ?? pkcs11SettingsFromEnv(process.env))
    }
    if (location.kind === "none") throw noSigningKey(agency)
    let privateKey: CryptoKey
    try {
      privateKey = await decryptPrivateKey(readFileSync(location.path, "utf8"), opts.passphrase, cert.algorithm)
    } catch {
      throw lockedSigningKey(agency, cert.keyId)
    }
    return webCryptoKey({ keyId: cert.keyId, algorithm: cert.algorithm, privateKey })
  }

  return signerOf((agency, purpose: SigningPurpose) =>
    Effect.gen(function*() {
      const cert = currentCertificate(stored, agency, yield* Clock.currentTimeMillis, purpose)
      if (cert === undefined) return yield* noSigningKey(agency, purpose)
      let pending = opened.get(cert.keyId)
      if (pending === undefined) {
        // The promise is cached, so concurrent first calls open the key once; a failure is forgotten, so the next call tries again.
        pending = open(agency, cert)
        opened.set(cert.keyId, pending)
        pending.catch(() => opened.delete(cert.keyId))
      }
      return yield* Effect.tryPromise({
        try: () => pending,
        catch: (e) => (e instanceof SigningError ? e : lockedSigningKey(agency, cert.keyId))
      })
    })
  )
}

export interface KeyStoreSettings {
  readonly dir: string
  readonly passphrase: string
  readonly pkcs11?: Pkcs11Settings
}

/** The Signer the program runs with: the key store (files, or keys on a PKCS#11 token it names). */
export const KeyStoreSigner = {
  layer: (settings: KeyStoreSettings): Layer.Layer<Signer, SigningError> =>
    Layer.effect(
      Signer,
      Effect.tryPromise({
        try: () => keyStoreSigner(settings),
        catch: (e) => e instanceof SigningError ? e : new SigningError({ agency: "*", reason: "device", message: `cannot read the key store ${settings.dir}: ${e instanceof Error ? e.message : String(e)}` })
      })
    )
}

/** Keys already in memory, for tests. */
export const MemorySigner = {
  layerTest: (keys: ReadonlyMap<string, SigningKey | ReadonlyArray<SigningKey>>): Layer.Layer<Signer> => Layer.succeed(Signer, memorySigner(keys))
}
