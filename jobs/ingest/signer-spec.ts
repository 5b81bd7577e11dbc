/**
 * How a worker thread gets the agency keys: CryptoKeys do not cross threads,
 * so each worker opens the key store itself (or, in tests and benchmarks,
 * imports the PKCS#8 bytes it is handed) and keeps its own non-extractable
 * keys.
 *
 * Signing here calls WebCrypto directly rather than through the Signer
 * service: at a million signatures the per-call Effect runtime costs as much
 * as a third of the signature itself. The key chosen for an agency is the one
 * `keyStoreSigner` (adapters/keys/signer.ts) would choose, by the same rule
 * (adapters/keys/current-key.ts); it is chosen again every KEY_RELOAD_SECONDS
 * (default 60), so a long job follows a rollover or a revocation.
 */
import { Result } from "effect"
import { readFileSync } from "node:fs"
import { SigningError } from "../../domain/ports/signer.ts"
import type { IssuedReceipt, Seal } from "../../domain/receipt.ts"
import { tokenClaimsOf } from "../../domain/signing/issue-token.ts"
import { assembleToken, encodeTokenBody, RECEIPT_HASH_BYTES, tokenSignedBytes } from "../../domain/signing/token.ts"
import type { SignatureAlgorithm } from "../../domain/signing/trust.ts"
import { importParams, verifyParams } from "../../domain/signing/trust.ts"
import { currentCertificate, lockedSigningKey, noSigningKey } from "../../adapters/keys/current-key.ts"
import { decryptPrivateKey, listAgencyCertificates, readRevocations } from "../../adapters/keys/keystore.ts"

export type SignerSpec =
  | {
    readonly kind: "keystore"
    readonly dir: string
    readonly passphrase: string
    /** How long a worker keeps the key it chose before reading the key store again (KEY_RELOAD_SECONDS, default 60): a long job follows a rollover or a revocation. */
    readonly reloadSeconds?: number
  }
  | {
    readonly kind: "pkcs8"
    readonly keys: ReadonlyArray<{ readonly agency: string; readonly keyId: string; readonly algorithm: SignatureAlgorithm; readonly pkcs8: Uint8Array }>
  }

interface Key {
  readonly keyId: string
  readonly algorithm: SignatureAlgorithm
  readonly privateKey: CryptoKey
  readonly params: Algorithm | EcdsaParams
}

const keyStoreKey = async (dir: string, passphrase: string, agency: string, now: number): Promise<Key | SigningError> => {
  const revoked = new Set(readRevocations(dir).map((r) => r.keyId))
  const cert = currentCertificate((await listAgencyCertificates(dir)).filter((c) => !revoked.has(c.keyId)), agency, now)
  if (cert === undefined) return noSigningKey(agency)
  // Worker threads each open the key themselves; a key on a PKCS#11 token is not opened here yet.
  if (cert.location?.kind === "pkcs11") {
    return new SigningError({ agency, reason: "unsupported", message: `the signing key ${cert.keyId} of ${agency} is on a token: bulk signing (bienlai ingest --issue, bienlai sign) uses keys in files for now` })
  }
  try {
    const privateKey = await decryptPrivateKey(readFileSync(cert.keyPath, "utf8"), passphrase, cert.algorithm)
    return { keyId: cert.keyId, algorithm: cert.algorithm, privateKey, params: verifyParams(cert.algorithm) }
  } catch {
    return lockedSigningKey(agency, cert.keyId)
  }
}

/**
 * A worker thread's signer: plain promises, no Effect runtime per signature
 * on the bulk path. `token` signs a receipt's QR token with the same key,
 * to be stored with it (store/receipts/qr-token.ts); null when that key
 * cannot sign tokens (an RSA seal: the token is then signed at first view
 * with the agency's token certificate).
 */
export type BulkSignFn = ((agency: string, bytes: Uint8Array) => Promise<Result.Result<Seal, SigningError>>) & {
  readonly token?: (receipt: IssuedReceipt, canonical: Uint8Array) => Promise<Result.Result<string | null, SigningError>>
}

export const openSigner = async (spec: SignerSpec): Promise<BulkSignFn> => {
  const keys = new Map<string, Promise<Key | SigningError>>()
  if (spec.kind === "pkcs8") {
    for (const k of spec.keys) {
      keys.set(k.agency, crypto.subtle.importKey("pkcs8", k.pkcs8 as Uint8Array<ArrayBuffer>, importParams(k.algorithm), false, ["sign"])
        .then((privateKey) => ({ keyId: k.keyId, algorithm: k.algorithm, privateKey, params: verifyParams(k.algorithm) })))
    }
  }
  const chosenAt = new Map<string, number>()
  const reloadMs = spec.kind === "keystore" ? (spec.reloadSeconds ?? 60) * 1000 : Infinity
  const keyFor = (agency: string): Promise<Key | SigningError> => {
    let key = keys.get(agency)
    const now = Date.now()
    if (key === undefined || (reloadMs > 0 && now - (chosenAt.get(agency) ?? now) >= reloadMs)) {
      key = spec.kind === "keystore"
        ? keyStoreKey(spec.dir, spec.passphrase, agency, now)
        : Promise.resolve(new SigningError({ agency, reason: "no_key", message: `no signing key for agency ${agency}` }))
      keys.set(agency, key)
      chosenAt.set(agency, now)
    }
    return key
  }
  const sign = async (agency: string, bytes: Uint8Array): Promise<Result.Result<Seal, SigningError>> => {
    const key = await keyFor(agency)
    if (key instanceof SigningError) return Result.fail(key)
    try {
      const signature = await crypto.subtle.sign(key.params, key.privateKey, bytes as Uint8Array<ArrayBuffer>)
      const seal: Seal = { algorithm: key.algorithm, keyId: key.keyId, signature: Buffer.from(signature).toString("base64url") }
      return Result.succeed(seal)
    } catch (error) {
      return Result.fail(new SigningError({ agency, reason: "device", message: `signing for ${agency} with key ${key.keyId} failed: ${String(error)}` }))
    }
  }
  const token = async (receipt: IssuedReceipt, canonical: Uint8Array): Promise<Result.Result<string | null, SigningError>> => {
    const key = await keyFor(receipt.agency)
    if (key instanceof SigningError) return Result.fail(key)
    if (key.algorithm === "RSA-PSS") return Result.succeed(null)
    const hash = new Uint8Array(await crypto.subtle.digest("SHA-256", canonical as Uint8Array<ArrayBuffer>)).slice(0, RECEIPT_HASH_BYTES)
    const body = encodeTokenBody(tokenClaimsOf(receipt, hash), key.algorithm)
    const signed = await sign(receipt.agency, tokenSignedBytes(body))
    return Result.map(signed, (seal) => assembleToken(body, seal.keyId, Buffer.from(seal.signature, "base64url")))
  }
  return Object.assign(sign, { token })
}
