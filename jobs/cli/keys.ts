/**
 * `bienlai keys`: the PKI.
 *
 *   keys init [--dir D] [--root-dir R] [--agencies HCM,HNI] [--algorithm ECDSA-P256|RSA-PSS-2048|RSA-PSS-3072|Ed25519] [--service-url URL]
 *   keys add <AGENCY> [--dir D] [--root-dir R] [--algorithm A]   another certificate (rollover)
 *   keys revoke <KEY_ID> [--dir D] [--reason R]
 *   keys trust-list [--dir D] [--root-dir R] [--out FILE] [--service-url URL] [--crl-days N]
 *                                                     sign and publish the trust list and the CRL with the root
 *   keys move-root [--dir D] [--root-dir R]           take the root's key out of a key store of the earlier layout
 *   keys generate | csr | import-cert | add-ca | list  keys certified by a licensed CA, on a token: jobs/keys/ca-commands.ts
 *
 * Agency keys are encrypted under BIENLAI_KEY_PASSPHRASE in the service's key
 * store (BIENLAI_KEYS_DIR, default .bienlai/keys); the root's key under
 * BIENLAI_ROOT_PASSPHRASE in its own folder (BIENLAI_ROOT_DIR, default
 * `root` beside the key store), which production keeps offline (see
 * adapters/keys/passphrase.ts and docs/SIGNING.md).
 */
import { join } from "node:path"
import { defaultKeysDir, defaultRootDir, holdsRootKey } from "../../adapters/keys/keystore.ts"
import type { Revocation } from "../../adapters/keys/keystore.ts"
import { DEFAULT_KEY_TYPE, isKeyType, KEY_TYPES } from "../../adapters/keys/pki.ts"
import type { KeyType } from "../../adapters/keys/pki.ts"
import { runCa } from "../keys/ca-commands.ts"
import { addAgencyKey, initPki, moveRoot, publishTrustList, revokeKey } from "../../adapters/keys/manage.ts"
import { keyPassphrase, rootPassphrase } from "../../adapters/keys/passphrase.ts"
import { readCommandLine } from "../bin/command-line.ts"

export const summary = "create the PKI (root kept apart), keys on a token and CA requests, rotate or revoke keys, sign the trust list and CRL"

const usage = `usage:
  bienlai keys init [--dir D] [--root-dir R] [--agencies HCM,HNI] [--algorithm A] [--service-url URL]
  bienlai keys add <AGENCY> [--dir D] [--root-dir R] [--algorithm A]
  bienlai keys revoke <KEY_ID> [--dir D] [--reason keyCompromise|superseded|cessationOfOperation|unspecified]
  bienlai keys trust-list [--dir D] [--root-dir R] [--out FILE] [--service-url URL] [--crl-days N]
  bienlai keys move-root [--dir D] [--root-dir R]
  bienlai keys generate --agency A [--token LABEL [--key-label L]] [--algorithm A] [--purpose seal|token]
  bienlai keys csr --agency A [--request ID] [--out FILE]
  bienlai keys import-cert FILE [--agency A]
  bienlai keys add-ca FILE
  bienlai keys list [--dir D]

A (--algorithm): ECDSA-P256 (default), RSA-PSS-2048, RSA-PSS-3072 (the seal; an ECDSA P-256 token
certificate is made beside it for QR codes) or Ed25519 (not in Circular 15/2025's list).

The service's key store (--dir, BIENLAI_KEYS_DIR, default .bienlai/keys) holds the agency keys,
encrypted with BIENLAI_KEY_PASSPHRASE or on a PKCS#11 token (BIENLAI_PKCS11_MODULE, PIN in
BIENLAI_PKCS11_PIN or asked), the root's certificate, and the trust list and CRL the root signed.
The root's private key is kept apart (--root-dir, BIENLAI_ROOT_DIR, default "root" beside the key
store; offline in production), encrypted with BIENLAI_ROOT_PASSPHRASE; init, add, trust-list and
move-root need it. Both passphrases are required in production.`

