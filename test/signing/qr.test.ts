/**
 * QR round trip through a photo-like image: our PNG, rotated, blurred,
 * put in perspective on a busy background and saved as JPEG by ImageMagick,
 * is decoded by @zxing/library and verifies; `zbarimg`, an independent
 * reader, reads our codes too.
 */
import { describe, expect, test } from "bun:test"
import { spawnSync } from "node:child_process"
import { mkdirSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { qrContent } from "../../domain/signing/url.ts"
import { authenticate } from "../../domain/signing/verify.ts"
import { qrPng, qrSvg } from "../../jobs/qr/encode.ts"
import { scanReceiptQr } from "../../jobs/qr/decode.ts"
import { makePki, receipt, tokenFor } from "./fixtures.ts"

const out = join(import.meta.dir, "..", "..", "test-output", "signing-qr")
mkdirSync(out, { recursive: true })
const path = (name: string) => join(out, name)
const magick = (args: ReadonlyArray<string>) => {
  const r = spawnSync("convert", args, { encoding: "utf8" })
  if (r.status !== 0) throw new Error(`convert ${args.join(" ")}: ${r.stderr}`)
}
const zbar = (file: string) => spawnSync("zbarimg", ["--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", file], { encoding: "utf8" }).stdout.trim()

const pki = await makePki()
const token = await tokenFor(receipt(), pki.hcm)
const content = qrContent("https://bienlai.thads.moj.gov.vn", token)
writeFileSync(path("qr.png"), await qrPng(content, { scale: 6 }))
writeFileSync(path("qr.svg"), qrSvg(content, { title: "Biên lai HCM 01-BLTHADS AA/25E số 0000042" }))
// A busy, deterministic background: a gradient with stripes and text.
magick(["-size", "1000x800", "gradient:#c9b48a-#5a6e7d", "-fill", "#00000040", "-draw", "rectangle 0,100 1000,140 rectangle 0,500 1000,520", "-pointsize", "40", "-fill", "#333", "-draw", "text 40,60 'CỤC THI HÀNH ÁN DÂN SỰ'", path("background.png")])

const photo = (name: string, steps: ReadonlyArray<string>) => {
  magick([path("qr.png"), ...steps, path(`${name}.tmp.png`)])
  magick([path("background.png"), path(`${name}.tmp.png`), "-geometry", "+150+60", "-composite", "-quality", "70", path(`${name}.jpg`)])
  return path(`${name}.jpg`)
}

const expectValid = async (file: string) => {
  const scan = await scanReceiptQr(new Uint8Array(readFileSync(file)))
  expect(scan).toMatchObject({ _tag: "Token", token })
  if (scan._tag === "Token") expect((await authenticate(scan.token, pki.trust))._tag).toBe("Authentic")
}

describe("QR images", () => {
  test("the PNG decodes with zxing and with zbarimg, and the SVG renders to the same content", async () => {
    await expectValid(path("qr.png"))
    expect(zbar(path("qr.png"))).toBe(content)
    magick(["-density", "600", path("qr.svg"), path("qr-from-svg.png")])
    expect(zbar(path("qr-from-svg.png"))).toBe(content)
  })

  test("rotated 23° and blurred, on a busy background, as JPEG", async () => {
    const file = photo("rotated-blurred", ["-background", "white", "-rotate", "23", "-blur", "0x1.5"])
    await expectValid(file)
    expect(zbar(file)).toBe(content)
  })

  test("in moderate perspective (about 10% keystone, as photographed at an angle), upside down", async () => {
    const file = photo("perspective", [
      "-rotate", "180",
      "-virtual-pixel", "white",
      "-distort", "Perspective", "0,0 25,18  %[fx:w-1],0 %[fx:w-35],0  0,%[fx:h-1] 0,%[fx:h-1]  %[fx:w-1],%[fx:h-1] %[fx:w-12],%[fx:h-30]",
      "-blur", "0x1"
    ])
    await expectValid(file)
  })

  test("no QR and not-a-bienlai QR are results, not exceptions", async () => {
    expect((await scanReceiptQr(new Uint8Array(readFileSync(path("background.png")))))._tag).toBe("NoQr")
    expect((await scanReceiptQr(new TextEncoder().encode("not an image at all")))._tag).toBe("NoQr")
    expect((await scanReceiptQr(new Uint8Array()))._tag).toBe("NoQr")
    const other = await scanReceiptQr(await qrPng("https://vnexpress.net/thi-hanh-an-dan-su"))
    expect(other).toMatchObject({ _tag: "NotBienlai", text: "https://vnexpress.net/thi-hanh-an-dan-su" })
  })
})
