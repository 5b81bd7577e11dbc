/**
 * The Signer port over a remote signing service (ký số từ xa, SmartCA or
 * MySign style), where the approver confirms each request on a phone. Its
 * protocol is in ./csc-client.ts; the authorisation is the pure state
 * machine of domain/signing/remote-authorization.ts, which this adapter
 * drives with what the service answers and with its own clock, so it never
 * sends the service more than the approver confirmed and gives up at its own
 * deadline even if the service does not.
 *
 * Two ways to use it:
 *
 * - as the Signer service: `sign` (and `signWith`) ask for one signature,
 *   wait for the approver's confirmation (pending), then sign; a refusal on
 *   the phone is SigningError "refused", no answer within `confirmTimeoutMs`
 *   is "timeout";
 * - in two steps, `authorize(agency, purpose, { count, messages? })`: the
 *   approver confirms a batch first (which may take a minute), and the
 *   returned authorisation then signs in milliseconds, only the messages
 *   named if they were, at most `count`. Issuance is to use this: wait for
 *   the confirmation before taking the series counter's lock, then sign
 *   under it (docs/SIGNING.md).
 */
import { createHash } from "node:crypto"
import { Effect, Layer, Result } from "effect"
import { Signer, SigningError } from "../../domain/ports/signer.ts"
import type { SigningKeyInfo, SigningPurpose } from "../../domain/ports/signer.ts"
import type { Seal } from "../../domain/receipt.ts"
import { toBase64Url, toHex } from "../../domain/signing/bytes.ts"
import type { Authorization } from "../../domain/signing/remote-authorization.ts"
import { confirm, decline, request, tick, useFor } from "../../domain/signing/remote-authorization.ts"
import type { KeyPurpose, SignatureAlgorithm } from "../../domain/signing/trust.ts"
import { keyIdOf, signsSeals, signsTokens } from "../../domain/signing/trust.ts"
import { agencyOf, algorithmOf, purposeOf } from "../keys/pki.ts"
import { ecdsaDerToRaw, RSA_PSS_SHA256_PARAMS_DER } from "../keys/signature-encoding.ts"
import { x509 } from "../keys/x509.ts"
import { cscClient, ECDSA_SHA256_OID, RemoteServiceError, RSASSA_PSS_OID } from "./csc-client.ts"
import type { CscClient } from "./csc-client.ts"

export interface RemoteSigningConfig {
  readonly baseUrl: string
  /** The service's access token for bienlai (a secret: from the environment, never logged). */
  readonly accessToken?: string
  /** Which credential signs for which agency; purposes come from the certificates. */
  readonly credentials: ReadonlyArray<{ readonly agency: string; readonly credentialId: string }>
  /** How often to ask whether the approver confirmed (default 1 s). */
  readonly pollIntervalMs?: number
  /** How long to wait for the approver (default 120 s), at most what the service allows. */
  readonly confirmTimeoutMs?: number
  /** Called once a request waits for the approver, to say so (a UI shows "confirm on your phone"). */
  readonly onPending?: (agency: string, authorization: Authorization) => void
  readonly now?: () => number
  readonly fetch?: typeof fetch
}

interface Credential {
  readonly agency: string
  readonly credentialId: string
  readonly keyId: string
  readonly algorithm: SignatureAlgorithm
  readonly purpose: KeyPurpose | undefined
  readonly certificate: x509.X509Certificate
}

/** An authorisation the approver confirmed: it signs exactly the messages it was asked for. */
export interface RemoteAuthorization {
  readonly state: () => Authorization
  readonly key: SigningKeyInfo
  readonly sign: (message: Uint8Array) => Effect.Effect<Seal, SigningError>
}

export type RemoteSigner = Signer["Service"] & {
  /**
   * Asks the approver for `count` signatures: over these `messages` when they
   * are known (only they may then be signed), or over any `count` messages
   * (issuance, whose bytes are made under the series lock after the
   * confirmation). Resolves once the approver confirmed.
   */
  readonly authorize: (
    agency: string,
    purpose: SigningPurpose,
    what: { readonly count: number; readonly messages?: ReadonlyArray<Uint8Array> },
    description: string
  ) => Effect.Effect<RemoteAuthorization, SigningError>
  readonly credentialFor: (agency: string, purpose: SigningPurpose) => SigningKeyInfo | undefined
}

