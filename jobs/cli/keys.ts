/**
 * `bienlai keys`: the development PKI.
 *
 *   keys init [--dir D] [--agencies HCM,HNI] [--algorithm Ed25519|ECDSA-P256]
 *   keys add <AGENCY> [--dir D] [--algorithm A]       another certificate (rollover)
 *   keys revoke <KEY_ID> [--dir D] [--reason R]
 *   keys list [--dir D]
 *   keys trust-list [--dir D] [--out FILE]            publish the trust list JSON
 *
 * Private keys are encrypted under BIENLAI_KEY_PASSPHRASE (see
 * jobs/keys/passphrase.ts); the directory defaults to BIENLAI_KEYS_DIR or
 * .bienlai/keys.
 */
import { join } from "node:path"
import type { SignatureAlgorithm } from "../../domain/signing/trust.ts"
import { defaultKeysDir, listAgencyCertificates, readRevocations } from "../keys/keystore.ts"
import type { Revocation } from "../keys/keystore.ts"
import { addAgencyKey, initPki, publishTrustList, revokeKey } from "../keys/manage.ts"
import { keyPassphrase } from "../keys/passphrase.ts"
import { readCommandLine } from "../bin/command-line.ts"

export const summary = "create the development PKI, rotate or revoke agency keys, publish the trust list"

const usage = `usage:
  bienlai keys init [--dir D] [--agencies HCM,HNI] [--algorithm Ed25519|ECDSA-P256]
  bienlai keys add <AGENCY> [--dir D] [--algorithm Ed25519|ECDSA-P256]
  bienlai keys revoke <KEY_ID> [--dir D] [--reason keyCompromise|superseded|cessationOfOperation|unspecified]
  bienlai keys list [--dir D]
  bienlai keys trust-list [--dir D] [--out FILE]

Private keys are encrypted with BIENLAI_KEY_PASSPHRASE (required in production).
The key directory defaults to BIENLAI_KEYS_DIR or .bienlai/keys.`

const algorithms: ReadonlyArray<SignatureAlgorithm> = ["Ed25519", "ECDSA-P256"]
const reasons: ReadonlyArray<Revocation["reason"]> = ["keyCompromise", "superseded", "cessationOfOperation", "unspecified"]

export const run = async (args: ReadonlyArray<string>): Promise<number> => {
  const parsed = readCommandLine("keys", usage, args, {
    dir: { type: "string" },
    agencies: { type: "string" },
    algorithm: { type: "string" },
    reason: { type: "string" },
    out: { type: "string" }
  })
  if (typeof parsed === "number") return parsed
  const { values, positionals } = parsed
  const [action, subject] = positionals
  if (action === undefined) {
    console.log(usage)
    return 2
  }
  const dir = values.dir ?? defaultKeysDir()
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

  switch (action) {
    case "init": {
      const pass = passphrase()
      if (pass === undefined) return 1
      const agencies = (values.agencies ?? "HCM,HNI").split(",").map((a) => a.trim()).filter((a) => a !== "")
      const bad = agencies.find((a) => !/^[A-Z][A-Z0-9]{1,15}$/.test(a))
      if (bad !== undefined) {
        console.error(`bienlai keys: "${bad}" is not an agency code (2–16 capital letters or digits, like HCM)`)
        return 2
      }
      try {
        const report = await initPki({ dir, agencies, algorithm, passphrase: pass, now })
        const out = join(dir, "trust-list.json")
        await publishTrustList(dir, out, now)
        console.log(`created the development PKI in ${dir} (${algorithm})`)
        console.log(`  root CA            ${report.rootKeyId}`)
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
      try {
        const keyId = await addAgencyKey({ dir, agency: subject, algorithm, passphrase: pass, now })
        console.log(`issued certificate ${keyId} for ${subject}; run \`bienlai keys trust-list\` to publish it`)
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
    default:
      console.error(`bienlai keys: unknown action "${action}"\n\n${usage}`)
      return 2
  }
}
