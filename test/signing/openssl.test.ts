/**
 * Interoperability with OpenSSL, which shares no code with ours, for every
 * key type `bienlai keys` makes: the agency certificate chains to the root
 * (`openssl verify`), the seal verifies over the canonical bytes (`openssl
 * pkeyutl -verify`; RSA-PSS with SHA-256 and a 32-byte salt), and the
 * encrypted PKCS#8 key opens with the passphrase.
 */
import { describe, expect, test } from "bun:test"
import { canonicalBytes } from "../../domain/canonical.ts"
import { fromBase64Url } from "../../domain/signing/bytes.ts"
import { sealReceipt } from "../../domain/signing/issue-token.ts"
import { encryptPrivateKey } from "../../adapters/keys/keystore.ts"
import { makePki, receipt, run, signerFor } from "./fixtures.ts"
import { hasOpenssl, openssl, opensslSignature, pkeyutlOptions, scratch } from "./openssl-tools.ts"

for (const keyType of ["ECDSA-P256", "RSA-PSS-2048", "RSA-PSS-3072", "Ed25519"] as const) {
  describe.skipIf(!hasOpenssl)(`openssl agrees (${keyType})`, async () => {
    const pki = await makePki(keyType)
    const algorithm = pki.hcm.algorithm
    const { file } = scratch("bienlai-openssl-")
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
      if (algorithm === "RSA-PSS") expect(raw.length).toBe(keyType === "RSA-PSS-2048" ? 256 : 384)
      const sig = file("seal.sig", opensslSignature(algorithm, raw))
      const digest = pkeyutlOptions(algorithm)
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
