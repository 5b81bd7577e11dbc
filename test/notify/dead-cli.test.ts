/**
 * `bienlai notify-dead` as an operator runs it (the real command on an
 * embedded database): dead letters listed without their recipients, sent
 * again by channel, date or id (back to pending, attempts afresh, each
 * audited with the operator), never another agency's nor a row that is not
 * dead; bad input refused naming what is wrong.
 */
import { beforeAll, describe, expect, test } from "bun:test"
import { spawnSync } from "node:child_process"
import { mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { openDb } from "../../store/database/open-db.ts"

const root = join(import.meta.dir, "..", "..")
const bun = join(root, "node_modules", ".bin", "bun")

describe("bienlai notify-dead", () => {
  const data = join(mkdtempSync(join(tmpdir(), "bienlai-dead-")), "data")
  const cli = (...args: Array<string>) => {
    const r = spawnSync(bun, [join(root, "jobs/bin/bienlai.ts"), "notify-dead", ...args], {
      cwd: root,
      encoding: "utf8",
      env: { ...process.env, DATABASE_URL: "", BIENLAI_DATA: data }
    })
    return { code: r.status, out: r.stdout, err: r.stderr }
  }
  const ids = {
    emailOld: "00000000-0000-4000-8000-000000000001",
    emailNew: "00000000-0000-4000-8000-000000000002",
    hook: "00000000-0000-4000-8000-000000000003",
    delivered: "00000000-0000-4000-8000-000000000004",
    otherAgency: "00000000-0000-4000-8000-000000000005"
  }
  const state = async () => {
    const db = await openDb({ dataDir: data })
    try {
      const rows = await db.query<{ id: string; state: string; attempts: number }>("SELECT id::text AS id, state, attempts FROM notifications ORDER BY id")
      const audit = await db.query<{ actor: string; target: string; detail: unknown }>("SELECT actor, target, detail FROM edge_audit WHERE action = 'notification_resent' ORDER BY seq")
      return { rows: new Map(rows.map((r) => [r.id, { state: r.state, attempts: Number(r.attempts) }])), audit }
    } finally {
      await db.close()
    }
  }

  beforeAll(async () => {
    const db = await openDb({ dataDir: data })
    try {
      // Notifications as the dispatcher leaves them: four dead (e-mails of two days, a webhook, another agency's), one delivered.
      const event = (agency: string, id: string, receipt: string) =>
        db.query("INSERT INTO notify_events (agency, id, event, subject_kind, subject_id, reference, occurred_at) VALUES ($1, $2, 'receipt.issued', 'receipt', $3, 'BL/2026E 0000001', '2026-11-30T01:00:00Z')", [agency, id, receipt])
      await event("HCM", "10000000-0000-4000-8000-000000000001", "receipt-hcm-1")
      await event("HNI", "10000000-0000-4000-8000-000000000002", "receipt-hni-1")
      const n = (agency: string, id: string, channel: string, recipient: string, st: string, finished: string, error: string | null) =>
        db.query(
          `INSERT INTO notifications (agency, id, event_id, recipient_id, channel, recipient, state, attempts, next_attempt_at, last_error, created_at, finished_at)
           VALUES ($1, $2, $3, '20000000-0000-4000-8000-000000000001', $4, $5, $6, 6, '2026-11-30T01:00:00Z', $7, '2026-11-30T01:00:00Z', $8)`,
          [agency, id, agency === "HCM" ? "10000000-0000-4000-8000-000000000001" : "10000000-0000-4000-8000-000000000002", channel, recipient, st, error, finished]
        )
      await n("HCM", ids.emailOld, "email", "an.nguyen@example.vn", "dead", "2026-11-30T02:00:00Z", "SMTP 550 mailbox unavailable")
      await n("HCM", ids.emailNew, "email", "binh.tran@example.vn", "dead", "2026-12-02T02:00:00Z", "no email channel is configured")
      await n("HCM", ids.hook, "webhook", "20000000-0000-4000-8000-000000000001", "dead", "2026-12-02T03:00:00Z", "HTTP 410 from receiver")
      await n("HCM", ids.delivered, "email", "chi.le@example.vn", "delivered", "2026-12-02T03:00:00Z", null)
      await n("HNI", ids.otherAgency, "email", "dung.vo@example.vn", "dead", "2026-12-02T03:00:00Z", "SMTP 550")
    } finally {
      await db.close()
    }
  }, 120_000)

  test("list shows the agency's dead letters, newest first, without their recipients", () => {
    const list = cli("list", "--agency", "HCM")
    expect(list.code).toBe(0)
    const lines = list.out.trim().split("\n")
    expect(lines.map((l) => l.slice(0, 36))).toEqual([ids.hook, ids.emailNew, ids.emailOld])
    expect(list.out).toContain("HTTP 410 from receiver")
    expect(list.out).toContain("receipt receipt-hcm-1")
    expect(list.out).not.toContain("@example.vn")
    expect(list.out).not.toContain(ids.otherAgency)
    expect(cli("list", "--agency", "HCM", "--channel", "email", "--since", "2026-12-01").out.trim().split("\n").map((l) => l.slice(0, 36))).toEqual([ids.emailNew])
  }, 60_000)

  test("bad input is refused, naming what is wrong, and nothing moves", async () => {
    const cases: ReadonlyArray<readonly [ReadonlyArray<string>, string]> = [
      [["resend", "--agency", "hcm"], "--agency must be an agency code"],
      [["resend", "--agency", "HCM", "--since", "2026-02-30"], '--since "2026-02-30" is neither a date'],
      [["resend", "--agency", "HCM", "--since", "yesterday"], '--since "yesterday" is neither a date'],
      [["resend", "--agency", "HCM", "--channel", "sms"], '--channel "sms" is not a channel'],
      [["resend", "--agency", "HCM", "--id", "42"], '--id "42" is not a notification id'],
      [["list", "--agency", "HCM", "--id", ids.hook], "--id goes with resend"],
      [["purge", "--agency", "HCM"], 'unknown action "purge"']
    ]
    for (const [args, why] of cases) {
      const r = cli(...args)
      expect(r.code).toBe(2)
      expect(r.err).toContain(why)
    }
    // Another agency's dead letter, or one that is not dead, is not found.
    for (const id of [ids.otherAgency, ids.delivered]) {
      const r = cli("resend", "--agency", "HCM", "--id", id)
      expect(r.code).toBe(1)
      expect(r.err).toContain(`no dead-lettered notification ${id} in HCM`)
    }
    const s = await state()
    expect([...s.rows.values()].filter((r) => r.state === "dead")).toHaveLength(4)
    expect(s.audit).toHaveLength(0)
  }, 120_000)

  test("resend by id, then by channel and date: back to pending with attempts afresh, each audited", async () => {
    const one = cli("resend", "--agency", "HCM", "--id", ids.hook.toUpperCase())
    expect(one.code).toBe(0)
    expect(one.out).toContain("1 notification of HCM back in the sending queue")
    const some = cli("resend", "--agency", "HCM", "--channel", "email", "--since", "2026-12-01")
    expect(some.out).toContain("1 notification of HCM back in the sending queue")
    const s = await state()
    expect(s.rows.get(ids.hook)).toEqual({ state: "pending", attempts: 0 })
    expect(s.rows.get(ids.emailNew)).toEqual({ state: "pending", attempts: 0 })
    expect(s.rows.get(ids.emailOld)).toEqual({ state: "dead", attempts: 6 })
    expect(s.rows.get(ids.otherAgency)).toEqual({ state: "dead", attempts: 6 })
    expect(s.rows.get(ids.delivered)?.state).toBe("delivered")
    expect(s.audit).toHaveLength(2)
    for (const a of s.audit) {
      expect(a.actor).toMatch(/^operator:/)
      expect(a.target).toBe("receipt-hcm-1")
    }
    const detail = s.audit.map((a) => (typeof a.detail === "string" ? JSON.parse(a.detail) : a.detail) as Record<string, unknown>)
    expect(detail.map((d) => [d["notification"], d["attempts"], d["lastError"]])).toEqual([[ids.hook, 6, "HTTP 410 from receiver"], [ids.emailNew, 6, "no email channel is configured"]])
    // Sending again what is already pending does nothing.
    expect(cli("resend", "--agency", "HCM", "--since", "2026-12-01").out).toContain("0 notifications of HCM")
  }, 120_000)
})
