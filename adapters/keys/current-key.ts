/**
 * Which key an agency signs with, and how a missing or locked one is
 * reported: one rule for the Signer service (adapters/keys/signer.ts) and for
 * the bulk jobs' workers (jobs/ingest/signer-spec.ts), so a receipt issued one
 * by one and one issued in bulk carry a seal of the same key.
 */
import { SigningError } from "../../domain/ports/signer.ts"
import type { StoredAgencyCertificate } from "./keystore.ts"

/** The agency's newest certificate valid at `now` (ms) among `certificates`, which hold no revoked key. */
export const currentCertificate = (
  certificates: ReadonlyArray<StoredAgencyCertificate>,
  agency: string,
  now: number
): StoredAgencyCertificate | undefined =>
  certificates
    .filter((c) => c.agency === agency && c.certificate.notBefore.getTime() <= now && now <= c.certificate.notAfter.getTime())
    .sort((a, b) => b.certificate.notBefore.getTime() - a.certificate.notBefore.getTime())[0]

export const noSigningKey = (agency: string): SigningError =>
  new SigningError({ agency, reason: "no_key", message: `no valid, unrevoked signing certificate for agency ${agency}` })

export const lockedSigningKey = (agency: string, keyId: string): SigningError =>
  new SigningError({ agency, reason: "key_locked", message: `the private key ${keyId} of ${agency} cannot be opened: wrong BIENLAI_KEY_PASSPHRASE?` })
