/**
 * `npm run bench:payout-notices [-- --n 43108]`: the public side of a payout
 * round of 43,108 creditors (the HCMC case) on PostgreSQL (BENCH_DATABASE_URL
 * or DATABASE_URL, else the local server), in a fresh schema:
 *
 *   setup (not timed)  creditors imported, the round planned and approved;
 *   sign               every notice's QR token signed (ECDSA P-256 through the
 *                      Signer port) and stored (`bienlai payout notices`,
 *                      store/payout/notice-batch.ts), the baseline beside it:
 *                      the same number of raw WebCrypto ECDSA signatures over
 *                      token-sized bytes, no database, no notice built;
 *   status list        the round's notice status list read and signed as the
 *                      server builds it, beside the baseline: the same states
 *                      read with a bare SELECT;
 *   verify             one notice verified offline (authenticate + judge)
 *                      over every token, as a phone would, one at a time.
 *
 * Why it matters: approval signs one header whatever the round's size, and
 * this says what signing every notice at approval would have cost instead.
 * The last line is JSON.
 */
import { Effect, Result } from "effect"
import { migrate } from "../store/database/migrate.ts"
import { Signer } from "../domain/ports/signer.ts"
import { openPostgres } from "../store/database/postgres-db.ts"
import { lookupCodeFromBytes } from "../domain/ids.ts"
import { noticeTokenClaims, signNoticeStatus, signNoticeToken } from "../domain/payout/notice-sign.ts"
import { indexNoticeStatus, isNoticeLineState, openNoticeStatus } from "../domain/payout/notice-status.ts"
import { decodeNoticeToken } from "../domain/payout/notice-token.ts"
import { authenticateNotice, judgeNoticeStatus } from "../domain/payout/notice-verify.ts"
import { approveRound } from "../store/payout/approve-round.ts"
import { importClaims } from "../store/payout/claims.ts"
import { signRoundNotices } from "../store/payout/notice-batch.ts"
import { roundLineStates } from "../store/payout/notice-tokens.ts"
import { planAndStoreRound } from "../store/payout/plan-round.ts"
import { makePki, run, signerFor } from "../test/signing/fixtures.ts"
import { ratioRound, syntheticCreditors } from "../test/payout/hcmc-case.ts"

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback
}
const n = Number(arg("n", "43108"))
const url = process.env["BENCH_DATABASE_URL"] || process.env["DATABASE_URL"] || "postgres://postgres@127.0.0.1:5432/test"
const CASE = "3699/QĐ-CTHADS"
const schema = `bench_notices_${n}_${Date.now().toString(36)}`

const admin = openPostgres({ url, max: 1 })
await admin.exec(`CREATE SCHEMA ${schema}`)
const db = openPostgres({ url, max: 4, schema })
const seconds = (from: number) => (performance.now() - from) / 1000
try {
  await migrate(db)
  const pki = await makePki("ECDSA-P256")
  const signer = signerFor("HCM", pki.hcm)
  // The Signer built once, as the command's key store is (providing the layer per call would rebuild it).
  const service = await run(Effect.gen(function*() {
    return yield* Signer
  }), signer)
  const seal = (agency: string, bytes: Uint8Array) =>
    Effect.provide(Effect.gen(function*() {
      return yield* (yield* Signer).sign(agency, bytes)
    }), signer)

  // Setup, not timed.
  await importClaims(db, syntheticCreditors(n, 30_081_000_000_000n, { noAccount: Math.round(n / 44.6) }), { agency: "HCM", caseDecision: CASE, by: "bench", now: "2025-06-20T01:00:00.000Z" })
  const stored = await planAndStoreRound(db, {
    terms: ratioRound(1, "24.81%", { kind: "waived" }, 10_000_000_000_000n), planner: "lap.ke.hoach", now: "2025-07-20T02:00:00.000Z", id: crypto.randomUUID(),
    newLookupCode: () => lookupCodeFromBytes(crypto.getRandomValues(new Uint8Array(8)))
  })
  await approveRound(db, seal, { agency: "HCM", roundId: stored.plan.id, approver: "duyet", planSha256: stored.planSha256, now: "2025-07-20T03:00:00.000Z" })

  // Every notice's token signed and stored.
  let t = performance.now()
  const signed = await signRoundNotices(db, {
    agency: "HCM", roundId: stored.plan.id, now: "2025-07-20T04:00:00.000Z",
    sign: async (content, bytes, firstLine) => {
      const token = await Effect.runPromise(Effect.provideService(Effect.flatMap(noticeTokenClaims(content, bytes, firstLine), signNoticeToken), Signer, service))
      return { token, keyId: Result.getOrThrow(decodeNoticeToken(token)).keyId }
    }
  })
  const signSeconds = seconds(t)
  // Baseline: as many raw ECDSA signatures over token-sized bytes.
  const key = pki.hcm.keys.privateKey
  const body = crypto.getRandomValues(new Uint8Array(92))
  t = performance.now()
  for (let i = 0; i < signed.notices.length; i++) {
    body[0] = i & 0xff
    await crypto.subtle.sign({ name: "ECDSA", hash: "SHA-256" }, key, body)
  }
  const rawSignSeconds = seconds(t)

  // The round's notice status list, as the server builds it; baseline: the bare SELECT.
  t = performance.now()
  const states = (await roundLineStates(db, "HCM", CASE, 1)).filter(isNoticeLineState)
  const list = await run(signNoticeStatus({ agency: "HCM", caseDecision: CASE, round: 1, issuedAt: "2025-07-20T05:00:00.000Z", freshForSeconds: 120, states }), signer)
  const listSeconds = seconds(t)
  t = performance.now()
  await db.query("SELECT state FROM payout_lines ORDER BY line_no")
  const rawSelectSeconds = seconds(t)

  // Offline verification of every token against the trust list and that status list.
  const opened = Result.getOrThrow(await openNoticeStatus(list, pki.trust))
  const lists = indexNoticeStatus([opened])
  t = performance.now()
  let valid = 0
  for (const notice of signed.notices) {
    const a = await authenticateNotice(notice.token, pki.trust)
    if (a._tag === "Authentic" && judgeNoticeStatus(a.notice, lists, { now: "2025-07-20T05:01:00.000Z" })._tag === "Valid") valid++
  }
  const verifySeconds = seconds(t)

  const summary = {
    notices: signed.notices.length,
    lines: states.length,
    seconds_sign_store: Number(signSeconds.toFixed(2)),
    seconds_raw_sign_baseline: Number(rawSignSeconds.toFixed(2)),
    ratio_sign: Number((signSeconds / rawSignSeconds).toFixed(2)),
    notices_per_second: Math.round(signed.notices.length / signSeconds),
    status_list_seconds: Number(listSeconds.toFixed(3)),
    status_list_raw_select_seconds: Number(rawSelectSeconds.toFixed(3)),
    status_list_bytes: list.length,
    verify_per_second: Math.round(signed.notices.length / verifySeconds),
    all_valid: valid === signed.notices.length,
    peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024)
  }
  console.log(`${n.toLocaleString("en")} creditors: ${summary.notices} notices signed and stored in ${summary.seconds_sign_store} s (raw ECDSA alone ${summary.seconds_raw_sign_baseline} s); status list ${summary.status_list_bytes} bytes in ${summary.status_list_seconds} s; ${summary.verify_per_second} offline verifications/s`)
  console.log(JSON.stringify(summary))
} finally {
  await db.close()
  await admin.exec(`DROP SCHEMA ${schema} CASCADE`)
  await admin.close()
}
