/**
 * Interoperability with OpenSSL, which shares no code with ours: the agency
 * certificate chains to the root (`openssl verify`), the seal verifies over
 * the canonical bytes (`openssl pkeyutl -verify`), and the encrypted PKCS#8
 * key opens with the passphrase.
 */
import { describe, expect, test } from "bun:test"
import { spawnSync } from "node:child_process"
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { canonicalBytes } from "../../domain/canonical.ts"
import { fromBase64Url } from "../../domain/signing/bytes.ts"
import { sealReceipt } from "../../domain/signing/issue-token.ts"
import { encryptPrivateKey } from "../../adapters/keys/keystore.ts"
import { makePki, receipt, run, signerFor } from "./fixtures.ts"

const openssl = (args: ReadonlyArray<string>) => spawnSync("openssl", args, { encoding: "utf8" })

/** WebCrypto gives ECDSA signatures as r‖s; OpenSSL wants DER SEQUENCE { INTEGER r, INTEGER s }. */
const ecdsaToDer = (raw: Uint8Array): Uint8Array => {
  const int = (b: Uint8Array) => {
    let i = 0
    while (i < b.length - 1 && b[i] === 0) i++
    const v = b.subarray(i)
    return v[0]! & 0x80 ? [0x02, v.length + 1, 0, ...v] : [0x02, v.length, ...v]
  }
  const body = [...int(raw.subarray(0, 32)), ...int(raw.subarray(32))]
  return new Uint8Array([0x30, body.length, ...body])
}

for (const algorithm of ["Ed25519", "ECDSA-P256"] as const) {
  describe(`openssl agrees (${algorithm})`, async () => {
    const pki = await makePki(algorithm)
    const dir = mkdtempSync(join(tmpdir(), "bienlai-openssl-"))
    const file = (name: string, data: string | Uint8Array) => {
      writeFileSync(join(dir, name), data)
      return join(dir, name)
    }
    const root = file("root.pem", pki.root.certificate.toString("pem"))

    test("openssl verify: the agency certificate chains to the Ministry root; a stranger's does not", () => {
      const ok = openssl(["verify", "-CAfile", root, file("hcm.pem", pki.hcm.certificate.toString("pem"))])
      expect(ok.stdout).toContain(": OK")
      expect(ok.status).toBe(0)
      const bad = openssl(["verify", "-CAfile", root, file("stranger.pem", pki.stranger.certificate.toString("pem"))])
      expect(bad.status).not.toBe(0)
    })

    test("openssl pkeyutl -verify: the seal is a signature over the canonical bytes", async () => {
      const r = receipt()
      const seal = await run(sealReceipt(r), signerFor("HCM", pki.hcm))
      expect(seal).toMatchObject({ algorithm, keyId: pki.hcm.keyId })
      const raw = fromBase64Url(seal.signature)!
      const pub = file("hcm.pub.pem", pki.hcm.certificate.publicKey.toString("pem"))
      const data = file("canonical.json", canonicalBytes(r))
      const sig = file("seal.sig", algorithm === "Ed25519" ? raw : ecdsaToDer(raw))
      const digest = algorithm === "Ed25519" ? [] : ["-digest", "sha256"]
      const ok = openssl(["pkeyutl", "-verify", "-pubin", "-inkey", pub, "-rawin", ...digest, "-in", data, "-sigfile", sig])
      expect(ok.stdout).toContain("Signature Verified Successfully")
      const altered = file("altered.json", canonicalBytes(receipt({ amount: 125_500_001n })))
      const bad = openssl(["pkeyutl", "-verify", "-pubin", "-inkey", pub, "-rawin", ...digest, "-in", altered, "-sigfile", sig])
      expect(bad.status).not.toBe(0)
    })

    test("the encrypted PKCS#8 key opens in openssl with the passphrase only", async () => {
      const pem = file("key.pem", await encryptPrivateKey(pki.hcm.keys.privateKey, "đúng-mật-khẩu-2025"))
      const ok = openssl(["pkey", "-in", pem, "-passin", "pass:đúng-mật-khẩu-2025", "-pubout"])
      expect(ok.stdout.trim()).toBe(pki.hcm.certificate.publicKey.toString("pem").trim())
      expect(openssl(["pkey", "-in", pem, "-passin", "pass:sai", "-pubout"]).status).not.toBe(0)
    })
  })
}
