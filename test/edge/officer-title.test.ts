/**
 * An officer's title (chức vụ), printed under their name on the receipts
 * they approve, is set through the admin API like every other officer
 * change: one admin asks, a second admin of the agency approves that exact
 * text. Driven through the shipped app on PGlite and PostgreSQL; each attack
 * on the four eyes is tried and refused.
 */
import { describe, expect, test } from "bun:test"
import { pdfText } from "../../adapters/pdfjs/pdf-text.ts"
import { targets } from "../store/databases.ts"
import { officerSuite } from "./officer-setup.ts"

const TITLE = "Phó Cục trưởng"

for (const target of targets) {
  describe(`officer titles on ${target.name}`, () => {
    const { harness, call } = officerSuite(
      target,
      [
        ["admin.a", "HCM", "admin"],
        ["admin.b", "HCM", "admin"],
        ["lan.nguyen", "HCM", "officer"],
        ["hung.tran", "HCM", "approver"],
        ["admin.hni", "HNI", "admin"]
      ],
      (id) => (id === "hung.tran" ? "Trần Quốc Hùng" : id)
    )
    const titleOf = async (id: string) => ((await call("admin.b", "GET", "/officers")).body.officers as Array<{ id: string; title: string | null }>).find((o) => o.id === id)?.title

    test("one admin asks, the same admin cannot approve, a second admin approves exactly that text; the PDF prints it", async () => {
      const asked = await call("admin.a", "POST", "/officers/hung.tran/title", { title: `  ${TITLE} ` })
      expect(asked.status).toBe(202)
      const r = asked.body.request
      expect(r).toMatchObject({ kind: "title", officer: "hung.tran", title: TITLE, role: "approver" })
      expect(await titleOf("hung.tran")).toBeNull()

      const shown = { officer: r.officer, name: r.name, role: r.role, title: r.title }
      // Alone: refused (four eyes).
      const self = await call("admin.a", "POST", `/officer-requests/${r.id}/approve`, shown)
      expect(self.status).toBe(403)
      expect(self.body.error).toBe("four_eyes")
      // Another text than the one asked, or none named: refused, nothing changes.
      const other = await call("admin.b", "POST", `/officer-requests/${r.id}/approve`, { ...shown, title: "Cục trưởng" })
      expect(other.status).toBe(409)
      expect(other.body.error).toBe("content_differs")
      const unnamed = await call("admin.b", "POST", `/officer-requests/${r.id}/approve`, { officer: r.officer, name: r.name, role: r.role })
      expect(unnamed.status).toBe(409)
      expect(await titleOf("hung.tran")).toBeNull()
      // Another agency's admin does not even see it.
      expect((await call("admin.hni", "POST", `/officer-requests/${r.id}/approve`, shown)).status).toBe(404)
      expect((await call("admin.hni", "POST", "/officers/hung.tran/title", { title: "Cục trưởng" })).status).toBe(404)
      // An officer who is not an admin cannot ask.
      expect((await call("hung.tran", "POST", "/officers/hung.tran/title", { title: "Cục trưởng" })).status).toBe(403)

      const approved = await call("admin.b", "POST", `/officer-requests/${r.id}/approve`, shown)
      expect(approved.status).toBe(200)
      expect(approved.body.enrolment).toBeNull()
      expect(await titleOf("hung.tran")).toBe(TITLE)
      const trail = (await call("admin.b", "GET", "/officer-audit?officer=hung.tran")).body.entries as Array<{ actor: string; action: string }>
      expect(trail.map((e) => `${e.actor}:${e.action}`).reverse()).toEqual(["admin.a:request_created", "admin.b:request_approved"])

      // The receipt hung.tran approves prints the title under the name.
      const h = harness()
      const { receipt } = await h.issue()
      const res = await h.app.request("/api/lookup/pdf", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ lookupCode: receipt.lookupCode, idNumber: "079085001234" }) })
      expect(res.status).toBe(200)
      const text = (await pdfText(new Uint8Array(await res.arrayBuffer()))).join(" ").replace(/\s+/g, " ")
      expect(text).toContain("Trần Quốc Hùng")
      // In capitals above the signature, as Decree 30 sets a signer's title (adapters/pdf/receipt-pdf.ts).
      expect(text).toContain("PHÓ CỤC TRƯỞNG")
      expect(text).not.toContain("NGƯỜI DUYỆT")
    })

    test("bad titles are refused with a clear message; the same title twice is nothing to change; null clears it, with four eyes too", async () => {
      for (const bad of [{ title: "" }, { title: "x".repeat(121) }, { title: 42 }, {}]) {
        const r = await call("admin.a", "POST", "/officers/lan.nguyen/title", bad)
        expect(r.status).toBe(422)
        expect(JSON.stringify(r.body)).toContain("title")
      }
      expect((await call("admin.a", "POST", "/officers/hung.tran/title", { title: TITLE })).body.error).toBe("nothing_to_change")
      const clear = await call("admin.b", "POST", "/officers/hung.tran/title", { title: null })
      expect(clear.status).toBe(202)
      expect(clear.body.request.title).toBeNull()
      const r = clear.body.request
      expect((await call("admin.b", "POST", `/officer-requests/${r.id}/approve`, { officer: r.officer, name: r.name, role: r.role, title: null })).status).toBe(403)
      expect((await call("admin.a", "POST", `/officer-requests/${r.id}/approve`, { officer: r.officer, name: r.name, role: r.role, title: null })).status).toBe(200)
      expect(await titleOf("hung.tran")).toBeNull()
    })
  })
}
