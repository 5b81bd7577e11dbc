/**
 * The console as `npm start` serves it: the app of `buildApp` (the console
 * mounted by it at /console, behind the app-wide middleware: request log,
 * page headers, body limits, error pages), over the real store on a fresh
 * database (PGlite, or PostgreSQL in its own schema with TEST_DATABASE_URL):
 * agencies HCM and HNI, and officers with tokens — an officer, a second
 * officer, an approver, an auditor and an admin in HCM, an officer in HNI. The clock is the harness's
 * (2025-06-23, Vietnam).
 *
 * Scans are read by the OCR worker of jobs/ocr-worker/worker.ts over the uploads
 * queue, as in production: `ocr()` works the queue until it is empty (with
 * `read`, a scripted reading, instead of the engines), or `backgroundWorker`
 * runs it beside the server with a real engine, as `npm start` does.
 */
import { expect } from "bun:test"
import { insertOfficer, grantToken, type Role } from "../../edge/officers/tokens.ts"
import { makeActions } from "../../edge/officers/actions.ts"
import type { OcrPool } from "../../adapters/ocr/pool.ts"
import { type OcrWorkerDeps, runOnce, type ScanOutcome, startInProcessWorker } from "../../jobs/ocr-worker/worker.ts"
import { freshPglite, freshPostgres, testDatabaseUrl } from "../store/databases.ts"
import { type Harness, makeHarness } from "../edge/harness.ts"

export interface ConsoleFixture {
  readonly h: Harness
  /** The app of buildApp, exactly as npm start serves it. */
  readonly app: Harness["app"]
  readonly tokens: {
    readonly officer: string
    readonly approver: string
    readonly auditor: string
    readonly otherAgency: string
    /** Another officer of HCM, a colleague of `officer`. */
    readonly colleague: string
    readonly admin: string
  }
  readonly actions: ReturnType<typeof makeActions>
  /** Works the OCR queue until it is empty; the outcomes, in order. */
  readonly ocr: () => Promise<ReadonlyArray<ScanOutcome>>
  readonly close: () => Promise<void>
}

export interface FixtureOptions {
  /** A scripted reading instead of the OCR engines. */
  readonly read?: OcrWorkerDeps["read"]
  /** Run a worker with a real engine beside the server (the browser test). */
  readonly backgroundWorker?: boolean
}

// With a scripted reading the engines are never asked for anything.
const noEngines: OcrPool = {
  size: 1,
  recognize: () => Promise.reject(new Error("no engine in this test")),
  recognizeLine: () => Promise.reject(new Error("no engine in this test")),
  close: async () => {}
}
const realPool = async (size: number): Promise<OcrPool> => (await import("../../adapters/ocr/pool.ts")).createOcrPool({ size })

export const officers: ReadonlyArray<{ id: string; agency: string; name: string; role: Role; key: keyof ConsoleFixture["tokens"] }> = [
  { id: "lan.nguyen", agency: "HCM", name: "Nguyễn Thị Lan", role: "officer", key: "officer" },
  { id: "hung.tran", agency: "HCM", name: "Trần Quốc Hùng", role: "approver", key: "approver" },
  { id: "mai.le", agency: "HCM", name: "Lê Thị Mai", role: "auditor", key: "auditor" },
  { id: "thu.pham", agency: "HNI", name: "Phạm Thị Thu", role: "officer", key: "otherAgency" },
  { id: "vy.truong", agency: "HCM", name: "Trương Thảo Vy", role: "officer", key: "colleague" },
  { id: "admin.hcm", agency: "HCM", name: "Quản trị HCM", role: "admin", key: "admin" }
]

export const makeConsoleFixture = async (options: FixtureOptions = {}): Promise<ConsoleFixture> => {
  const db = testDatabaseUrl === undefined ? await freshPglite() : await freshPostgres(testDatabaseUrl, "bienlai-console-test")
  const h = await makeHarness(db, { rateLimit: null })
  await db.db.query("INSERT INTO agencies (code, name) VALUES ('HCM', 'Cục Thi hành án dân sự Thành phố Hồ Chí Minh'), ('HNI', 'Cục Thi hành án dân sự Thành phố Hà Nội')")
  const tokens: Record<string, string> = {}
  for (const o of officers) {
    await insertOfficer(db.db, o)
    tokens[o.key] = await grantToken(db.db, o.id, "test", (n) => crypto.getRandomValues(new Uint8Array(n)))
  }
  const base = { db: db.db, store: h.services.store, now: h.services.now, ...(options.read === undefined ? {} : { read: options.read }) }
  // With a scripted reading the background worker needs no engine either.
  const background = options.backgroundWorker === true
    ? startInProcessWorker({
      ...base,
      worker: "fixture-background",
      size: 1,
      createPool: options.read === undefined ? realPool : async () => noEngines,
      idleMs: 200,
      onError: (e) => h.services.logger.warn({ err: String(e) }, "OCR worker")
    })
    : undefined
  let pool: OcrPool | undefined
  const ocr = async () => {
    pool ??= options.read === undefined ? await realPool(1) : noEngines
    const all: Array<ScanOutcome> = []
    for (;;) {
      const outcomes = await runOnce({ ...base, pool, worker: "fixture" })
      if (outcomes.length === 0) return all
      all.push(...outcomes)
    }
  }
  return {
    h,
    app: h.app,
    tokens: tokens as unknown as ConsoleFixture["tokens"],
    actions: makeActions(h.services),
    ocr,
    close: async () => {
      await background?.stop()
      await pool?.close()
      await h.close()
    }
  }
}

/**
 * Signs in to the console over HTTP as its form does, once per token, and
 * gives that officer's session cookie. The sign-in must answer 303 to `next`
 * (a sign-in that fails gives no session, and the test would go on without one).
 */
export const consoleSessions = (fixture: () => ConsoleFixture, next: string) => {
  const cookies = new Map<string, string>()
  return async (token: string): Promise<string> => {
    const known = cookies.get(token)
    if (known !== undefined) return known
    const r = await fixture().app.request("/console/sign-in", { method: "POST", body: new URLSearchParams({ token, next }) })
    expect(r.status).toBe(303)
    expect(r.headers.get("location")).toBe(next)
    const cookie = (r.headers.get("set-cookie") ?? "").split(";")[0]!
    cookies.set(token, cookie)
    return cookie
  }
}
