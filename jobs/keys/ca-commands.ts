/**
 * `bienlai keys` for keys certified by a licensed CA, on a token or in a
 * file (adapters/keys/enrol.ts):
 *
 *   keys generate --agency A [--token LABEL [--key-label L]] [--algorithm ECDSA-P256|RSA-PSS-2048|RSA-PSS-3072] [--purpose seal|token]
 *   keys csr --agency A [--request ID] [--out FILE]
 *   keys import-cert FILE [--agency A]
 *   keys add-ca FILE          a CA (besides the root) allowed to issue agency certificates
 *   keys list                 which key signs for which agency, and the keys waiting for a certificate
 *
 * The token's module is BIENLAI_PKCS11_MODULE (default: SoftHSM2's), its PIN
 * BIENLAI_PKCS11_PIN, or asked on the terminal; it is never printed.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { describeKeys, generateKey, importCertificate, listPending, writeRequest } from "../../adapters/keys/enrol.ts"
import { pkcs11SettingsFromEnv } from "../../adapters/keys/pkcs11-settings.ts"
import type { Pkcs11Settings } from "../../adapters/keys/pkcs11-settings.ts"
import { isKeyType } from "../../adapters/keys/pki.ts"
import type { KeyType } from "../../adapters/keys/pki.ts"
import { isCa } from "../../adapters/keys/trust-list.ts"
import { x509 } from "../../adapters/keys/x509.ts"
import { askHidden } from "../program/hidden-prompt.ts"

export interface CaCommand {
  readonly action: string
  readonly subject: string | undefined
  readonly dir: string
  readonly agency: string | undefined
  readonly algorithm: string | undefined
  readonly purpose: string | undefined
  readonly token: string | undefined
  readonly keyLabel: string | undefined
  readonly request: string | undefined
  readonly out: string | undefined
  readonly passphrase: () => string | undefined
  readonly now: Date
}

const tokenSettings = (): Pkcs11Settings => pkcs11SettingsFromEnv(process.env, () => askHidden("PIN of the token: "))

const fail = (action: string, e: unknown): number => {
  console.error(`bienlai keys ${action}: ${e instanceof Error ? e.message : String(e)}`)
  return 1
}

export const runCa = async (c: CaCommand, usage: string): Promise<number | undefined> => {
  switch (c.action) {
    case "generate": {
      if (c.agency === undefined) {
        console.error(`bienlai keys generate: give --agency, like HCM\n\n${usage}`)
        return 2
      }
      const keyType = c.algorithm ?? "ECDSA-P256"
      if (!isKeyType(keyType)) {
        console.error(`bienlai keys generate: --algorithm must be ECDSA-P256, RSA-PSS-2048, RSA-PSS-3072 or Ed25519, not "${keyType}"`)
        return 2
      }
      if (c.purpose !== undefined && c.purpose !== "seal" && c.purpose !== "token") {
        console.error(`bienlai keys generate: --purpose must be seal or token, not "${c.purpose}"`)
        return 2
      }
      const pass = c.passphrase()
      if (pass === undefined) return 1
      try {
        const pending = await generateKey({
          dir: c.dir,
          agency: c.agency,
          keyType: keyType as KeyType,
          ...(c.purpose === "token" ? { purpose: "token" as const } : {}),
          passphrase: pass,
          now: c.now,
          ...(c.token === undefined ? {} : { token: { settings: tokenSettings(), tokenLabel: c.token, ...(c.keyLabel === undefined ? {} : { keyLabel: c.keyLabel }) } })
        })
        const where = pending.location.kind === "pkcs11" ? `on token "${pending.location.reference.tokenLabel}" (key id ${pending.location.reference.keyId})` : "in an encrypted file"
        console.log(`generated a ${keyType} key for ${pending.agency} ${where}; request ${pending.id}`)
        console.log(`next: bienlai keys csr --agency ${pending.agency} --out ${pending.agency}.csr, and send it to the CA`)
        return 0
      } catch (e) {
        return fail("generate", e)
      }
    }
    case "csr": {
      if (c.agency === undefined) {
        console.error(`bienlai keys csr: give --agency, like HCM\n\n${usage}`)
        return 2
      }
      const pass = c.passphrase()
      if (pass === undefined) return 1
      try {
        const { pending, pem } = await writeRequest({ dir: c.dir, agency: c.agency, ...(c.request === undefined ? {} : { id: c.request }), passphrase: pass, token: tokenSettings() })
        if (c.out === undefined) process.stdout.write(pem)
        else {
          writeFileSync(c.out, pem)
          console.log(`certificate request for ${pending.agency} (key ${pending.id}, ${pending.algorithm}) written to ${c.out}`)
        }
        return 0
      } catch (e) {
        return fail("csr", e)
      }
    }
    case "import-cert": {
      if (c.subject === undefined) {
        console.error(`bienlai keys import-cert: give the CA's certificate file\n\n${usage}`)
        return 2
      }
      try {
        const done = await importCertificate({ dir: c.dir, certificate: new Uint8Array(readFileSync(c.subject)), now: c.now, ...(c.agency === undefined ? {} : { agency: c.agency }) })
        console.log(`imported certificate ${done.keyId} for ${done.agency} (${done.certificate.notBefore.toISOString().slice(0, 10)} → ${done.certificate.notAfter.toISOString().slice(0, 10)}, issued by ${done.certificate.issuer})`)
        console.log("next: bienlai keys trust-list where the root is kept, so verifiers trust it")
        return 0
      } catch (e) {
        return fail("import-cert", e)
      }
    }
    case "add-ca": {
      if (c.subject === undefined) {
        console.error(`bienlai keys add-ca: give the CA's certificate file\n\n${usage}`)
        return 2
      }
      let ca: x509.X509Certificate
      try {
        const text = readFileSync(c.subject)
        ca = text.includes("-----BEGIN") ? new x509.X509Certificate(text.toString("utf8")) : new x509.X509Certificate(new Uint8Array(text))
      } catch {
        console.error(`bienlai keys add-ca: ${c.subject} is not an X.509 certificate`)
        return 1
      }
      if (!isCa(ca)) {
        console.error(`bienlai keys add-ca: "${ca.subject}" is not a CA certificate (basicConstraints cA and keyCertSign)`)
        return 1
      }
      mkdirSync(join(c.dir, "cas"), { recursive: true })
      const name = Buffer.from(new Uint8Array(await crypto.subtle.digest("SHA-256", ca.rawData))).toString("hex").slice(0, 16)
      writeFileSync(join(c.dir, "cas", `${name}.crt.pem`), ca.toString("pem") + "\n")
      console.log(`CA "${ca.subject}" may now issue agency certificates; publish the trust list again (bienlai keys trust-list)`)
      return 0
    }
    case "list": {
      const rows = await describeKeys(c.dir, c.now)
      console.log("agency   key id           algorithm   purpose  valid                      signs now    where")
      for (const r of rows) {
        console.log(
          [
            r.agency.padEnd(8),
            r.keyId,
            r.algorithm.padEnd(11),
            (r.purpose ?? "both").padEnd(8),
            `${r.notBefore.slice(0, 10)} → ${r.notAfter.slice(0, 10)}`.padEnd(26),
            (r.revoked !== undefined ? "REVOKED" : r.signsNow.length === 0 ? "-" : r.signsNow.join("+")).padEnd(12),
            r.where + (r.revoked === undefined ? "" : `  revoked ${r.revoked}`)
          ].join(" ")
        )
      }
      const waiting = listPending(c.dir)
      if (waiting.length > 0) {
        console.log("\nwaiting for a certificate:")
        for (const p of waiting) {
          console.log(`  ${p.agency.padEnd(8)} request ${p.id} ${p.algorithm.padEnd(11)} ${p.purpose ?? "seal"}  ${p.location.kind === "pkcs11" ? `token "${p.location.reference.tokenLabel}"` : "file"}  since ${p.createdAt.slice(0, 10)}`)
        }
      }
      return 0
    }
    default:
      return undefined
  }
}

