/**
 * Every notice of an approved round signed at once for printing
 * (store/payout/notice-batch.ts, `bienlai payout notices`): one token per
 * creditor, each verifying against the trust list and naming the notice's
 * exact bytes and lines; a token the portal stored first is kept; a second
 * run signs nothing; a planned round has no notices. Then the command as
 * shipped, on PostgreSQL: the CSV's QR URLs verify with `bienlai verify`.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test"
import { spawnSync } from "node:child_process"
import { mkdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { Effect, Layer, Result } from "effect"
import { KeyStoreSigner } from "../../adapters/keys/signer.ts"
import { Signer } from "../../domain/ports/signer.ts"
import type { SignFn } from "../../store/receipts/issuance.ts"
import { initPki } from "../../adapters/keys/manage.ts"
import { canonicalJson } from "../../domain/canonical.ts"
import { noticeBytes } from "../../domain/payout/notice.ts"
import { noticeTokenClaims, signNoticeToken } from "../../domain/payout/notice-sign.ts"
import { decodeNoticeToken } from "../../domain/payout/notice-token.ts"
import { authenticateNotice } from "../../domain/payout/notice-verify.ts"
import { approvePlan } from "../../domain/payout/approval.ts"
import { extractToken } from "../../domain/signing/url.ts"
import { signRoundNotices, type SignNotice } from "../../store/payout/notice-batch.ts"
import { keepNoticeToken } from "../../store/payout/notice-tokens.ts"
import { makeClaim, makeTerms } from "../payout/fixtures.ts"
import { makePki, run, signerFor } from "../signing/fixtures.ts"
import { freshPostgres, targets, testDatabaseUrl, type TestDatabase } from "../store/databases.ts"
import { APPROVER, approvedAt, approveStored, failure, importCase, planStored } from "./harness.ts"

setDefaultTimeout(180_000)
const CASE = "3699/QĐ-CTHADS"
const pki = await makePki("ECDSA-P256")
const signer = signerFor("HCM", pki.hcm)
let signatures = 0
const sign: SignNotice = async (content, bytes, firstLine) => {
  signatures++
  const token = await run(Effect.flatMap(noticeTokenClaims(content, bytes, firstLine), signNoticeToken), signer)
  return { token, keyId: Result.getOrThrow(decodeNoticeToken(token)).keyId }
}

// Two rounds; creditors who come after the first get catch-up lines in the second: notices of several lines.
const early = Array.from({ length: 20 }, (_, i) => makeClaim(i + 1, { owed: BigInt(5_000_000 + i * 700_001) }))
const late = Array.from({ length: 4 }, (_, i) => makeClaim(100 + i, { owed: BigInt(9_000_000 + i * 1_111), requestDate: "2025-07-20" }))

for (const target of targets) {
  describe(`a round's notices signed for printing on ${target.name}`, () => {
    let t: TestDatabase
    beforeAll(async () => {
      t = await target.make()
    })
    afterAll(async () => {
      await t.dispose()
    })

    test("one stored token per creditor, each verifying and naming its notice's bytes; the portal's first token kept; a second run signs nothing", async () => {
      const db = t.db
      await importCase(db, early, "HCM", CASE)
      const stored = await planStored(db, makeTerms({ caseDecision: CASE, available: 17_000_000n }))
      expect((await failure(() => signRoundNotices(db, { agency: "HCM", roundId: stored.plan.id, now: "2025-07-01T04:00:00.000Z", sign }))).reason).toBe("not_approved")
      await approveStored(db, sealWith(signer), stored)
      const approved = Result.getOrThrow(approvePlan(stored.plan, { approver: APPROVER, planSha256: stored.planSha256, now: approvedAt(stored.plan.terms) }))

      // The portal asked for one notice first and stored its token.
      const [first] = await db.query<{ claim_id: string; lookup_code: string }>("SELECT claim_id, lookup_code FROM payout_lines WHERE round_id = $1::uuid AND line_no = 3", [stored.plan.id])
      const firstBytes = noticeBytes(approved, first!.claim_id, { lookupCode: first!.lookup_code })!
      const firstContent = JSON.parse(new TextDecoder().decode(firstBytes))
      const portalToken = (await sign(firstContent, firstBytes, 3)).token
      await keepNoticeToken(db, { agency: "HCM", lookupCode: first!.lookup_code, roundId: stored.plan.id, claimId: first!.claim_id, noticeSha256: "0".repeat(64), token: portalToken, keyId: pki.hcm.keyId, signedAt: "2025-07-01T03:30:00.000Z" })

      signatures = 0
      const result = await signRoundNotices(db, { agency: "HCM", roundId: stored.plan.id, now: "2025-07-01T04:00:00.000Z", sign })
      const own = await db.query<{ claim_id: string; lookup_code: string }>("SELECT claim_id, lookup_code FROM payout_lines WHERE round_id = $1::uuid AND lookup_code IS NOT NULL", [stored.plan.id])
      expect(result.notices.length).toBe(own.length)
      expect(result.signed).toBe(own.length - 1)
      expect(signatures).toBe(own.length - 1)
      expect(result.notices.find((n) => n.lookupCode === first!.lookup_code)!.token).toBe(portalToken)
      const rows = await db.query<{ lookup_code: string; token: string }>("SELECT lookup_code, token FROM payout_notice_tokens WHERE round_id = $1::uuid", [stored.plan.id])
      expect(new Map(rows.map((r) => [r.lookup_code, r.token]))).toEqual(new Map(result.notices.map((n) => [n.lookupCode, n.token])))

      for (const n of result.notices) {
        const authentic = await authenticateNotice(n.token, pki.trust)
        expect(authentic._tag).toBe("Authentic")
        if (authentic._tag !== "Authentic") continue
        // The token names exactly the notice the domain makes of the approved plan, and its lines.
        const bytes = noticeBytes(approved, n.claimId, { lookupCode: n.lookupCode })!
        const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>)).slice(0, 16)
        expect(authentic.notice.noticeHash).toBe(Buffer.from(digest).toString("hex"))
        const content = JSON.parse(new TextDecoder().decode(bytes))
        expect(canonicalJson(content)).toBe(new TextDecoder().decode(bytes))
        expect(authentic.notice.amount.toString()).toBe(n.amount)
        expect(authentic.notice.lineCount).toBe(content.lines.length)
        const lineNos = await db.query<{ line_no: number }>("SELECT line_no FROM payout_lines WHERE round_id = $1::uuid AND claim_id = $2::text ORDER BY line_no", [stored.plan.id, n.claimId])
        expect(authentic.notice.firstLine).toBe(Number(lineNos[0]!.line_no))
      }

      // A stored token never changes, whoever asks: the table is append-only in the database too.
      const code = result.notices[0]!.lookupCode
      expect((await failure(() => db.query("UPDATE payout_notice_tokens SET token = $1::text WHERE lookup_code = $2::text", [portalToken, code]))).message).toBeTruthy()
      expect((await failure(() => db.query("DELETE FROM payout_notice_tokens WHERE lookup_code = $1::text", [code]))).message).toBeTruthy()
      const [kept] = await db.query<{ token: string }>("SELECT token FROM payout_notice_tokens WHERE lookup_code = $1::text", [code])
      expect(kept!.token).toBe(result.notices[0]!.token)

      signatures = 0
      const again = await signRoundNotices(db, { agency: "HCM", roundId: stored.plan.id, now: "2025-07-02T04:00:00.000Z", sign })
      expect(again.signed).toBe(0)
      expect(signatures).toBe(0)
      expect(again.notices).toEqual(result.notices)

      // Creditors who came after round 1: round 2 pays them their catch-up for round 1 too, notices of two lines, catch-up first.
      await importCase(db, late, "HCM", CASE)
      const second = await planStored(db, makeTerms({ caseDecision: CASE, round: 2, legalDate: "2025-08-01", available: 9_000_000n }))
      await approveStored(db, sealWith(signer), second)
      const round2 = await signRoundNotices(db, { agency: "HCM", roundId: second.plan.id, now: "2025-08-01T04:00:00.000Z", sign })
      const several = []
      for (const n of round2.notices) {
        const authentic = await authenticateNotice(n.token, pki.trust)
        if (authentic._tag === "Authentic" && authentic.notice.lineCount > 1) several.push(authentic.notice)
      }
      expect(several.length).toBe(late.length)
      for (const n of several) {
        const kinds = await db.query<{ kind: string; line_no: number }>(
          "SELECT kind, line_no FROM payout_lines WHERE round_id = $1::uuid AND line_no BETWEEN $2::integer AND $3::integer ORDER BY line_no",
          [second.plan.id, n.firstLine, n.firstLine + n.lineCount - 1])
        expect(kinds.map((k) => k.kind)).toEqual(["catch_up", "round"])
      }
    })
  })
}

/** The agency's seal over the approved header, signed through the Signer of `layer`. */
const sealWith = (layer: Layer.Layer<Signer>): SignFn => (agency, bytes) =>
  Effect.provide(Effect.gen(function*() {
    return yield* (yield* Signer).sign(agency, bytes)
  }), layer)

