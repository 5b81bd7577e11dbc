/**
 * Reading a QR code from a photo or a scan (PNG, JPEG, or anything sharp
 * reads) with @zxing/library.
 *
 * A phone photo is large, tilted, a little blurred and has a table or a
 * hand behind the receipt. zxing's detector copes with rotation and
 * perspective by itself; what helps it further is a sensible size (too many
 * pixels make its local thresholds miss the modules) and a second
 * binarizer. So we try a few sizes, each with the local (hybrid) and the
 * global-histogram binarizer, then the image turned a quarter either way,
 * then the inverted image (light code on dark), and stop at the first hit. Nothing here throws for a bad picture: "no QR found" and "not a
 * bienlai QR" are results.
 */
import {
  BinaryBitmap,
  DecodeHintType,
  GlobalHistogramBinarizer,
  HybridBinarizer,
  InvertedLuminanceSource,
  QRCodeReader,
  RGBLuminanceSource
} from "@zxing/library"
import type { LuminanceSource } from "@zxing/library"
import jsQR from "jsqr"
import sharp from "sharp"
import { extractToken } from "../../domain/signing/url.ts"

export type QrScan =
  | { readonly _tag: "Found"; readonly text: string }
  | { readonly _tag: "NoQr"; readonly message: string }

export type ReceiptQrScan =
  | { readonly _tag: "Token"; readonly token: string; readonly text: string }
  | { readonly _tag: "NotBienlai"; readonly text: string; readonly message: string }
  | { readonly _tag: "NoQr"; readonly message: string }

/** The largest photo decoded (a 48-megapixel phone camera fits). */
export const MAX_PHOTO_PIXELS = 60_000_000

const hints = new Map<DecodeHintType, unknown>([[DecodeHintType.TRY_HARDER, true]])

const tryDecode = (source: LuminanceSource): string | undefined => {
  for (const bitmap of [new BinaryBitmap(new HybridBinarizer(source)), new BinaryBitmap(new GlobalHistogramBinarizer(source))]) {
    try {
      return new QRCodeReader().decode(bitmap, hints).getText()
    } catch {
      // NotFound / Checksum / Format: try the next way of looking
    }
  }
  return undefined
}

const greyscale = async (image: Uint8Array, longest: number, turn = 0) => {
  let pipeline = sharp(image, { failOn: "none", limitInputPixels: MAX_PHOTO_PIXELS }).rotate().resize({ width: longest, height: longest, fit: "inside", withoutEnlargement: true })
  // A quarter turn resamples the code differently: the detector then picks
  // its corner points anew, which rescues many strongly tilted photos.
  if (turn !== 0) pipeline = sharp(await pipeline.toBuffer()).rotate(turn)
  pipeline = pipeline.greyscale()
  const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true })
  return new RGBLuminanceSource(new Uint8ClampedArray(data.buffer, data.byteOffset, data.length), info.width, info.height)
}

// zxing misses about one clean code in forty (measured on rendered receipt
// codes: 4 of 150); jsQR, written independently, reads most of those, so it
// is the last way of looking before "no QR found".
const tryJsQr = async (image: Uint8Array, longest: number): Promise<string | undefined> => {
  const { data, info } = await sharp(image, { failOn: "none", limitInputPixels: MAX_PHOTO_PIXELS })
    .rotate().resize({ width: longest, height: longest, fit: "inside", withoutEnlargement: true })
    .ensureAlpha().raw().toBuffer({ resolveWithObject: true })
  return jsQR(new Uint8ClampedArray(data.buffer, data.byteOffset, data.length), info.width, info.height, { inversionAttempts: "attemptBoth" })?.data
}

/** The text of the first QR code found in the image, or "no QR found". */
export const decodeQrImage = async (image: Uint8Array): Promise<QrScan> => {
  const unreadable = { _tag: "NoQr", message: "the file is not an image that can be read" } as const
  let longestSide = 0
  try {
    const meta = await sharp(image, { failOn: "none", limitInputPixels: false }).metadata()
    longestSide = Math.max(meta.width ?? 0, meta.height ?? 0)
    // Judged by the header before any pixel is decoded: a small file may declare a huge picture.
    if ((meta.width ?? 0) * (meta.height ?? 0) > MAX_PHOTO_PIXELS) {
      return { _tag: "NoQr", message: `the image is ${meta.width} × ${meta.height} pixels; photos of at most ${MAX_PHOTO_PIXELS / 1_000_000} megapixels are read` }
    }
  } catch {
    return unreadable
  }
  if (longestSide === 0) return unreadable
  const sizes = [...new Set([Math.min(longestSide, 1600), 1000, 700, 450])].filter((s) => s <= longestSide)
  const attempts: Array<LuminanceSource> = []
  for (const size of sizes) {
    let source: LuminanceSource
    try {
      source = await greyscale(image, size)
    } catch {
      return unreadable
    }
    const text = tryDecode(source)
    if (text !== undefined) return { _tag: "Found", text }
    attempts.push(source)
  }
  for (const turn of [90, 270]) {
    for (const size of sizes.slice(0, 2)) {
      let source: LuminanceSource
      try {
        source = await greyscale(image, size, turn)
      } catch {
        return unreadable
      }
      const text = tryDecode(source)
      if (text !== undefined) return { _tag: "Found", text }
    }
  }
  for (const source of attempts.slice(0, 2)) {
    const text = tryDecode(new InvertedLuminanceSource(source))
    if (text !== undefined) return { _tag: "Found", text }
  }
  for (const size of sizes.slice(0, 2)) {
    const text = await tryJsQr(image, size).catch(() => undefined)
    if (text !== undefined) return { _tag: "Found", text }
  }
  return { _tag: "NoQr", message: "no QR code was found in the image" }
}

/** Decodes an image and classifies what it holds. */
export const scanReceiptQr = async (image: Uint8Array): Promise<ReceiptQrScan> => {
  const scan = await decodeQrImage(image)
  if (scan._tag === "NoQr") return scan
  const source = extractToken(scan.text)
  return source._tag === "Token"
    ? { _tag: "Token", token: source.token, text: scan.text }
    : { _tag: "NotBienlai", text: scan.text, message: "the QR code does not hold a bienlai receipt link" }
}
