/**
 * Production defaults through bootFromEnv, as `npm start` boots: with
 * BIENLAI_ENV or NODE_ENV = production the service makes no PKI, seeds no
 * demo and prints no token; it refuses to start, in one line naming what is
 * missing and how to make it, without PUBLIC_URL, its agency keys, a
 * passphrase that opens them, or with the root's private key in its store;
 * cookies are Secure with HSTS by default. Then the whole production path:
 * the operator bootstraps two admins with `bienlai officers add` (a third is
 * refused), they enrol, and one asks for an officer that the other approves.
 */
import { afterAll, describe, expect, test } from "bun:test"
import { spawnSync } from "node:child_process"
import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { bootFromEnv } from "../../edge/boot.ts"
import { initPki } from "../../adapters/keys/manage.ts"

const repo = join(import.meta.dir, "..", "..")
const work = mkdtempSync(join(tmpdir(), "bienlai-production-"))
const passphrase = "a production passphrase, long enough"
const rootPassphrase = "another one, for the offline root"

const productionEnv = (over: Record<string, string | undefined> = {}): Record<string, string | undefined> => ({
  BIENLAI_ENV: "production",
  BIENLAI_KEY_PASSPHRASE: passphrase,
  BIENLAI_KEYS_DIR: join(work, "keys"),
  BIENLAI_DATA: join(work, "data"),
  DATABASE_URL: "",
  PUBLIC_URL: "https://bienlai.thads.example.vn",
  BIENLAI_OCR_WORKER: "0",
  PORT: "0",
  ...over
})

const refusal = async (env: Record<string, string | undefined>): Promise<string> => {
  const said: Array<string> = []
  const error = await bootFromEnv(env, { say: (l) => void said.push(l) }).then(
    async (b) => {
      await b.close()
      return undefined
    },
    (e: unknown) => e
  )
  expect(error).toBeInstanceOf(Error)
  const message = (error as Error).message
  expect(message).not.toContain("\n")
  return message
}

const cli = (args: ReadonlyArray<string>, env: Record<string, string | undefined>) =>
  spawnSync(process.execPath, [join(repo, "jobs/bin/bienlai.ts"), ...args], { encoding: "utf8", env: { ...process.env, ...env } as NodeJS.ProcessEnv })

afterAll(() => rmSync(work, { recursive: true, force: true }))

describe("production start", () => {
  test("without keys the start is refused in one line, and no PKI is made", async () => {
    for (const flag of [{ BIENLAI_ENV: "production" }, { BIENLAI_ENV: undefined, NODE_ENV: "production" }]) {
      const message = await refusal(productionEnv(flag))
      expect(message).toContain("no signing keys in")
      expect(message).toContain("bienlai keys init")
    }
    expect(existsSync(join(work, "keys"))).toBe(false)
    expect(existsSync(join(work, "root"))).toBe(false)
    expect(await refusal(productionEnv({ PUBLIC_URL: undefined }))).toStartWith("PUBLIC_URL is not set")
    expect(await refusal(productionEnv({ BIENLAI_KEY_PASSPHRASE: undefined }))).toStartWith("BIENLAI_KEY_PASSPHRASE is not set")
    expect(await refusal(productionEnv({ BIENLAI_SESSION_IDLE_MINUTES: "forever" }))).toContain("BIENLAI_SESSION_IDLE_MINUTES=forever is not a whole number")
  }, 60_000)

  test("with its keys it starts with no demo, no token printed, Secure cookies and HSTS; the root's key must stay out of its store", async () => {
    await initPki({ dir: join(work, "keys"), rootDir: join(work, "offline-root"), agencies: ["HCM"], algorithm: "Ed25519", passphrase, rootPassphrase, now: new Date() })
    expect(readdirSync(join(work, "keys"))).not.toContain("root.key.pem")
    expect(await refusal(productionEnv({ BIENLAI_KEY_PASSPHRASE: "not the passphrase of these keys" }))).toContain("does not open the signing key")

    // The operator bootstraps the first two admins, on the server; a third is refused.
    const add = (id: string, extra: Array<string> = []) =>
      cli(["officers", "add", "--agency", "HCM", "--id", id, "--name", `Quản trị ${id}`, ...extra], productionEnv())
    const first = add("admin.a", ["--agency-name", "Cục Thi hành án dân sự TP. Hồ Chí Minh"])
    expect(first.status).toBe(0)
    const second = add("admin.b")
    expect(second.status).toBe(0)
    const third = add("admin.c")
    expect(third.status).toBe(1)
    expect(third.stderr).toContain("has 2 admins")
    const codeOf = (out: string) => /^\s+([0-9A-Z]{5}(?:-[0-9A-Z]{5}){3})$/m.exec(out)?.[1]
    const codes = [codeOf(first.stdout), codeOf(second.stdout)]
    expect(codes.every((c) => c !== undefined)).toBe(true)

    const said: Array<string> = []
    const booted = await bootFromEnv(productionEnv({ BIENLAI_DEMO: "1" }), { say: (l) => void said.push(l) })
    try {
      expect(booted.demo).toBeUndefined()
      const printed = [...said, ...booted.banner].join("\n")
      expect(printed).not.toMatch(/blk_/)
      expect(printed).toContain("BIENLAI_DEMO is ignored in production")
      expect(booted.services.config.secureCookies).toBe(true)
      const app = booted.app
      expect((await app.request("/healthz")).headers.get("strict-transport-security")).toBe("max-age=31536000")

      // The two admins enrol; one asks for an officer, the other approves.
      const tokens: Array<string> = []
      for (const code of codes) {
        const r = await app.request("/api/officer/enrol", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ code }) })
        expect(r.status).toBe(201)
        tokens.push(((await r.json()) as { token: string }).token)
      }
      const as = (i: number, path: string, body?: unknown) =>
        app.request(`/api/officer${path}`, { method: body === undefined ? "GET" : "POST", headers: { Authorization: `Bearer ${tokens[i]}`, "Content-Type": "application/json" }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) })
      const asked = (await (await as(0, "/officers", { id: "lan.nguyen", name: "Nguyễn Thị Lan", role: "officer" })).json()) as { request: { id: string } }
      const approved = await as(1, `/officer-requests/${asked.request.id}/approve`, { officer: "lan.nguyen", name: "Nguyễn Thị Lan", role: "officer" })
      expect(approved.status).toBe(200)
      const trail = (await (await as(1, "/officer-audit?officer=admin.a")).json()) as { entries: Array<{ actor: string; action: string }> }
      expect(trail.entries.map((e) => e.action).reverse()).toEqual(["officer_created_outside_four_eyes", "enrolment_code_issued", "enrolment_redeemed"])
      expect(trail.entries[trail.entries.length - 1]!.actor).toStartWith("operator:")

      // The sign-in cookie is __Host- and Secure.
      const signIn = await app.request("/console/sign-in", { method: "POST", body: new URLSearchParams({ token: tokens[0]! }) })
      expect(signIn.headers.get("set-cookie")).toMatch(/^__Host-bl_session=bls_.*Secure/)
    } finally {
      await booted.close()
    }

    // The root's key copied into the service's store stops the next start.
    copyFileSync(join(work, "offline-root", "root.key.pem"), join(work, "keys", "root.key.pem"))
    expect(await refusal(productionEnv())).toContain("bienlai keys move-root")
    rmSync(join(work, "keys", "root.key.pem"))
  }, 120_000)
})