describe("bienlai payout notices, spawned as shipped", () => {
  test.skipIf(testDatabaseUrl === undefined)("writes the CSV of a round's notices; each QR URL verifies with bienlai verify (PostgreSQL only: the command takes --schema)", async () => {
    const root = join(import.meta.dir, "..", "..")
    const dir = join(root, "test-output", "payout-notices", `${process.pid}-${Date.now().toString(36)}`)
    mkdirSync(dir, { recursive: true })
    const passphrase = "payout-notices-test-passphrase-01"
    await initPki({ dir: join(dir, "keys"), agencies: ["HCM"], algorithm: "ECDSA-P256", passphrase, now: new Date("2025-01-01T00:00:00.000Z") })
    const t = await freshPostgres(testDatabaseUrl!)
    try {
      await importCase(t.db, early, "HCM", CASE)
      const stored = await planStored(t.db, makeTerms({ caseDecision: CASE, available: 9_000_000n }))
      await approveStored(t.db, sealWith(Layer.orDie(KeyStoreSigner.layer({ dir: join(dir, "keys"), passphrase }))), stored)
      const env = { ...process.env, DATABASE_URL: testDatabaseUrl!, BIENLAI_KEYS_DIR: join(dir, "keys"), BIENLAI_KEY_PASSPHRASE: passphrase, PUBLIC_URL: "https://bienlai.thads.moj.gov.vn" }
      const cli = (...args: Array<string>) => spawnSync(process.execPath, [join(root, "jobs/bin/bienlai.ts"), ...args], { encoding: "utf8", env, cwd: dir })
      const out = join(dir, "notices.csv")
      const missing = cli("payout", "notices", "--agency", "HCM", "--case", CASE, "--round", "1", "--schema", t.schema!)
      expect(missing.status).toBe(2)
      expect(missing.stderr).toContain("--out")
      const made = cli("payout", "notices", "--agency", "HCM", "--case", CASE, "--round", "1", "--out", out, "--schema", t.schema!, "--json")
      expect(made.stderr).toContain("payout notices: signing and storing")
      expect(made.status).toBe(0)
      expect(JSON.parse(made.stdout)).toMatchObject({ notices: early.length, signed: early.length })
      const lines = readFileSync(out, "utf8").trim().split("\n")
      expect(lines[0]).toBe("lookup_code,claim_id,creditor_name,amount,fee,net,qr_url")
      expect(lines.length).toBe(early.length + 1)
      const url = lines[1]!.split(",").at(-1)!
      expect(url.startsWith("HTTPS://BIENLAI.THADS.MOJ.GOV.VN/V/")).toBe(true)
      expect(extractToken(url)._tag).toBe("Token")
      // The shipped verifier reads it: authentic (status unknown offline, with no status list): exit 3.
      const verified = cli("verify", url, "--offline")
      expect(verified.stdout).toContain("AUTHENTIC PAYOUT NOTICE")
      expect(verified.status).toBe(3)
      // Again: nothing new to sign, the same file.
      const before = readFileSync(out, "utf8")
      const again = cli("payout", "notices", "--agency", "HCM", "--case", CASE, "--round", "1", "--out", out, "--schema", t.schema!, "--json")
      expect(JSON.parse(again.stdout)).toMatchObject({ signed: 0 })
      expect(readFileSync(out, "utf8")).toBe(before)
    } finally {
      await t.dispose()
    }
  })
})
