/**
 * The PAdES signer (adapters/pdf-signing/): a PDF made here with pdf-lib is
 * signed with ECDSA P-256 and RSA-PSS seal keys through the Signer port,
 * and checked independently: OpenSSL verifies the CMS over exactly the
 * /ByteRange bytes against the root, finds the signing-certificate-v2
 * attribute and no signing time; one changed byte fails; pdfsig (poppler)
 * also checks it where it is installed. An Ed25519 key, a key without its
 * certificate and a file that is not a PDF are each refused with nothing
 * signed. (The PKCS#11 signer signs a PDF in test/signing/pkcs11.test.ts.)
 */
import { describe, expect, test } from "bun:test"
import { Effect, Layer, Result } from "effect"
import { PDFDocument, StandardFonts } from "pdf-lib"
import { createHash } from "node:crypto"
import { PdfSigner } from "../../domain/ports/pdf-signer.ts"
import type { PdfSignatureInfo } from "../../domain/ports/pdf-signer.ts"
import { PadesSignerLayer, signPdf } from "../../adapters/pdf-signing/pades.ts"
import { memorySigner } from "../../adapters/keys/signer.ts"
import type { IssuedCertificate } from "../../adapters/keys/pki.ts"
import { makePki, signerFor, signingKeyOf } from "./fixtures.ts"
import { scratch } from "./openssl-tools.ts"
import { opensslVerifiesPdf, pdfsig, pdfsigPath, printCms, readPdfSignature } from "./pdf-check.ts"

const makePdf = async (): Promise<Uint8Array> => {
  const doc = await PDFDocument.create()
  const page = doc.addPage([595, 842])
  const font = await doc.embedFont(StandardFonts.Helvetica)
  page.drawText("BIEN LAI THU TIEN - Cuc THADS HCM - so 0000042", { x: 50, y: 780, size: 14, font })
  page.drawText("So tien: 125.500.000 dong", { x: 50, y: 750, size: 12, font })
  return doc.save()
}

const info: PdfSignatureInfo = {
  name: "Trần Văn Minh - Trưởng phòng",
  reason: "Ký duyệt biên lai thu tiền",
  location: "Thành phố Hồ Chí Minh",
  contactInfo: "thads.hcm@moj.gov.vn",
  signingTime: "2025-06-23T08:15:30.000Z"
}

const chainsOf = (root: IssuedCertificate, ...certs: ReadonlyArray<IssuedCertificate>) => (keyId: string) => {
  const c = certs.find((x) => x.keyId === keyId)
  return c === undefined ? undefined : [c.certificate, root.certificate]
}

if (pdfsigPath === undefined) console.warn("pdfsig (poppler-utils) is not installed: the signed PDFs are checked with OpenSSL only")

