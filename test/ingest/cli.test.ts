/**
 * The commands, called as bienlai.ts calls them (in this process, which is
 * much faster than a process each; kill.test.ts runs them as processes):
 * `bienlai ingest --as-drafts`, then `bienlai sign --until`, on an embedded
 * database; exit codes, the JSON summary, usage errors, a legacy file. The
 * maker of the rows and the approver are officers of API tokens: a typed
 * --maker or --approver, a forged token and an officer who may not approve
 * are refused (cli-identity.test.ts attacks the maker's token as a process).
 */
import { beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { run as audit } from "../../jobs/cli/audit.ts"
import { cliRuntime } from "../../jobs/program/cli-runtime.ts"
import { run as ingest } from "../../jobs/cli/ingest.ts"
import { endOfVietnamDay, run as sign } from "../../jobs/cli/sign.ts"
import { initPki } from "../../adapters/keys/manage.ts"
import { migrate } from "../../store/database/migrate.ts"
import { openPglite } from "../../store/database/pglite-db.ts"
import { csvOf, goodRow, outDir, seedOfficers, tokenOf } from "./harness.ts"

setDefaultTimeout(60_000)
const commands = { ingest, sign, audit } as const
const passphrase = "cli-test-passphrase-0123456789"

describe("bienlai ingest and bienlai sign", () => {
  let dir: string
  let env: Record<string, string>
  const tokens: Record<string, string> = {}
  /** Runs a command with `who`'s API token in BIENLAI_TOKEN (and, to issue a file, `maker`'s in BIENLAI_MAKER_TOKEN). */
  const runAs = async (who: string | { maker: string; approver: string }, name: keyof typeof commands, ...args: Array<string>) => {
    const plain = env
    const token = (officer: string) => tokens[officer] ?? officer
    env = typeof who === "string"
      ? { ...plain, BIENLAI_TOKEN: token(who) }
      : { ...plain, BIENLAI_MAKER_TOKEN: token(who.maker), BIENLAI_TOKEN: token(who.approver) }
    try {
      return await run(name, ...args)
    } finally {
      env = plain
    }
  }
  const run = async (name: keyof typeof commands, ...args: Array<string>) => {
    const saved = { env: { ...process.env }, log: console.log, error: console.error, write: process.stderr.write }
    let stdout = ""
    let stderr = ""
    Object.assign(process.env, env)
    console.log = (...xs: Array<unknown>) => void (stdout += xs.join(" ") + "\n")
    console.error = (...xs: Array<unknown>) => void (stderr += xs.join(" ") + "\n")
    process.stderr.write = ((t: string) => ((stderr += t), true)) as typeof process.stderr.write
    try {
      // As jobs/bin/bienlai.ts runs a command: with the process's one runtime, disposed after it.
      const runtime = cliRuntime(process.env)
      const code = await commands[name](args, runtime).finally(() => runtime.dispose())
      return { code, stdout, stderr }
    } finally {
      for (const k of Object.keys(process.env)) if (!(k in saved.env)) delete process.env[k]
      Object.assign(process.env, saved.env)
      console.log = saved.log
      console.error = saved.error
      process.stderr.write = saved.write
    }
  }

  beforeAll(async () => {
    dir = outDir("cli")
    const data = join(dir, "data")
    const db = await openPglite(data)
    await migrate(db)
    await seedOfficers(db)
    for (const who of ["hung.tran", "lan.nguyen", "tuan.le"]) tokens[who] = await tokenOf(db, who)
    await db.close()
    await initPki({ dir: join(dir, "keys"), agencies: ["HCM"], algorithm: "Ed25519", passphrase, now: new Date() })
    env = { BIENLAI_DATA: data, DATABASE_URL: "", BIENLAI_KEYS_DIR: join(dir, "keys"), BIENLAI_KEY_PASSPHRASE: passphrase }
  }, 60_000)

  test("drafts in, then signed in bulk; the maker's own draft stays a draft", async () => {
    const year = String(new Date(Date.now() + 7 * 3_600_000).getUTCFullYear()).slice(2)
    const rows = Array.from({ length: 12 }, (_, i) => goodRow(i, { symbol: `AA/${year}E`, maker: i === 3 ? "hung.tran" : "lan.nguyen" }))
    const file = join(dir, "drafts.csv")
    writeFileSync(file, csvOf(rows))
    // lan.nguyen's token makes her rows; the row naming hung.tran is rejected (exit 3), not made in his name.
    const drafts = await runAs("lan.nguyen", "ingest", file, "--agency", "HCM", "--as-drafts", "--threads", "0", "--json")
    expect(drafts.code).toBe(3)
    expect(JSON.parse(drafts.stdout)).toMatchObject({ read: 12, inserted: 11, rejected: 1, mode: "drafts", series: [] })
    // hung.tran ingests his own row with his own token.
    const his = await runAs("hung.tran", "ingest", file, "--agency", "HCM", "--as-drafts", "--threads", "0", "--rejects", join(dir, "his.rejects.ndjson"), "--json")
    expect(JSON.parse(his.stdout)).toMatchObject({ read: 12, inserted: 1, rejected: 11 })

    const today = new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10)
    const rejects = join(dir, "sign.rejects.ndjson")
    // Who approves is proven by a token: a typed name, a forged token, an officer, another agency's approver are refused, nothing signed.
    const typed = await runAs("lan.nguyen", "sign", "--agency", "HCM", "--approver", "hung.tran", "--until", today)
    expect(typed.code).toBe(2)
    expect(typed.stderr).toContain("--approver is not read any more: the officer is the one whose API token is in BIENLAI_TOKEN")
    const forgedToken = `blk_${"S".repeat(43)}`
    for (const [who, says] of [
      [forgedToken, "the officer token is unknown, revoked or expired"],
      ["lan.nguyen", "lan.nguyen has the role officer; sign needs the role approver"],
      ["tuan.le", "tuan.le works for agency HNI; they cannot act for agency HCM"]
    ] as const) {
      const refused = await runAs(who, "sign", "--agency", "HCM", "--until", today, "--threads", "1", "--rejects", rejects)
      expect(refused.code).toBe(1)
      expect(refused.stderr).toContain(says)
      expect(refused.stderr).toContain("nothing was signed")
      expect(refused.stderr + refused.stdout).not.toContain(forgedToken)
    }
    const signed = await runAs("hung.tran", "sign", "--agency", "HCM", "--until", today, "--threads", "1", "--rejects", rejects, "--json")
    expect(signed.code).toBe(3)
    const s = JSON.parse(signed.stdout)
    expect(s).toMatchObject({ read: 12, inserted: 11, rejected: 1, rejectsFile: rejects })
    expect(s.series).toEqual([{ agency: "HCM", form: "01-BLTHADS", symbol: `AA/${year}E`, count: 11, first: 1, last: 11 }])

    const audited = await run("audit", "numbering", "--agency", "HCM")
    expect(audited.code).toBe(0)
    expect(audited.stdout).toContain("no gaps")

    // Each run is on record with its summary.
    const db = await openPglite(env["BIENLAI_DATA"])
    try {
      const runs = await db.query<{ kind: string; mode: string; maker: string | null; approver: string | null; inserted: string }>(
        "SELECT kind, mode, maker, approver, summary->>'inserted' AS inserted FROM ingest_runs ORDER BY seq"
      )
      expect(runs).toEqual([
        { kind: "ingest", mode: "drafts", maker: "lan.nguyen", approver: null, inserted: "11" },
        { kind: "ingest", mode: "drafts", maker: "hung.tran", approver: null, inserted: "1" },
        { kind: "sign", mode: "issue", maker: null, approver: "hung.tran", inserted: "11" }
      ])
      // Every draft's maker is the officer whose token made it.
      const makers = await db.query<{ maker: string; n: number }>("SELECT maker, count(*)::integer AS n FROM receipts GROUP BY maker ORDER BY maker")
      expect(makers).toEqual([{ maker: "hung.tran", n: 1 }, { maker: "lan.nguyen", n: 11 }])
    } finally {
      await db.close()
    }
  })

  test("usage errors exit 2 and say what is wrong", async () => {
    expect((await run("ingest")).code).toBe(2)
    const both = await run("ingest", "x.csv", "--as-drafts", "--issue")
    expect([both.code, both.stderr.includes("choose --as-drafts or --issue")]).toEqual([2, true])
    const typed = await runAs("hung.tran", "ingest", "x.csv", "--issue", "--approver", "hung.tran")
    expect([typed.code, typed.stderr.includes("--approver is not read any more")]).toEqual([2, true])
    const typedMaker = await runAs("lan.nguyen", "ingest", "x.csv", "--maker", "lan.nguyen")
    expect([typedMaker.code, typedMaker.stderr.includes("--maker is not read any more: the maker of every row is the officer whose API token is in BIENLAI_TOKEN")]).toEqual([2, true])
    const officer = await runAs({ maker: "hung.tran", approver: "lan.nguyen" }, "ingest", join(dir, "drafts.csv"), "--agency", "HCM", "--issue")
    expect([officer.code, officer.stderr.includes("lan.nguyen has the role officer; ingest --issue needs the role approver")]).toEqual([1, true])
    expect((await run("ingest", "x.csv", "--threads", "many")).stderr).toContain("--threads must be")
    expect((await run("sign", "--until", "31/12/2025")).stderr).toContain("--agency is required")
    expect((await run("sign", "--agency", "HCM", "--until", "31/02/2025")).stderr).toContain("--until")
  })

  test("a file in a legacy encoding is refused by name before anything is stored", async () => {
    const file = join(dir, "tcvn3.csv")
    // "Nguyễn Văn Hòa,Nộp tiền thi hành án,1.000.000" in TCVN3.
    writeFileSync(file, Buffer.concat([Buffer.from("payer_name,reason,amount\nNguy"), Buffer.from([0xd4]), Buffer.from("n V"), Buffer.from([0xa8]),
      Buffer.from("n Ho"), Buffer.from([0xb5]), Buffer.from(",N"), Buffer.from([0xe9]), Buffer.from("p ti"), Buffer.from([0xd2]), Buffer.from("n thi h"),
      Buffer.from([0xb5]), Buffer.from("nh "), Buffer.from([0xb8]), Buffer.from("n,1.000.000\n")]))
    const r = await runAs("lan.nguyen", "ingest", file, "--agency", "HCM", "--as-drafts", "--form", "01-BLTHADS", "--symbol", "AA/26E", "--threads", "0")
    expect(r.code).toBe(1)
    expect(r.stderr).toContain("legacy Vietnamese encoding TCVN3")
  })

  test("the end of a day in Vietnam", () => {
    expect(endOfVietnamDay("2025-12-31")).toBe("2025-12-31T17:00:00.000Z")
  })
})
