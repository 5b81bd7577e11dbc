/**
 * The PdfSigner port: signs a PDF for an agency so that a PDF reader (Adobe
 * Reader, Foxit) shows it as signed. The implementation
 * (adapters/pdf-signing/pades.ts) makes a PAdES baseline B signature with
 * the agency's seal key through the Signer port, so it works with keys in
 * files, on a PKCS#11 token or at a remote signing service alike.
 */
import { Context, Schema } from "effect"
import type { Effect } from "effect"
import type { SigningError } from "./signer.ts"

export class PdfSigningError extends Schema.TaggedError<PdfSigningError>()("PdfSigningError", {
  /** too_large: the CMS does not fit the room kept for it; failed: signpdf refused the file for another reason. */
  reason: Schema.Literals(["not_a_pdf", "no_certificate", "unsupported", "too_large", "failed"]),
  message: Schema.String
}) {}

/** What the signature dictionary says, as a reader shows it. */
export interface PdfSignatureInfo {
  /** Who signed: the approver's full name, never a login id. */
  readonly name: string
  readonly reason: string
  readonly location: string
  readonly contactInfo: string
  /** The claimed signing time (/M), an ISO instant; PAdES B-B keeps it out of the signed attributes. */
  readonly signingTime: string
  /** Where the signature appearance is drawn on the first page, [x1, y1, x2, y2]; absent, the signature has no visible widget. */
  readonly widgetRect?: readonly [number, number, number, number] | undefined
}

export class PdfSigner extends Context.Service<PdfSigner, {
  readonly sign: (agency: string, pdf: Uint8Array, info: PdfSignatureInfo) => Effect.Effect<Uint8Array, PdfSigningError | SigningError>
}>()("bienlai/domain/ports/PdfSigner") {}
