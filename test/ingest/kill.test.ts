/**
 * Resumability with a real process: `bienlai ingest --issue` is killed with
 * SIGKILL in the middle of the run, then run again. Every valid row must be
 * stored exactly once, the numbering must have no gap, and the second run
 * must report the rows the first one stored as already present.
 *
 * On PostgreSQL (TEST_DATABASE_URL) the test watches the table and kills the
 * job once some batches are committed; on PGlite, whose data directory one
 * process holds at a time, it kills after the job's first progress line.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { spawn } from "node:child_process"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { initPki } from "../../adapters/keys/manage.ts"
import type { Db } from "../../store/database/db.ts"
import { migrate } from "../../store/database/migrate.ts"
import { auditNumbering, isClean } from "../../store/receipts/numbering-audit.ts"
import { openPglite } from "../../store/database/pglite-db.ts"
import { freshPostgres, type TestDatabase, testDatabaseUrl } from "../store/databases.ts"
import { csvOf, goodRow, outDir, seedOfficers, tokenOf } from "./harness.ts"

const bun = join(import.meta.dir, "../../node_modules/.bin/bun")
const cli = join(import.meta.dir, "../../jobs/bin/bienlai.ts")
const ROWS = 2000
const BAD = 3
const passphrase = "kill-test-passphrase-0123456789"

const writeInput = (dir: string): string => {
  const rows = Array.from({ length: ROWS }, (_, i) => goodRow(i))
  // A few rejected rows spread through the file.
  rows.splice(10, 0, goodRow(90_001, { amount: "mười đồng" }))
  rows.splice(1000, 0, goodRow(90_002, { payer_id_number: "000000000000" }))
  rows.splice(1800, 0, goodRow(90_003, { payer_name: "" }))
  const file = join(dir, "backlog.csv")
  writeFileSync(file, csvOf(rows))
  return file
}

interface Run {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  readonly stdout: string
  readonly stderr: string
}

const ingest = (file: string, env: Record<string, string>, killWhen?: (stderr: string) => boolean, poll?: () => Promise<boolean>): Promise<Run> =>
  new Promise((resolve, reject) => {
    const child = spawn(bun, [cli, "ingest", file, "--agency", "HCM", "--issue", "--batch", "150", "--threads", "2", "--json", ...(env["SCHEMA"] ? ["--schema", env["SCHEMA"]] : [])], {
      env: { ...process.env, ...env, BIENLAI_PROGRESS_EVERY_MS: "0" },
      stdio: ["ignore", "pipe", "pipe"]
    })
    let stdout = ""
    let stderr = ""
    let killed = false
    const kill = () => {
      if (!killed && child.pid !== undefined) {
        killed = true
        process.kill(child.pid, "SIGKILL")
      }
    }
    child.stdout.on("data", (d) => (stdout += String(d)))
    child.stderr.on("data", (d) => {
      stderr += String(d)
      if (killWhen?.(stderr)) kill()
    })
    let timer: ReturnType<typeof setInterval> | undefined
    if (poll !== undefined) {
      timer = setInterval(() => {
        poll().then((yes) => yes && kill(), () => {})
      }, 25)
    }
    child.on("error", reject)
    child.on("exit", (code, signal) => {
      if (timer !== undefined) clearInterval(timer)
      resolve({ code, signal, stdout, stderr })
    })
  })

const check = async (db: Db, second: Run) => {
  expect(second.code).toBe(3)
  const summary = JSON.parse(second.stdout)
  expect(summary.read).toBe(ROWS + BAD)
  expect(summary.rejected).toBe(BAD)
  // The killed run stored some rows; the second stored exactly the rest.
  expect(summary.duplicates).toBeGreaterThan(0)
  expect(summary.inserted).toBeGreaterThan(0)
  expect(summary.inserted + summary.duplicates).toBe(ROWS)
  const [counts] = await db.query<{ n: number; ids: number; numbers: number; max: number }>(
    "SELECT count(*)::integer AS n, count(DISTINCT id)::integer AS ids, count(DISTINCT number)::integer AS numbers, max(number) AS max FROM receipts WHERE agency = 'HCM'"
  )
  expect(counts).toEqual({ n: ROWS, ids: ROWS, numbers: ROWS, max: ROWS })
  const audits = await auditNumbering(db, { agency: "HCM" })
  expect(audits.length).toBe(1)
  expect(audits.every(isClean)).toBe(true)
}

describe("kill -9 in the middle of bienlai ingest --issue, then run again", () => {
  let dir: string
  let keysEnv: Record<string, string>
  beforeAll(async () => {
    dir = outDir("kill")
    const keys = join(dir, "keys")
    await initPki({ dir: keys, agencies: ["HCM"], algorithm: "Ed25519", passphrase, now: new Date() })
    keysEnv = { BIENLAI_KEYS_DIR: keys, BIENLAI_KEY_PASSPHRASE: passphrase }
  }, 60_000)

  test("on PGlite", async () => {
    const data = join(dir, "pglite")
    const setup = await openPglite(data)
    await migrate(setup)
    await seedOfficers(setup)
    // Two officers: the maker's token in BIENLAI_MAKER_TOKEN, the approver's in BIENLAI_TOKEN.
    const tokens = { BIENLAI_MAKER_TOKEN: await tokenOf(setup, "lan.nguyen"), BIENLAI_TOKEN: await tokenOf(setup, "hung.tran") }
    await setup.close()
    const file = writeInput(dir)
    const env = { ...keysEnv, BIENLAI_DATA: data, DATABASE_URL: "", ...tokens }
    const first = await ingest(file, env, (stderr) => /ingest .*[1-9][0-9,]* rows/.test(stderr))
    expect(first.signal).toBe("SIGKILL")
    const second = await ingest(file, env)
    const db = await openPglite(data)
    try {
      await check(db, second)
    } finally {
      await db.close()
    }
  }, 120_000)

  describe.skipIf(testDatabaseUrl === undefined)("on PostgreSQL", () => {
    let t: TestDatabase
    let tokens: Record<string, string> = {}
    beforeAll(async () => {
      t = await freshPostgres(testDatabaseUrl as string, "bienlai-kill-test")
      await seedOfficers(t.db)
      tokens = { BIENLAI_MAKER_TOKEN: await tokenOf(t.db, "lan.nguyen"), BIENLAI_TOKEN: await tokenOf(t.db, "hung.tran") }
    }, 60_000)
    afterAll(async () => {
      await t?.dispose()
    })

    test("killed once some batches are committed", async () => {
      const file = writeInput(join(dir))
      const env = { ...keysEnv, DATABASE_URL: testDatabaseUrl as string, SCHEMA: t.schema as string, ...tokens }
      const stored = async () => ((await t.db.query<{ n: number }>("SELECT count(*)::integer AS n FROM receipts"))[0]?.n ?? 0) >= 300
      const first = await ingest(file, env, undefined, stored)
      expect(first.signal).toBe("SIGKILL")
      const second = await ingest(file, env)
      await check(t.db, second)
    }, 120_000)
  })
})
