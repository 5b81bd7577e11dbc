/**
 * A real token behind a foreign host (item 10 of issue 12): /api/scan and
 * /kiem-tra-anh name the host the photographed QR points to and warn, in
 * Vietnamese on the page, unless it is the agency's published service
 * (PUBLIC_URL or a configured accepted host).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { qrContent } from "../../domain/signing/url.ts"
import { buildAppWith } from "../../edge/app.ts"
import { qrPng } from "../../adapters/qr/encode.ts"
import { targets } from "../store/databases.ts"
import { type Harness, makeHarness } from "./harness.ts"

const photo = async (content: string) => {
  const form = new FormData()
  form.set("photo", new File([(await qrPng(content, { scale: 6 })) as Uint8Array<ArrayBuffer>], "qr.png", { type: "image/png" }))
  return form
}

describe("the host a QR code points to", () => {
  let h: Harness
  let token: string
  beforeAll(async () => {
    h = await makeHarness(await targets[0]!.make(), { rateLimit: null, publicUrl: "https://bienlai.thads.moj.gov.vn", acceptedQrHosts: ["bienlai-cu.thads.gov.vn"] })
    token = (await h.issue()).token
  }, 60_000)
  afterAll(async () => {
    await h?.close()
  })

  const scan = async (content: string) => (await (await h.app.request("/api/scan", { method: "POST", body: await photo(content) })).json()) as any
  const page = async (content: string, lang = "") => (await h.app.request(`/kiem-tra-anh${lang}`, { method: "POST", body: await photo(content) })).text()

  test("a real token behind a foreign host verifies, but is flagged as a possible phishing copy", async () => {
    const body = await scan(qrContent("https://bienlai-thads.vn.example", token))
    expect(body.result).toBe("Valid")
    expect(body.qr).toMatchObject({ host: "bienlai-thads.vn.example", official: false })
    expect(body.qr.warning).toContain("may be a phishing copy")
    const html = await page(qrContent("https://bienlai-thads.vn.example", token))
    expect(html).toContain('data-qr-official="false"')
    expect(html).toContain("Cảnh báo: mã QR này dẫn tới bienlai-thads.vn.example, không phải trang kiểm tra chính thức (bienlai.thads.moj.gov.vn)")
    expect(html).toContain("bản sao giả mạo")
    // The warning comes before the verdict.
    expect(html.indexOf('data-qr-official="false"')).toBeLessThan(html.indexOf('data-result="Valid"'))
    expect(await page(qrContent("https://bienlai-thads.vn.example", token), "?lang=en")).toContain("Warning: this QR code points to bienlai-thads.vn.example")
  })

  test("userinfo does not disguise the host: official@foreign is the foreign host", async () => {
    const body = await scan(`https://bienlai.thads.moj.gov.vn@evil.example/v/${encodeURIComponent(token)}`)
    expect(body.qr).toMatchObject({ host: "evil.example", official: false })
  })

  test("the published service, in capitals as QR codes print it, and an accepted host are not flagged", async () => {
    const official = await scan(qrContent("https://bienlai.thads.moj.gov.vn", token))
    expect(official.qr).toEqual({ host: "bienlai.thads.moj.gov.vn", official: true })
    const html = await page(qrContent("https://bienlai.thads.moj.gov.vn", token))
    expect(html).toContain('data-qr-official="true"')
    expect(html).toContain("Mã QR dẫn tới: <strong>bienlai.thads.moj.gov.vn</strong>")
    expect(html).not.toContain("Cảnh báo")
    expect((await scan(qrContent("https://bienlai-cu.thads.gov.vn", token))).qr.official).toBe(true)
  })

  test("a port is part of the host", async () => {
    expect((await scan(qrContent("https://bienlai.thads.moj.gov.vn:8443", token))).qr).toMatchObject({ host: "bienlai.thads.moj.gov.vn:8443", official: false })
  })

  test("the accepted hosts come from the settings: without them the old host is flagged", async () => {
    const strict = buildAppWith({ ...h.services, config: { ...h.services.config, acceptedQrHosts: [] } })
    const body = (await (await strict.request("/api/scan", { method: "POST", body: await photo(qrContent("https://bienlai-cu.thads.gov.vn", token)) })).json()) as any
    expect(body.qr.official).toBe(false)
  })
})
