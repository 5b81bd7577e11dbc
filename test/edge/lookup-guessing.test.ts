/**
 * Guessing a payer's identity number through the shipped app (item 9 of
 * issue 12): wrong numbers are limited per lookup code in the database, so
 * a burst from many addresses cannot find the right one, a locked answer is
 * the same for the right and a wrong number, and the page says in
 * Vietnamese until when and what to do. The client address behind proxies
 * comes from the configured number of hops, never from the spoofable
 * leftmost X-Forwarded-For entry.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { buildAppWith } from "../../edge/app.ts"
import { identityCheckState } from "../../store/public/lookup-attempts.ts"
import { targets } from "../store/databases.ts"
import { type Harness, makeHarness } from "./harness.ts"

const right = "079085001234"
/** Well-formed CCCDs of the same province, century and year that are not the payer's. */
const wrong = (i: number) => `0790850${String(10_000 + i).slice(-5)}`

for (const target of targets) {
  describe(`identity-number guessing on ${target.name}`, () => {
    let h: Harness
    beforeAll(async () => {
      // As deployed behind one proxy, with the default rate limit and lookup guard.
      h = await makeHarness(await target.make(), { trustProxyHops: 1 })
    }, 60_000)
    afterAll(async () => {
      await h?.close()
    })

    const lookupFrom = (address: string, body: Record<string, string>) =>
      h.app.request("/api/lookup", {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-Forwarded-For": address },
        body: JSON.stringify(body)
      })

    test("a burst of 30 guesses from 30 addresses does not find the number: the code locks after 5 failures", async () => {
      const { receipt } = await h.issue()
      const guesses = Array.from({ length: 30 }, (_, i) => (i === 9 ? right : wrong(i)))
      const answers: Array<{ status: number; body: any }> = []
      for (const [i, idNumber] of guesses.entries()) {
        const res = await lookupFrom(`198.51.100.${i + 1}`, { lookupCode: receipt.lookupCode, idNumber })
        answers.push({ status: res.status, body: await res.json() })
      }
      expect(answers.some((a) => a.body.identityMatched === true)).toBe(false)
      expect(answers.slice(0, 5).map((a) => a.status)).toEqual([200, 200, 200, 200, 200])
      expect(answers.slice(5).every((a) => a.status === 429 && a.body.error === "identity_check_locked")).toBe(true)
      // The right number (the 10th guess) got exactly what wrong numbers got.
      expect(answers[9]!.body).toEqual(answers[10]!.body)
      expect(answers[9]!.body.receipt).toBeUndefined()
      expect(Date.parse(answers[9]!.body.lockedUntil)).toBe(h.services.now().getTime() + 3_600_000)
      // Counted in the database: another server on the same data sees the lock.
      const other = target.name === "PostgreSQL" ? h.db.open(2) : h.db.db
      const second = buildAppWith({ ...h.services, db: other })
      const again = await second.request("/api/lookup", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ lookupCode: receipt.lookupCode, idNumber: right })
      })
      expect(again.status).toBe(429)
      expect(again.headers.get("retry-after")).toBe("3600")
      expect((await identityCheckState(h.db.db, receipt.lookupCode)).failures).toBe(5)
      // Neither the code nor any number tried reaches the log.
      const log = h.logText()
      for (const secret of [receipt.lookupCode, right, wrong(0)]) expect(log).not.toContain(secret)
    })

    test("the code alone still gives the summary while locked; after the lock the right number works", async () => {
      const { receipt } = await h.issue()
      for (let i = 0; i < 5; i++) await lookupFrom("203.0.113.5", { lookupCode: receipt.lookupCode, idNumber: wrong(i) })
      const summary = await lookupFrom("203.0.113.5", { lookupCode: receipt.lookupCode })
      expect(summary.status).toBe(200)
      expect(((await summary.json()) as any).summary.status).toBe("issued")
      h.advance(3_600_000 - 1_000)
      expect((await lookupFrom("203.0.113.5", { lookupCode: receipt.lookupCode, idNumber: right })).status).toBe(429)
      h.advance(1_000)
      const matched = (await (await lookupFrom("203.0.113.5", { lookupCode: receipt.lookupCode, idNumber: right })).json()) as any
      expect(matched.identityMatched).toBe(true)
      expect(matched.receipt.payer.idNumber).toBe(right)
    })

    test("/tra-cuu locks the same way and says in Vietnamese until when, and to ask the agency; the PDF is locked too", async () => {
      const { receipt } = await h.issue()
      const form = (idNumber: string, path = "/tra-cuu") =>
        h.app.request(path, { method: "POST", headers: { "X-Forwarded-For": "192.0.2.77" }, body: new URLSearchParams({ code: receipt.lookupCode, idNumber }) })
      for (let i = 0; i < 5; i++) expect((await form(wrong(i))).status).toBe(200)
      const locked = await form(right)
      expect(locked.status).toBe(429)
      const html = await locked.text()
      expect(html).toContain("Đã nhập sai số định danh quá nhiều lần với mã tra cứu này")
      const until = new Date(h.services.now().getTime() + 3_600_000 + 7 * 3_600_000)
      const two = (n: number) => String(n).padStart(2, "0")
      expect(html).toContain(`tạm khóa đến ${two(until.getUTCHours())}:${two(until.getUTCMinutes())} ${two(until.getUTCDate())}/${two(until.getUTCMonth() + 1)}/${until.getUTCFullYear()}`)
      expect(html).toContain("đến cơ quan thi hành án đã cấp biên lai")
      expect(html).not.toContain("Nguyễn")
      // What was typed is still in the form.
      expect(html).toContain(`value="${receipt.lookupCode}"`)
      expect(html).toContain(`value="${right}"`)
      expect((await form(right, "/tra-cuu/pdf")).status).toBe(429)
    })

    test("the PDF needs the matching identity number; a wrong one counts as a failed check", async () => {
      const { receipt } = await h.issue()
      const pdf = (body: Record<string, string>) =>
        h.app.request("/api/lookup/pdf", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ lookupCode: receipt.lookupCode, ...body }) })
      const alone = await pdf({})
      expect(alone.status).toBe(403)
      expect(((await alone.json()) as any).error).toBe("identity_required")
      const mismatch = await pdf({ idNumber: wrong(1) })
      expect(mismatch.status).toBe(403)
      expect((await identityCheckState(h.db.db, receipt.lookupCode)).failures).toBe(1)
    })

    test("a malformed identity number is refused with its rule and costs no attempt", async () => {
      const { receipt } = await h.issue()
      const res = await lookupFrom("203.0.113.9", { lookupCode: receipt.lookupCode, idNumber: "07908500123" })
      expect(res.status).toBe(400)
      expect(((await res.json()) as any)).toMatchObject({ error: "invalid_id_number", rule: "length" })
      expect((await identityCheckState(h.db.db, receipt.lookupCode)).failures).toBe(0)
    })
  })
}

