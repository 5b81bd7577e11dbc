/**
 * The Signer port over keys on a PKCS#11 token or HSM (adapters/keys/
 * pkcs11-token.ts). A key signs only for the certificate it belongs to:
 * when a key is opened, its public key on the token is compared with the
 * certificate's (or, for a token that keeps no public key object, a random
 * challenge signed on the token must verify under the certificate), so a
 * token whose key was replaced, or a reference that names another key,
 * fails before any receipt is signed.
 *
 * Two ways in: the key store (keyStoreSigner opens `<keyId>.p11.json`
 * references through `openTokenKey`), or `Pkcs11SignerLayer` with the
 * certificates and references given directly. Sessions are opened once per
 * token and closed with the layer's scope.
 */
import { createPublicKey, randomBytes } from "node:crypto"
import { Clock, Effect, Layer } from "effect"
import { Signer, SigningError } from "../../domain/ports/signer.ts"
import type { SigningPurpose } from "../../domain/ports/signer.ts"
import { importNodePublicKey } from "../verify/node-crypto.ts"
import { currentCertificate, noSigningKey } from "./current-key.ts"
import type { StoredAgencyCertificate, TokenKeyReference } from "./keystore.ts"
import type { Pkcs11Settings } from "./pkcs11-settings.ts"
import { findKey, openToken, signOnToken, TokenError } from "./pkcs11-token.ts"
import type { OpenToken } from "./pkcs11-token.ts"
import { signerOf } from "./raw-key.ts"
import type { RawKey } from "./raw-key.ts"

const signingError = (agency: string, e: unknown): SigningError => {
  if (e instanceof SigningError) return e
  if (e instanceof TokenError) {
    const reason = e.reason === "wrong_pin" || e.reason === "pin_locked"
      ? "key_locked"
      : e.reason === "no_key" || e.reason === "ambiguous_key"
      ? "no_key"
      : e.reason === "unsupported"
      ? "unsupported"
      : "device"
    return new SigningError({ agency, reason, message: e.message })
  }
  // Anything else (the PIN source failing, for one) is reported by its message, which never carries the PIN.
  return new SigningError({ agency, reason: "key_locked", message: e instanceof Error ? e.message : String(e) })
}

const normalSpki = (der: Uint8Array): string =>
  Buffer.from(createPublicKey({ key: Buffer.from(der), format: "der", type: "spki" }).export({ type: "spki", format: "der" })).toString("hex")

// One logged-in session per module and token label, shared by every key on it.
const sessions = new Map<string, Promise<OpenToken>>()

const sessionFor = (settings: Pkcs11Settings, tokenLabel: string): Promise<OpenToken> => {
  const id = `${settings.module}\u0000${tokenLabel}`
  let held = sessions.get(id)
  if (held === undefined) {
    held = settings.pin().then((pin) => openToken(settings.module, tokenLabel, pin))
    sessions.set(id, held)
    held.catch(() => sessions.delete(id))
  }
  return held
}

/** Closes every session opened here (the layer's release, and tests). */
export const closeTokenSessions = async (): Promise<void> => {
  const open = [...sessions.values()]
  sessions.clear()
  for (const s of open) {
    try {
      ;(await s).close()
    } catch {
      // a session that never opened has nothing to close
    }
  }
}

/** Opens the token key a certificate names, checked against that certificate. Rejects with a SigningError. */
export const openTokenKey = async (agency: string, cert: Pick<StoredAgencyCertificate, "keyId" | "algorithm" | "certificate">, reference: TokenKeyReference, settings: Pkcs11Settings): Promise<RawKey> => {
  try {
    const token = await sessionFor(settings, reference.tokenLabel)
    const key = findKey(token, reference)
    const certSpki = new Uint8Array(cert.certificate.publicKey.rawData)
    if (key.algorithm !== cert.algorithm) {
      throw new SigningError({ agency, reason: "no_key", message: `the key on token "${token.label}" is ${key.algorithm}, but certificate ${cert.keyId} is ${cert.algorithm}: it is not this certificate's key; nothing was signed` })
    }
    if (key.spki !== undefined) {
      if (normalSpki(key.spki) !== normalSpki(certSpki)) {
        throw new SigningError({ agency, reason: "no_key", message: `the key on token "${token.label}" is not the key of certificate ${cert.keyId}; nothing was signed with it` })
      }
    } else {
      // No public key object on the token: a random challenge must verify under the certificate's key.
      const challenge = new Uint8Array(randomBytes(32))
      const check = await importNodePublicKey(certSpki, cert.algorithm)
      if (!(await check.verify(signOnToken(token, key, challenge), challenge))) {
        throw new SigningError({ agency, reason: "no_key", message: `the key on token "${token.label}" is not the key of certificate ${cert.keyId}; nothing was signed with it` })
      }
    }
    return { keyId: cert.keyId, algorithm: cert.algorithm, sign: async (bytes) => signOnToken(token, key, bytes) }
  } catch (e) {
    throw signingError(agency, e)
  }
}

export interface Pkcs11KeyConfig {
  readonly agency: string
  /** The CA's certificate for the key (its key id names the seals). */
  readonly certificate: StoredAgencyCertificate
  readonly reference: TokenKeyReference
}

/** A signer over token keys given directly; the newest certificate valid at Clock time, per agency and purpose, signs. */
export const pkcs11Signer = (settings: Pkcs11Settings, keys: ReadonlyArray<Pkcs11KeyConfig>): Signer["Service"] => {
  const opened = new Map<string, Promise<RawKey>>()
  const certificates = keys.map((k) => k.certificate)
  return signerOf((agency, purpose: SigningPurpose) =>
    Effect.gen(function*() {
      const cert = currentCertificate(certificates, agency, yield* Clock.currentTimeMillis, purpose)
      if (cert === undefined) return yield* noSigningKey(agency, purpose)
      const config = keys.find((k) => k.certificate.keyId === cert.keyId)!
      let pending = opened.get(cert.keyId)
      if (pending === undefined) {
        pending = openTokenKey(agency, cert, config.reference, settings)
        opened.set(cert.keyId, pending)
        pending.catch(() => opened.delete(cert.keyId))
      }
      return yield* Effect.tryPromise({ try: () => pending, catch: (e) => signingError(agency, e) })
    })
  )
}

/** The PKCS#11 signer over keys given directly, as a layer; its sessions close when the layer's scope does. */
export const Pkcs11Signer = {
  layer: (settings: Pkcs11Settings, keys: ReadonlyArray<Pkcs11KeyConfig>): Layer.Layer<Signer> =>
    Layer.effect(Signer)(Effect.acquireRelease(Effect.sync(() => pkcs11Signer(settings, keys)), () => Effect.promise(closeTokenSessions)))
}
