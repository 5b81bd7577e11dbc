/**
 * The canonical bytes of payout plans and notices: the committed vectors
 * (test/vectors/payout.json) against the domain code, the fast line writer
 * against the generic RFC 8785 serialiser, and check.mjs re-deriving the
 * vectors without our code.
 */
import { describe, expect, test } from "bun:test"
import { createHash } from "node:crypto"
import { readFileSync } from "node:fs"
import { join } from "node:path"
import fc from "fast-check"
import { canonicalJson } from "../../domain/canonical.ts"
import { canonicalLine, lineAt, lineJson, linesSha256, linesText, NO_HISTORY, noticeBytes, noticeContent } from "../../domain/payout/index.ts"
import { claimsArb, shapeArb, termsFor } from "./arbitraries.ts"
import { approve, makeClaim, makeTerms, plan } from "./fixtures.ts"
import { payoutVectorInputs, replay } from "./vector-inputs.ts"

const sha256 = (text: string): string => createHash("sha256").update(Buffer.from(text, "utf8")).digest("hex")

interface Vector {
  readonly name: string
  readonly linesText: string
  readonly linesSha256: string
  readonly planned: { readonly canonical: string; readonly sha256: string }
  readonly approved: { readonly canonical: string; readonly sha256: string }
  readonly noticeDocument: { readonly canonical: string; readonly sha256: string }
}

const file = join(import.meta.dir, "..", "vectors", "payout.json")
const { vectors } = JSON.parse(readFileSync(file, "utf8")) as { vectors: ReadonlyArray<Vector> }

describe("payout test vectors (test/vectors/payout.json)", () => {
  test("cover pro rata by rank, a ratio round, catch-up and the coercion and secured-asset orders", () => {
    expect(vectors.map((v) => v.name)).toEqual(["pro-rata-ranks", "ratio-round", "catch-up", "coercion-secured"])
    expect(payoutVectorInputs.map((v) => v.name)).toEqual(vectors.map((v) => v.name))
  })

  test.each(payoutVectorInputs.map((input, i) => [input.name, input, vectors[i]!] as const))(
    "%s: inputs → lines → planned → approved → notice, byte for byte and hash for hash",
    (_name, input, vector) => {
      const r = replay(input)
      expect(r.linesText).toBe(vector.linesText)
      expect(linesSha256(r.approved)).toBe(vector.linesSha256)
      expect(sha256(r.linesText)).toBe(vector.linesSha256)
      expect(r.plannedText).toBe(vector.planned.canonical)
      expect(r.approved.approval.planSha256).toBe(vector.planned.sha256)
      expect(r.approvedText).toBe(vector.approved.canonical)
      expect(sha256(r.approvedText)).toBe(vector.approved.sha256)
      expect(r.noticeText).toBe(vector.noticeDocument.canonical)
      expect(sha256(r.noticeText)).toBe(vector.noticeDocument.sha256)
    }
  )

  const node = Bun.which("node")
  test.skipIf(node === null)("plain Node re-derives and re-hashes the payout vectors without our code (check.mjs)", () => {
    const run = Bun.spawnSync([node ?? "node", join(import.meta.dir, "..", "vectors", "check.mjs")])
    expect(run.stdout.toString()).toContain(`${vectors.length} of ${vectors.length} payout vectors ok`)
    expect(run.exitCode).toBe(0)
  })
})

describe("line serialisation", () => {
  test("property: the fast line writer gives exactly the RFC 8785 bytes of the line's canonical content", () => {
    fc.assert(
      fc.property(claimsArb(12).chain((cs) => shapeArb.map((shape) => ({ cs, shape }))), ({ cs, shape }) => {
        const p = plan(cs, NO_HISTORY, termsFor(cs.reduce((s, c) => s + c.owed, 0n), shape))
        for (let i = 0; i < p.lines.count; i++) expect(lineJson(p, i)).toBe(canonicalJson(canonicalLine(lineAt(p, i))))
      }),
      { numRuns: 150 }
    )
  })

  test("names typed in NFD give the same bytes as NFC", () => {
    const nfc = plan([makeClaim(1, { creditor: { identityNumber: "079085000001", name: "Nguyễn Văn Ân" } })], NO_HISTORY, makeTerms({ available: 10n }), "11111111-0000-4000-8000-000000000000")
    const nfd = plan([makeClaim(1, { creditor: { identityNumber: "079085000001", name: "Nguyễn Văn Ân".normalize("NFD") } })], NO_HISTORY, makeTerms({ available: 10n }), "11111111-0000-4000-8000-000000000000")
    expect(linesText(nfd)).toBe(linesText(nfc))
    expect(linesText(nfc)).toContain('"name":"Nguyễn Văn Ân"')
  })
})

describe("the payout notice", () => {
  const approved = approve(plan([makeClaim(1, { owed: 1_000n }), makeClaim(2, { owed: 3_000n, bankAccount: undefined })], NO_HISTORY, makeTerms({ available: 2_000n })))

  test("names the approved plan by its hash and carries the lookup code, the lines and what remains owed", () => {
    const content = noticeContent(approved, "C0000002", { lookupCode: "7KQ2M9XH4T8P" })!
    expect(content.plan).toEqual({ id: approved.id, sha256: approved.approval.planSha256, approver: approved.approval.approver, approvedAt: approved.approval.approvedAt })
    expect(content.lookupCode).toBe("7KQ2M9XH4T8P")
    expect(content.lines.map((l) => [l.amount, l.settlement])).toEqual([["1500", { kind: "deposit", reason: "no_account" }]])
    expect(content.remaining).toBe("1500")
    expect(new TextDecoder().decode(noticeBytes(approved, "C0000002", { lookupCode: "7KQ2M9XH4T8P" })!)).toBe(canonicalJson(content))
  })

  test("there is no notice for a claim that is not in the round", () => {
    expect(noticeContent(approved, "C9999999", { lookupCode: "7KQ2M9XH4T8P" })).toBeUndefined()
  })
})