for (const keyType of ["ECDSA-P256", "RSA-PSS-2048"] as const) {
  describe(`a PAdES signature with ${keyType}`, async () => {
    const pki = await makePki(keyType)
    const pdf = await makePdf()
    const signed = await Effect.runPromise(signPdf(memorySigner(new Map([["HCM", [signingKeyOf(pki.hcm), signingKeyOf(pki.hcmToken)]]])), chainsOf(pki.root, pki.hcm), "HCM", pdf, info))
    const rootPem = pki.root.certificate.toString("pem")

    test("OpenSSL verifies the CMS over exactly the byte ranges, which cover the whole file but the signature", () => {
      const sig = readPdfSignature(signed)
      const [a, b, c, d] = sig.byteRange
      expect(a).toBe(0)
      expect(c + d).toBe(signed.length)
      expect(Buffer.from(signed.subarray(b, c)).toString("latin1")).toMatch(/^<[0-9a-f]+>$/)
      const verified = opensslVerifiesPdf(signed, rootPem)
      expect(verified.output).toContain("Verification successful")
      expect(verified.ok).toBe(true)
    })

    test("the CMS is PAdES baseline B: ETSI.CAdES.detached, the signing certificate v2 attribute over this certificate, no signing-time attribute", () => {
      const text = Buffer.from(signed).toString("latin1")
      expect(text).toContain("/SubFilter /ETSI.CAdES.detached")
      const printed = printCms(readPdfSignature(signed).cms)
      expect(printed).toContain("id-smime-aa-signingCertificateV2")
      expect(printed).not.toContain("signingTime")
      expect(printed).toContain(keyType === "ECDSA-P256" ? "ecdsa-with-SHA256" : "rsassaPss")
      const certHash = createHash("sha256").update(new Uint8Array(pki.hcm.certificate.rawData)).digest("hex")
      // The ESSCertIDv2 holds the certificate's SHA-256: find it in the DER.
      expect(Buffer.from(readPdfSignature(signed).cms).toString("hex")).toContain(certHash)
      // The message digest attribute is SHA-256 over the byte ranges.
      expect(Buffer.from(readPdfSignature(signed).cms).toString("hex")).toContain(createHash("sha256").update(readPdfSignature(signed).signed).digest("hex"))
    })

    test("one changed byte of the signed ranges fails; the signed name and reason are in the signature dictionary", () => {
      const sig = readPdfSignature(signed)
      const changed = sig.signed.slice()
      // The page's text is compressed; change what the signature dictionary says the date is instead, and a byte in the middle.
      const at = Buffer.from(changed).indexOf("D:20250623081530Z")
      expect(at).toBeGreaterThan(0)
      changed[at + 9]! ^= 0x01
      expect(opensslVerifiesPdf(signed, rootPem, changed).ok).toBe(false)
      const middle = sig.signed.slice()
      middle[middle.length >> 1]! ^= 0x80
      expect(opensslVerifiesPdf(signed, rootPem, middle).ok).toBe(false)
      const text = Buffer.from(signed).toString("latin1")
      expect(text).toContain("/Reason")
      expect(text).toContain("/M (D:20250623081530Z)")
    })

    test.skipIf(pdfsigPath === undefined)("pdfsig reads the signature as valid", () => {
      const { file } = scratch("bienlai-pdfsig-")
      const out = pdfsig(file("signed.pdf", signed))
      expect(out.stdout).toContain("Signature is Valid")
    })
  })
}

describe("the PdfSigner layer and its refusals", async () => {
  const pki = await makePki()
  const pdf = await makePdf()

  test("through PadesSignerLayer over the application's Signer", async () => {
    const layer = PadesSignerLayer(chainsOf(pki.root, pki.hcm)).pipe(Layer.provide(signerFor("HCM", pki.hcm)))
    const signed = await Effect.runPromise(Effect.provide(Effect.gen(function*() {
      const signer = yield* PdfSigner
      return yield* signer.sign("HCM", pdf, info)
    }), layer))
    expect(opensslVerifiesPdf(signed, pki.root.certificate.toString("pem")).ok).toBe(true)
  })

  test("an Ed25519 seal key, a key whose certificate is not held, and a file that is not a PDF are refused, and nothing is signed", async () => {
    const ed = await makePki("Ed25519")
    let signatures = 0
    const counting = (inner: ReturnType<typeof memorySigner>): ReturnType<typeof memorySigner> => ({
      sign: (a, b) => inner.sign(a, b).pipe(Effect.tap(() => Effect.sync(() => signatures++))),
      signWith: (a, p, m) => inner.signWith(a, p, m).pipe(Effect.tap(() => Effect.sync(() => signatures++)))
    })
    const refused = async (signer: ReturnType<typeof memorySigner>, bytes: Uint8Array, chains = chainsOf(pki.root, pki.hcm)) => {
      const r = await Effect.runPromise(Effect.result(signPdf(counting(signer), chains, "HCM", bytes, info)))
      return Result.isFailure(r) ? `${r.failure._tag}: ${r.failure.message}` : "signed"
    }
    expect(await refused(memorySigner(new Map([["HCM", signingKeyOf(ed.hcm)]])), pdf, chainsOf(ed.root, ed.hcm))).toContain("PDFs are signed with ECDSA P-256 or RSA-PSS")
    expect(await refused(memorySigner(new Map([["HCM", signingKeyOf(pki.hcm)]])), pdf, () => undefined)).toContain("no certificate is held for key")
    expect(await refused(memorySigner(new Map([["HCM", signingKeyOf(pki.hcm)]])), new TextEncoder().encode("%PDF-1.7 not really"))).toContain("is not a PDF that can be signed")
    expect(await refused(memorySigner(new Map()), pdf)).toContain("no signing key for agency HCM")
    expect(signatures).toBe(0)
  })
})
