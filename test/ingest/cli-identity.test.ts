/**
 * Who makes and who approves a `bienlai ingest`, attacked through the shipped
 * command (`bun jobs/bin/bienlai.ts ingest …` as a process, stdin not a
 * terminal, so nothing is prompted): the maker of every row is the officer
 * of an API token, never a typed name, and issuing in one command needs a
 * second officer's token. One person with one token must never complete an
 * issuance alone (docs/SECURITY.md, "four eyes").
 */
import { beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test"
import { spawnSync } from "node:child_process"
import { existsSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { initPki } from "../../adapters/keys/manage.ts"
import type { Db } from "../../store/database/db.ts"
import { migrate } from "../../store/database/migrate.ts"
import { openPglite } from "../../store/database/pglite-db.ts"
import { insertOfficer } from "../../edge/officers/tokens.ts"
import { csvOf, goodRow, header, outDir, seedOfficers, tokenOf } from "./harness.ts"

setDefaultTimeout(120_000)
const root = join(import.meta.dir, "..", "..")
const passphrase = "ingest-identity-test-passphrase-01"
const forged = `blk_${"F".repeat(43)}`
const year = String(new Date(Date.now() + 7 * 3_600_000).getUTCFullYear()).slice(2)
const symbol = `AA/${year}E`

describe("bienlai ingest: the maker and the approver are proven by tokens", () => {
  let dir = ""
  const tokens: Record<string, string> = {}
  const token = (who: string) => tokens[who] ?? who

  /** `bienlai ingest …` as a process, with the given tokens (an officer's id stands for their token). */
  const ingest = (who: { maker?: string; approver?: string; token?: string }, ...args: Array<string>) => {
    const r = spawnSync(process.execPath, [join(root, "jobs/bin/bienlai.ts"), "ingest", ...args, "--threads", "0"], {
      cwd: dir,
      encoding: "utf8",
      env: {
        ...process.env, DATABASE_URL: "", BIENLAI_DATA: join(dir, "data"), BIENLAI_KEYS_DIR: join(dir, "keys"), BIENLAI_KEY_PASSPHRASE: passphrase,
        BIENLAI_PROGRESS_EVERY_MS: "0",
        BIENLAI_TOKEN: who.token === undefined ? (who.approver === undefined ? "" : token(who.approver)) : token(who.token),
        BIENLAI_MAKER_TOKEN: who.maker === undefined ? "" : token(who.maker)
      }
    })
    return { code: r.status, stdout: r.stdout, stderr: r.stderr, all: r.stdout + r.stderr }
  }
  const inDb = async <A>(f: (db: Db) => Promise<A>): Promise<A> => {
    const db = await openPglite(join(dir, "data"))
    try {
      return await f(db)
    } finally {
      await db.close()
    }
  }
  const stored = () => inDb((db) => db.query<{ maker: string; approver: string | null; status: string; n: number }>(
    "SELECT maker, approver, status, count(*)::integer AS n FROM receipts GROUP BY maker, approver, status ORDER BY maker, status"
  ))
  const file = (name: string, rows: ReadonlyArray<Record<string, string>>): string => {
    const path = join(dir, name)
    writeFileSync(path, csvOf(rows, header))
    return path
  }

  beforeAll(async () => {
    dir = outDir("cli-identity")
    await initPki({ dir: join(dir, "keys"), agencies: ["HCM"], algorithm: "Ed25519", passphrase, now: new Date() })
    const db = await openPglite(join(dir, "data"))
    await migrate(db)
    await seedOfficers(db)
    await insertOfficer(db, { id: "an.vo", agency: "HCM", name: "Võ Văn An", role: "admin" })
    for (const who of ["lan.nguyen", "hung.tran", "mai.pham", "tuan.le", "an.vo"]) tokens[who] = await tokenOf(db, who)
    // A second token of the same officer: two tokens are not two people.
    tokens["hung.tran#2"] = await tokenOf(db, "hung.tran")
    await db.close()
  }, 120_000)

  test("a typed --maker is refused, whatever the tokens", async () => {
    const rows = file("typed.csv", [goodRow(1, { symbol })])
    for (const args of [["--as-drafts"], ["--issue"]]) {
      const r = ingest({ maker: "lan.nguyen", approver: "hung.tran" }, rows, "--agency", "HCM", ...args, "--maker", "lan.nguyen")
      expect(r.code).toBe(2)
      expect(r.stderr).toContain("--maker is not read any more: the maker of every row is the officer whose API token is in BIENLAI_TOKEN (with --issue: in BIENLAI_MAKER_TOKEN")
    }
    expect(await stored()).toEqual([])
  })

  test("drafts: the token's officer makes every row; a row naming a colleague is rejected with its reason, the others go in", async () => {
    const rows = [
      goodRow(10, { symbol }), // names lan.nguyen: hers
      goodRow(11, { symbol, maker: "hung.tran" }), // row 3: a colleague's name
      goodRow(12, { symbol, maker: "" }), // no maker cell: hers
      goodRow(13, { symbol, maker: "Lan.Nguyen" }), // row 5: not her id, letter for letter
      goodRow(14, { symbol, maker: "mai.pham" }) // row 6
    ]
    const path = file("mixed-makers.csv", rows)
    const rejects = join(dir, "mixed-makers.rejects.ndjson")
    const r = ingest({ token: "lan.nguyen" }, path, "--agency", "HCM", "--as-drafts", "--rejects", rejects, "--json")
    expect(r.code).toBe(3)
    expect(JSON.parse(r.stdout)).toMatchObject({ read: 5, inserted: 2, rejected: 3 })
    const lines = readFileSync(rejects, "utf8").trim().split("\n").map((l) => JSON.parse(l) as { row: number; reasons: Array<string>; input: string })
    expect(lines.map((l) => [l.row, l.reasons])).toEqual([
      [3, ["maker: the row names hung.tran as its maker (người lập), but this run's maker is lan.nguyen, the officer of the API token; hung.tran ingests their own rows with their own token"]],
      [5, [expect.stringMatching(/^maker: the row names Lan.Nguyen as its maker/)]],
      [6, [expect.stringMatching(/^maker: the row names mai.pham as its maker/)]]
    ])
    expect(lines[0]?.input).toContain("hung.tran")
    // Nothing was written in a colleague's name.
    expect(await stored()).toEqual([{ maker: "lan.nguyen", approver: null, status: "submitted", n: 2 }])
    const [run] = await inDb((db) => db.query<{ maker: string | null }>("SELECT maker FROM ingest_runs ORDER BY seq DESC LIMIT 1"))
    expect(run?.maker).toBe("lan.nguyen")
  })

  test("--issue with one token only is refused before anything is written: it needs two officers", async () => {
    const path = file("one-token.csv", [goodRow(20, { symbol, maker: "" })])
    const before = await stored()
    const approverOnly = ingest({ approver: "hung.tran" }, path, "--agency", "HCM", "--issue")
    expect(approverOnly.code).toBe(1)
    expect(approverOnly.stderr).toContain("BIENLAI_MAKER_TOKEN is not set and there is no terminal to ask for the maker's token: ingest --issue needs two officers")
    expect(approverOnly.stderr).toContain("nothing was ingested")
    const makerOnly = ingest({ maker: "lan.nguyen" }, path, "--agency", "HCM", "--issue")
    expect(makerOnly.code).toBe(1)
    expect(makerOnly.stderr).toContain("BIENLAI_TOKEN is not set and there is no terminal to ask for the approver's token: ingest --issue needs two officers")
    expect(await stored()).toEqual(before)
  })

  test("--issue with the same officer behind both tokens is refused: the same token, or two tokens of one officer", async () => {
    // The attack of the old --maker: an approver alone, rows in a colleague's name, issued.
    const path = file("self.csv", [goodRow(30, { symbol, maker: "lan.nguyen" })])
    const before = await stored()
    for (const approver of ["hung.tran", "hung.tran#2"]) {
      const r = ingest({ maker: "hung.tran", approver }, path, "--agency", "HCM", "--issue")
      expect(r.code).toBe(1)
      expect(r.stderr).toContain("hung.tran is behind both tokens, the maker's and the approver's: ingest --issue needs two officers")
      expect(r.stderr).toContain("nothing was ingested")
    }
    expect(await stored()).toEqual(before)
  })

  test("a maker token that may not make the agency's receipts is refused: another agency, an auditor, an admin, forged", async () => {
    const path = file("wrong-makers.csv", [goodRow(40, { symbol, maker: "" })])
    const before = await stored()
    // Drafts and --issue read the maker's token through the same check; each attack is run in one of them (a process each is slow).
    for (const [maker, mode, says] of [
      ["tuan.le", "--issue", "tuan.le works for agency HNI; they cannot act for agency HCM"],
      ["mai.pham", "--as-drafts", "mai.pham has the role auditor; the maker of an ingest needs the role officer or approver"],
      ["an.vo", "--issue", "an.vo has the role admin; the maker of an ingest needs the role officer or approver"],
      [forged, "--as-drafts", "the maker's token is unknown, revoked or expired, or its officer is disabled"],
      [forged, "--issue", "the maker's token is unknown, revoked or expired, or its officer is disabled"],
      ["blk_short", "--as-drafts", "the maker's token is not a bienlai token"]
    ] as const) {
      const r = mode === "--issue"
        ? ingest({ maker, approver: "hung.tran" }, path, "--agency", "HCM", mode)
        : ingest({ token: maker }, path, "--agency", "HCM", mode)
      expect(r.code).toBe(1)
      expect(r.stderr).toContain(says)
      expect(r.stderr).toContain("nothing was ingested")
      expect(r.all).not.toContain(token(maker))
    }
    // Without --agency the rows are the maker's agency's, and the approver must be of it: HNI's maker, HCM's approver.
    const across = ingest({ maker: "tuan.le", approver: "hung.tran" }, path, "--issue")
    expect([across.code, across.stderr.includes("hung.tran works for agency HCM; they cannot act for agency HNI")]).toEqual([1, true])
    // A forged approver's token is refused and not echoed either.
    const forgedApprover = ingest({ maker: "lan.nguyen", approver: forged }, path, "--agency", "HCM", "--issue")
    expect([forgedApprover.code, forgedApprover.stderr.includes("the approver's token is unknown, revoked or expired")]).toEqual([1, true])
    expect(forgedApprover.all).not.toContain(forged)
    expect(await stored()).toEqual(before)
  })

  test("two officers issue: the maker's token makes, the approver's approves; a colleague's row is still rejected", async () => {
    const path = file("issue.csv", [goodRow(50, { symbol }), goodRow(51, { symbol, maker: "hung.tran" }), goodRow(52, { symbol, maker: "" })])
    const rejects = join(dir, "issue.rejects.ndjson")
    const r = ingest({ maker: "lan.nguyen", approver: "hung.tran" }, path, "--agency", "HCM", "--issue", "--rejects", rejects, "--json")
    expect(r.code).toBe(3)
    expect(JSON.parse(r.stdout)).toMatchObject({ read: 3, inserted: 2, rejected: 1, mode: "issue" })
    expect(existsSync(rejects) && readFileSync(rejects, "utf8")).toContain("maker: the row names hung.tran as its maker")
    expect((await stored()).filter((s) => s.status === "issued")).toEqual([{ maker: "lan.nguyen", approver: "hung.tran", status: "issued", n: 2 }])
    const [run] = await inDb((db) => db.query<{ maker: string | null; approver: string | null }>("SELECT maker, approver FROM ingest_runs ORDER BY seq DESC LIMIT 1"))
    expect(run).toEqual({ maker: "lan.nguyen", approver: "hung.tran" })
  })
})
