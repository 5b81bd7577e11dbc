/**
 * The dispatcher killed mid-delivery: `bienlai notify-worker` runs as a real
 * process against PostgreSQL; the webhook receiver (written from
 * docs/NOTIFICATIONS.md, test/notify/webhook-receiver.ts) answers slowly, and
 * the test kills the process with SIGKILL while requests are in flight, then
 * starts a second one. Every notification must be delivered, at least once
 * at the wire (the ones in flight are sent again once their lease expires)
 * and exactly once at the receiver, which honours the idempotency key.
 * The second process is stopped with SIGTERM and must exit cleanly.
 *
 * Several processes share one database, so this runs on PostgreSQL only
 * (PGlite's data directory is one process's at a time).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { type ChildProcess, spawn } from "node:child_process"
import { mkdirSync, rmSync } from "node:fs"
import { join } from "node:path"
import { Effect, Result } from "effect"
import { checkRecipient } from "../../domain/notifications/recipient.ts"
import { initPki } from "../../adapters/keys/manage.ts"
import { secretFromBytes } from "../../adapters/notify/webhook-signature.ts"
import { addRecipient } from "../../store/notifications/recipients.ts"
import { makeReceiptStore } from "../../store/receipts/receipt-repository.ts"
import { makeDraft, newId, requestFor } from "../store/fixtures.ts"
import { freshPostgres, type TestDatabase, testDatabaseUrl } from "../store/databases.ts"
import { makeTestSigner } from "../store/test-signer.ts"
import { makeReceiver } from "./webhook-receiver.ts"

const bun = join(import.meta.dir, "../../node_modules/.bin/bun")
const cli = join(import.meta.dir, "../../jobs/bin/bienlai.ts")
const passphrase = "notify-kill-test-passphrase-0123"
const RECEIPTS = 24
const PUBLIC_URL = "https://tracuu.thads.example.vn"
const SMTP_PASSWORD = "smtp-password-never-printed-7f3a"

const withSearchPath = (url: string, schema: string) => `${url}${url.includes("?") ? "&" : "?"}search_path=${schema}`

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe.skipIf(testDatabaseUrl === undefined)("kill -9 of bienlai notify-worker mid-delivery, then a restart (PostgreSQL; skipped without one)", () => {
  let t: TestDatabase
  let dir: string
  let env: Record<string, string>
  const secret = secretFromBytes(new Uint8Array(32).fill(42))
  const receiver = makeReceiver(secret)
  const wire: Array<string> = []
  let inFlight = 0
  let onRequest: () => void = () => {}
  let server: ReturnType<typeof Bun.serve>
  /** Everything both dispatchers printed. */
  let output = ""

  beforeAll(async () => {
    t = await freshPostgres(testDatabaseUrl as string)
    dir = join(import.meta.dir, `../../test-output/notify-kill-${process.pid}`)
    rmSync(dir, { recursive: true, force: true })
    mkdirSync(dir, { recursive: true })
    await initPki({ dir: join(dir, "keys"), agencies: ["HCM"], algorithm: "Ed25519", passphrase, now: new Date() })
    server = Bun.serve({
      port: 0,
      hostname: "127.0.0.1",
      fetch: async (request) => {
        wire.push(request.headers.get("webhook-id") ?? "")
        inFlight++
        onRequest()
        // Slow enough that the dispatcher is killed while requests wait for their answer.
        await sleep(150)
        inFlight--
        return receiver.handle(request)
      }
    })
    await addRecipient(t.db, Result.getOrThrow(checkRecipient({ agency: "HCM", channel: "webhook", target: `http://127.0.0.1:${server.port}/hook`, events: ["receipt.issued"] })), {
      id: newId(),
      by: "admin.hcm",
      now: "2025-06-01T00:00:00.000Z",
      secret
    })
    const keys = await makeTestSigner(["HCM"])
    const store = makeReceiptStore(t.db, keys.sign)
    for (let i = 0; i < RECEIPTS; i++) await Effect.runPromise(store.issue(requestFor(makeDraft())))
    env = {
      ...process.env as Record<string, string>,
      DATABASE_URL: withSearchPath(testDatabaseUrl as string, t.schema as string),
      BIENLAI_KEYS_DIR: join(dir, "keys"),
      BIENLAI_KEY_PASSPHRASE: passphrase,
      PUBLIC_URL,
      NOTIFY_LEASE_MS: "1500",
      NOTIFY_BATCH: "4",
      NOTIFY_IDLE_MS: "100",
      NOTIFY_BASE_DELAY_MS: "200",
      // E-mail configured (no e-mail recipient here): its password must never reach the output.
      NOTIFY_SMTP_HOST: "127.0.0.1",
      NOTIFY_SMTP_USER: "thongbao",
      NOTIFY_SMTP_PASSWORD: SMTP_PASSWORD,
      NOTIFY_SMTP_FROM: "THADS <thongbao@thads.example.vn>"
    }
  }, 120_000)
  afterAll(async () => {
    server?.stop(true)
    await t?.dispose()
  })

  const start = (): { child: ChildProcess; exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> } => {
    const child = spawn(bun, [cli, "notify-worker"], { env, stdio: ["ignore", "pipe", "pipe"] })
    let stderr = ""
    child.stdout?.on("data", (d) => (output += String(d)))
    child.stderr?.on("data", (d) => {
      stderr += String(d)
      output += String(d)
    })
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) =>
      child.on("exit", (code, signal) => resolve({ code, signal, stderr }))
    )
    return { child, exited }
  }

  const states = async () =>
    Object.fromEntries((await t.db.query<{ state: string; n: number }>("SELECT state, count(*)::int AS n FROM notifications GROUP BY state")).map((r) => [r.state, r.n]))

  test("every notification is delivered at least once at the wire and once at the receiver", async () => {
    const ids = (await t.db.query<{ id: string }>("SELECT id::text AS id FROM notifications ORDER BY id")).map((r) => r.id)
    expect(ids.length).toBe(RECEIPTS)

    // First dispatcher: killed with SIGKILL while its fifth request waits for an answer.
    const first = start()
    const killed = new Promise<void>((resolve) => {
      onRequest = () => {
        if (wire.length >= 5 && inFlight > 0 && first.child.pid !== undefined && first.child.exitCode === null) {
          process.kill(first.child.pid, "SIGKILL")
          onRequest = () => {}
          resolve()
        }
      }
    })
    await Promise.race([killed, first.exited.then((e) => { throw new Error(`the first dispatcher ended by itself: ${e.stderr}`) })])
    const gone = await first.exited
    expect(gone.signal).toBe("SIGKILL")
    // It died holding leases: rows sent (or being sent) but not recorded.
    const afterKill = await states()
    expect(afterKill["leased"] ?? 0).toBeGreaterThan(0)
    expect(afterKill["delivered"] ?? 0).toBeLessThan(RECEIPTS)

    // Second dispatcher: takes the rest, and the dead one's rows once their leases expire.
    const second = start()
    const deadline = Date.now() + 90_000
    while ((await states())["delivered"] !== RECEIPTS) {
      if (Date.now() > deadline) throw new Error(`not all delivered: ${JSON.stringify(await states())}`)
      if (second.child.exitCode !== null) throw new Error(`the second dispatcher stopped: ${(await second.exited).stderr}`)
      await sleep(100)
    }
    // A graceful stop: SIGTERM, the batch in hand finishes, exit code 0.
    process.kill(second.child.pid as number, "SIGTERM")
    const stopped = await second.exited
    expect(stopped.code).toBe(0)
    await sleep(200)

    // Exactly once at the receiver, every one of them.
    expect(receiver.refused).toEqual([])
    expect(receiver.processed.map((p) => p.id).sort()).toEqual(ids)
    // At least once at the wire: the requests in flight at the kill were sent again.
    expect(new Set(wire).size).toBe(RECEIPTS)
    expect(wire.length).toBeGreaterThan(RECEIPTS)
    expect(receiver.duplicates.length).toBe(wire.length - RECEIPTS)
    expect(receiver.duplicates.length).toBeGreaterThan(0)
    // The links are the receipts' /v/ pages, signed by the worker with the agency's key.
    for (const p of receiver.processed) {
      expect((p.payload as { data: { document: { link: string } } }).data.document.link.startsWith(`${PUBLIC_URL}/v/`)).toBe(true)
    }
    const [row] = await t.db.query<{ max: number }>("SELECT max(attempts)::int AS max FROM notifications")
    expect(row!.max).toBeGreaterThanOrEqual(2)
    // Secrets never in the output: not the SMTP password, not the webhook's secret.
    expect(output).toContain("password set")
    expect(output).not.toContain(SMTP_PASSWORD)
    expect(output).not.toContain(secret)
    expect(output).not.toContain(secret.slice("whsec_".length))
  }, 150_000)
})
