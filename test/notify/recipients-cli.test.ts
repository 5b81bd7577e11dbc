/**
 * `bienlai notify-recipients` as an operator runs it (the real command on an
 * embedded database): a webhook recipient's secret is printed once at `add`
 * and never by `list`; a bad recipient is refused naming every problem;
 * an identity number is masked in the list; `remove` stops a recipient;
 * `rotate` prints a webhook's new secret once and keeps the previous one
 * signing until `retire-old`, each audited.
 */
import { describe, expect, test } from "bun:test"
import { spawnSync } from "node:child_process"
import { mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { openDb } from "../../store/database/open-db.ts"

const root = join(import.meta.dir, "..", "..")
const bun = join(root, "node_modules", ".bin", "bun")

describe("bienlai notify-recipients", () => {
  const data = join(mkdtempSync(join(tmpdir(), "bienlai-recipients-")), "data")
  const cli = (...args: Array<string>) => {
    const r = spawnSync(bun, [join(root, "jobs/bin/bienlai.ts"), "notify-recipients", ...args], {
      cwd: root,
      encoding: "utf8",
      env: { ...process.env, DATABASE_URL: "", BIENLAI_DATA: data }
    })
    return { code: r.status, out: r.stdout, err: r.stderr }
  }

  test("add, list, remove; the secret is shown once; bad input is refused with every reason", async () => {
    const hook = cli("add", "--agency", "HCM", "--channel", "webhook", "--target", "https://ketoan.example.vn/bienlai", "--events", "receipt.issued,receipt.voided")
    expect(hook.code).toBe(0)
    const secret = /signing secret .*: (whsec_[A-Za-z0-9+/=]+)/.exec(hook.out)?.[1]
    expect(secret).toBeDefined()
    const citizen = cli("add", "--agency", "HCM", "--channel", "vneid", "--target", "079085001234", "--events", "receipt.issued")
    expect(citizen.code).toBe(0)
    expect(citizen.out).not.toContain("secret")

    const bad = cli("add", "--agency", "HCM", "--channel", "email", "--target", "not-an-address", "--events", "receipt.issued,receipt.lost")
    expect(bad.code).toBe(2)
    expect(bad.err).toContain('"not-an-address" is not an e-mail address')
    expect(bad.err).toContain('"receipt.lost" is not an event')

    const list = cli("list", "--agency", "HCM")
    expect(list.code).toBe(0)
    expect(list.out).toContain("https://ketoan.example.vn/bienlai")
    expect(list.out).not.toContain(secret as string)
    expect(list.out).not.toContain("079085001234")
    expect(list.out).toContain("*********234")
    const id = /^([0-9a-f-]{36})\s+active\s+webhook/m.exec(list.out)?.[1]
    expect(id).toBeDefined()

    expect(cli("remove", "--agency", "HCM", "--id", id as string).code).toBe(0)
    expect(cli("list", "--agency", "HCM").out).toMatch(new RegExp(`${id}\\s+removed`))
    expect(cli("remove", "--agency", "HCM", "--id", id as string).code).toBe(1)
  }, 120_000)

  const secretsOf = async (id: string) => {
    const db = await openDb({ dataDir: data })
    try {
      const [row] = await db.query<{ secrets: Array<string> | string }>("SELECT secrets FROM notify_recipients WHERE id = $1::uuid", [id])
      const audit = await db.query<{ action: string; actor: string }>("SELECT action, actor FROM edge_audit WHERE target = $1::text ORDER BY seq", [id])
      const secrets = row === undefined ? [] : Array.isArray(row.secrets) ? row.secrets : row.secrets.replace(/^\{|\}$/g, "").split(",")
      return { secrets, audit }
    } finally {
      await db.close()
    }
  }

  test("rotate: a new secret shown once, the previous one still signing until retire-old; only for an active webhook", async () => {
    const hook = cli("add", "--agency", "HCM", "--channel", "webhook", "--target", "https://ketoan.example.vn/rotate", "--events", "receipt.issued")
    const first = /signing secret .*: (whsec_[A-Za-z0-9+/=]+)/.exec(hook.out)![1]!
    const id = /added webhook recipient ([0-9a-f-]{36})/.exec(hook.out)![1]!

    const rotated = cli("rotate", "--agency", "HCM", "--id", id)
    expect(rotated.code).toBe(0)
    const second = /new signing secret .*: (whsec_[A-Za-z0-9+/=]+)/.exec(rotated.out)?.[1]
    expect(second).toBeDefined()
    expect(second).not.toBe(first)
    expect((await secretsOf(id)).secrets).toEqual([second!, first])
    expect(cli("list", "--agency", "HCM").out).not.toContain(second!)
    // A second rotation keeps only the one before it: never more than two sign.
    const third = /new signing secret .*: (whsec_[A-Za-z0-9+/=]+)/.exec(cli("rotate", "--agency", "HCM", "--id", id).out)![1]!
    expect((await secretsOf(id)).secrets).toEqual([third, second!])

    expect(cli("retire-old", "--agency", "HCM", "--id", id).code).toBe(0)
    expect((await secretsOf(id)).secrets).toEqual([third])
    const again = cli("retire-old", "--agency", "HCM", "--id", id)
    expect(again.code).toBe(1)
    expect(again.err).toContain("with an old secret to retire")
    const audit = (await secretsOf(id)).audit
    expect(audit.map((a) => a.action)).toEqual(["webhook_secret_rotated", "webhook_secret_rotated", "webhook_secret_retired"])
    for (const a of audit) expect(a.actor).toMatch(/^operator:/)

    // Not for an e-mail recipient, another agency, or a removed webhook.
    const mail = cli("add", "--agency", "HCM", "--channel", "email", "--target", "ketoan@example.vn", "--events", "receipt.issued")
    const mailId = /added email recipient ([0-9a-f-]{36})/.exec(mail.out)![1]!
    expect(cli("rotate", "--agency", "HCM", "--id", mailId).err).toContain(`no active webhook recipient ${mailId} in HCM`)
    expect(cli("rotate", "--agency", "HNI", "--id", id).code).toBe(1)
    expect(cli("remove", "--agency", "HCM", "--id", id).code).toBe(0)
    expect(cli("rotate", "--agency", "HCM", "--id", id).code).toBe(1)
    expect((await secretsOf(id)).secrets).toEqual([third])
  }, 120_000)
})