const sha256 = (bytes: Uint8Array) => new Uint8Array(createHash("sha256").update(bytes).digest())

const deviceError = (agency: string, e: unknown) =>
  e instanceof SigningError ? e : new SigningError({ agency, reason: "device", message: e instanceof Error ? e.message : String(e) })

/** Reads each credential's certificate from the service and makes the signer. */
export const remoteSigner = async (config: RemoteSigningConfig, client: CscClient = cscClient(config)): Promise<RemoteSigner> => {
  const now = config.now ?? (() => Date.now())
  const pollMs = config.pollIntervalMs ?? 1000
  const credentials: Array<Credential> = []
  for (const c of config.credentials) {
    const info = await client.info(c.credentialId)
    const certificate = new x509.X509Certificate(info.certificate as Uint8Array<ArrayBuffer>)
    const algorithm = algorithmOf(certificate)
    if (algorithm === undefined || algorithm === "Ed25519") throw new Error(`credential ${c.credentialId}: its key is neither ECDSA P-256 nor RSA (2048 bits or more)`)
    if (agencyOf(certificate) !== c.agency) throw new Error(`credential ${c.credentialId} is certified for ${agencyOf(certificate) ?? "no agency"}, not ${c.agency}`)
    if (!info.enabled) throw new Error(`credential ${c.credentialId} is disabled or its certificate revoked at the service`)
    credentials.push({ agency: c.agency, credentialId: c.credentialId, keyId: await keyIdOf(new Uint8Array(certificate.rawData)), algorithm, purpose: purposeOf(certificate), certificate })
  }

  const credentialOf = (agency: string, purpose: SigningPurpose): Credential | undefined => {
    const at = now()
    return credentials
      .filter((c) => c.agency === agency && (purpose === "seal" ? signsSeals(c.purpose) : signsTokens(c.algorithm, c.purpose)))
      .filter((c) => c.certificate.notBefore.getTime() <= at && at <= c.certificate.notAfter.getTime())
      .sort((a, b) => b.certificate.notBefore.getTime() - a.certificate.notBefore.getTime())[0]
  }

  const authorize: RemoteSigner["authorize"] = (agency, purpose, what, description) =>
    Effect.gen(function*() {
      const credential = credentialOf(agency, purpose)
      if (credential === undefined) {
        return yield* new SigningError({ agency, reason: "no_key", message: `no remote ${purpose === "seal" ? "signing" : "token-signing"} credential valid now for agency ${agency}` })
      }
      const hashes = what.messages?.map(sha256)
      if (hashes !== undefined && hashes.length !== what.count) return yield* new SigningError({ agency, reason: "unsupported", message: `${hashes.length} messages for ${what.count} signatures` })
      const asked = yield* Effect.tryPromise({
        try: () => client.authorize({ credentialId: credential.credentialId, count: what.count, ...(hashes === undefined ? {} : { hashes }), description }),
        catch: (e) => deviceError(agency, e)
      })
      const started = now()
      const deadline = started + Math.min(config.confirmTimeoutMs ?? 120_000, asked.expiresIn * 1000)
      const opened = request({
        id: asked.authorizationId,
        credentialId: credential.credentialId,
        count: what.count,
        ...(hashes === undefined ? {} : { hashes: hashes.map(toHex) }),
        requestedAt: started,
        deadline
      })
      if (Result.isFailure(opened)) return yield* new SigningError({ agency, reason: "unsupported", message: opened.failure.message })
      let state: Authorization = opened.success
      config.onPending?.(agency, state)
      // Wait for the approver: each answer moves the machine; our own clock ends the wait at the deadline.
      while (state._tag === "Pending") {
        yield* Effect.sleep(pollMs)
        state = tick(state, now())
        if (state._tag !== "Pending") break
        const answer = yield* Effect.tryPromise({ try: () => client.check(asked.authorizationId), catch: (e) => deviceError(agency, e) })
        const at = now()
        if (answer.status === "authorized") {
          const confirmed = confirm(state, at, answer.SAD, answer.expiresIn * 1000)
          state = Result.isSuccess(confirmed) ? confirmed.success : tick(state, at)
        } else if (answer.status === "refused") {
          state = Result.getOrElse(decline(state, at, answer.reason), () => tick(state, at))
        } else if (answer.status === "expired") {
          state = { _tag: "Expired", request: state.request, at }
        }
      }
      if (state._tag === "Refused") {
        return yield* new SigningError({ agency, reason: "refused", message: `the approver declined the signature on the phone (${state.reason}); nothing was signed` })
      }
      if (state._tag !== "Authorized") {
        return yield* new SigningError({ agency, reason: "timeout", message: `the approver did not confirm within ${Math.round((deadline - started) / 1000)} s; nothing was signed` })
      }
      let current: Authorization = state
      const key: SigningKeyInfo = { keyId: credential.keyId, algorithm: credential.algorithm }
      return {
        state: () => tick(current, now()),
        key,
        sign: (message: Uint8Array) =>
          Effect.gen(function*() {
            const hash = sha256(message)
            // The machine first: a message the approver did not confirm is refused here, and the service is never asked.
            const used = useFor(current, now(), [toHex(hash)])
            if (Result.isFailure(used)) return yield* new SigningError({ agency, reason: used.failure.reason === "lapsed" ? "timeout" : "refused", message: used.failure.message })
            const sad = current._tag === "Authorized" ? current.sad : ""
            current = used.success
            const [signature] = yield* Effect.tryPromise({
              try: () =>
                client.signHash({
                  credentialId: credential.credentialId,
                  sad,
                  hashes: [hash],
                  signAlgo: credential.algorithm === "RSA-PSS" ? RSASSA_PSS_OID : ECDSA_SHA256_OID,
                  ...(credential.algorithm === "RSA-PSS" ? { signAlgoParams: Buffer.from(RSA_PSS_SHA256_PARAMS_DER).toString("base64") } : {})
                }),
              catch: (e) => deviceError(agency, e)
            })
            const raw = yield* Effect.try({
              try: () => (credential.algorithm === "ECDSA-P256" ? ecdsaDerToRaw(signature!) : signature!),
              catch: () => new SigningError({ agency, reason: "device", message: "the remote signing service returned a signature that is not DER ECDSA" })
            })
            const seal: Seal = { algorithm: credential.algorithm, keyId: credential.keyId, signature: toBase64Url(raw) }
            return seal
          })
      } satisfies RemoteAuthorization
    })

  const signWith: RemoteSigner["signWith"] = (agency, purpose, message) =>
    Effect.gen(function*() {
      const credential = credentialOf(agency, purpose)
      if (credential === undefined) {
        return yield* new SigningError({ agency, reason: "no_key", message: `no remote ${purpose === "seal" ? "signing" : "token-signing"} credential valid now for agency ${agency}` })
      }
      const bytes = message({ keyId: credential.keyId, algorithm: credential.algorithm })
      const authorization = yield* authorize(agency, purpose, { count: 1, messages: [bytes] }, `bienlai: ${purpose === "seal" ? "ký biên lai" : "ký mã QR"} (${agency})`)
      return yield* authorization.sign(bytes)
    })

  return {
    sign: (agency, bytes) => signWith(agency, "seal", () => bytes),
    signWith,
    authorize,
    credentialFor: (agency, purpose) => {
      const c = credentialOf(agency, purpose)
      return c === undefined ? undefined : { keyId: c.keyId, algorithm: c.algorithm }
    }
  }
}

/** The remote signer as the application's Signer. */
export const RemoteSigner = {
  layer: (config: RemoteSigningConfig): Layer.Layer<Signer, SigningError> =>
    Layer.effect(Signer)(Effect.tryPromise({ try: () => remoteSigner(config), catch: (e) => new SigningError({ agency: "*", reason: "device", message: e instanceof Error ? e.message : String(e) }) }))
}

export { RemoteServiceError }