describe("client address behind proxies", () => {
  let h: Harness
  beforeAll(async () => {
    h = await makeHarness(await targets[0]!.make())
  }, 60_000)
  afterAll(async () => {
    await h?.close()
  })

  const appWith = (trustProxyHops: number) =>
    buildAppWith({ ...h.services, config: { ...h.services.config, trustProxyHops, rateLimit: { perMinute: 60, burst: 3 } } }, { clientAddress: () => "10.0.0.1" })

  const statuses = async (app: ReturnType<typeof buildAppWith>, forwarded: (i: number) => string) => {
    const out: Array<number> = []
    for (let i = 0; i < 6; i++) out.push((await app.request("/api/trust-list", { headers: { "X-Forwarded-For": forwarded(i) } })).status)
    return out
  }

  test("one proxy: a client inventing leftmost addresses is still one client", async () => {
    // The client sends a new X-Forwarded-For each time; our proxy appends the address it really came from.
    expect(await statuses(appWith(1), (i) => `1.2.3.${i}, 203.0.113.50`)).toEqual([200, 200, 200, 429, 429, 429])
  })

  test("one proxy: different real clients get their own buckets", async () => {
    expect(await statuses(appWith(1), (i) => `203.0.113.${100 + i}`)).toEqual([200, 200, 200, 200, 200, 200])
  })

  test("two proxies: the address two places from the right is the client", async () => {
    expect(await statuses(appWith(2), (i) => `9.9.9.${i}, 203.0.113.60, 172.16.0.2`)).toEqual([200, 200, 200, 429, 429, 429])
    expect(await statuses(appWith(2), (i) => `203.0.113.${150 + i}, 172.16.0.2`)).toEqual([200, 200, 200, 200, 200, 200])
  })

  test("no proxy trusted: X-Forwarded-For is ignored and the peer address counts", async () => {
    expect(await statuses(appWith(0), (i) => `203.0.113.${200 + i}`)).toEqual([200, 200, 200, 429, 429, 429])
  })
})
