/**
 * The officer API through `app.request` on the real store: authentication,
 * roles, agency isolation, drafts, maker-checker approval, void, replace,
 * annotate, search and the audit trail, and the 4xx answers to bad input.
 * Officer administration and tokens: officer-admin.test.ts.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { grantToken, insertOfficer, type Role } from "../../edge/officers/tokens.ts"
import { targets } from "../store/databases.ts"
import { type Harness, makeHarness } from "./harness.ts"

const draftBody = (over: Record<string, unknown> = {}) => ({
  office: "HCM-KV01",
  series: { form: "01-BLTHADS", symbol: "AA/25E" },
  payer: { name: "Nguyễn Văn Hòa", idNumber: "079085001234", address: "12 Lê Lợi, phường Bến Thành, TP. Hồ Chí Minh" },
  case: { decisionNumber: "1234/QĐ-CTHADS", decisionDate: "2025-05-12" },
  reason: "Nộp tiền thi hành án theo Quyết định số 1234/QĐ-CTHADS",
  amount: "125500000",
  payment: { method: "bank_transfer", reference: "FT25163123456" },
  ...over
})

for (const target of targets) {
  describe(`officer API on ${target.name}`, () => {
    let h: Harness
    const tokens: Record<string, string> = {}
    const officers: Array<[string, string, Role]> = [
      ["lan.nguyen", "HCM", "officer"],
      ["hung.tran", "HCM", "approver"],
      ["mai.le", "HCM", "auditor"],
      ["admin.hcm", "HCM", "admin"],
      ["thu.pham", "HNI", "officer"],
      ["quang.vo", "HNI", "approver"]
    ]

    beforeAll(async () => {
      h = await makeHarness(await target.make(), { rateLimit: null })
      for (const code of ["HCM", "HNI"]) await h.db.db.query("INSERT INTO agencies (code, name) VALUES ($1::text, $2::text)", [code, `Cục THADS ${code}`])
      for (const [id, agency, role] of officers) {
        await insertOfficer(h.db.db, { id, agency, name: id, role })
        tokens[id] = await grantToken(h.db.db, id, "test", (n) => crypto.getRandomValues(new Uint8Array(n)))
      }
    }, 60_000)
    afterAll(async () => {
      await h?.close()
    })

    const call = async (who: string | undefined, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
      const res = await h.app.request(`/api/officer${path}`, {
        method,
        headers: {
          ...(who === undefined ? {} : { Authorization: `Bearer ${tokens[who] ?? who}` }),
          ...(body === undefined ? {} : { "Content-Type": "application/json" }),
          ...headers
        },
        ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) })
      })
      const text = await res.text()
      return { status: res.status, headers: res.headers, body: (text === "" ? null : JSON.parse(text)) as any }
    }

    /** The maker submits the draft; it answers with the draft and the hash of its content. */
    const submit = async (who: string, id: string) => {
      const r = await call(who, "POST", `/drafts/${id}/submit`)
      expect(r.status).toBe(200)
      expect(r.body.status).toBe("submitted")
      return r.body as { id: string; contentHash: string }
    }
    /** As an approver does it: read the draft, then approve the content read. */
    const approve = async (who: string, id: string) => {
      const read = await call(who, "GET", `/receipts/${id}`)
      return call(who, "POST", `/drafts/${id}/approve`, { contentHash: read.body.contentHash })
    }
    const issued = async (over: Record<string, unknown> = {}) => {
      const draft = await call("lan.nguyen", "POST", "/drafts", draftBody(over))
      expect(draft.status).toBe(201)
      await submit("lan.nguyen", draft.body.id)
      const approved = await approve("hung.tran", draft.body.id)
      expect(approved.status).toBe(201)
      return approved.body as { receipt: any; token: string; url: string }
    }

    test("no token, a malformed one or an unknown one gets 401 JSON with a Bearer challenge", async () => {
      for (const who of [undefined, "not-a-token", "blk_" + "A".repeat(43)]) {
        const r = await call(who, "GET", "/receipts")
        expect(r.status).toBe(401)
        expect(r.body.error).toBe("unauthenticated")
        expect(r.headers.get("www-authenticate")).toContain("Bearer")
      }
      const me = await call("mai.le", "GET", "/me")
      expect(me.body).toEqual({ officer: "mai.le", agency: "HCM", role: "auditor" })
    })

    test("an officer drafts, an approver issues; the QR URL verifies as valid", async () => {
      const draft = await call("lan.nguyen", "POST", "/drafts", draftBody())
      expect(draft.status).toBe(201)
      expect(draft.body).toMatchObject({ status: "draft", agency: "HCM", maker: "lan.nguyen", amount: "125500000" })
      expect(draft.body.amountInWords).toBe("Một trăm hai mươi lăm triệu năm trăm nghìn đồng")
      // Not submitted yet: nothing to approve.
      const early = await approve("hung.tran", draft.body.id)
      expect(early.status).toBe(409)
      expect(early.body.reason).toBe("not_submitted")
      await submit("lan.nguyen", draft.body.id)
      const byOfficer = await approve("lan.nguyen", draft.body.id)
      expect(byOfficer.status).toBe(403)
      expect(byOfficer.body.error).toBe("forbidden")
      const approved = await approve("hung.tran", draft.body.id)
      expect(approved.status).toBe(201)
      expect(approved.body.receipt).toMatchObject({ status: "issued", approver: "hung.tran" })
      expect(approved.body.receipt.lookupCode).toMatch(/^[0-9A-HJKMNP-TV-Z]{12}$/)
      const path = new URL(approved.body.url).pathname.replace("/v/", "/api/verify/")
      const verified = (await (await h.app.request(path)).json()) as { result: string; receipt: { number: number } }
      expect(verified.result).toBe("Valid")
      expect(verified.receipt.number).toBe(approved.body.receipt.number)
      const again = await call("hung.tran", "POST", `/drafts/${draft.body.id}/approve`, { contentHash: approved.body.receipt.id.replace(/-/g, "").repeat(2) })
      expect(again.status).toBe(409)
    })

    test("maker-checker: an approver cannot approve a draft they made", async () => {
      const own = await call("hung.tran", "POST", "/drafts", draftBody())
      expect(own.status).toBe(201)
      await submit("hung.tran", own.body.id)
      const r = await approve("hung.tran", own.body.id)
      expect(r.status).toBe(409)
      expect(r.body).toMatchObject({ error: "invalid_transition", reason: "maker_cannot_approve" })
      expect((await call("hung.tran", "GET", `/receipts/${own.body.id}`)).body.status).toBe("submitted")
    })

    test("an officer of agency HNI can neither see nor touch agency HCM's receipts", async () => {
      const { receipt } = await issued()
      const draft = await call("lan.nguyen", "POST", "/drafts", draftBody())
      const attempts = [
        await call("thu.pham", "GET", `/receipts/${receipt.id}`),
        await call("thu.pham", "GET", `/receipts/${receipt.id}/qr`),
        await call("thu.pham", "PATCH", `/drafts/${draft.body.id}`, { amount: "1" }),
        await call("thu.pham", "DELETE", `/drafts/${draft.body.id}`),
        await call("quang.vo", "POST", `/drafts/${draft.body.id}/approve`, { contentHash: "0".repeat(64) }),
        await call("thu.pham", "POST", `/drafts/${draft.body.id}/submit`),
        await call("quang.vo", "POST", `/receipts/${receipt.id}/void`, { reason: "thử" }),
        await call("thu.pham", "POST", `/receipts/${receipt.id}/corrections`, { field: "payerName", value: "Người Khác" }),
        await call("thu.pham", "POST", `/receipts/${receipt.id}/replace`, draftBody({ amount: "1000" }))
      ]
      for (const a of attempts) {
        expect(a.status).toBe(404)
        expect(a.body.error).toBe("not_found")
      }
      const search = await call("thu.pham", "GET", `/receipts?lookupCode=${receipt.lookupCode}`)
      expect(search.body.items).toEqual([])
      const all = await call("thu.pham", "GET", "/receipts?name=nguyen%20van%20hoa")
      expect(all.body.items).toEqual([])
      const crossCreate = await call("thu.pham", "POST", "/drafts", { ...draftBody(), agency: "HCM" })
      expect(crossCreate.status).toBe(403)
      expect(crossCreate.body.error).toBe("other_agency")
      // Nothing changed on HCM's side.
      expect((await call("hung.tran", "GET", `/receipts/${receipt.id}`)).body).toMatchObject({ status: "issued", annotations: [] })
      expect((await call("lan.nguyen", "GET", `/receipts/${draft.body.id}`)).body).toMatchObject({ status: "draft", amount: "125500000" })
    })

    test("drafts: the maker edits, nobody else does; delete is for drafts only", async () => {
      const draft = await call("lan.nguyen", "POST", "/drafts", draftBody())
      const edited = await call("lan.nguyen", "PATCH", `/drafts/${draft.body.id}`, { amount: "130000000" })
      expect(edited.status).toBe(200)
      expect(edited.body.amount).toBe("130000000")
      expect(edited.body.amountInWords).toBe("Một trăm ba mươi triệu đồng")
      const byOther = await call("hung.tran", "PATCH", `/drafts/${draft.body.id}`, { amount: "1" })
      expect(byOther.status).toBe(409)
      expect(byOther.body.reason).toBe("only_maker_can_edit")
      const deleteByOther = await call("hung.tran", "DELETE", `/drafts/${draft.body.id}`)
      expect(deleteByOther.status).toBe(409)
      expect(deleteByOther.body.reason).toBe("only_maker_can_delete")
      expect((await call("lan.nguyen", "DELETE", `/drafts/${draft.body.id}`)).status).toBe(204)
      expect((await call("lan.nguyen", "GET", `/receipts/${draft.body.id}`)).status).toBe(404)
      const { receipt } = await issued()
      const deleteIssued = await call("lan.nguyen", "DELETE", `/drafts/${receipt.id}`)
      expect(deleteIssued.status).toBe(409)
      expect(deleteIssued.body.reason).toBe("not_a_draft")
    })

    test("void needs an approver and a reason, happens once, and the audit trail records it", async () => {
      const { receipt, url } = await issued()
      expect((await call("lan.nguyen", "POST", `/receipts/${receipt.id}/void`, { reason: "Nộp nhầm" })).status).toBe(403)
      const noReason = await call("hung.tran", "POST", `/receipts/${receipt.id}/void`, {})
      expect(noReason.status).toBe(422)
      const voided = await call("hung.tran", "POST", `/receipts/${receipt.id}/void`, { reason: "Nộp nhầm hồ sơ" })
      expect(voided.status).toBe(200)
      expect(voided.body).toMatchObject({ status: "voided", voided: { reason: "Nộp nhầm hồ sơ", by: "hung.tran" } })
      const twice = await call("hung.tran", "POST", `/receipts/${receipt.id}/void`, { reason: "lần hai" })
      expect(twice.status).toBe(409)
      expect(twice.body.reason).toBe("already_voided")
      // Voided through this server: the status list is rebuilt at once.
      const verified = (await (await h.app.request(new URL(url).pathname.replace("/v/", "/api/verify/"))).json()) as { result: string }
      expect(verified.result).toBe("Voided")
      const audit = await call("mai.le", "GET", `/receipts/${receipt.id}/audit`)
      expect(audit.body.entries.map((e: { action: string }) => e.action)).toEqual(["draft_created", "draft_submitted", "issued", "voided"])
      expect(audit.body.entries[3].actor).toBe("hung.tran")
      expect((await call("lan.nguyen", "GET", `/receipts/${receipt.id}/audit`)).status).toBe(403)
    })

    test("replace with a new amount: approving the replacement marks the original replaced", async () => {
      const { receipt } = await issued({ amount: "50000000" })
      const same = await call("lan.nguyen", "POST", `/receipts/${receipt.id}/replace`, draftBody({ amount: "50000000" }))
      expect(same.status).toBe(409)
      expect(same.body.reason).toBe("replacement_must_differ")
      const draft = await call("lan.nguyen", "POST", `/receipts/${receipt.id}/replace`, draftBody({ amount: "55000000" }))
      expect(draft.status).toBe(201)
      expect(draft.body.replaces).toMatchObject({ id: receipt.id, number: receipt.number })
      await submit("lan.nguyen", draft.body.id)
      const approved = await approve("hung.tran", draft.body.id)
      expect(approved.status).toBe(201)
      const original = await call("mai.le", "GET", `/receipts/${receipt.id}`)
      expect(original.body.status).toBe("replaced")
      expect(original.body.replacedBy.number).toBe(approved.body.receipt.number)
    })

    test("the search index follows a draft's edits through issuance and voiding", async () => {
      const ids = (res: { body: { items: Array<{ id: string }> } }) => res.body.items.map((i) => i.id)
      const draft = await call("lan.nguyen", "POST", "/drafts", draftBody({ payer: { name: "Lê Văn Khoa", idNumber: "079190004567" } }))
      expect(ids(await call("mai.le", "GET", "/receipts?name=le%20van%20khoa"))).toContain(draft.body.id)
      const edited = await call("lan.nguyen", "PATCH", `/drafts/${draft.body.id}`, { payer: { name: "Lê Văn Khôi", idNumber: "079190004567" } })
      expect(edited.status).toBe(200)
      expect(ids(await call("mai.le", "GET", "/receipts?name=le%20van%20khoa"))).not.toContain(draft.body.id)
      expect(ids(await call("mai.le", "GET", "/receipts?name=le%20van%20khoi"))).toContain(draft.body.id)
      await submit("lan.nguyen", draft.body.id)
      expect((await approve("hung.tran", draft.body.id)).status).toBe(201)
      expect((await call("hung.tran", "POST", `/receipts/${draft.body.id}/void`, { reason: "Thu nhầm" })).status).toBe(200)
      expect(ids(await call("mai.le", "GET", "/receipts?name=le%20van%20khoi&status=voided"))).toContain(draft.body.id)
    })

    test("an approved correction of a name: the corrected name is searchable, accents or not", async () => {
      const { receipt } = await issued({ payer: { name: "Trần Thị Bích Ngọc", idNumber: "079190004567" } })
      const r = await call("lan.nguyen", "POST", `/receipts/${receipt.id}/corrections`, { field: "payerName", value: "Trần Thị Bích Ngà", note: "Sai chính tả tên" })
      expect(r.status).toBe(201)
      expect((await call("mai.le", "GET", "/receipts?name=tran%20bich%20nga")).body.items).toEqual([])
      expect((await call("hung.tran", "GET", "/corrections")).body.corrections.map((q: { id: string }) => q.id)).toContain(r.body.id)
      const approved = await call("hung.tran", "POST", `/corrections/${r.body.id}/approve`, { value: "Trần Thị Bích Ngà" })
      expect(approved.status).toBe(200)
      expect(approved.body.receipt.annotations).toHaveLength(1)
      const found = await call("mai.le", "GET", "/receipts?name=tran%20bich%20nga")
      expect(found.body.items.map((i: { id: string }) => i.id)).toContain(receipt.id)
      const bad = await call("lan.nguyen", "POST", `/receipts/${receipt.id}/corrections`, { field: "amount", value: "1" })
      expect(bad.status).toBe(422)
      expect(bad.body.message).toContain("lập biên lai thay thế")
    })

    test("search: accent-insensitive name, filters, and keyset pages that cover everything once", async () => {
      const name = "Hoàng Thị Thanh Hương"
      const made = []
      for (let i = 0; i < 5; i++) {
        made.push((await issued({ payer: { name, idNumber: "079190004567" }, amount: String(10_000_000 + i) })).receipt.id)
        h.advance(1000)
      }
      const q = "/receipts?name=" + encodeURIComponent("HOANG thi thanh huong")
      const seen: Array<string> = []
      let cursor: string | null = null
      let pages = 0
      do {
        const page: { status: number; body: any } = await call("mai.le", "GET", `${q}&limit=2${cursor === null ? "" : `&cursor=${cursor}`}`)
        expect(page.status).toBe(200)
        seen.push(...page.body.items.map((i: { id: string }) => i.id))
        cursor = page.body.nextCursor
        pages++
      } while (cursor !== null && pages < 10)
      expect(pages).toBe(3)
      expect([...seen].sort()).toEqual([...made].sort())
      expect(seen).toEqual([...made].reverse())
      const ranged = await call("mai.le", "GET", `${q}&minAmount=10000001&maxAmount=10000003&status=issued`)
      expect(ranged.body.items).toHaveLength(3)
      const byId = await call("mai.le", "GET", "/receipts?idNumber=079190004567&from=2025-06-23&to=2025-06-23&limit=100")
      expect(byId.body.items.length).toBeGreaterThanOrEqual(5)
      const none = await call("mai.le", "GET", "/receipts?idNumber=079190004567&from=2025-06-24")
      expect(none.body.items).toEqual([])
      const bad = await call("mai.le", "GET", "/receipts?status=lost&minAmount=1.5&from=23/06/2025&colour=red")
      expect(bad.status).toBe(400)
      expect(bad.body.error).toBe("invalid_search")
      expect(bad.body.problems).toHaveLength(4)
    })

    test("receipts written by other programs (straight into the store) are searchable at once; deleted drafts vanish", async () => {
      const d = await h.draft({ payer: { name: "Đinh Công Tráng", idNumber: "079085009876" } })
      const found = await call("mai.le", "GET", "/receipts?name=dinh%20cong%20trang")
      expect(found.body.items.map((i: { id: string }) => i.id)).toEqual([d.id])
      expect((await call("mai.le", "GET", "/receipts?idNumber=079085009876")).body.items).toHaveLength(1)
      expect((await call("lan.nguyen", "DELETE", `/drafts/${d.id}`)).status).toBe(204)
      expect((await call("mai.le", "GET", "/receipts?name=dinh%20cong%20trang")).body.items).toEqual([])
    })

    test("bad input gets the right 4xx in JSON and changes nothing", async () => {
      const malformed = await call("lan.nguyen", "POST", "/drafts", "{\"payer\": ")
      expect(malformed.status).toBe(400)
      expect(malformed.body.error).toBe("invalid_json")
      const notJson = await call("lan.nguyen", "POST", "/drafts", undefined, { "Content-Type": "text/plain" })
      expect(notJson.status).toBe(415)
      const wrongTypes = await call("lan.nguyen", "POST", "/drafts", draftBody({ amount: 125500000, colour: "red" }))
      expect(wrongTypes.status).toBe(422)
      expect(wrongTypes.body.issues.map((i: { path: string }) => i.path).sort()).toEqual(["amount", "colour"])
      const invalid = await call("lan.nguyen", "POST", "/drafts", draftBody({ series: { form: "01-BLTHADS", symbol: "2025" }, payer: { name: "" } }))
      expect(invalid.status).toBe(422)
      expect(invalid.body.error).toBe("invalid_receipt")
      expect(invalid.body.issues.length).toBeGreaterThanOrEqual(2)
      expect((await call("lan.nguyen", "GET", "/receipts/12345")).status).toBe(404)
      const auditorDraft = await call("mai.le", "POST", "/drafts", draftBody())
      expect(auditorDraft.status).toBe(403)
      const adminApprove = await call("admin.hcm", "POST", "/drafts/00000000-0000-4000-8000-000000000000/approve", { contentHash: "0".repeat(64) })
      expect(adminApprove.status).toBe(403)
      const tooBig = await call("lan.nguyen", "POST", "/drafts", draftBody({ reason: "x".repeat(70_000) }))
      expect(tooBig.status).toBe(413)
      const voidDraft = await call("lan.nguyen", "POST", "/drafts", draftBody())
      const v = await call("hung.tran", "POST", `/receipts/${voidDraft.body.id}/void`, { reason: "thử" })
      expect(v.status).toBe(409)
      expect(v.body.reason).toBe("not_issued")
    })

    test("the request log names the officer and never carries the bearer token or the identity number", async () => {
      h.log.length = 0
      await call("mai.le", "GET", "/receipts?idNumber=079190004567")
      const line = h.log.find((l) => l["msg"] === "request")
      expect(line).toMatchObject({ officer: "mai.le", agency: "HCM", route: "/api/officer/receipts", status: 200 })
      expect(h.logText()).not.toContain(tokens["mai.le"] ?? "?")
      expect(h.logText()).not.toContain("079190004567")
    })
  })
}
