/**
 * The trust list is signed by the root (a JWS, docs/SIGNING.md) and the
 * revocations are also an X.509 CRL signed by the root. Checked through the
 * shipped paths: `bienlai keys` makes them, the service as `npm start`
 * boots it serves them (/api/trust-list, /api/crl), and OpenSSL, which
 * shares no code with ours, verifies the JWS signature and the CRL and
 * refuses a revoked certificate and a tampered CRL. Verifiers refuse an
 * unsigned list, any alteration, and a list signed by another root.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { spawnSync } from "node:child_process"
import { readFileSync, rmSync } from "node:fs"
import { join } from "node:path"
import { Result } from "effect"
import fc from "fast-check"
import { bootFromEnv, type Booted } from "../../edge/boot.ts"
import { listAgencyCertificates } from "../../adapters/keys/keystore.ts"
import { createRoot } from "../../adapters/keys/pki.ts"
import { peekTrustList, signTrustList, type SignedTrustList } from "../../adapters/keys/signed-trust-list.ts"
import { checkTrustListAnchor } from "../../adapters/keys/trust-anchor.ts"
import { loadTrustList } from "../../adapters/keys/trust-list.ts"
import { x509 } from "../../adapters/keys/x509.ts"
import type { TrustList } from "../../domain/signing/trust.ts"
import { makePki } from "./fixtures.ts"
import { ecdsaToDer, openssl, scratch } from "./openssl-tools.ts"

const repo = join(import.meta.dir, "..", "..")
const { dir, file } = scratch("bienlai-trust-signed-")
const keys = join(dir, "keys")
const env = { BIENLAI_KEYS_DIR: keys, BIENLAI_ROOT_DIR: join(dir, "root"), BIENLAI_KEY_PASSPHRASE: "the key store's passphrase", BIENLAI_ROOT_PASSPHRASE: "the root's own passphrase" }
const cli = (args: ReadonlyArray<string>) =>
  spawnSync(process.execPath, [join(repo, "jobs/bin/bienlai.ts"), "keys", ...args], { encoding: "utf8", env: { ...process.env, ...env } as NodeJS.ProcessEnv })

const refusal = async (json: unknown, heldRoots?: ReadonlyArray<x509.X509Certificate>): Promise<string> => {
  const r = await loadTrustList(json, heldRoots === undefined ? {} : { heldRoots })
  return Result.isFailure(r) ? r.failure.message : "accepted"
}

afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe("the signed trust list", async () => {
  const pki = await makePki()
  const signed = pki.signedList
  const held = [pki.root.certificate]

  test("is a JWS whose header names the root and ES256, and OpenSSL verifies its signature with the root's public key", () => {
    const header = JSON.parse(Buffer.from(signed.protected, "base64url").toString("utf8"))
    expect(header).toEqual({ alg: "ES256", typ: "bienlai-trust-list+json", x5c: [Buffer.from(pki.root.certificate.rawData).toString("base64")] })
    const input = file("signing-input.txt", `${signed.protected}.${signed.payload}`)
    const sig = file("jws.sig", ecdsaToDer(Buffer.from(signed.signature, "base64url")))
    const pub = file("root.pub.pem", pki.root.certificate.publicKey.toString("pem"))
    const ok = openssl(["dgst", "-sha256", "-verify", pub, "-signature", sig, input])
    expect(ok.stdout).toContain("Verified OK")
    const altered = file("altered-input.txt", `${signed.protected}.${signed.payload.slice(0, -1)}A`)
    expect(openssl(["dgst", "-sha256", "-verify", pub, "-signature", sig, altered]).status).not.toBe(0)
    // The payload is the list itself, readable once decoded.
    expect(peekTrustList(signed)).toEqual(JSON.parse(JSON.stringify(pki.list)))
  })

  test("loads with the held root and on its own", async () => {
    expect(await refusal(signed, held)).toBe("accepted")
    expect(await refusal(signed)).toBe("accepted")
  })

  test("a bare, unsigned list is refused", async () => {
    expect(await refusal(pki.list)).toContain("not signed by the root")
    expect(await refusal({ payload: signed.payload })).toContain("not signed")
    expect(await refusal("trust me")).toContain("not a JSON object")
  })

  test("a revocation left out, a key slipped in or the service changed, without the root's signature, is refused", async () => {
    const reencode = (list: unknown): SignedTrustList => ({ ...signed, payload: Buffer.from(JSON.stringify(list, null, 2) + "\n").toString("base64url") })
    const list = peekTrustList(signed) as TrustList
    expect(await refusal(reencode({ ...list, revoked: [] }), held)).toContain("signature does not verify")
    expect(await refusal(reencode({ ...list, agencies: [...list.agencies, list.revoked[0]!] }), held)).toContain("signature does not verify")
    expect(await refusal(reencode({ ...list, serviceUrl: "https://bienlai.example.net" }))).toContain("signature does not verify")
    // The same JSON re-indented is other bytes: still refused (the signature covers bytes, not meaning).
    expect(await refusal({ ...signed, payload: Buffer.from(JSON.stringify(list)).toString("base64url") }, held)).toContain("signature does not verify")
  })

  test("any changed character of the payload, header or signature is refused", async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom("payload" as const, "protected" as const, "signature" as const), fc.nat(), fc.constantFrom(..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"), async (part, at, c) => {
        const text = signed[part]
        const i = at % text.length
        fc.pre(text[i] !== c)
        const changed = { ...signed, [part]: text.slice(0, i) + c + text.slice(i + 1) }
        expect(await refusal(changed, held)).not.toBe("accepted")
      }),
      { numRuns: 150 }
    )
  })

  test("a list signed by another root is refused by a verifier holding ours, and an extra member beside the signature is refused", async () => {
    const other = await createRoot({ algorithm: "ECDSA-P256", notBefore: new Date("2024-01-01"), notAfter: new Date("2044-01-01"), name: "CN=Not the Ministry" })
    const list = peekTrustList(signed) as TrustList
    const forged = await signTrustList({ ...list, roots: [...list.roots, { name: other.certificate.subject, certificate: Buffer.from(other.certificate.rawData).toString("base64") }] }, { certificate: other.certificate, privateKey: other.keys.privateKey })
    expect(await refusal(forged, held)).toContain("not by the root held here")
    const anchored = await checkTrustListAnchor(forged, held)
    expect(Result.isFailure(anchored)).toBe(true)
    // A root outside the list's own roots cannot sign it either.
    const outside = await signTrustList(list, { certificate: other.certificate, privateKey: other.keys.privateKey })
    expect(await refusal(outside)).toContain("not among its roots")
    expect(await refusal({ ...signed, serviceUrl: "https://elsewhere.example" }, held)).toContain("unexpected member")
  })
})

describe("keys trust-list, the CRL and the service", () => {
  let booted: Booted
  let hcmCert: x509.X509Certificate
  let revokedCert: x509.X509Certificate

  beforeAll(async () => {
    expect(cli(["init", "--agencies", "HCM,HNI"]).status).toBe(0)
    const add = cli(["add", "HCM"])
    expect(add.status).toBe(0)
    const all = await listAgencyCertificates(keys)
    revokedCert = all.find((c) => c.agency === "HNI")!.certificate
    hcmCert = all.find((c) => c.agency === "HCM")!.certificate
    const hni = all.find((c) => c.agency === "HNI")!
    expect(cli(["revoke", hni.keyId, "--reason", "keyCompromise"]).status).toBe(0)
    const published = cli(["trust-list", "--service-url", "https://bienlai.thads.moj.gov.vn"])
    expect(published.stdout).toContain("trust list signed by the root")
    expect(published.status).toBe(0)
  }, 60_000)

  afterAll(async () => {
    await booted?.close()
  })

  test("openssl crl -verify accepts the CRL with the root; openssl verify -crl_check refuses the revoked certificate and passes the others", () => {
    const root = join(keys, "root.crt.pem")
    const crl = join(keys, "revoked.crl")
    const checked = openssl(["crl", "-inform", "DER", "-in", crl, "-CAfile", root, "-noout", "-verify"])
    expect(checked.stderr + checked.stdout).toContain("verify OK")
    const text = openssl(["crl", "-inform", "DER", "-in", crl, "-noout", "-text"]).stdout
    expect(text.toUpperCase()).toContain(revokedCert.serialNumber.toUpperCase())
    expect(text).toContain("Key Compromise")
    const crlPem = file("revoked.crl.pem", openssl(["crl", "-inform", "DER", "-in", crl, "-outform", "PEM"]).stdout)
    const revoked = openssl(["verify", "-crl_check", "-CRLfile", crlPem, "-CAfile", root, file("hni.pem", revokedCert.toString("pem"))])
    expect(revoked.stdout + revoked.stderr).toContain("certificate revoked")
    expect(revoked.status).not.toBe(0)
    const good = openssl(["verify", "-crl_check", "-CRLfile", crlPem, "-CAfile", root, file("hcm.pem", hcmCert.toString("pem"))])
    expect(good.stdout).toContain(": OK")
  })

  test("a tampered CRL is refused by openssl", () => {
    const der = readFileSync(join(keys, "revoked.crl"))
    // Flip a bit inside the revoked serial number (un-revoking it, as an attacker would), then one in the signature.
    const serialAt = der.indexOf(Buffer.from(revokedCert.serialNumber, "hex"))
    expect(serialAt).toBeGreaterThan(0)
    for (const at of [serialAt + 3, der.length - 5]) {
      const bad = der.slice()
      bad[at]! ^= 0x01
      const r = openssl(["crl", "-inform", "DER", "-in", file(`tampered-${at}.crl`, bad), "-CAfile", join(keys, "root.crt.pem"), "-noout", "-verify"])
      expect(r.stdout + r.stderr).not.toContain("verify OK")
    }
  })

  test("the service serves the signed trust list and the CRL as `bienlai keys trust-list` made them; a verifier holding the root believes it", async () => {
    // A production-like start: the root is not at hand, so it serves what was published.
    booted = await bootFromEnv({ PORT: "0", BIENLAI_KEYS_DIR: keys, BIENLAI_ROOT_DIR: join(dir, "no-root-here"), BIENLAI_KEY_PASSPHRASE: env.BIENLAI_KEY_PASSPHRASE, BIENLAI_DATA: join(dir, "data"), BIENLAI_OCR_WORKER: "0", BIENLAI_DEMO: "0", DATABASE_URL: "" }, { say: () => {} })
    const list = await booted.app.request("/api/trust-list")
    expect(list.status).toBe(200)
    const json = await list.json()
    expect(json).toEqual(JSON.parse(readFileSync(join(keys, "trust-list.json"), "utf8")))
    const loaded = await checkTrustListAnchor(json, [new x509.X509Certificate(readFileSync(join(keys, "root.crt.pem"), "utf8"))])
    expect(Result.isSuccess(loaded)).toBe(true)
    const crl = await booted.app.request("/api/crl")
    expect(crl.status).toBe(200)
    expect(crl.headers.get("content-type")).toBe("application/pkix-crl")
    expect(new Uint8Array(await crl.arrayBuffer())).toEqual(new Uint8Array(readFileSync(join(keys, "revoked.crl"))))
    const etag = crl.headers.get("etag")!
    expect((await booted.app.request("/api/crl", { headers: { "If-None-Match": etag } })).status).toBe(304)
  }, 60_000)
})
