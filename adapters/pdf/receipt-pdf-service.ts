/**
 * The printable receipt (A5 PDF, pdf-lib with the fonts from npm) as a
 * service; receipt-pdf.ts draws it, unchanged. Rejects with PdfFontMissing
 * when the configured font is not there (the edge answers 503).
 */
import { Context, Layer } from "effect"
import { receiptPdf } from "./receipt-pdf.ts"

export class ReceiptPdf extends Context.Service<ReceiptPdf, {
  readonly render: typeof receiptPdf
}>()("bienlai/adapters/pdf/ReceiptPdf") {
  static readonly layer: Layer.Layer<ReceiptPdf> = Layer.succeed(ReceiptPdf, { render: receiptPdf })
}
