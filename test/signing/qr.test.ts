/**
 * QR round trip through a photo-like image: our PNG, rotated, blurred, put in
 * perspective on a busy background and saved as JPEG (with sharp, see
 * test/support/photo.ts), is decoded by the product's reader (@zxing/library)
 * and verifies; jsQR, an independent reader from npm, reads the same images.
 * `zbarimg`, another independent reader, reads them too where it is installed.
 */
import { describe, expect, test } from "bun:test"
import { mkdirSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import sharp from "sharp"
import { qrContent } from "../../domain/signing/url.ts"
import { authenticate } from "../../domain/signing/verify.ts"
import { qrPng, qrSvg } from "../../adapters/qr/encode.ts"
import { scanReceiptQr } from "../../adapters/qr/decode.ts"
import { blankPng } from "../support/bombs.ts"
import { blur, busyBackground, onBackgroundAsJpeg, perspective, rotate } from "../support/photo.ts"
import { hasZbar, readWithJsqr, readWithZbar, zbarSkipped } from "../support/qr-readers.ts"
import { makePki, receipt, tokenFor } from "./fixtures.ts"

const out = join(import.meta.dir, "..", "..", "test-output", "signing-qr")
mkdirSync(out, { recursive: true })
const path = (name: string) => join(out, name)
const zbar = hasZbar()
if (!zbar) console.info(zbarSkipped)

const pki = await makePki()
const token = await tokenFor(receipt(), pki.hcm)
const content = qrContent("https://bienlai.thads.moj.gov.vn", token)
const png = Buffer.from(await qrPng(content, { scale: 6 }))
writeFileSync(path("qr.png"), png)
writeFileSync(path("qr.svg"), qrSvg(content, { title: "Biên lai HCM 01-BLTHADS AA/25E số 0000042" }))
const background = await busyBackground()
writeFileSync(path("background.png"), background)

const photo = async (name: string, distorted: Buffer): Promise<string> => {
  writeFileSync(path(`${name}.tmp.png`), distorted)
  writeFileSync(path(`${name}.jpg`), await onBackgroundAsJpeg(background, distorted, 150, 60, 70))
  return path(`${name}.jpg`)
}

const expectValid = async (file: string) => {
  const scan = await scanReceiptQr(new Uint8Array(readFileSync(file)))
  expect(scan).toMatchObject({ _tag: "Token", token })
  if (scan._tag === "Token") expect((await authenticate(scan.token, pki.trust))._tag).toBe("Authentic")
}

// The photos, made once; each test reads them.
const photosOf = async (name: string, qr: Buffer) => {
  const { width = 0, height = 0 } = await sharp(qr).metadata()
  return {
    rotatedBlurred: await photo(`${name}rotated-blurred`, await blur(await rotate(qr, 23), 1.5)),
    keystone: await photo(`${name}perspective`, await blur(
      await perspective(await rotate(qr, 180), [[25, 18], [width - 35, 0], [0, height - 1], [width - 12, height - 30]]),
      1
    ))
  }
}
const { rotatedBlurred, keystone } = await photosOf("", png)
// jsQR alone is checked on photos of one fixed token (the v1 test vector's):
// this run's token is signed by fresh keys, so its QR pattern, and whether
// jsQR alone reads one distorted photo of it, changes from run to run (it
// failed about one run in three); the product's reader (zxing, then jsQR) is
// checked on this run's photos above.
const fixedContent = qrContent("https://bienlai.thads.moj.gov.vn", (JSON.parse(readFileSync(join(import.meta.dir, "..", "vectors", "token-v1-ed25519.json"), "utf8")) as { token: string }).token)
const fixedPhotos = await photosOf("fixed-", Buffer.from(await qrPng(fixedContent, { scale: 6 })))
const fromSvg = path("qr-from-svg.png")
writeFileSync(fromSvg, await sharp(readFileSync(path("qr.svg")), { density: 600 }).png().toBuffer())

describe("QR images", () => {
  test("the PNG and the SVG (drawn at 600 dpi) decode to the content, with zxing and with jsQR", async () => {
    await expectValid(path("qr.png"))
    expect(await readWithJsqr(png)).toBe(content)
    await expectValid(fromSvg)
    expect(await readWithJsqr(readFileSync(fromSvg))).toBe(content)
  })

  test("rotated 23° and blurred, on a busy background, as JPEG", async () => {
    await expectValid(rotatedBlurred)
    expect(await readWithJsqr(readFileSync(fixedPhotos.rotatedBlurred))).toBe(fixedContent)
  })

  test("in moderate perspective (about 10% keystone, as photographed at an angle), upside down", async () => {
    await expectValid(keystone)
    expect(await readWithJsqr(readFileSync(fixedPhotos.keystone))).toBe(fixedContent)
  })

  test.skipIf(!zbar)("zbarimg (optional system tool, skipped where not installed) reads the PNG, the SVG and the rotated photo", () => {
    expect(readWithZbar(path("qr.png"))).toBe(content)
    expect(readWithZbar(fromSvg)).toBe(content)
    expect(readWithZbar(rotatedBlurred)).toBe(content)
  })

  test("no QR and not-a-bienlai QR are results, not exceptions", async () => {
    expect((await scanReceiptQr(new Uint8Array(background)))._tag).toBe("NoQr")
    expect(await readWithJsqr(background)).toBeUndefined()
    expect((await scanReceiptQr(new TextEncoder().encode("not an image at all")))._tag).toBe("NoQr")
    expect((await scanReceiptQr(new Uint8Array()))._tag).toBe("NoQr")
    // A small file declaring a huge picture is refused by its header, at once.
    const started = performance.now()
    expect(await scanReceiptQr(blankPng(1800, 140_000))).toEqual({ _tag: "NoQr", message: "the image is 1800 × 140000 pixels; photos of at most 60 megapixels are read" })
    expect(performance.now() - started).toBeLessThan(1_000)
    const other = await scanReceiptQr(await qrPng("https://vnexpress.net/thi-hanh-an-dan-su"))
    expect(other).toMatchObject({ _tag: "NotBienlai", text: "https://vnexpress.net/thi-hanh-an-dan-su" })
  })
})
