/**
 * `npm start` on the states the README leads to (the real command,
 * jobs/bin/start.ts, in a temporary key store and embedded database):
 *
 * - `bienlai keys init` (which makes keys for HCM and HNI only) and then
 *   `npm start`: the demo is seeded for the agencies that have keys, says
 *   which are left out, and its receipts verify;
 * - a start that cannot work (the port is taken, the keys do not open with
 *   the passphrase given) ends with one clear line and exit code 1, never a
 *   stack trace;
 * - the printed `http://localhost:PORT` reaches bienlai and nothing else: the
 *   service holds the port on IPv6 as well as IPv4 (clients try ::1 first).
 */
import { describe, expect, test } from "bun:test"
import { spawn } from "node:child_process"
import { mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { freePort, initKeyStore } from "../support/start-program.ts"

const root = join(import.meta.dir, "..", "..")
const bun = join(root, "node_modules", ".bin", "bun")
const passphrase = "start-test-passphrase-0123456789"

const keysInit = (dir: string, extra: Record<string, string> = {}) => {
  expect(initKeyStore(dir, passphrase, extra).status).toBe(0)
}

/** Runs `npm start`'s program until `until` appears on stdout or it exits; then stops it. */
const start = async (dir: string, port: number, env: Record<string, string>, until: string) => {
  const child = spawn(bun, [join(root, "jobs/bin/start.ts")], {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(port),
      BIENLAI_DATA: join(dir, "data"),
      BIENLAI_KEYS_DIR: join(dir, "keys"),
      BIENLAI_OCR_WORKER: "0",
      DATABASE_URL: "",
      BIENLAI_KEY_PASSPHRASE: passphrase,
      ...env
    },
    stdio: ["ignore", "pipe", "pipe"]
  })
  let out = ""
  let err = ""
  child.stdout.on("data", (d) => (out += String(d)))
  child.stderr.on("data", (d) => (err += String(d)))
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)))
  const deadline = Date.now() + 90_000
  while (!out.includes(until) && child.exitCode === null && Date.now() < deadline) await Bun.sleep(100)
  return {
    out: () => out,
    err: () => err,
    exited,
    stop: async () => {
      if (child.exitCode === null) child.kill("SIGINT")
      return exited
    }
  }
}

describe("npm start", () => {
  test("after `bienlai keys init` (HCM and HNI): the demo is seeded for those two, says DNG is left out, and verifies", async () => {
    const dir = mkdtempSync(join(tmpdir(), "bienlai-start-"))
    keysInit(dir)
    const port = await freePort()
    const run = await start(dir, port, {}, "Demo officer tokens")
    try {
      expect(run.err()).toContain("Seeded demo data for HCM, HNI;")
      expect(run.err()).toContain("No demo data for DNG: the key store")
      expect(run.err()).toContain("bienlai keys add DNG")
      expect(run.out()).not.toContain("DNG, hợp lệ")
      const url = /(http:\/\/localhost:\d+\/v\/\S+)/.exec(run.out().split("\n").find((l) => l.includes("HNI, hợp lệ")) ?? "")?.[1] ?? ""
      const verified = await fetch(url.replace("/v/", "/api/verify/"))
      expect(verified.status).toBe(200)
      expect(((await verified.json()) as { result: string }).result).toBe("Valid")
    } finally {
      expect(await run.stop()).toBe(0)
    }
  }, 120_000)

  test("a taken port: one line saying so, exit code 1", async () => {
    const dir = mkdtempSync(join(tmpdir(), "bienlai-start-"))
    const port = await freePort()
    const blocker = Bun.serve({ port, hostname: "0.0.0.0", fetch: () => new Response("taken") })
    try {
      const run = await start(dir, port, { BIENLAI_DEMO: "0" }, "never printed")
      expect(await run.exited).toBe(1)
      const lines = run.err().trim().split("\n")
      expect(lines.at(-1)).toBe(`bienlai: cannot start: port ${port} is already in use; stop what uses it or set PORT to another port.`)
      expect(run.err()).not.toMatch(/^\s+at /m)
    } finally {
      blocker.stop(true)
    }
  }, 120_000)

  test("keys that do not open with the passphrase given: one line naming the passphrase, exit code 1", async () => {
    const dir = mkdtempSync(join(tmpdir(), "bienlai-start-"))
    keysInit(dir)
    const run = await start(dir, await freePort(), { BIENLAI_KEY_PASSPHRASE: "another-passphrase-0123456789" }, "never printed")
    expect(await run.exited).toBe(1)
    const lines = run.err().trim().split("\n")
    expect(lines.at(-1)).toStartWith("bienlai: cannot start: ")
    expect(lines.at(-1)).toContain("BIENLAI_KEY_PASSPHRASE")
    expect(run.err()).not.toMatch(/^\s+at /m)
  }, 120_000)

  test("the port is bienlai's on IPv6 and IPv4 alike: another program cannot take localhost's ::1 side of it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "bienlai-start-"))
    const port = await freePort()
    const run = await start(dir, port, { BIENLAI_DEMO: "0" }, "bienlai edge on")
    try {
      // Before: the service listened on 0.0.0.0 only, this bind succeeded, and http://localhost:PORT reached the impostor.
      let impostor: ReturnType<typeof Bun.serve> | undefined
      try {
        impostor = Bun.serve({ port, hostname: "::1", fetch: () => Response.json({ error: "not_found" }) })
      } catch {
        impostor = undefined
      }
      impostor?.stop(true)
      expect(impostor).toBeUndefined()
      expect(await (await fetch(`http://localhost:${port}/healthz`)).json()).toEqual({ ok: true })
      expect(await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()).toEqual({ ok: true })
    } finally {
      expect(await run.stop()).toBe(0)
    }
  }, 120_000)
})
