/**
 * Keys on a PKCS#11 token, for real, against SoftHSM2: the workflow an
 * agency follows with a licensed CA, through `bienlai keys` as shipped
 * (generate on the token, write a PKCS#10 request, the CA issues, import the
 * certificate, list, publish the trust list), then the PKCS#11 signer makes
 * seals, QR tokens and status lists that verify; and every bad input gives
 * one clear error with nothing signed by the wrong key: a wrong PIN (never
 * printed), a missing token or module, a certificate that does not chain to
 * the root, an expired or not yet valid one, one without the signing usage,
 * one for another key, a request for an unknown agency, and a certificate
 * whose token key was swapped.
 *
 * Needs SoftHSM2 (Debian `softhsm2`, installed by .ci/run); skipped, saying
 * so, where it is missing. Runs itself in a child process whose environment
 * names a fresh token folder (test/signing/softhsm.ts says why).
 */
import { afterAll, describe, expect, test } from "bun:test"
import { spawnSync } from "node:child_process"
import { readdirSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { Effect, Result } from "effect"
import { canonicalBytes } from "../../domain/canonical.ts"
import { fromBase64Url } from "../../domain/signing/bytes.ts"
import { sealReceipt, signStatusList, signToken } from "../../domain/signing/issue-token.ts"
import { indexStatusLists, openStatusList } from "../../domain/signing/status-list.ts"
import { decodeToken } from "../../domain/signing/token.ts"
import { verify } from "../../domain/signing/verify.ts"
import { Signer } from "../../domain/ports/signer.ts"
import { generateKey, importCertificate, writeRequest } from "../../adapters/keys/enrol.ts"
import { listAgencyCertificates, openRoot, readRootCertificate } from "../../adapters/keys/keystore.ts"
import { publishTrustList } from "../../adapters/keys/manage.ts"
import type { Pkcs11Settings } from "../../adapters/keys/pkcs11-settings.ts"
import { agencyExtensions, createRoot } from "../../adapters/keys/pki.ts"
import { keyStoreSigner } from "../../adapters/keys/signer.ts"
import { loadTrustList } from "../../adapters/keys/trust-list.ts"
import { x509 } from "../../adapters/keys/x509.ts"
import { importNodePublicKey } from "../../adapters/verify/node-crypto.ts"
import { productionRefusal } from "../../edge/boot-settings.ts"
import { PDFDocument } from "pdf-lib"
import { signPdf } from "../../adapters/pdf-signing/pades.ts"
import { receipt } from "./fixtures.ts"
import { opensslVerifiesPdf, printCms, readPdfSignature } from "./pdf-check.ts"
import { openssl, scratch } from "./openssl-tools.ts"
import { inSoftHsmChild, OTHER_TOKEN, PIN, runInSoftHsmChild, softHsmMissing, softHsmModule, TOKEN } from "./softhsm.ts"

const skipped = softHsmMissing
if (skipped !== undefined) {
  console.warn(skipped)
  describe("PKCS#11 signer against SoftHSM2", () => {
    test.skip(skipped, () => {})
  })
} else if (!inSoftHsmChild()) {
  describe("PKCS#11 signer against SoftHSM2", () => {
    test("(in a child process whose environment names a fresh SoftHSM2 token folder)", () => {
      const child = runInSoftHsmChild(import.meta.path as string)
      process.stdout.write(child.output.split("\n").filter((l) => /^\((pass|fail|skip)\)| pass$| fail$|error:/.test(l)).map((l) => `  child: ${l}`).join("\n") + "\n")
      if (child.status !== 0) process.stdout.write(child.output)
      expect(child.output).toMatch(/\b0 fail\b/)
      expect(child.status).toBe(0)
    }, 300_000)
  })
} else {
  // Loaded here, not at the top: where the binding is missing, the file must still load to say it skips.
  const { closeTokenSessions, Pkcs11Signer } = await import("../../adapters/keys/pkcs11-signer.ts")
  const { unloadModules } = await import("../../adapters/keys/pkcs11-token.ts")
  const repo = join(import.meta.dir, "..", "..")
  const { dir, file } = scratch("bienlai-pkcs11-")
  const keys = join(dir, "keys")
  const rootDir = join(dir, "root")
  const passphrase = "the key store's passphrase"
  const rootPassphrase = "the root's own passphrase"
  const env = {
    BIENLAI_KEYS_DIR: keys,
    BIENLAI_ROOT_DIR: rootDir,
    BIENLAI_KEY_PASSPHRASE: passphrase,
    BIENLAI_ROOT_PASSPHRASE: rootPassphrase,
    BIENLAI_PKCS11_MODULE: softHsmModule!,
    BIENLAI_PKCS11_PIN: PIN
  }
  const cli = (args: ReadonlyArray<string>, extra: Record<string, string> = {}) => {
    const r = spawnSync(process.execPath, [join(repo, "jobs/bin/bienlai.ts"), "keys", ...args], { encoding: "utf8", env: { ...process.env, ...env, ...extra } as NodeJS.ProcessEnv })
    return { status: r.status, out: `${r.stdout}${r.stderr}` }
  }
  const settings = (pin = PIN, module = softHsmModule!): Pkcs11Settings => ({ module, pin: async () => pin })
  const now = new Date()
  const day = 86_400_000

  /** Our root acting as the CA, for certificates OpenSSL's `x509 -req` cannot date freely. */
  const issueFromRequest = async (csrPem: string, over: { notBefore?: Date; notAfter?: Date; usage?: number; issuer?: Awaited<ReturnType<typeof createRoot>> } = {}) => {
    const csr = new x509.Pkcs10CertificateRequest(csrPem)
    const root = over.issuer ?? (await openRoot({ rootDir, rootPassphrase }))
    const extensions = await agencyExtensions(csr.publicKey, root.keys.publicKey)
    const usage = over.usage === undefined ? extensions : [new x509.KeyUsagesExtension(over.usage, true), ...extensions.filter((e) => !(e instanceof x509.KeyUsagesExtension))]
    return (await x509.X509CertificateGenerator.create({
      serialNumber: Buffer.from(crypto.getRandomValues(new Uint8Array(8))).toString("hex").replace(/^./, "1"),
      subject: csr.subject,
      issuer: root.certificate.subject,
      notBefore: over.notBefore ?? new Date(now.getTime() - day),
      notAfter: over.notAfter ?? new Date(now.getTime() + 365 * day),
      signingAlgorithm: { name: "ECDSA", hash: "SHA-256" },
      publicKey: csr.publicKey,
      signingKey: root.keys.privateKey,
      extensions: usage
    })).toString("pem")
  }

  afterAll(async () => {
    await closeTokenSessions()
    unloadModules()
  })

  describe("an agency moves to a key on its token, certified by a CA", () => {
    let keyId = ""

    test("keys init, then keys generate makes an ECDSA P-256 key on the token; the PIN is never printed", () => {
      expect(cli(["init", "--agencies", "HCM,HNI"]).status).toBe(0)
      const r = cli(["generate", "--agency", "HCM", "--token", TOKEN, "--key-label", "hcm-seal"])
      expect(r.out).toContain(`generated a ECDSA-P256 key for HCM on token "${TOKEN}"`)
      expect(r.status).toBe(0)
      expect(r.out).not.toContain(PIN)
      // The private key stayed on the token: nothing but a reference was written.
      const pending = readdirSync(join(keys, "agencies", "HCM", "pending"))
      expect(pending.filter((f) => f.endsWith(".pem"))).toEqual([])
    })

    test("keys csr writes a PKCS#10 request that OpenSSL verifies, naming the agency and asking for the signing usages", () => {
      const r = cli(["csr", "--agency", "HCM", "--out", join(dir, "hcm.csr")])
      expect(r.status).toBe(0)
      const checked = openssl(["req", "-in", join(dir, "hcm.csr"), "-noout", "-verify", "-text"])
      expect(checked.stdout + checked.stderr).toMatch(/verify OK|Certificate request self-signature verify OK/)
      expect(checked.stdout).toContain("OU = HCM")
      expect(checked.stdout).toContain("Digital Signature, Non Repudiation")
      expect(checked.stdout).toContain("prime256v1")
    })

    test("the CA (OpenSSL here) issues from the request; keys import-cert checks it and stores it; keys list shows the token signs for HCM", () => {
      const rootKey = file("root-key.pem", openssl(["pkey", "-in", join(rootDir, "root.key.pem"), "-passin", `pass:${rootPassphrase}`]).stdout)
      const issued = openssl(["x509", "-req", "-in", join(dir, "hcm.csr"), "-CA", join(keys, "root.crt.pem"), "-CAkey", rootKey, "-days", "365", "-copy_extensions", "copy", "-set_serial", "0x1234ABCD", "-out", join(dir, "hcm.crt")])
      expect(issued.status).toBe(0)
      const imported = cli(["import-cert", join(dir, "hcm.crt")])
      expect(imported.out).toContain("imported certificate")
      expect(imported.status).toBe(0)
      keyId = /imported certificate ([0-9a-f]{16})/.exec(imported.out)![1]!
      const list = cli(["list"])
      const row = list.out.split("\n").find((l) => l.includes(keyId))!
      expect(row).toContain("seal+token")
      expect(row).toContain(`token "${TOKEN}" key "hcm-seal"`)
      expect(list.out).not.toContain("waiting for a certificate")
      expect(cli(["trust-list"]).status).toBe(0)
    })

    test("the key store signer signs with the token key: the seal verifies under the CA's certificate, the token and status list verify against the signed trust list", async () => {
      const signer = await keyStoreSigner({ dir: keys, passphrase, pkcs11: settings() })
      const t = new Date()
      const r = receipt({ issuedAt: new Date(Math.floor(t.getTime() / 1000) * 1000).toISOString(), series: { form: "01-BLTHADS", symbol: `AA/${String(t.getUTCFullYear()).slice(2)}E` } })
      const run = <A, E>(e: Effect.Effect<A, E, Signer>) => Effect.runPromise(Effect.provideService(e, Signer, signer))
      const seal = await run(sealReceipt(r))
      expect(seal).toMatchObject({ algorithm: "ECDSA-P256", keyId })
      const cert = (await listAgencyCertificates(keys)).find((c) => c.keyId === keyId)!
      const check = await importNodePublicKey(new Uint8Array(cert.certificate.publicKey.rawData), "ECDSA-P256")
      expect(check.verify(fromBase64Url(seal.signature)!, canonicalBytes(r))).toBe(true)
      const token = await run(signToken(r))
      const trust = Result.getOrThrow(await loadTrustList(JSON.parse(readFileSync(join(keys, "trust-list.json"), "utf8")), { heldRoots: [readRootCertificate(keys)] })).anchors
      const list = await run(signStatusList({ agency: "HCM", form: r.series.form, symbol: r.series.symbol, issuedAt: r.issuedAt, freshForSeconds: 600, size: 50, voided: [], replaced: [] }))
      const status = Result.getOrThrow(await openStatusList(list, trust))
      expect(await verify(token, trust, indexStatusLists([status]), { now: r.issuedAt })).toMatchObject({ _tag: "Valid", receipt: { keyId } })
    })

    test("a PDF signed (PAdES) with the token key verifies with OpenSSL over its byte ranges", async () => {
      const signer = await keyStoreSigner({ dir: keys, passphrase, pkcs11: settings() })
      const certificates = await listAgencyCertificates(keys)
      const root = readRootCertificate(keys)
      const chains = (id: string) => {
        const c = certificates.find((x) => x.keyId === id)
        return c === undefined ? undefined : [c.certificate, root]
      }
      const doc = await PDFDocument.create()
      doc.addPage().drawText("bienlai PAdES on a token")
      const signed = await Effect.runPromise(signPdf(signer, chains, "HCM", await doc.save(), { name: "Trần Văn Minh", reason: "Ký duyệt", location: "TP. Hồ Chí Minh", contactInfo: "", signingTime: new Date().toISOString() }))
      const verified = opensslVerifiesPdf(signed, root.toString("pem"))
      expect(verified.output).toContain("Verification successful")
      expect(printCms(readPdfSignature(signed).cms)).toContain("id-smime-aa-signingCertificateV2")
    })

    test("the same key through Pkcs11Signer.layer; a wrong PIN is key_locked and the message never holds the PIN", async () => {
      await closeTokenSessions()
      const cert = (await listAgencyCertificates(keys)).find((c) => c.keyId === keyId)!
      const reference = cert.location?.kind === "pkcs11" ? cert.location.reference : undefined
      const wrong = "999999"
      const failed = await Effect.runPromise(Effect.scoped(Effect.result(Effect.provide(sealReceipt(receipt()), Pkcs11Signer.layer(settings(wrong), [{ agency: "HCM", certificate: cert, reference: reference! }])))))
      expect(Result.isFailure(failed)).toBe(true)
      if (Result.isFailure(failed)) {
        expect(failed.failure).toMatchObject({ reason: "key_locked" })
        expect(failed.failure.message).toContain("PIN is wrong")
        expect(failed.failure.message).not.toContain(wrong)
      }
      const ok = await Effect.runPromise(Effect.scoped(Effect.provide(sealReceipt(receipt()), Pkcs11Signer.layer(settings(), [{ agency: "HCM", certificate: cert, reference: reference! }]))))
      expect(ok.keyId).toBe(keyId)
    })
  })

  describe("bad input: one clear error, nothing signed with the wrong key", () => {
    test("a wrong PIN, a missing token and a missing module stop keys csr with one line, without the PIN", () => {
      cli(["generate", "--agency", "HNI", "--token", TOKEN, "--key-label", "hni-seal"])
      const wrong = cli(["csr", "--agency", "HNI"], { BIENLAI_PKCS11_PIN: "000000" })
      expect(wrong.status).toBe(1)
      expect(wrong.out.trim().split("\n")).toHaveLength(1)
      expect(wrong.out).toContain("the PIN is wrong for token")
      expect(wrong.out).not.toContain("000000")
      const noToken = cli(["generate", "--agency", "HNI", "--token", "no-such-token"])
      expect(noToken.out).toContain(`no token labelled "no-such-token"`)
      expect(noToken.out).toContain(`"${TOKEN}"`)
      expect(noToken.status).toBe(1)
      const noModule = cli(["generate", "--agency", "HNI", "--token", TOKEN], { BIENLAI_PKCS11_MODULE: "/nonexistent/libpkcs11.so" })
      expect(noModule.out).toContain("the PKCS#11 module /nonexistent/libpkcs11.so cannot be loaded")
      expect(noModule.status).toBe(1)
    })

    test("a request for an unknown agency is refused", () => {
      const r = cli(["csr", "--agency", "DNG"])
      expect(r.out).toContain("unknown agency DNG")
      expect(r.status).toBe(1)
      expect(cli(["csr", "--agency", "hcm!"]).out).toContain("is not an agency code")
    })

    test("certificates that do not chain to the root, are expired or not yet valid, lack the signing usage, or are for another key are refused, and nothing is stored", async () => {
      const { pem } = await writeRequest({ dir: keys, agency: "HNI", passphrase, token: settings() })
      const before = readdirSync(join(keys, "agencies", "HNI")).sort()
      const refuse = async (certificate: string) => {
        try {
          await importCertificate({ dir: keys, certificate: new TextEncoder().encode(certificate), now })
          return "imported"
        } catch (e) {
          return (e as Error).message
        }
      }
      const stranger = await createRoot({ algorithm: "ECDSA-P256", notBefore: new Date(now.getTime() - day), notAfter: new Date(now.getTime() + 3650 * day), name: "CN=Someone else's CA" })
      expect(await refuse(await issueFromRequest(pem, { issuer: stranger }))).toContain("does not chain to the root")
      expect(await refuse(await issueFromRequest(pem, { notBefore: new Date(now.getTime() - 400 * day), notAfter: new Date(now.getTime() - day) }))).toContain("expired on")
      expect(await refuse(await issueFromRequest(pem, { notBefore: new Date(now.getTime() + 30 * day) }))).toContain("not yet valid")
      expect(await refuse(await issueFromRequest(pem, { usage: x509.KeyUsageFlags.keyEncipherment }))).toContain("does not allow digital signatures")
      const otherKey = await generateKey({ dir: keys, agency: "HNI", keyType: "ECDSA-P256", passphrase, now })
      const { pem: otherPem } = await writeRequest({ dir: keys, agency: "HNI", id: otherKey.id, passphrase })
      const forOther = await issueFromRequest(otherPem)
      // Swap the public key's holder: a certificate whose key waits nowhere here.
      writeFileSync(join(dir, "unrelated.csr"), openssl(["req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", join(dir, "unrelated.key"), "-subj", "/OU=HNI/CN=x"]).stdout)
      expect(await refuse(await issueFromRequest(readFileSync(join(dir, "unrelated.csr"), "utf8")))).toContain("is not a key of HNI waiting here")
      expect(await refuse("not a certificate")).toContain("not an X.509 certificate")
      expect(readdirSync(join(keys, "agencies", "HNI")).sort()).toEqual(before)
      // The right one is accepted.
      expect(await refuse(forOther)).toBe("imported")
    })

    test("a certificate whose key on the token was swapped signs nothing: the signer refuses before signing", async () => {
      // HCM's certificate, but its reference now names another key on the token (HNI's): the public keys differ.
      const cert = (await listAgencyCertificates(keys)).find((c) => c.agency === "HCM" && c.location?.kind === "pkcs11")!
      const hni = (await listAgencyCertificates(keys)).find((c) => c.agency === "HNI" && c.location?.kind === "pkcs11")
      const otherReference = hni?.location?.kind === "pkcs11" ? hni.location.reference : { tokenLabel: TOKEN, keyLabel: "hni-seal" }
      await closeTokenSessions()
      let signed = 0
      const counting = Pkcs11Signer.layer(settings(), [{ agency: "HCM", certificate: cert, reference: otherReference }])
      const r = await Effect.runPromise(Effect.scoped(Effect.result(Effect.provide(sealReceipt(receipt()).pipe(Effect.tap(() => Effect.sync(() => signed++))), counting))))
      expect(Result.isFailure(r) && r.failure.message).toContain("is not the key of certificate")
      expect(signed).toBe(0)
      // A key on another token with the same label is not found there either.
      const elsewhere = Pkcs11Signer.layer(settings(), [{ agency: "HCM", certificate: cert, reference: { tokenLabel: OTHER_TOKEN, keyLabel: "hcm-seal" } }])
      const r2 = await Effect.runPromise(Effect.scoped(Effect.result(Effect.provide(sealReceipt(receipt()), elsewhere))))
      expect(Result.isFailure(r2) && r2.failure.reason).toBe("no_key")
    })

    test("production refuses to start when the token's PIN is wrong, in one line without the PIN", async () => {
      await closeTokenSessions()
      expect(cli(["trust-list"]).status).toBe(0)
      const refusal = await productionRefusal({ PUBLIC_URL: "https://bienlai.example", BIENLAI_PKCS11_MODULE: softHsmModule!, BIENLAI_PKCS11_PIN: "111111" }, keys, passphrase, new Date())
      expect(refusal).toContain("the PIN is wrong for token")
      expect(refusal).not.toContain("111111")
    })
  })

  describe("RSA-PSS on the token", () => {
    test("an RSA-PSS 2048 seal key on the token signs seals that OpenSSL verifies; its token certificate is ECDSA", async () => {
      const rsa = await generateKey({ dir: keys, agency: "HCM", keyType: "RSA-PSS-2048", passphrase, now: new Date(now.getTime() + 1000), token: { settings: settings(), tokenLabel: TOKEN, keyLabel: "hcm-rsa" } })
      const { pem } = await writeRequest({ dir: keys, agency: "HCM", id: rsa.id, passphrase, token: settings() })
      expect(openssl(["req", "-noout", "-verify"], pem).stdout + openssl(["req", "-noout", "-verify"], pem).stderr).toContain("verify OK")
      // Newer than HCM's ECDSA certificate, so it is the one that seals now.
      const imported = await importCertificate({ dir: keys, certificate: new TextEncoder().encode(await issueFromRequest(pem, { notBefore: new Date(Date.now() - 100) })), now: new Date() })
      expect(imported.certificate.publicKey.algorithm).toMatchObject({ modulusLength: 2048 })
      await closeTokenSessions()
      const signer = await keyStoreSigner({ dir: keys, passphrase, pkcs11: settings() })
      const r = receipt()
      const seal = await Effect.runPromise(Effect.provideService(sealReceipt(r), Signer, signer))
      expect(seal).toMatchObject({ algorithm: "RSA-PSS", keyId: imported.keyId })
      const sig = fromBase64Url(seal.signature)!
      expect(sig.length).toBe(256)
      const ok = openssl(["pkeyutl", "-verify", "-pubin", "-inkey", file("rsa.pub.pem", imported.certificate.publicKey.toString("pem")), "-rawin", "-digest", "sha256", "-pkeyopt", "rsa_padding_mode:pss", "-pkeyopt", "rsa_pss_saltlen:32", "-in", file("c.json", canonicalBytes(r)), "-sigfile", file("rsa.sig", sig)])
      expect(ok.stdout).toContain("Signature Verified Successfully")
      // Tokens still come from the ECDSA key on the token (the RSA certificate seals only).
      const token = await Effect.runPromise(Effect.provideService(signToken(r), Signer, signer))
      expect(Result.getOrThrow(decodeToken(token)).algorithm).toBe("ECDSA-P256")
      await publishTrustList({ dir: keys, rootDir, rootPassphrase, now })
    })
  })
}
