/**
 * Per-runtime smoke tests: start the real service (fresh key store and
 * embedded database in a temporary directory) on Bun, Node and Deno, verify
 * a demo token over HTTP (JSON, the citizen's page, a photo of its QR, the
 * printable PDF), stop it with SIGINT and expect a clean exit. The photo
 * goes through sharp's native addon and the PDF through pdf-lib, so a
 * runtime that cannot load either fails here, not in front of a citizen.
 */
import { describe, expect, test } from "bun:test"
import { spawn } from "node:child_process"
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { qrPng } from "../../adapters/qr/encode.ts"
import { freePort } from "../support/start-program.ts"

const root = join(import.meta.dir, "..", "..")
const bin = (name: string) => join(root, "node_modules", ".bin", name)

// `deno task start` and `npm run start:deno` must stay one command.
const denoTask = (JSON.parse(readFileSync(join(root, "deno.json"), "utf8")) as { tasks: { start: string } }).tasks.start
const npmScripts = (JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts

// The deno npm package's binary itself, not node_modules/.bin/deno: when npm
// skipped the package's install script, that is a Node wrapper which would
// take the SIGINT and leave Deno running.
const denoBinary = () => {
  const platform = `${process.platform}-${process.arch}${process.platform === "linux" ? "-glibc" : ""}`
  const found = [join(root, "node_modules", "deno", "deno"), join(root, "node_modules", "@deno", platform, "deno")].find(existsSync)
  if (found === undefined) throw new Error("no Deno binary in node_modules (the deno devDependency): run npm ci")
  return found
}

const runtimes: Array<{ name: string; command: () => Array<string> }> = [
  { name: "Bun", command: () => [bin("bun"), "jobs/bin/start.ts"] },
  // tsx's loader inside Node, not the tsx command: that one relays a SIGINT to its child and, if the
  // child does not acknowledge it within 30 ms (a loaded machine), kills it and exits with 130.
  { name: "Node", command: () => ["node", "--import", "tsx", "jobs/bin/start-node.ts"] },
  { name: "Deno", command: () => [denoBinary(), ...denoTask.split(" ").slice(1)] }
]

// Generous: three runtimes start side by side, each creating a PKI and seeding PGlite, on a machine shared with other work.
const startLimitMs = 150_000

const smoke = async (command: Array<string>): Promise<{ startMs: number }> => {
  const dir = mkdtempSync(join(tmpdir(), "bienlai-smoke-"))
  // A port the system says is free on every address, IPv6 included, which the service then holds on both.
  const port = await freePort()
  const child = spawn(command[0]!, command.slice(1), {
    cwd: root,
    env: { ...process.env, PORT: String(port), BIENLAI_DATA: join(dir, "data"), BIENLAI_KEYS_DIR: join(dir, "keys"), DATABASE_URL: "", NO_COLOR: "1" },
    stdio: ["ignore", "pipe", "pipe"]
  })
  let out = ""
  let err = ""
  child.stdout.on("data", (d) => (out += String(d)))
  child.stderr.on("data", (d) => (err += String(d)))
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)))
  try {
    const started = Date.now()
    while (!out.includes("Demo officer tokens") && Date.now() - started < startLimitMs && child.exitCode === null) await Bun.sleep(100)
    const startMs = Date.now() - started
    if (!out.includes("Demo officer tokens")) throw new Error(`no banner after ${startMs} ms (exit code ${child.exitCode}); stderr:\n${err.slice(-2000)}`)
    const line = out.split("\n").find((l) => l.includes("HCM, hợp lệ")) ?? ""
    const url = /(http:\/\/localhost:\d+\/v\/\S+)/.exec(line)?.[1] ?? ""
    const lookupCode = /mã tra cứu (\S+)/.exec(line)?.[1] ?? ""
    expect(url).toContain(`localhost:${port}/v/`)

    // The port is the service's on IPv6 too: another program cannot answer for it on localhost's ::1.
    let impostor: ReturnType<typeof Bun.serve> | undefined
    try {
      impostor = Bun.serve({ port, hostname: "::1", fetch: () => Response.json({ error: "not_found" }) })
    } catch {
      impostor = undefined
    }
    impostor?.stop(true)
    if (impostor !== undefined) throw new Error(`another server could listen on [::1]:${port} beside the service, and http://localhost:${port} would reach it`)

    const verifyResponse = await fetch(url.replace("/v/", "/api/verify/"))
    const verifyBody = await verifyResponse.text()
    // Status and body in the failure message, so a refusal says why.
    const verdict = `${verifyResponse.status} ${(JSON.parse(verifyBody) as { result?: string }).result}`
    if (verdict !== "200 Valid") throw new Error(`verify answered ${verdict}: ${verifyBody.slice(0, 500)}\nstderr:\n${err.slice(-1500)}`)
    expect(await (await fetch(url)).text()).toContain("Hợp lệ")
    const photo = new FormData()
    photo.append("photo", new File([new Uint8Array(await qrPng(url, { scale: 6 }))], "qr.png", { type: "image/png" }))
    const scanned = (await (await fetch(`http://localhost:${port}/api/scan`, { method: "POST", body: photo })).json()) as { result: string }
    expect(scanned.result).toBe("Valid")
    const pdf = await fetch(`http://localhost:${port}/api/lookup/pdf`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      // The demo payer's identity number: the printable receipt needs it with the code.
      body: JSON.stringify({ lookupCode, idNumber: "079085001234" })
    })
    expect(pdf.headers.get("content-type")).toContain("application/pdf")
    // Signed with the development PKI's ECDSA P-256 key on every runtime (docs/SIGNING.md, "Signed PDFs").
    expect(pdf.headers.get("bienlai-pdf-signature")).toBe("signed")
    expect(new TextDecoder().decode((await pdf.arrayBuffer()).slice(0, 5))).toBe("%PDF-")

    child.kill("SIGINT")
    expect(await exited).toBe(0)
    expect(err).toContain("SIGINT: stopping bienlai edge")
    return { startMs }
  } finally {
    if (child.exitCode === null) child.kill("SIGKILL")
    rmSync(dir, { recursive: true, force: true })
  }
}

describe("the service starts, verifies and stops on each runtime", () => {
  test("npm run start:deno and deno task start run the same command, with Deno from node_modules", () => {
    expect(denoTask).toStartWith("./node_modules/.bin/deno run ")
    expect(denoTask).toEndWith(" jobs/bin/start-deno.ts")
    expect(npmScripts["start:deno"]).toBe(denoTask.replace("./node_modules/.bin/deno", "deno"))
  })

  // The runtimes start side by side (own directories, own ports) to keep the suite short.
  test(`${runtimes.map((r) => r.name).join(", ")}: start, verify a demo token, SIGINT, exit 0`, async () => {
    const outcomes = await Promise.allSettled(runtimes.map(async (r) => smoke(r.command())))
    const failures = outcomes.flatMap((o, i) =>
      o.status === "rejected" ? [`${runtimes[i]?.name}: ${o.reason instanceof Error ? o.reason.message : String(o.reason)}`] : [])
    if (failures.length > 0) throw new Error(failures.join("\n\n"))
    console.log(`start-up (banner printed): ${outcomes.map((o, i) => `${runtimes[i]?.name} ${o.status === "fulfilled" ? (o.value.startMs / 1000).toFixed(1) : "?"} s`).join(", ")}`)
  }, startLimitMs + 90_000)
})
