/**
 * `bienlai notify-recipients` as an operator runs it (the real command on an
 * embedded database): a webhook recipient's secret is printed once at `add`
 * and never by `list`; a bad recipient is refused naming every problem;
 * an identity number is masked in the list; `remove` stops a recipient.
 */
import { describe, expect, test } from "bun:test"
import { spawnSync } from "node:child_process"
import { mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"

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
})
