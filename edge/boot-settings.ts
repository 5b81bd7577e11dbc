/**
 * The security settings of a start, read from the environment, and what
 * production refuses to start without. Every refusal is one line naming what
 * is missing and how to make it.
 *
 *   BIENLAI_ENV / NODE_ENV = production   production defaults (below)
 *   BIENLAI_SECURE_COOKIES                 1: served over TLS (or behind a TLS proxy): __Host- Secure
 *                                          cookies and HSTS; default 1 in production, 0 otherwise
 *   BIENLAI_SESSION_IDLE_MINUTES           console sessions end unused after this (30)
 *   BIENLAI_SESSION_MAX_HOURS              and this long after sign-in at the latest (12)
 *   BIENLAI_TOKEN_DAYS                     API tokens' lifetime unless asked otherwise (90)
 *   BIENLAI_TOKEN_MAX_DAYS                 the longest a token may be asked to live (365)
 *
 * In production the service never seeds the demo, never prints a token and
 * never makes a PKI of its own; it needs PUBLIC_URL, a key store with agency
 * keys that BIENLAI_KEY_PASSPHRASE opens, no root private key in that store
 * (the root stays offline: docs/SIGNING.md), and a trust list signed by the
 * root that names every key that signs.
 */
import { readFileSync } from "node:fs"
import { decryptPrivateKey, hasAgencyKeys, hasRoot, holdsRootKey, listAgencyCertificates, readRevocations } from "../adapters/keys/keystore.ts"
import { currentCertificate } from "../adapters/keys/current-key.ts"
import { isProduction } from "../adapters/keys/passphrase.ts"
import { publicationProblem } from "../adapters/keys/published.ts"
import type { EdgeConfig } from "./services.ts"

type Env = Record<string, string | undefined>

export { isProduction }

const whole = (env: Env, name: string, fallback: number, min: number, max: number, unit: string): number => {
  const text = env[name]
  if (text === undefined || text === "") return fallback
  const n = Number(text)
  if (!/^\d+$/.test(text) || n < min || n > max) throw new Error(`${name}=${text.slice(0, 20)} is not a whole number of ${unit} from ${min} to ${max}`)
  return n
}

/** The settings of sessions, tokens and cookies; throws a one-line error on a bad value. */
export const securitySettings = (env: Env): Pick<EdgeConfig, "secureCookies" | "sessions" | "tokens"> => {
  const secure = env["BIENLAI_SECURE_COOKIES"]
  if (secure !== undefined && secure !== "" && secure !== "0" && secure !== "1") {
    throw new Error(`BIENLAI_SECURE_COOKIES=${secure.slice(0, 20)} must be 1 (served over TLS) or 0`)
  }
  const maxDays = whole(env, "BIENLAI_TOKEN_MAX_DAYS", 365, 1, 3650, "days")
  return {
    secureCookies: secure === undefined || secure === "" ? isProduction(env) : secure === "1",
    sessions: {
      idleMinutes: whole(env, "BIENLAI_SESSION_IDLE_MINUTES", 30, 1, 24 * 60, "minutes"),
      absoluteHours: whole(env, "BIENLAI_SESSION_MAX_HOURS", 12, 1, 7 * 24, "hours")
    },
    tokens: { defaultDays: whole(env, "BIENLAI_TOKEN_DAYS", Math.min(90, maxDays), 1, maxDays, "days (at most BIENLAI_TOKEN_MAX_DAYS)"), maxDays }
  }
}

/** What production lacks before it may start, in one line, or undefined. */
export const productionRefusal = async (env: Env, keysDir: string, passphrase: string, now: Date): Promise<string | undefined> => {
  if (!env["PUBLIC_URL"]) return "PUBLIC_URL is not set: set it to the address citizens reach this service at (https://...), which every QR code carries"
  if (!hasRoot(keysDir) || !hasAgencyKeys(keysDir)) {
    return `no signing keys in ${keysDir} (BIENLAI_KEYS_DIR): make them on an offline machine with \`bienlai keys init --agencies HCM,... --root-dir <offline folder>\` and copy the key store (not the root folder) here; see docs/SIGNING.md`
  }
  if (holdsRootKey(keysDir)) {
    return `the root CA's private key is in the service's key store ${keysDir}: move it offline with \`bienlai keys move-root --root-dir <offline folder>\`; the service never needs it`
  }
  // Open each agency's current key now, so a wrong passphrase stops the start rather than the first approval.
  const revoked = new Set(readRevocations(keysDir).map((r) => r.keyId))
  const stored = (await listAgencyCertificates(keysDir)).filter((c) => !revoked.has(c.keyId))
  const agencies = [...new Set(stored.map((c) => c.agency))]
  for (const agency of agencies) {
    for (const purpose of ["seal", "token"] as const) {
      const cert = currentCertificate(stored, agency, now.getTime(), purpose)
      if (cert === undefined) continue
      if (cert.location?.kind === "pkcs11") {
        // A key on a token: open it now with the PIN of the environment, checked against its certificate.
        const { openTokenKey } = await import("../adapters/keys/pkcs11-signer.ts")
        const { pkcs11SettingsFromEnv } = await import("../adapters/keys/pkcs11-settings.ts")
        try {
          await openTokenKey(agency, cert, cert.location.reference, pkcs11SettingsFromEnv(env))
        } catch (e) {
          return `the signing key ${cert.keyId} of ${agency} on token "${cert.location.reference.tokenLabel}" cannot be used: ${e instanceof Error ? e.message : String(e)}`
        }
        continue
      }
      try {
        await decryptPrivateKey(readFileSync(cert.keyPath, "utf8"), passphrase, cert.algorithm)
      } catch {
        return `BIENLAI_KEY_PASSPHRASE does not open the signing key ${cert.keyId} of ${agency} in ${keysDir}: set the passphrase the keys were made with`
      }
    }
  }
  if (agencies.every((a) => currentCertificate(stored, a, now.getTime()) === undefined)) {
    return `no agency certificate in ${keysDir} is valid now: issue new ones with \`bienlai keys add <AGENCY> --root-dir <offline folder>\``
  }
  // The published trust list must be the root's and name every key that signs: otherwise receipts would verify nowhere.
  return publicationProblem(keysDir, now)
}
