/**
 * Per-runtime smoke tests: start the real service (fresh key store and
 * embedded database in a temporary directory) on Bun and on Node (and on
 * Deno when it is installed), verify a demo token over HTTP, stop it with
 * SIGINT and expect a clean exit.
 */
import { describe, expect, test } from "bun:test"
import { spawn } from "node:child_process"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"

const root = join(import.meta.dir, "..", "..")
const bin = (name: string) => join(root, "node_modules", ".bin", name)
const hasDeno = Bun.which("deno") !== null

const runtimes: Array<{ name: string; command: Array<string> }> = [
  { name: "Bun", command: [bin("bun"), "jobs/bin/start.ts"] },
  { name: "Node", command: [bin("tsx"), "edge/node.ts"] },
  ...(hasDeno ? [{ name: "Deno", command: ["deno", "run", "-A", "edge/deno.ts"] }] : [])
]

const smoke = async (command: Array<string>) => {
  const dir = mkdtempSync(join(tmpdir(), "bienlai-smoke-"))
  const port = 20_000 + Math.floor(Math.random() * 40_000)
  const child = spawn(command[0]!, command.slice(1), {
    cwd: root,
    env: { ...process.env, PORT: String(port), BIENLAI_DATA: join(dir, "data"), BIENLAI_KEYS_DIR: join(dir, "keys"), DATABASE_URL: "" },
    stdio: ["ignore", "pipe", "pipe"]
  })
  let out = ""
  let err = ""
  child.stdout.on("data", (d) => (out += String(d)))
  child.stderr.on("data", (d) => (err += String(d)))
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)))
  try {
    const started = Date.now()
    while (!out.includes("Demo officer tokens") && Date.now() - started < 100_000 && child.exitCode === null) await Bun.sleep(100)
    expect(out).toContain("Demo officer tokens")
    const url = /(http:\/\/localhost:\d+\/v\/\S+)/.exec(out.split("\n").find((l) => l.includes("HCM, hợp lệ")) ?? "")?.[1] ?? ""
    expect(url).toContain(`localhost:${port}/v/`)
    const res = await fetch(url.replace("/v/", "/api/verify/"))
    const body = (await res.json()) as { result: string }
    expect(body.result).toBe("Valid")
    const page = await (await fetch(url)).text()
    expect(page).toContain("Hợp lệ")
    child.kill("SIGINT")
    expect(await exited).toBe(0)
    expect(err).toContain("stopping bienlai edge")
  } finally {
    if (child.exitCode === null) child.kill("SIGKILL")
    rmSync(dir, { recursive: true, force: true })
  }
}

describe("the service starts, verifies and stops on each runtime", () => {
  // The runtimes start side by side (own directories, own ports) to keep the suite short.
  test(`${runtimes.map((r) => r.name).join(", ")}: start, verify a demo token, SIGINT, exit 0`, async () => {
    const outcomes = await Promise.allSettled(runtimes.map((r) => smoke(r.command)))
    outcomes.forEach((o, i) => {
      if (o.status === "rejected") throw new Error(`${runtimes[i]?.name}: ${o.reason instanceof Error ? o.reason.message : String(o.reason)}`)
    })
  }, 180_000)
})
