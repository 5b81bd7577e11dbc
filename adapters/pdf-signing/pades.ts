/**
 * PAdES baseline B signatures on PDFs (the PdfSigner port), with
 * @signpdf/signpdf and a pdf-lib placeholder (./placeholder.ts, after
 * @signpdf/placeholder-pdf-lib's, with Unicode text): the placeholder adds a
 * signature dictionary (SubFilter ETSI.CAdES.detached, /M the claimed
 * signing time, /Name, /Reason, /Location, /ContactInfo) and an empty
 * /Contents; signpdf fixes the /ByteRange and hands over the bytes it
 * covers; ./cms.ts wraps a signature over them in a CMS SignedData, made
 * through the Signer port with the agency's current seal key (a file, a
 * PKCS#11 token, a remote service alike). The chain embedded is the one
 * held for the key that signs.
 *
 * Only ECDSA P-256 and RSA-PSS sign PDFs (Circular 15/2025/TT-BKHCN).
 */
import { Effect, Layer, Result } from "effect"
import { PDFDocument } from "pdf-lib"
// The class, not the default instance: under Node and Deno a CommonJS module's default import is its whole exports object.
import { SignPdf } from "@signpdf/signpdf"
import { Signer as SignpdfSigner } from "@signpdf/utils"
import { PdfSigner, PdfSigningError } from "../../domain/ports/pdf-signer.ts"
import type { PdfSignatureInfo } from "../../domain/ports/pdf-signer.ts"
import { Signer, SigningError } from "../../domain/ports/signer.ts"
import type { Seal } from "../../domain/receipt.ts"
import { fromBase64Url } from "../../domain/signing/bytes.ts"
import type { SignatureAlgorithm } from "../../domain/signing/trust.ts"
import type { x509 } from "../keys/x509.ts"
import { assembleSignedData, signedAttributes } from "./cms.ts"
import { addSignaturePlaceholder } from "./placeholder.ts"
import type { SignedAttributes } from "./cms.ts"

/** Room kept for the CMS in the PDF: an RSA-3072 signature, a chain of three certificates and the attributes fit. */
export const SIGNATURE_ROOM_BYTES = 12_000

/** The certificate chain (signer first) of a key id, from the key store or the trust list. */
export type CertificateChains = (keyId: string) => ReadonlyArray<x509.X509Certificate> | undefined

/** The PDF with an empty signature field and dictionary, ready for signpdf. */
const withPlaceholder = async (pdf: Uint8Array, info: PdfSignatureInfo): Promise<Uint8Array> => {
  const doc = await PDFDocument.load(pdf, { updateMetadata: false })
  addSignaturePlaceholder(doc, {
    reason: info.reason,
    location: info.location,
    name: info.name,
    contactInfo: info.contactInfo,
    signingTime: new Date(info.signingTime),
    signatureLength: SIGNATURE_ROOM_BYTES,
    widgetRect: info.widgetRect,
    appName: "bienlai"
  })
  // Without object streams, so signpdf finds the placeholder in the plain bytes.
  return doc.save({ useObjectStreams: false })
}

/** Thrown inside signpdf's callback to carry our typed failure out of it. */
class Carried extends Error {
  readonly failure: PdfSigningError | SigningError
  constructor(failure: PdfSigningError | SigningError) {
    super(failure.message)
    this.failure = failure
  }
}

/** Signs `pdf` for `agency` with `signer`; the chain of the key that signs comes from `chains`. */
export const signPdf = (signer: Signer["Service"], chains: CertificateChains, agency: string, pdf: Uint8Array, info: PdfSignatureInfo): Effect.Effect<Uint8Array, PdfSigningError | SigningError> =>
  Effect.gen(function*() {
    const prepared = yield* Effect.tryPromise({
      try: () => withPlaceholder(pdf, info),
      catch: (e) => new PdfSigningError({ reason: "not_a_pdf", message: `the file is not a PDF that can be signed (${e instanceof Error ? e.message.split("\n")[0] : String(e)})` })
    })
    const cmsSigner = new (class extends SignpdfSigner {
      override async sign(content: Buffer): Promise<Buffer> {
        // The key is chosen first, so its certificate's hash goes into the attributes it then signs.
        let chosen: { chain: ReadonlyArray<x509.X509Certificate>; algorithm: SignatureAlgorithm; attributes: SignedAttributes } | undefined
        const signing = Effect.suspend(() =>
          signer.signWith(agency, "seal", (key) => {
            const chain = chains(key.keyId)
            // Thrown before anything is signed: the key is never used for a PDF it cannot carry.
            if (chain === undefined || chain.length === 0) {
              throw new Carried(new PdfSigningError({ reason: "no_certificate", message: `no certificate is held for key ${key.keyId} of ${agency}, so the PDF cannot carry it` }))
            }
            if (key.algorithm === "Ed25519") {
              throw new Carried(new PdfSigningError({ reason: "unsupported", message: `${agency}'s seal key is Ed25519: PDFs are signed with ECDSA P-256 or RSA-PSS` }))
            }
            chosen = { chain, algorithm: key.algorithm, attributes: signedAttributes(new Uint8Array(content), chain[0]!) }
            return chosen.attributes.der
          })
        ).pipe(Effect.catchDefect((d) => (d instanceof Carried ? Effect.fail(d.failure) : Effect.die(d))))
        const sealed = await Effect.runPromise(Effect.result(signing))
        if (Result.isFailure(sealed)) throw new Carried(sealed.failure)
        if (chosen === undefined) throw new Carried(new PdfSigningError({ reason: "unsupported", message: "the signer did not say which key signed" }))
        const seal: Seal = sealed.success
        return Buffer.from(assembleSignedData(chosen.attributes, chosen.chain, chosen.algorithm, fromBase64Url(seal.signature)!))
      }
    })()
    return yield* Effect.tryPromise({
      try: async () => new Uint8Array(await new SignPdf().sign(Buffer.from(prepared), cmsSigner)),
      catch: (e) =>
        e instanceof Carried
          ? e.failure
          : new PdfSigningError({
            // signpdf says "Signature exceeds placeholder length" when the CMS does not fit; anything else is another failure, named as it is.
            reason: e instanceof Error && /exceeds placeholder length/i.test(e.message) ? "too_large" : "failed",
            message: `the PDF could not be signed (${e instanceof Error ? e.message : String(e)})`
          })
    })
  })

/** The PdfSigner service over `signer`; `chains` names the certificates of each key id. */
export const padesPdfSigner = (signer: Signer["Service"], chains: CertificateChains): PdfSigner["Service"] =>
  PdfSigner.of({ sign: (agency, pdf, info) => signPdf(signer, chains, agency, pdf, info) })

/** The PdfSigner over the application's Signer; `chains` names the certificates of each key id. */
export const PadesSignerLayer = (chains: CertificateChains) =>
  Layer.effect(PdfSigner)(
    Effect.gen(function*() {
      return padesPdfSigner(yield* Signer, chains)
    })
  )
