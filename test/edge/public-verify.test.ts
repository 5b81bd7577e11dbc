/**
 * Public verification through the app (`app.request`) on the real store:
 * the JSON API and the page, the trust and status lists with their ETags,
 * rate limiting, JSON errors, and what the request log may contain.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { Effect, Result } from "effect"
import { draftReplacement, submit } from "../../domain/lifecycle.ts"
import { contentSha256 } from "../../store/receipts/content-hash.ts"
import { uuidFromBytes, lookupCodeFromBytes } from "../../domain/ids.ts"
import { openStatusList } from "../../domain/signing/status-list.ts"
import { tokenToPathSegment } from "../../domain/signing/url.ts"
import { buildAppWith } from "../../edge/app.ts"
import { targets } from "../store/databases.ts"
import { draftInput, type Harness, makeHarness } from "./harness.ts"

const run = async <A, E>(effect: Effect.Effect<A, E>): Promise<A> => {
  const r = await Effect.runPromise(Effect.result(effect))
  if (Result.isFailure(r)) throw new Error(String((r.failure as { message?: string }).message))
  return r.success
}

for (const target of targets) {
  describe(`public verification on ${target.name}`, () => {
    let h: Harness
    beforeAll(async () => {
      h = await makeHarness(await target.make(), { rateLimit: null })
    }, 60_000)
    afterAll(async () => {
      await h?.close()
    })

    const getJson = async (path: string, init?: RequestInit) => {
      const res = await h.app.request(path, init)
      return { res, body: (await res.json()) as Record<string, any> }
    }

    test("a valid token verifies as Valid with masked data and a fresh status", async () => {
      const { receipt, token } = await h.issue()
      const { res, body } = await getJson(`/api/verify/${tokenToPathSegment(token)}`)
      expect(res.status).toBe(200)
      expect(body.result).toBe("Valid")
      expect(body.valid).toBe(true)
      expect(body.receipt.number).toBe(receipt.number)
      expect(body.receipt.amount).toBe("125500000")
      expect(body.receipt.maskedName).toBe("Nguyễn V. H.")
      expect(body.status.asOf).toBe(h.services.now().toISOString())
      expect(body.status.fresh).toBe(true)
      const text = JSON.stringify(body)
      expect(text).not.toContain("Hòa")
      expect(text).not.toContain("079085001234")
    })

    test("the page says Hợp lệ in Vietnamese, Valid in English, under /v/ and /V/", async () => {
      const { token } = await h.issue()
      const path = tokenToPathSegment(token)
      const vi = await h.app.request(`/v/${path}`)
      expect(vi.status).toBe(200)
      expect(vi.headers.get("content-type")).toContain("text/html")
      expect(vi.headers.get("content-security-policy")).toContain("default-src 'none'")
      expect(vi.headers.get("referrer-policy")).toBe("no-referrer")
      const html = await vi.text()
      expect(html).toContain('<html lang="vi">')
      expect(html).toContain("<strong>Hợp lệ</strong>")
      expect(html).toContain("là bản gốc có chữ ký số của cơ quan thu và đang có hiệu lực")
      expect(html).toContain("Nguyễn V. H.")
      expect(html).toContain("125.500.000 đ")
      expect(html).toContain("Tình trạng hủy/thay thế cập nhật lúc")
      expect(html).toContain("?lang=en")
      const en = await (await h.app.request(`/v/${path}?lang=en`)).text()
      expect(en).toContain("<strong>Valid</strong>")
      expect(en).toContain('<html lang="en">')
      const upper = await h.app.request(`/V/${path}`)
      expect(await upper.text()).toContain("<strong>Hợp lệ</strong>")
    })

    test("a voided receipt shows as voided once its status list is rebuilt", async () => {
      const { receipt, token } = await h.issue()
      const before = await getJson(`/api/verify/${tokenToPathSegment(token)}`)
      expect(before.body.result).toBe("Valid")
      await run(h.services.store.voidReceipt("HCM", receipt.id, { by: "hung.tran", reason: "Nộp nhầm hồ sơ", now: h.services.now().toISOString() }))
      // Another process voided it: this server learns it when its list expires.
      h.advance((h.services.config.statusListMaxAgeSeconds + 1) * 1000)
      const after = await getJson(`/api/verify/${tokenToPathSegment(token)}`)
      expect(after.body.result).toBe("Voided")
      expect(after.body.valid).toBe(false)
      const html = await (await h.app.request(`/v/${tokenToPathSegment(token)}`)).text()
      expect(html).toContain("Biên lai đã bị hủy")
      expect(html).toContain("đã bị cơ quan thu hủy")
      expect(html).toContain('data-result="Voided"')
    })

    test("a replaced receipt names its replacement", async () => {
      const { receipt, token } = await h.issue()
      const now = h.services.now().toISOString()
      const replacementDraft = Result.getOrThrow(submit(Result.getOrThrow(
        draftReplacement(receipt, draftInput({ amount: 130_000_000n }), { id: uuidFromBytes(crypto.getRandomValues(new Uint8Array(16))), maker: "lan.nguyen", now })
      ), { by: "lan.nguyen" }))
      await run(h.services.store.saveDraft(replacementDraft, { now }))
      const replacement = await run(
        h.services.store.issue({
          draft: replacementDraft,
          approver: "hung.tran",
          lookupCode: lookupCodeFromBytes(crypto.getRandomValues(new Uint8Array(8))),
          now,
          contentHash: contentSha256(replacementDraft)
        })
      )
      h.services.statusLists.invalidate({ agency: "HCM", ...receipt.series })
      const { body } = await getJson(`/api/verify/${tokenToPathSegment(token)}`)
      expect(body.result).toBe("Replaced")
      expect(body.replacement).toEqual({ form: "01-BLTHADS", symbol: "AA/25E", number: replacement.number })
      const html = await (await h.app.request(`/v/${tokenToPathSegment(token)}`)).text()
      expect(html).toContain("Biên lai đã bị thay thế")
    })

    test("an altered token is refused: signature invalid, or malformed with 400", async () => {
      const { token } = await h.issue()
      // Change the amount's byte region without breaking base45: swap one character in the middle.
      const i = 30
      const altered = token.slice(0, i) + (token[i] === "0" ? "1" : "0") + token.slice(i + 1)
      const { res, body } = await getJson(`/api/verify/${tokenToPathSegment(altered)}`)
      expect(["SignatureInvalid", "Malformed"]).toContain(body.result)
      expect(res.status).toBe(body.result === "Malformed" ? 400 : 200)
      expect(body.valid).toBe(false)
      const alteredPage = await (await h.app.request(`/v/${tokenToPathSegment(altered)}`)).text()
      expect(alteredPage).toContain(body.result === "Malformed" ? "Không đọc được mã: " : "Nội dung mã không khớp với chữ ký số của khóa ")

      const garbage = await getJson("/api/verify/not-a-token")
      expect(garbage.res.status).toBe(400)
      expect(garbage.body.result).toBe("Malformed")
      expect(garbage.body.message).toContain("malformed token")
      const page = await h.app.request("/v/not-a-token")
      expect(page.status).toBe(400)
      const html = await page.text()
      expect(html).toContain("Mã QR không đúng định dạng biên lai")
      // The explanation is Vietnamese; the verifier's precise reason follows, marked as English.
      expect(html).toMatch(/data-result="Malformed"><strong>[^<]*<\/strong>Không đọc được mã: /)
      expect(html).toContain('<p class="muted" lang="en">Chi tiết kỹ thuật: malformed token')
    })

    test("the trust list is served with an ETag and cache headers; a matching If-None-Match gets 304", async () => {
      const res = await h.app.request("/api/trust-list")
      expect(res.status).toBe(200)
      const etag = res.headers.get("etag")
      expect(etag).toMatch(/^"[0-9a-f]{32}"$/)
      expect(res.headers.get("cache-control")).toContain("max-age=3600")
      // The root's signature around the list (docs/SIGNING.md); the list itself is the payload.
      const signed = (await res.json()) as { payload: string; protected: string; signature: string }
      const list = JSON.parse(Buffer.from(signed.payload, "base64url").toString("utf8")) as { format: string; agencies: Array<{ agency: string }> }
      expect(list.format).toBe("bienlai-trust-list")
      expect(list.agencies.map((a) => a.agency).sort()).toEqual(["HCM", "HNI"])
      expect(JSON.parse(Buffer.from(signed.protected, "base64url").toString("utf8"))).toMatchObject({ alg: "ES256", typ: "bienlai-trust-list+json" })
      const again = await h.app.request("/api/trust-list", { headers: { "If-None-Match": etag ?? "" } })
      expect(again.status).toBe(304)
      expect(await again.text()).toBe("")
    })

    test("status lists: the index links each series; a list verifies against the trust list; 304, 400 and 404", async () => {
      await h.issue()
      const index = await getJson("/api/status-lists")
      const entry = (index.body.lists as Array<{ agency: string; symbol: string; url: string; size: number }>).find((l) => l.symbol === "AA/25E")
      expect(entry?.size).toBeGreaterThan(0)
      const res = await h.app.request(entry?.url ?? "")
      expect(res.status).toBe(200)
      expect(res.headers.get("content-type")).toBe("application/octet-stream")
      const opened = await openStatusList(new Uint8Array(await res.arrayBuffer()), h.services.trust().anchors)
      expect(Result.isSuccess(opened)).toBe(true)
      if (Result.isSuccess(opened)) expect(opened.success.size).toBe(entry?.size ?? -1)
      const etag = res.headers.get("etag") ?? ""
      expect((await h.app.request(entry?.url ?? "", { headers: { "If-None-Match": etag } })).status).toBe(304)

      const bad = await getJson("/api/status-list?agency=hcm&form=01-BLTHADS&symbol=2025")
      expect(bad.res.status).toBe(400)
      expect(bad.body.error).toBe("invalid_series")
      expect(bad.body.message).toContain('agency "hcm"')
      expect(bad.body.message).toContain('symbol "2025"')
      const none = await getJson("/api/status-list?agency=HNI&form=01-BLTHADS&symbol=ZZ/25E")
      expect(none.res.status).toBe(404)
      expect(none.body.error).toBe("not_found")
    })

    test("unknown routes and oversized bodies get JSON errors", async () => {
      const missing = await getJson("/api/nothing-here")
      expect(missing.res.status).toBe(404)
      expect(missing.body.error).toBe("not_found")
      const big = "x".repeat(h.services.config.jsonBodyLimitBytes + 1)
      const tooLarge = await getJson("/api/verify/x", { method: "POST", body: big, headers: { "content-type": "application/json" } })
      expect(tooLarge.res.status).toBe(413)
      expect(tooLarge.body.error).toBe("body_too_large")
    })

    test("the request log has one line per request with an id and the route pattern, never the token or the name", async () => {
      const { token } = await h.issue()
      h.log.length = 0
      const res = await h.app.request(`/api/verify/${tokenToPathSegment(token)}`, { headers: { "X-Request-Id": "req-test-1" } })
      expect(res.headers.get("x-request-id")).toBe("req-test-1")
      await h.app.request(`/v/${tokenToPathSegment(token)}`)
      const lines = h.log.filter((l) => l["msg"] === "request")
      expect(lines.length).toBe(2)
      expect(lines[0]).toMatchObject({ reqId: "req-test-1", method: "GET", route: "/api/verify/:token{.+}", status: 200, result: "Valid" })
      expect(typeof lines[1]?.["reqId"]).toBe("string")
      const text = h.logText()
      expect(text).not.toContain(token.slice(0, 40))
      expect(text).not.toContain(tokenToPathSegment(token).slice(0, 40))
      expect(text).not.toContain("Hòa")
    })

    test("a client over its burst gets 429 with an honest Retry-After, and passes again after it", async () => {
      const limited = buildAppWith({ ...h.services, config: { ...h.services.config, rateLimit: { perMinute: 60, burst: 3 } } })
      const statuses: Array<number> = []
      for (let i = 0; i < 3; i++) statuses.push((await limited.request("/api/trust-list")).status)
      expect(statuses).toEqual([200, 200, 200])
      const refused = await limited.request("/api/trust-list")
      expect(refused.status).toBe(429)
      expect(refused.headers.get("retry-after")).toBe("1")
      const body = (await refused.json()) as { error: string; message: string }
      expect(body.error).toBe("rate_limited")
      expect(body.message).toContain("1 s")
      h.advance(999)
      expect((await limited.request("/api/trust-list")).status).toBe(429)
      h.advance(1)
      expect((await limited.request("/api/trust-list")).status).toBe(200)
      // Health checks are not public API and are not limited.
      for (let i = 0; i < 5; i++) expect((await limited.request("/healthz")).status).toBe(200)
    })
  })
}
