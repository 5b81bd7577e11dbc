/**
 * QR images as a service: drawing a receipt's QR code (SVG for pages, PNG
 * for the PDF) and reading one from a citizen's photo. Wraps encode.ts
 * (@zxing/library, sharp) and decode.ts (jsQR, zxing) unchanged.
 */
import { Context, Layer } from "effect"
import { type ReceiptQrScan, scanReceiptQr } from "./decode.ts"
import { type EccLevel, qrPng, qrSvg } from "./encode.ts"

export class QrImages extends Context.Service<QrImages, {
  readonly svg: (text: string, opts?: { readonly ecc?: EccLevel; readonly margin?: number; readonly title?: string }) => string
  readonly png: (text: string, opts?: { readonly ecc?: EccLevel; readonly margin?: number; readonly scale?: number }) => Promise<Uint8Array>
  /** The receipt QR in a photo or scan, or why none was read. */
  readonly scanReceipt: (image: Uint8Array) => Promise<ReceiptQrScan>
}>()("bienlai/adapters/qr/QrImages") {
  static readonly layer: Layer.Layer<QrImages> = Layer.succeed(QrImages, { svg: qrSvg, png: qrPng, scanReceipt: scanReceiptQr })
}
