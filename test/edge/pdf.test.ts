/**
 * The printable receipt: a PDF with an embedded font that renders the
 * Vietnamese text (checked by extracting it with poppler's pdftotext) and a
 * QR code that a reader decodes back to a token that verifies (page
 * rendered with pdftoppm, read with the project's QR decoder).
 */
import { maskName } from "../../domain/privacy.ts"
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { spawnSync } from "node:child_process"
import { mkdirSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { scanReceiptQr } from "../../jobs/qr/decode.ts"
import { freshPglite } from "../store/databases.ts"
import { type Harness, makeHarness } from "./harness.ts"

const out = join(import.meta.dir, "..", "..", "test-output", "edge")
const has = (tool: string) => Bun.which(tool) !== null

describe.skipIf(!has("pdftotext") || !has("pdftoppm"))("receipt PDF", () => {
  let h: Harness
  beforeAll(async () => {
    mkdirSync(out, { recursive: true })
    h = await makeHarness(await freshPglite(), { rateLimit: null })
    await h.db.db.query("INSERT INTO agencies (code, name) VALUES ('HCM', 'Cục Thi hành án dân sự Thành phố Hồ Chí Minh')")
  }, 60_000)
  afterAll(async () => {
    await h?.close()
  })

  const pdf = async (body: Record<string, string>) => {
    const res = await h.app.request("/api/lookup/pdf", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) })
    return { res, bytes: new Uint8Array(await res.arrayBuffer()) }
  }

  test("with the matching identity number: full Vietnamese text and a QR that verifies", async () => {
    const { receipt } = await h.issue()
    const { res, bytes } = await pdf({ lookupCode: receipt.lookupCode, idNumber: "079085001234" })
    expect(res.status).toBe(200)
    expect(res.headers.get("content-type")).toBe("application/pdf")
    expect(new TextDecoder().decode(bytes.subarray(0, 5))).toBe("%PDF-")
    const file = join(out, "receipt.pdf")
    writeFileSync(file, bytes)
    // Wrapped lines and layout spaces do not matter, the words do.
    const text = spawnSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8" }).stdout.replace(/\s+/g, " ")
    expect(text).toContain("BIÊN LAI THU TIỀN THI HÀNH ÁN DÂN SỰ")
    expect(text).toContain("Nguyễn Văn Hòa")
    expect(text).toContain("079085001234")
    expect(text).toContain("Một trăm hai mươi lăm triệu năm trăm nghìn đồng")
    expect(text).toContain("125.500.000 đ")
    expect(text).toContain(receipt.lookupCode)
    spawnSync("pdftoppm", ["-png", "-r", "150", "-singlefile", file, join(out, "receipt-page")])
    const scan = await scanReceiptQr(new Uint8Array(readFileSync(join(out, "receipt-page.png"))))
    expect(scan._tag).toBe("Token")
    if (scan._tag !== "Token") return
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
    // Wrapped lines and layout spaces do not matter, the words do.
    const text = spawnSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8" }).stdout.replace(/\s+/g, " ")
    expect(text).toContain(maskName("Công ty TNHH Xây dựng Phú Mỹ"))
    expect(text).not.toContain("Điện Biên Phủ")
    const unknown = await pdf({ lookupCode: "0000000000AA" })
    expect(unknown.res.status).toBe(404)
  }, 30_000)
})
