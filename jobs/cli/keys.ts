/**
 * `bienlai keys`: the PKI.
 *
 *   keys init [--dir D] [--root-dir R] [--agencies HCM,HNI] [--algorithm Ed25519|ECDSA-P256]
 *   keys add <AGENCY> [--dir D] [--root-dir R] [--algorithm A]   another certificate (rollover)
 *   keys revoke <KEY_ID> [--dir D] [--reason R]
 *   keys list [--dir D]
 *   keys trust-list [--dir D] [--out FILE]            publish the trust list JSON
 *   keys move-root [--dir D] [--root-dir R]           take the root's key out of a key store of the earlier layout
 *
 * Agency keys are encrypted under BIENLAI_KEY_PASSPHRASE in the service's key
 * store (BIENLAI_KEYS_DIR, default .bienlai/keys); the root's key under
 * BIENLAI_ROOT_PASSPHRASE in its own folder (BIENLAI_ROOT_DIR, default
 * `root` beside the key store), which production keeps offline (see
 * adapters/keys/passphrase.ts and docs/SIGNING.md).
 */
import { join } from "node:path"
import type { SignatureAlgorithm } from "../../domain/signing/trust.ts"
import { defaultKeysDir, defaultRootDir, holdsRootKey, listAgencyCertificates, readRevocations } from "../../adapters/keys/keystore.ts"
import type { Revocation } from "../../adapters/keys/keystore.ts"
import { addAgencyKey, initPki, moveRoot, publishTrustList, revokeKey } from "../../adapters/keys/manage.ts"
import { keyPassphrase, rootPassphrase } from "../../adapters/keys/passphrase.ts"
import { readCommandLine } from "../bin/command-line.ts"

export const summary = "create the PKI (root kept apart), rotate or revoke agency keys, publish the trust list"

const usage = `usage:
  bienlai keys init [--dir D] [--root-dir R] [--agencies HCM,HNI] [--algorithm Ed25519|ECDSA-P256]
  bienlai keys add <AGENCY> [--dir D] [--root-dir R] [--algorithm Ed25519|ECDSA-P256]
  bienlai keys revoke <KEY_ID> [--dir D] [--reason keyCompromise|superseded|cessationOfOperation|unspecified]
  bienlai keys list [--dir D]
  bienlai keys trust-list [--dir D] [--out FILE]
  bienlai keys move-root [--dir D] [--root-dir R]

The service's key store (--dir, BIENLAI_KEYS_DIR, default .bienlai/keys) holds the agency keys,
encrypted with BIENLAI_KEY_PASSPHRASE, and the root's certificate. The root's private key is kept
apart (--root-dir, BIENLAI_ROOT_DIR, default "root" beside the key store; offline in production),
encrypted with BIENLAI_ROOT_PASSPHRASE; init, add and move-root need it. Both passphrases are
required in production.`

const algorithms: ReadonlyArray<SignatureAlgorithm> = ["Ed25519", "ECDSA-P256"]
const reasons: ReadonlyArray<Revocation["reason"]> = ["keyCompromise", "superseded", "cessationOfOperation", "unspecified"]

export const run = async (args: ReadonlyArray<string>): Promise<number> => {
  const parsed = readCommandLine("keys", usage, args, {
    dir: { type: "string" },
    agencies: { type: "string" },
    algorithm: { type: "string" },
    reason: { type: "string" },
    out: { type: "string" },
    "root-dir": { type: "string" }
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
  const algorithm = (values.algorithm ?? "Ed25519") as SignatureAlgorithm
  if (!algorithms.includes(algorithm)) {
    console.error(`bienlai keys: --algorithm must be Ed25519 or ECDSA-P256, not "${values.algorithm}"`)
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
        const report = await initPki({ dir, rootDir, agencies, algorithm, passphrase: pass, rootPassphrase: rootPassword, now })
        const out = join(dir, "trust-list.json")
        await publishTrustList(dir, out, now)
        console.log(`created the PKI (${algorithm}): agency keys in ${dir}, the root's key in ${rootDir}`)
        console.log(`  root CA            ${report.rootKeyId}   (keep ${rootDir} offline; the service never needs it)`)
        for (const a of report.agencies) console.log(`  ${a.agency.padEnd(18)} ${a.keyId}`)
        console.log(`trust list written to ${out}`)
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
      console.log(`revoked ${subject} (${reason}); run \`bienlai keys trust-list\` to publish the revocation`)
      return 0
    }
    case "list": {
      const revoked = new Map(readRevocations(dir).map((r) => [r.keyId, r]))
      for (const c of await listAgencyCertificates(dir)) {
        const r = revoked.get(c.keyId)
        console.log(
          `${c.agency.padEnd(8)} ${c.keyId} ${c.algorithm.padEnd(10)} ${c.certificate.notBefore.toISOString().slice(0, 10)} → ${c.certificate.notAfter.toISOString().slice(0, 10)}${r ? `  REVOKED ${r.revokedAt} (${r.reason})` : ""}`
        )
      }
      return 0
    }
    case "trust-list": {
      const out = values.out ?? join(dir, "trust-list.json")
      try {
        const list = await publishTrustList(dir, out, now)
        console.log(`trust list written to ${out}: ${list.agencies.length} agency key(s), ${list.revoked.length} revoked`)
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
