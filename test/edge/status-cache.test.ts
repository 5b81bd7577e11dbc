/**
 * The status-list cache of the shipped app (item 12 of issue 12), and "never
 * valid without a status" at the edge (item 8): flooding the public routes
 * with made-up series, through the query string or through forged tokens,
 * leaves nothing in memory; real series are held in an LRU that never
 * exceeds its size; and a receipt whose status list cannot be had is
 * "authentic, status unknown", never "valid".
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { Result } from "effect"
import fc from "fast-check"
import { assembleToken, decodeToken, encodeTokenBody } from "../../domain/signing/token.ts"
import { tokenToPathSegment } from "../../domain/signing/url.ts"
import { buildAppWith } from "../../edge/app.ts"
import { makeVerifier } from "../../edge/verification/verifier.ts"
import { contentSha256 } from "../../store/receipts/content-hash.ts"
import { targets } from "../store/databases.ts"
import { type Harness, makeHarness } from "./harness.ts"

const letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
const agencyArb = fc.string({ unit: fc.constantFrom(...letters), minLength: 2, maxLength: 8 }).map((s) => `Z${s}`)
const symbolArb = fc.tuple(fc.constantFrom(...letters), fc.constantFrom(...letters), fc.integer({ min: 0, max: 99 }))
  .map(([a, b, y]) => `${a}${b}/${String(y).padStart(2, "0")}E`)
const formArb = fc.constantFrom("01-BLTHADS", "02-BLTHADS", "03-X")

for (const target of targets) {
  describe(`status-list cache on ${target.name}`, () => {
    let h: Harness
    beforeAll(async () => {
      h = await makeHarness(await target.make(), { rateLimit: null, statusListCacheSize: 4 })
    }, 60_000)
    afterAll(async () => {
      await h?.close()
    })

    test("300 requests for random series through /api/status-list cache nothing", async () => {
      const before = h.services.statusLists.size()
      await fc.assert(
        fc.asyncProperty(agencyArb, formArb, symbolArb, async (agency, form, symbol) => {
          const res = await h.app.request(`/api/status-list?${new URLSearchParams({ agency, form, symbol })}`)
          expect(res.status).toBe(404)
          expect(h.services.statusLists.size()).toBe(before)
        }),
        { numRuns: 300 }
      )
    })

    test("300 forged tokens naming random series cost a signature check and nothing else", async () => {
      const { token } = await h.issue()
      const real = Result.getOrThrow(decodeToken(token))
      const before = h.services.statusLists.size()
      await fc.assert(
        fc.asyncProperty(agencyArb, formArb, symbolArb, fc.uint8Array({ minLength: 64, maxLength: 64 }), fc.boolean(), async (agency, form, symbol, signature, trustedKey) => {
          const forged = assembleToken(encodeTokenBody({ ...real, agency, form, symbol }, real.algorithm ?? "ECDSA-P256"), trustedKey ? real.keyId : "00112233445566ff", signature)
          const body = (await (await h.app.request(`/api/verify/${tokenToPathSegment(forged)}`)).json()) as any
          expect(["SignatureInvalid", "UnknownKey"]).toContain(body.result)
          expect(h.services.statusLists.size()).toBe(before)
        }),
        { numRuns: 300 }
      )
    })

    test("real series are held in an LRU that never grows past its size, and each is still served", async () => {
      const symbols = ["AB/25E", "AC/25E", "AD/25E", "AE/25E", "AF/25E", "AG/25E"]
      for (const symbol of symbols) await h.issue({ series: { form: "01-BLTHADS", symbol } })
      for (let round = 0; round < 3; round++) {
        for (const symbol of symbols) {
          const res = await h.app.request(`/api/status-list?${new URLSearchParams({ agency: "HCM", form: "01-BLTHADS", symbol })}`)
          expect(res.status).toBe(200)
          expect(h.services.statusLists.size()).toBeLessThanOrEqual(4)
        }
      }
      expect(h.services.statusLists.size()).toBe(4)
    })
  })
}

describe("no status, no 'valid', at the edge", () => {
  let h: Harness
  beforeAll(async () => {
    h = await makeHarness(await targets[0]!.make(), { rateLimit: null })
  }, 60_000)
  afterAll(async () => {
    await h?.close()
  })

  test("when the status list cannot be built, an authentic receipt is 'authentic, status unknown' in JSON and on the page", async () => {
    const { token } = await h.issue()
    const broken = { ...h.services.statusLists, getCovering: () => Promise.reject(new Error("connection refused: password=hunter2")), get: () => Promise.reject(new Error("down")) }
    const app = buildAppWith({ ...h.services, statusLists: broken, verify: makeVerifier({ trust: h.services.trust, statusLists: broken, now: h.services.now }) })
    const body = (await (await app.request(`/api/verify/${tokenToPathSegment(token)}`)).json()) as any
    expect(body).toMatchObject({ result: "StatusUnknown", valid: false, reason: "no_status_list" })
    expect(body.status.unavailable).toContain("could not be had right now")
    expect(JSON.stringify(body)).not.toContain("hunter2")
    const html = await (await app.request(`/v/${tokenToPathSegment(token)}`)).text()
    expect(html).toContain('data-result="StatusUnknown"')
    expect(html).toContain("<strong>Bản gốc, chưa rõ tình trạng</strong>")
    expect(html).toContain("chưa xác định được biên lai có bị hủy hay bị thay thế hay không")
    expect(html).not.toContain("Hợp lệ")
    expect(await (await app.request(`/v/${tokenToPathSegment(token)}?lang=en`)).text()).toContain("<strong>Authentic, status unknown</strong>")
  })

  test("a receipt issued by another process after the list was built is covered at once: the list is rebuilt for it", async () => {
    const first = await h.issue({ series: { form: "01-BLTHADS", symbol: "AH/25E" } })
    expect(((await (await h.app.request(`/api/verify/${tokenToPathSegment(first.token)}`)).json()) as any).result).toBe("Valid")
    // Issued without telling this server (no invalidate), a second later.
    h.advance(1_000)
    const d = await h.draft({ series: { form: "01-BLTHADS", symbol: "AH/25E" } }, "lan.nguyen", { submitted: true })
    const { Effect } = await import("effect")
    const second = await Effect.runPromise(
      h.services.store.issue({ draft: d, approver: "hung.tran", lookupCode: "7KQ2M9XD4TPS", now: h.services.now().toISOString(), contentHash: contentSha256(d) }),
    )
    const body = (await (await h.app.request(`/api/verify/${tokenToPathSegment(await h.tokenOf(second))}`)).json()) as any
    expect(body.result).toBe("Valid")
    expect(body.status.fresh).toBe(true)
  })

  test("the status list states its freshness, and Cache-Control never outlives it", async () => {
    const { receipt } = await h.issue({ series: { form: "01-BLTHADS", symbol: "AJ/25E" } })
    const res = await h.app.request(`/api/status-list?${new URLSearchParams({ agency: "HCM", ...receipt.series })}`)
    const { openStatusList } = await import("../../domain/signing/status-list.ts")
    const opened = await openStatusList(new Uint8Array(await res.arrayBuffer()), h.services.trust().anchors)
    expect(Result.isSuccess(opened) && opened.success.freshForSeconds).toBe(h.services.config.statusListMaxAgeSeconds + 60)
    const maxAge = Number(/max-age=(\d+)/.exec(res.headers.get("cache-control") ?? "")?.[1])
    expect(maxAge).toBeLessThanOrEqual(h.services.config.statusListMaxAgeSeconds)
  })
})
