/**
 * `npm start` runs the notification dispatcher in its own process, as it
 * runs the OCR worker: with a webhook recipient configured for HCM, the
 * receipts the first start seeds are delivered to a receiver written from
 * docs/NOTIFICATIONS.md, and each message's link opens that receipt's /v/
 * page on the started service. The real start file (jobs/bin/start.ts) on a
 * PostgreSQL schema of its own (the recipient is added before the start),
 * skipped without PostgreSQL.
 */
import { describe, expect, test } from "bun:test"
import { spawn } from "node:child_process"
import { mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Result } from "effect"
import { checkRecipient } from "../../domain/notifications/recipient.ts"
import { secretFromBytes } from "../../adapters/notify/webhook-signature.ts"
import { addRecipient } from "../../store/notifications/recipients.ts"
import { freshPostgres, testDatabaseUrl } from "../store/databases.ts"
import { makeReceiver } from "./webhook-receiver.ts"
import { freePort, initKeyStore } from "../support/start-program.ts"

const root = join(import.meta.dir, "..", "..")
const bun = join(root, "node_modules", ".bin", "bun")
const passphrase = "notify-start-passphrase-0123456789"

describe.skipIf(testDatabaseUrl === undefined)("npm start delivers notifications (PostgreSQL; skipped without one)", () => {
  test("the seeded receipts' webhooks arrive signed, once each, linking to their /v/ pages", async () => {
    const t = await freshPostgres(testDatabaseUrl as string)
    const dir = mkdtempSync(join(tmpdir(), "bienlai-notify-start-"))
    const keys = initKeyStore(dir, passphrase)
    expect(keys.status).toBe(0)
    const secret = secretFromBytes(new Uint8Array(32).fill(3))
    const receiver = makeReceiver(secret)
    const hook = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: (r) => receiver.handle(r) })
    await addRecipient(t.db, Result.getOrThrow(checkRecipient({ agency: "HCM", channel: "webhook", target: `http://127.0.0.1:${hook.port}/bienlai`, events: ["receipt.issued", "receipt.voided", "receipt.replaced"] })), {
      id: crypto.randomUUID(),
      by: "operator",
      now: new Date().toISOString(),
      secret
    })
    const port = await freePort()
    const url = `${testDatabaseUrl}${(testDatabaseUrl as string).includes("?") ? "&" : "?"}search_path=${t.schema}`
    const child = spawn(bun, [join(root, "jobs/bin/start.ts")], {
      cwd: root,
      env: {
        ...process.env,
        PORT: String(port),
        DATABASE_URL: url,
        BIENLAI_KEYS_DIR: join(dir, "keys"),
        BIENLAI_OCR_WORKER: "0",
        BIENLAI_KEY_PASSPHRASE: passphrase,
        NOTIFY_IDLE_MS: "200"
      },
      stdio: ["ignore", "pipe", "pipe"]
    })
    let out = ""
    child.stdout.on("data", (d) => (out += String(d)))
    child.stderr.on("data", (d) => (out += String(d)))
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)))
    try {
      const expected = async () => (await t.db.query<{ n: number }>("SELECT count(*)::int AS n FROM notifications"))[0]!.n
      const deadline = Date.now() + 90_000
      while (!out.includes("officer console") || (await expected()) === 0 || receiver.processed.length < (await expected())) {
        if (child.exitCode !== null) throw new Error(`npm start ended: ${out}`)
        if (Date.now() > deadline) throw new Error(`not delivered in time (${receiver.processed.length} of ${await expected()}): ${out}`)
        await Bun.sleep(200)
      }
      expect(out).toContain("notifications   in this process")
      expect(receiver.refused).toEqual([])
      expect(new Set(receiver.processed.map((p) => p.id)).size).toBe(receiver.processed.length)
      const states = await t.db.query<{ state: string }>("SELECT DISTINCT state FROM notifications")
      expect(states).toEqual([{ state: "delivered" }])
      // Each receipt message links to its /v/ page on this service, which verifies it.
      const receiptLinks = receiver.processed
        .map((p) => p.payload as { type: string; data: { document: { kind: string; link: string } } })
        .filter((p) => p.data.document.kind === "receipt")
      expect(receiptLinks.length).toBeGreaterThan(0)
      const link = receiptLinks[0]!.data.document.link
      expect(link.startsWith(`http://localhost:${port}/v/`)).toBe(true)
      const page = await fetch(link.replace("localhost", "127.0.0.1"))
      expect(page.status).toBe(200)
      // The signed token verifies (valid, or voided/replaced if the demo changed that receipt since).
      expect(/data-result="(\w+)"/.exec(await page.text())?.[1]).toMatch(/^(Valid|Voided|Replaced|StatusUnknown)$/)
    } finally {
      if (child.exitCode === null) child.kill("SIGINT")
      const code = await exited
      expect(code).toBe(0)
      hook.stop(true)
      await t.dispose()
    }
  }, 150_000)
})
