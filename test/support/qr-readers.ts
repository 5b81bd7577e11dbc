/**
 * Independent QR readers for the tests, beside the product's own (@zxing in
 * adapters/qr/decode.ts): jsQR from npm always, and `zbarimg` as an extra check
 * only where it is installed (an optional system tool; the test that uses it
 * says when it is skipped).
 */
import { spawnSync } from "node:child_process"
import jsQR from "jsqr"
import sharp from "sharp"

/** The text jsQR reads in the image, or undefined when it finds no code. */
export const readWithJsqr = async (image: Uint8Array): Promise<string | undefined> => {
  const { data, info } = await sharp(image).ensureAlpha().raw().toBuffer({ resolveWithObject: true })
  const found = jsQR(new Uint8ClampedArray(data.buffer, data.byteOffset, data.length), info.width, info.height, { inversionAttempts: "attemptBoth" })
  return found?.data
}

/** Whether Debian's zbar-tools are installed. */
export const hasZbar = (): boolean => Bun.which("zbarimg") !== null

export const zbarSkipped = "zbarimg is not installed: its extra check is skipped (apt-get install zbar-tools to run it)"

/** The text zbarimg reads in the file. */
export const readWithZbar = (file: string): string =>
  spawnSync("zbarimg", ["--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", file], { encoding: "utf8" }).stdout.trim()