const reasons: ReadonlyArray<Revocation["reason"]> = ["keyCompromise", "superseded", "cessationOfOperation", "unspecified"]

export const run = async (args: ReadonlyArray<string>): Promise<number> => {
  const parsed = readCommandLine("keys", usage, args, {
    dir: { type: "string" },
    agencies: { type: "string" },
    algorithm: { type: "string" },
    reason: { type: "string" },
    out: { type: "string" },
    "root-dir": { type: "string" },
    "service-url": { type: "string" },
    "crl-days": { type: "string" },
    agency: { type: "string" },
    purpose: { type: "string" },
    token: { type: "string" },
    "key-label": { type: "string" },
    request: { type: "string" }
  })
  if (typeof parsed === "number") return parsed
  const { values, positionals } = parsed
  const [action, subject] = positionals
  if (action === undefined) {
    console.log(usage)
    return 2
  }
  const dir = values.dir ?? defaultKeysDir()
  const rootDir = values["root-dir"] ?? defaultRootDir(process.env, dir)
  const algorithmText = values.algorithm ?? DEFAULT_KEY_TYPE
  if (!isKeyType(algorithmText)) {
    console.error(`bienlai keys: --algorithm must be one of ${KEY_TYPES.join(", ")}, not "${values.algorithm}"`)
    return 2
  }
  const algorithm: KeyType = algorithmText
  const serviceUrl = values["service-url"]
  if (serviceUrl !== undefined && !/^https?:\/\/[^\s/?#]+(?:\/[^\s?#]*)?$/.test(serviceUrl)) {
    console.error(`bienlai keys: --service-url must be an http(s) URL, not "${serviceUrl}"`)
    return 2
  }
  const crlDays = values["crl-days"] === undefined ? undefined : Number(values["crl-days"])
  if (crlDays !== undefined && (!Number.isInteger(crlDays) || crlDays < 1 || crlDays > 366)) {
    console.error(`bienlai keys: --crl-days must be a whole number of days from 1 to 366, not "${values["crl-days"]}"`)
    return 2
  }
  const now = new Date()
  const passphrase = () => {
    const p = keyPassphrase()
    if (typeof p !== "string") {
      console.error(`bienlai keys: ${p.message}`)
      return undefined
    }
    return p
  }
  const rootPass = () => {
    const p = rootPassphrase()
    if (typeof p !== "string") {
      console.error(`bienlai keys: ${p.message}`)
      return undefined
    }
    return p
  }

  const ca = await runCa({
    action,
    subject,
    dir,
    agency: values.agency,
    algorithm: values.algorithm,
    purpose: values.purpose,
    token: values.token,
    keyLabel: values["key-label"],
    request: values.request,
    out: values.out,
    passphrase,
    now
  }, usage)
  if (ca !== undefined) return ca

  switch (action) {
    case "init": {
      const pass = passphrase()
      if (pass === undefined) return 1
      const rootPassword = rootPass()
      if (rootPassword === undefined) return 1
      const agencies = (values.agencies ?? "HCM,HNI").split(",").map((a) => a.trim()).filter((a) => a !== "")
      const bad = agencies.find((a) => !/^[A-Z][A-Z0-9]{1,15}$/.test(a))
      if (bad !== undefined) {
        console.error(`bienlai keys: "${bad}" is not an agency code (2–16 capital letters or digits, like HCM)`)
        return 2
      }
      try {
        const report = await initPki({ dir, rootDir, agencies, algorithm, passphrase: pass, rootPassphrase: rootPassword, now, ...(serviceUrl === undefined ? {} : { serviceUrl }) })
        console.log(`created the PKI (${algorithm}): agency keys in ${dir}, the root's key in ${rootDir}`)
        console.log(`  root CA            ${report.rootKeyId}   (keep ${rootDir} offline; the service never needs it)`)
        for (const a of report.agencies) console.log(`  ${a.agency.padEnd(18)} ${a.keyId}${a.purpose === "token" ? "  (QR tokens and status lists)" : ""}`)
        console.log(`trust list and CRL, signed by the root, written to ${join(dir, "trust-list.json")} and ${join(dir, "revoked.crl")}`)
        return 0
      } catch (e) {
        console.error(`bienlai keys init: ${(e as Error).message}`)
        return 1
      }
    }
    case "add": {
      if (subject === undefined || !/^[A-Z][A-Z0-9]{1,15}$/.test(subject)) {
        console.error(`bienlai keys add: give an agency code, like HCM\n\n${usage}`)
        return 2
      }
      const pass = passphrase()
      if (pass === undefined) return 1
      const rootPassword = rootPass()
      if (rootPassword === undefined) return 1
      try {
        const keyId = await addAgencyKey({ dir, rootDir, agency: subject, algorithm, passphrase: pass, rootPassphrase: rootPassword, now })
        console.log(`issued certificate ${keyId} for ${subject}; run \`bienlai keys trust-list\` to publish it`)
        if (holdsRootKey(dir)) console.error(`warning: the root's private key is still in the key store ${dir}; move it out with \`bienlai keys move-root\``)
        return 0
      } catch (e) {
        console.error(`bienlai keys add: ${(e as Error).message}`)
        return 1
      }
    }
    case "revoke": {
      const reason = (values.reason ?? "keyCompromise") as Revocation["reason"]
      if (subject === undefined || !reasons.includes(reason)) {
        console.error(`bienlai keys revoke: give a key id and a valid --reason\n\n${usage}`)
        return 2
      }
      if (!(await revokeKey({ dir, keyId: subject, reason, now }))) {
        console.error(`bienlai keys revoke: no agency certificate ${subject} in ${dir}`)
        return 1
      }
      console.log(`revoked ${subject} (${reason}); run \`bienlai keys trust-list\` where the root is kept to publish the revocation (signed trust list and CRL)`)
      return 0
    }
    case "trust-list": {
      const rootPassword = rootPass()
      if (rootPassword === undefined) return 1
      const pass = keyPassphrase(process.env, () => {})
      try {
        const published = await publishTrustList({
          dir,
          rootDir,
          rootPassphrase: rootPassword,
          ...(typeof pass === "string" ? { passphrase: pass } : {}),
          now,
          ...(values.out === undefined ? {} : { out: values.out }),
          ...(serviceUrl === undefined ? {} : { serviceUrl }),
          ...(crlDays === undefined ? {} : { crlDays })
        })
        const out = values.out ?? join(dir, "trust-list.json")
        console.log(`trust list signed by the root, written to ${out}: ${published.list.agencies.length} agency key(s), ${published.list.revoked.length} revoked`)
        console.log(`CRL (${published.crl.entries.length} revoked certificate(s) of the root, next update ${published.crl.nextUpdate?.toISOString() ?? "none"}) written beside it as revoked.crl`)
        return 0
      } catch (e) {
        console.error(`bienlai keys trust-list: ${(e as Error).message}`)
        return 1
      }
    }
    case "move-root": {
      const pass = passphrase()
      if (pass === undefined) return 1
      const rootPassword = rootPass()
      if (rootPassword === undefined) return 1
      try {
        await moveRoot({ dir, rootDir, passphrase: pass, rootPassphrase: rootPassword })
        console.log(`moved the root's private key from ${dir} to ${rootDir} (now under BIENLAI_ROOT_PASSPHRASE); keep ${rootDir} offline`)
        return 0
      } catch (e) {
        console.error(`bienlai keys move-root: ${(e as Error).message}`)
        return 1
      }
    }
    default:
      console.error(`bienlai keys: unknown action "${action}"\n\n${usage}`)
      return 2
  }
}
