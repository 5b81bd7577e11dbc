/**
 * Statement uploads through the shipped app's API in every way an officer
 * may send them: camt.053 (twice: nothing new the second time), a CSV
 * export with a shipped column mapping, and bad input each refused with a
 * message naming what is wrong and nothing imported: a CSV without a
 * mapping, an unknown mapping, a camt file that is not well formed, an
 * unknown format, a request that is not multipart, an empty file.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { registerBankAccount } from "../../store/reconciliation/accounts.ts"
import { type ConsoleFixture, makeConsoleFixture } from "../console/fixture.ts"

const fixtures = join(import.meta.dir, "..", "bank", "fixtures")
const ACCOUNT = "0071000123456"

describe("statement uploads through the API", () => {
  let f: ConsoleFixture
  const upload = async (name: string, content: string | Uint8Array<ArrayBuffer>, extra: Record<string, string> = {}) => {
    const form = new FormData()
    form.set("file", new File([content], name))
    for (const [k, v] of Object.entries(extra)) form.set(k, v)
    const res = await f.app.request("/api/officer/reconciliation/statements", { method: "POST", headers: { authorization: `Bearer ${f.tokens.officer}` }, body: form })
    return { status: res.status, json: (await res.json()) as Record<string, any> }
  }
  const entries = async () => Number((await f.h.db.db.query<{ n: string }>("SELECT count(*)::text AS n FROM bank_entries"))[0]?.n)

  beforeAll(async () => {
    f = await makeConsoleFixture()
    await registerBankAccount(f.h.db.db, { agency: "HCM", account: ACCOUNT, bankBin: "970436" })
  }, 60_000)
  afterAll(async () => {
    await f?.close()
  })

  test("camt.053 twice: the second changes nothing", async () => {
    const camt = new Uint8Array(readFileSync(join(fixtures, "camt053-vcb-day.xml")))
    const first = await upload("camt053.xml", camt)
    expect(first.status).toBe(201)
    expect(first.json["summary"]["statements"][0]["format"]).toBe("camt.053")
    expect(first.json["summary"]["newEntries"]).toBeGreaterThan(0)
    const again = await upload("camt053.xml", camt)
    expect([again.status, again.json["summary"]["newEntries"]]).toEqual([201, 0])
  })

  test("a CSV export with a shipped mapping; without one, or with an unknown one, refused by name", async () => {
    const csv = new Uint8Array(readFileSync(join(fixtures, "vn-internet-banking.csv")))
    const before = await entries()
    const none = await upload("sao-ke.csv", csv)
    expect(none.status).toBe(422)
    expect(none.json["message"]).toContain("mapping")
    const unknown = await upload("sao-ke.csv", csv, { mapping: "no-such-bank" })
    expect(unknown.status).toBe(422)
    expect(unknown.json["message"]).toContain("vn-internet-banking")
    expect(await entries()).toBe(before)
    const ok = await upload("sao-ke.csv", csv, { mapping: "vn-internet-banking" })
    expect(ok.status).toBe(201)
    expect(ok.json["summary"]["statements"][0]["account"]).toBe(ACCOUNT)
    // Three entries (the total row is not one); FT25167001234 came in the camt file already, with the same content.
    expect(ok.json["summary"]["entries"]).toBe(3)
    expect(ok.json["summary"]["alreadyImported"]).toBe(1)
  })

  test("bad input is refused naming what is wrong, and nothing is imported", async () => {
    const before = await entries()
    const truncated = readFileSync(join(fixtures, "camt053-vcb-day.xml"), "utf8").slice(0, 900)
    const malformed = await upload("broken.xml", truncated)
    expect(malformed.status).toBe(422)
    // One answer for an unreadable bank file, whether a statement or a payout's answer (edge/officers/payout-refusals.ts).
    expect(malformed.json["error"]).toBe("bank_file_unreadable")
    expect(String(malformed.json["message"])).toMatch(/Không đọc được tệp camt\.053 của ngân hàng/)
    const format = await upload("x.txt", "hello", { format: "pdf" })
    expect([format.status, format.json["error"]]).toEqual([422, "unknown_format"])
    expect((await upload("empty.mt940", new Uint8Array())).status).toBe(400)
    const notMultipart = await f.app.request("/api/officer/reconciliation/statements", { method: "POST", headers: { authorization: `Bearer ${f.tokens.officer}`, "content-type": "application/json" }, body: "{}" })
    expect(notMultipart.status).toBe(415)
    expect(await entries()).toBe(before)
    const unauthenticated = await f.app.request("/api/officer/reconciliation/statements", { method: "POST", body: new FormData() })
    expect(unauthenticated.status).toBe(401)
  })
})
