/**
 * Which key an agency signs with, and how a missing or locked one is
 * reported: one rule for the Signer service (adapters/keys/signer.ts) and for
 * the bulk jobs' workers (jobs/ingest/signer-spec.ts), so a receipt issued one
 * by one and one issued in bulk carry a seal of the same key.
 */
import { SigningError } from "../../domain/ports/signer.ts"
import type { SigningPurpose } from "../../domain/ports/signer.ts"
import { signsSeals, signsTokens } from "../../domain/signing/trust.ts"
import type { StoredAgencyCertificate } from "./keystore.ts"

/** Whether a stored certificate may sign for `purpose`. */
export const servesPurpose = (c: Pick<StoredAgencyCertificate, "algorithm" | "purpose">, purpose: SigningPurpose): boolean =>
  purpose === "seal" ? signsSeals(c.purpose) : signsTokens(c.algorithm, c.purpose)

/**
 * The agency's newest certificate for `purpose` (the seal by default) valid
 * at `now` (ms) among `certificates`, which hold no revoked key, and whose
 * private key is here (in a file or on a token).
 */
export const currentCertificate = (
  certificates: ReadonlyArray<StoredAgencyCertificate>,
  agency: string,
  now: number,
  purpose: SigningPurpose = "seal"
): StoredAgencyCertificate | undefined =>
  certificates
    .filter((c) =>
      c.agency === agency && c.location?.kind !== "none" && servesPurpose(c, purpose) &&
      c.certificate.notBefore.getTime() <= now && now <= c.certificate.notAfter.getTime()
    )
    .sort((a, b) => b.certificate.notBefore.getTime() - a.certificate.notBefore.getTime())[0]

export const noSigningKey = (agency: string, purpose: SigningPurpose = "seal"): SigningError =>
  new SigningError({
    agency,
    reason: "no_key",
    message: `no valid, unrevoked ${purpose === "seal" ? "signing" : "token-signing"} certificate with its key for agency ${agency}`
  })

export const lockedSigningKey = (agency: string, keyId: string): SigningError =>
  new SigningError({ agency, reason: "key_locked", message: `the private key ${keyId} of ${agency} cannot be opened: wrong BIENLAI_KEY_PASSPHRASE?` })
