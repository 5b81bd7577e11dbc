/**
 * What a citizen reads on the public pages of the shipped app (item 14 of
 * issue 12, public part): every refusal in the page's language (Vietnamese
 * by default, English with ?lang=en), the technical detail only after it,
 * never a code other than the one typed, and what was typed kept in the
 * form.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import sharp from "sharp"
import { buildAppWith } from "../../edge/app.ts"
import { qrPng } from "../../adapters/qr/encode.ts"
import { targets } from "../store/databases.ts"
import { type Harness, makeHarness } from "./harness.ts"

/** The page's visible message (the alert section) and what follows it as technical detail. */
const alertOf = (html: string) => ({
  text: /<section class="verdict bad" role="alert" data-error="[^"]*">([^<]*)<\/section>/.exec(html)?.[1] ?? "",
  technical: /<p class="muted" lang="en" data-technical="true">([^<]*)<\/p>/.exec(html)?.[1]
})

const form = (fields: Record<string, string>) => new URLSearchParams(fields)

describe("public pages speak the reader's language", () => {
  let h: Harness
  beforeAll(async () => {
    h = await makeHarness(await targets[0]!.make(), { rateLimit: null, uploadLimitBytes: 64 * 1024 })
  }, 60_000)
  afterAll(async () => {
    await h?.close()
  })

  const post = (path: string, body: BodyInit) => h.app.request(path, { method: "POST", body })

  test("an unknown code is named as typed, never in its normalised form (L is not shown as 1); the form keeps it", async () => {
    const typed = "7kq2-m9xd-4tpl"
    const res = await post("/tra-cuu", form({ code: typed, idNumber: "079085001234" }))
    expect(res.status).toBe(404)
    const html = await res.text()
    expect(html).toContain('<html lang="vi">')
    expect(alertOf(html).text).toBe(`Không có biên lai nào có mã tra cứu ${typed}. Hãy kiểm tra lại mã in trên biên lai.`)
    expect(html).not.toContain("7KQ2M9XD4TP1")
    expect(html).not.toContain("no receipt has")
    expect(html).toContain(`value="${typed}"`)
    expect(html).toContain('value="079085001234"')
    const en = await (await post("/tra-cuu?lang=en", form({ code: typed }))).text()
    expect(alertOf(en).text).toBe(`No receipt has the lookup code ${typed}. Check the code printed on the receipt.`)
    // The JSON API says it in English, with the code as typed too.
    const api = (await (await h.app.request("/api/lookup", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ lookupCode: typed }) })).json()) as any
    expect(api.message).toBe(`no receipt has the lookup code ${typed}`)
  })

  test("a malformed identity number is explained in Vietnamese, the rule's detail after it, and nothing typed is lost", async () => {
    const { receipt } = await h.issue()
    const res = await post("/tra-cuu", form({ code: receipt.lookupCode, idNumber: "0790 8500 123" }))
    expect(res.status).toBe(400)
    const html = await res.text()
    const alert = alertOf(html)
    expect(alert.text).toStartWith("Số định danh không đúng số chữ số: CCCD có 12 chữ số")
    expect(alert.technical).toContain("has 11 digits")
    expect(html.indexOf('role="alert"')).toBeLessThan(html.indexOf('data-technical="true"'))
    expect(html).toContain(`value="${receipt.lookupCode}"`)
    expect(html).toContain('value="0790 8500 123"')
  })

  test("a photo without a QR code: one Vietnamese sentence, not the scanner's English twice", async () => {
    const blank = await sharp({ create: { width: 200, height: 200, channels: 3, background: "#ffffff" } }).png().toBuffer()
    const photo = new FormData()
    photo.set("photo", new File([new Uint8Array(blank)], "anh.png", { type: "image/png" }))
    const res = await post("/kiem-tra-anh", photo)
    expect(res.status).toBe(422)
    const html = await res.text()
    expect(alertOf(html)).toEqual({ text: "Không tìm thấy mã QR trong ảnh. Hãy chụp lại gần hơn, để biên lai phẳng, đủ sáng và rõ nét.", technical: undefined })
    expect(html).not.toContain("no QR code was found")
    const again = new FormData()
    again.set("photo", new File([new Uint8Array(blank)], "anh.png", { type: "image/png" }))
    expect(alertOf(await (await post("/kiem-tra-anh?lang=en", again)).text()).text).toStartWith("No QR code was found in the photo.")
  })

  test("a QR code that is not a receipt's, and a file that is not an image, are explained; the QR's text is the detail", async () => {
    const other = new FormData()
    other.set("photo", new File([(await qrPng("https://example.com/menu", { scale: 6 })) as Uint8Array<ArrayBuffer>], "menu.png", { type: "image/png" }))
    const html = await (await post("/kiem-tra-anh", other)).text()
    expect(alertOf(html)).toEqual({ text: "Ảnh có mã QR, nhưng đó không phải mã QR của biên lai thi hành án dân sự.", technical: "Chi tiết kỹ thuật: QR: https://example.com/menu" })
    const text = new FormData()
    text.set("photo", new File(["xin chào"], "a.png", { type: "image/png" }))
    const notImage = await post("/kiem-tra-anh", text)
    expect(notImage.status).toBe(415)
    expect(alertOf(await notImage.text()).text).toStartWith("Tệp tải lên không phải ảnh PNG, JPEG hay WebP")
  })

  test("a photo over the size limit gets a page, in Vietnamese, naming the limit", async () => {
    const big = new FormData()
    big.set("photo", new File([new Uint8Array(100 * 1024)], "anh.jpg", { type: "image/jpeg" }))
    const res = await post("/kiem-tra-anh", big)
    expect(res.status).toBe(413)
    expect(res.headers.get("content-type")).toContain("text/html")
    const html = await res.text()
    expect(alertOf(html).text).toStartWith("Tệp gửi lên quá lớn: tối đa 0.1 MB.")
    expect(html).not.toContain("larger than")
    // The JSON API keeps its JSON.
    const api = await h.app.request("/api/scan", { method: "POST", headers: { "Content-Type": "image/jpeg" }, body: new Uint8Array(100 * 1024) })
    expect(api.status).toBe(413)
    expect(((await api.json()) as any).error).toBe("body_too_large")
  })

  test("the rate limit on a page is a page in the page's language, with Retry-After", async () => {
    const limited = buildAppWith({ ...h.services, config: { ...h.services.config, rateLimit: { perMinute: 60, burst: 1 } } })
    await limited.request("/tra-cuu")
    const refused = await limited.request("/tra-cuu?lang=en")
    expect(refused.status).toBe(429)
    expect(refused.headers.get("retry-after")).toBe("1")
    expect(alertOf(await refused.text()).text).toBe("Too many requests came from your network address. Try again in 1 s.")
    const vi = await limited.request("/tra-cuu", { method: "POST", body: form({ code: "x" }) })
    expect(alertOf(await vi.text()).text).toContain("Hãy thử lại sau")
  })

  test("the PDF without the identity number says, in Vietnamese, what is needed", async () => {
    const { receipt } = await h.issue()
    const res = await post("/tra-cuu/pdf", form({ code: receipt.lookupCode }))
    expect(res.status).toBe(403)
    expect(alertOf(await res.text()).text).toBe("Để tải biên lai (PDF), hãy nhập đúng số định danh của người nộp cùng với mã tra cứu.")
  })

  test("an empty code asks for one", async () => {
    const html = await (await post("/tra-cuu", form({ code: "  " }))).text()
    expect(alertOf(html).text).toBe("Hãy nhập mã tra cứu: 12 chữ cái và chữ số in trên biên lai.")
  })
})
