/**
 * Bulk ingestion tells people too: receipts issued straight from a file (by
 * COPY) and stored drafts issued in bulk (`bienlai sign`) put their events
 * and notifications in the outbox in the batch's own transaction, one
 * fan-out per statement (PGlite).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { Result } from "effect"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { checkRecipient, type RecipientInput } from "../../domain/notifications/recipient.ts"
import { runIngest } from "../../jobs/ingest/ingest.ts"
import { runBulkSign } from "../../jobs/ingest/sign-drafts.ts"
import { addRecipient } from "../../store/notifications/recipients.ts"
import { freshPglite, type TestDatabase } from "../store/databases.ts"
import { cccd, csvOf, fixedNow, goodRow, makeKey, outDir, seededBytes, seedOfficers } from "../ingest/harness.ts"

describe("bulk ingestion writes its notifications in its transactions", () => {
  let t: TestDatabase
  beforeAll(async () => {
    t = await freshPglite()
    await seedOfficers(t.db)
    const add = (input: RecipientInput, secret?: string) =>
      addRecipient(t.db, Result.getOrThrow(checkRecipient(input)), { id: crypto.randomUUID(), by: "admin.hcm", now: "2025-06-01T00:00:00.000Z", secret })
    await add({ agency: "HCM", channel: "webhook", target: "https://ketoan.example.vn/hook", events: ["receipt.issued"] }, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
    await add({ agency: "HCM", channel: "email", target: "payer3@example.vn", person: cccd(3), events: ["receipt.issued"] })
  }, 60_000)
  afterAll(async () => {
    await t?.dispose()
  })

  const counts = async (symbol: string) =>
    (await t.db.query<{ channel: string; n: number }>(
      `SELECT n.channel, count(*)::int AS n FROM notifications n JOIN notify_events e ON e.agency = n.agency AND e.id = n.event_id
         JOIN receipts r ON r.agency = e.agency AND r.id::text = e.subject_id WHERE r.symbol = $1::text GROUP BY n.channel ORDER BY n.channel`,
      [symbol]
    ))

  test("issued from a file, and drafts issued in bulk", async () => {
    const key = await makeKey()
    const dir = outDir("notify-events")
    const file = join(dir, "issue.csv")
    writeFileSync(file, csvOf(Array.from({ length: 12 }, (_, i) => goodRow(i + 1))))
    const issued = await runIngest({ db: t.db, file, defaults: { agency: "HCM" }, maker: "lan.nguyen", mode: "issue", approver: "hung.tran", signer: key.spec, threads: 0, batchSize: 5, now: fixedNow, randomBytes: seededBytes(3) })
    expect(Result.isSuccess(issued) && issued.success.inserted).toBe(12)
    expect(await counts("AA/26E")).toEqual([{ channel: "email", n: 1 }, { channel: "webhook", n: 12 }])

    const drafts = join(dir, "drafts.csv")
    writeFileSync(drafts, csvOf(Array.from({ length: 6 }, (_, i) => goodRow(i + 1, { symbol: "AB/26E", external_id: `DRAFT-${i}` }))))
    const stored = await runIngest({ db: t.db, file: drafts, defaults: { agency: "HCM" }, maker: "lan.nguyen", mode: "drafts", threads: 0, batchSize: 5, now: fixedNow, randomBytes: seededBytes(4) })
    expect(Result.isSuccess(stored)).toBe(true)
    expect(await counts("AB/26E")).toEqual([]) // drafts are not news
    const signed = await runBulkSign({ db: t.db, agency: "HCM", approver: "hung.tran", signer: key.spec, threads: 0, batchSize: 4, now: fixedNow, randomBytes: seededBytes(5) })
    expect(Result.isSuccess(signed) && signed.success.inserted).toBe(6)
    expect(await counts("AB/26E")).toEqual([{ channel: "email", n: 1 }, { channel: "webhook", n: 6 }])
  }, 120_000)
})
