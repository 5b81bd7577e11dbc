/**
 * The printable receipt: a PDF with an embedded font that renders the
 * Vietnamese text (checked by extracting it with PDF.js) and a QR code that
 * a reader decodes back to a token that verifies (page drawn by PDF.js, read
 * with the project's QR decoder).
 */
import { maskName } from "../../domain/privacy.ts"
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { mkdirSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { renderPdfPages } from "../../adapters/pdfjs/pdf-pages.ts"
import { pdfText } from "../../adapters/pdfjs/pdf-text.ts"
import { PDFDict, PDFDocument, PDFName } from "pdf-lib"
import { loadFont } from "../../adapters/fonts/svg-text.ts"
import { scanReceiptQr } from "../../adapters/qr/decode.ts"
import { freshPglite } from "../store/databases.ts"
import { type Harness, makeCitizenHarness } from "./harness.ts"

const out = join(import.meta.dir, "..", "..", "test-output", "edge")
// Wrapped lines and layout spaces do not matter, the words do.
const textOf = async (bytes: Uint8Array) => (await pdfText(bytes)).join(" ").replace(/\s+/g, " ")

/** The /BaseFont of every font the PDF embeds. */
const embeddedFonts = async (bytes: Uint8Array): Promise<ReadonlyArray<string>> =>
  (await PDFDocument.load(bytes)).context.enumerateIndirectObjects().flatMap(([, object]) =>
    object instanceof PDFDict && object.get(PDFName.of("Type")) === PDFName.of("Font") && object.get(PDFName.of("Subtype")) === PDFName.of("Type0")
      ? [String(object.get(PDFName.of("BaseFont")))]
      : [])

// Every letter Vietnamese writes: the base vowels with their marks (the Latin-1 ones and U+1EA0–U+1EF9), ă â đ ê ô ơ ư, and the đồng sign.
const vietnameseLetters = [
  ..."ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝàáâãèéêìíòóôõùúýĂăĐđĨĩŨũƠơƯư₫",
  ...Array.from({ length: 0x1ef9 - 0x1ea0 + 1 }, (_, i) => String.fromCodePoint(0x1ea0 + i))
]

describe("the receipt PDF's font", () => {
  test("Tinos (Times New Roman's metrics, from npm) has every Vietnamese letter, in both weights", () => {
    for (const weight of ["regular", "bold"] as const) {
      const font = loadFont("Tinos", weight)
      expect(vietnameseLetters.filter((c) => !font.hasGlyphForCodePoint(c.codePointAt(0)!))).toEqual([])
      // Times New Roman's advance of "A" is 1479 of 2048 units: Tinos keeps the metrics, so a receipt lays out the same.
      expect(font.unitsPerEm).toBe(2048)
      expect(font.glyphForCodePoint(0x41).advanceWidth).toBe(1479)
    }
  })
})

describe("receipt PDF", () => {
  let h: Harness
  beforeAll(async () => {
    mkdirSync(out, { recursive: true })
    h = await makeCitizenHarness(await freshPglite())
  }, 60_000)
  afterAll(async () => {
    await h?.close()
  })

  const pdf = async (body: Record<string, string>) => {
    const res = await h.app.request("/api/lookup/pdf", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) })
    return { res, bytes: new Uint8Array(await res.arrayBuffer()) }
  }

  test("with the matching identity number: full Vietnamese text and a QR that verifies", async () => {
    const { receipt, token } = await h.issue()
    const { res, bytes } = await pdf({ lookupCode: receipt.lookupCode, idNumber: "079085001234" })
    expect(res.status).toBe(200)
    expect(res.headers.get("content-type")).toBe("application/pdf")
    expect(new TextDecoder().decode(bytes.subarray(0, 5))).toBe("%PDF-")
    const file = join(out, "receipt.pdf")
    writeFileSync(file, bytes)
    const text = await textOf(bytes)
    expect(text).toContain("BIÊN LAI THU TIỀN THI HÀNH ÁN DÂN SỰ")
    expect(text).toContain("Nguyễn Văn Hòa")
    // Masked even with the matching number, as the public pages mask it: a printed receipt travels.
    expect(text).toContain("*********234")
    expect(text).not.toContain("079085001234")
    expect(text).toContain("Một trăm hai mươi lăm triệu năm trăm nghìn đồng")
    expect(text).toContain("125.500.000 đồng")
    expect(text).toContain(receipt.lookupCode)
    const fonts = await embeddedFonts(bytes)
    expect(fonts.length).toBe(3)
    expect([...fonts].map((f) => f.replace(/-\d+$/, "")).sort()).toEqual(["/Tinos-Bold", "/Tinos-Italic", "/Tinos-Regular"])
    const [page] = await renderPdfPages(bytes, { dpi: 150, maxPagePixels: 40_000_000, maxPages: 1, pageTimeMs: 20_000 })
    writeFileSync(join(out, "receipt-page.png"), page!.png)
    const scan = await scanReceiptQr(new Uint8Array(page!.png))
    expect(scan._tag).toBe("Token")
    if (scan._tag !== "Token") return
    // The token stored at issuance, byte for byte: an ECDSA token signed again for the PDF would differ.
    expect(scan.token).toBe(token)
    const verified = (await h.services.verify(scan.token)).result
    expect(verified._tag).toBe("Valid")
    if (verified._tag === "Valid") expect(verified.receipt.number).toBe(receipt.number)
  }, 30_000)

  test("with the code only: refused when the receipt has an identity number; the masked view, without the address, when it has none", async () => {
    const { receipt } = await h.issue()
    const refused = await pdf({ lookupCode: receipt.lookupCode })
    expect(refused.res.status).toBe(403)
    expect(JSON.parse(new TextDecoder().decode(refused.bytes)).error).toBe("identity_required")
    const company = await h.issue({ payer: { name: "Công ty TNHH Xây dựng Phú Mỹ", address: "88 Điện Biên Phủ, phường Gia Định, TP. Hồ Chí Minh" } })
    const { res, bytes } = await pdf({ lookupCode: company.receipt.lookupCode })
    expect(res.status).toBe(200)
    const file = join(out, "receipt-masked.pdf")
    writeFileSync(file, bytes)
    const text = await textOf(bytes)
    expect(text).toContain(maskName("Công ty TNHH Xây dựng Phú Mỹ"))
    expect(text).not.toContain("Điện Biên Phủ")
    const unknown = await pdf({ lookupCode: "0000000000AA" })
    expect(unknown.res.status).toBe(404)
  }, 30_000)
})
