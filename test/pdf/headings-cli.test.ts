/**
 * `bienlai officers title` and `bienlai officers heading`: what the receipt
 * PDF prints beside the approver's name and in its heading, set by the
 * operator on a real database (embedded PGlite in a temporary BIENLAI_DATA,
 * the CLI run as a separate process), read back by the store the PDF reads
 * from, and recorded in officer_audit; bad input is refused with one clear
 * line and changes nothing.
 */
import { afterAll, describe, expect, test } from "bun:test"
import { spawnSync } from "node:child_process"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { openDb } from "../../store/database/open-db.ts"
import { agencyLetterhead } from "../../store/agencies/letterhead.ts"
import { signatories } from "../../store/officers/signatories.ts"

const repo = join(import.meta.dir, "..", "..")
const data = mkdtempSync(join(tmpdir(), "bienlai-headings-"))
afterAll(() => rmSync(data, { recursive: true, force: true }))

const cli = (...args: ReadonlyArray<string>) =>
  spawnSync(process.execPath, [join(repo, "jobs/bin/bienlai.ts"), "officers", ...args], {
    encoding: "utf8",
    env: { ...process.env, BIENLAI_DATA: data, DATABASE_URL: "" } as NodeJS.ProcessEnv
  })

describe("bienlai officers title / heading", () => {
  test("set, listed, read by the store the PDF reads, audited; removed with an empty value", async () => {
    expect(cli("add", "--agency", "HCM", "--agency-name", "Cục Thi hành án dân sự Thành phố Hồ Chí Minh", "--id", "admin.a", "--name", "Trần Quốc Hùng").status).toBe(0)
    const titled = cli("title", "--agency", "HCM", "--id", "admin.a", "--title", "Phó Cục trưởng")
    expect(titled.status).toBe(0)
    expect(cli("heading", "--agency", "HCM", "--parent", "Bộ Tư pháp", "--place", "Thành phố Hồ Chí Minh").status).toBe(0)
    expect(cli("list", "--agency", "HCM").stdout).toContain("Trần Quốc Hùng, Phó Cục trưởng")

    // Refused, one line each, nothing changed.
    const unknown = cli("title", "--agency", "HCM", "--id", "nobody.x", "--title", "Cục trưởng")
    expect(unknown.status).toBe(1)
    expect(unknown.stderr.trim()).toBe("bienlai officers: no officer nobody.x in agency HCM")
    const noTitle = cli("title", "--agency", "HCM", "--id", "admin.a")
    expect(noTitle.status).toBe(2)
    expect(noTitle.stderr).toContain("--title must be the officer's title")
    const long = cli("heading", "--agency", "HCM", "--place", "x".repeat(101))
    expect(long.status).toBe(2)
    expect(long.stderr).toContain("--place is longer than 100 characters")
    expect(cli("heading", "--agency", "HNI", "--place", "Hà Nội").stderr).toContain("agency HNI does not exist")

    const db = await openDb({ dataDir: data })
    try {
      expect(await agencyLetterhead(db, "HCM")).toEqual({ code: "HCM", name: "Cục Thi hành án dân sự Thành phố Hồ Chí Minh", parentName: "Bộ Tư pháp", place: "Thành phố Hồ Chí Minh" })
      expect((await signatories(db, "HCM", ["admin.a"])).get("admin.a")).toEqual({ id: "admin.a", name: "Trần Quốc Hùng", title: "Phó Cục trưởng" })
      // Another agency's officer is not named, like one that does not exist.
      expect((await signatories(db, "HNI", ["admin.a"])).size).toBe(0)
      const audit = await db.query<{ action: string; actor: string }>("SELECT action, actor FROM officer_audit WHERE action IN ('officer_title_set', 'agency_heading_set') ORDER BY seq")
      expect(audit.map((a) => a.action)).toEqual(["officer_title_set", "agency_heading_set"])
      expect(audit.every((a) => a.actor.startsWith("operator:"))).toBe(true)
    } finally {
      await db.close()
    }

    expect(cli("title", "--agency", "HCM", "--id", "admin.a", "--title", "").status).toBe(0)
    expect(cli("heading", "--agency", "HCM").status).toBe(0)
    const again = await openDb({ dataDir: data })
    try {
      expect((await signatories(again, "HCM", ["admin.a"])).get("admin.a")?.title).toBeUndefined()
      expect(await agencyLetterhead(again, "HCM")).toEqual({ code: "HCM", name: "Cục Thi hành án dân sự Thành phố Hồ Chí Minh", parentName: undefined, place: undefined })
    } finally {
      await again.close()
    }
  }, 120_000)
})
