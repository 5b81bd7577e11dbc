/**
 * Key rollover and revocation without a restart (edge/program/key-reload.ts),
 * on the real server as `npm start` runs it (and its Node and Deno starts),
 * under load: clients keep issuing receipts and verifying them while the
 * operator adds a new HCM key, publishes the trust list and sends SIGHUP,
 * then revokes the old key and publishes again without a signal (the timer,
 * KEY_RELOAD_SECONDS=2, must pick it up), then tampers with the trust list.
 *
 * Checked: no request fails at any moment; receipts issued after the
 * rollover carry the new key id; receipts of the revoked key verify as
 * revoked within the reload bound; a tampered list is refused with one
 * clear error in the log, and issuance goes on with the keys loaded before.
 */
import { describe, expect, test } from "bun:test"
import { spawn, spawnSync } from "node:child_process"
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Result } from "effect"
import { decodeToken } from "../../domain/signing/token.ts"
import { freePort } from "../support/start-program.ts"

const root = join(import.meta.dir, "..", "..")
const bin = (name: string) => join(root, "node_modules", ".bin", name)
const denoTask = (JSON.parse(readFileSync(join(root, "deno.json"), "utf8")) as { tasks: { start: string } }).tasks.start
const denoBinary = () => {
  const platform = `${process.platform}-${process.arch}${process.platform === "linux" ? "-glibc" : ""}`
  const found = [join(root, "node_modules", "deno", "deno"), join(root, "node_modules", "@deno", platform, "deno")].find(existsSync)
  if (found === undefined) throw new Error("no Deno binary in node_modules (the deno devDependency): run npm ci")
  return found
}
const runtimes: Array<{ name: string; command: () => Array<string>; load: number }> = [
  { name: "Bun", command: () => [bin("bun"), "jobs/bin/start.ts"], load: 6 },
  { name: "Node", command: () => ["node", "--import", "tsx", "jobs/bin/start-node.ts"], load: 3 },
  { name: "Deno", command: () => [denoBinary(), ...denoTask.split(" ").slice(1)], load: 3 }
]

const RELOAD_SECONDS = 2

const rollover = async (runtime: (typeof runtimes)[number]) => {
  const dir = mkdtempSync(join(tmpdir(), "bienlai-rollover-"))
  const port = await freePort()
  const env = {
    ...process.env,
    PORT: String(port),
    BIENLAI_DATA: join(dir, "data"),
    BIENLAI_KEYS_DIR: join(dir, "keys"),
    BIENLAI_ROOT_DIR: join(dir, "root"),
    BIENLAI_OCR_WORKER: "0",
    DATABASE_URL: "",
    RATE_LIMIT_PER_MINUTE: "0",
    KEY_RELOAD_SECONDS: String(RELOAD_SECONDS),
    NO_COLOR: "1"
  }
  const command = runtime.command()
  const child = spawn(command[0]!, command.slice(1), { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] })
  let out = ""
  let err = ""
  child.stdout.on("data", (d) => (out += String(d)))
  child.stderr.on("data", (d) => (err += String(d)))
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)))
  let loading = true
  let clients: Array<Promise<void>> = []
  const keys = (...args: Array<string>) => {
    const run = spawnSync(bin("bun"), [join(root, "jobs/bin/bienlai.ts"), "keys", ...args, "--dir", env.BIENLAI_KEYS_DIR], { cwd: root, env, encoding: "utf8" })
    if (run.status !== 0) throw new Error(`bienlai keys ${args.join(" ")}: ${run.stderr}`)
    return run.stdout
  }
  try {
    const started = Date.now()
    while (!out.includes("Demo officer tokens") && Date.now() - started < 150_000 && child.exitCode === null) await Bun.sleep(100)
    if (!out.includes("Demo officer tokens")) throw new Error(`no banner (exit code ${child.exitCode}); stderr:\n${err.slice(-2000)}`)
    const demo = JSON.parse(readFileSync(join(dir, "demo.json"), "utf8")) as { officers: Array<{ id: string; token: string }> }
    const bearer = (id: string) => `Bearer ${demo.officers.find((o) => o.id === id)?.token}`
    const base = `http://localhost:${port}`

    const failures: Array<string> = []
    const api = async (who: string, method: string, path: string, body?: unknown) => {
      const res = await fetch(`${base}/api/officer${path}`, {
        method,
        headers: { Authorization: bearer(who), ...(body === undefined ? {} : { "Content-Type": "application/json" }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) })
      })
      const json = (await res.json()) as any
      if (!res.ok) failures.push(`${method} ${path}: ${res.status} ${JSON.stringify(json).slice(0, 300)}`)
      return json
    }
    const issued: Array<{ token: string; keyId: string; at: number }> = []
    const issueOne = async () => {
      const draft = await api("lan.nguyen", "POST", "/drafts", {
        office: "HCM-KV01",
        series: { form: "01-BLTHADS", symbol: `AA/${String(new Date().getUTCFullYear()).slice(2)}E` },
        payer: { name: "Nguyễn Văn Hòa", idNumber: "079085001234", address: "12 Lê Lợi, TP. Hồ Chí Minh" },
        case: { decisionNumber: "1234/QĐ-CTHADS", decisionDate: "2025-05-12" },
        reason: "Nộp tiền thi hành án",
        amount: "1500000",
        payment: { method: "cash" }
      })
      if (draft.id === undefined) return
      await api("lan.nguyen", "POST", `/drafts/${draft.id}/submit`)
      const read = await api("hung.tran", "GET", `/receipts/${draft.id}`)
      const approved = await api("hung.tran", "POST", `/drafts/${draft.id}/approve`, { contentHash: read.contentHash })
      if (typeof approved.token !== "string") return
      issued.push({ token: approved.token, keyId: Result.getOrThrow(decodeToken(approved.token)).keyId, at: Date.now() })
    }
    const verdict = async (token: string): Promise<string> => {
      const res = await fetch(`${base}/api/verify/${encodeURIComponent(token)}`)
      const body = (await res.json()) as { result?: string }
      if (res.status !== 200) failures.push(`verify: ${res.status} ${JSON.stringify(body).slice(0, 300)}`)
      return body.result ?? "none"
    }

    // Clients issue and verify without pause from here to the end.
    let requests = 0
    const revokedKeys = new Set<string>()
    const client = async () => {
      while (loading) {
        await issueOne()
        const some = issued[Math.floor(Math.random() * issued.length)]
        if (some !== undefined) {
          const result = await verdict(some.token)
          // Valid, or revoked once its key is (a receipt of the revoked key may be read either way while the revocation spreads).
          if (result !== "Valid" && !(result === "CertificateRevoked" && revokedKeys.has(some.keyId))) failures.push(`verify gave ${result} for a receipt of ${some.keyId}`)
        }
        requests += 5
      }
    }
    clients = Array.from({ length: runtime.load }, client)
    const waitFor = async (what: string, ok: () => boolean | Promise<boolean>, limitMs: number) => {
      const from = Date.now()
      while (!(await ok())) {
        if (Date.now() - from > limitMs) throw new Error(`${what}: not within ${limitMs} ms; failures: ${failures.slice(0, 3).join("; ")}\nlog:\n${out.slice(-2000)}`)
        await Bun.sleep(50)
      }
      return Date.now() - from
    }
    await waitFor("first receipts", () => issued.length >= 3, 60_000)
    const oldKey = issued[0]!.keyId

    // Rollover: a new HCM key, the trust list published again, SIGHUP.
    keys("add", "HCM")
    keys("trust-list")
    const sentAt = Date.now()
    child.kill("SIGHUP")
    await waitFor("a receipt signed with the new key after SIGHUP", () => issued.some((r) => r.at > sentAt && r.keyId !== oldKey), 30_000)
    const newKey = issued.find((r) => r.at > sentAt && r.keyId !== oldKey)!.keyId
    const oldReceipt = issued.find((r) => r.keyId === oldKey)!

    // Revocation of the old key, published, and no signal: the timer picks it up within the bound.
    keys("revoke", oldKey, "--reason", "superseded")
    revokedKeys.add(oldKey)
    keys("trust-list")
    const seenRevokedAfter = await waitFor("the old key's receipts shown revoked", async () => (await verdict(oldReceipt.token)) === "CertificateRevoked", RELOAD_SECONDS * 1000 + 8_000)
    // Issued since: every receipt is signed with the new key.
    const revokedAt = Date.now()
    await waitFor("receipts after the revocation", () => issued.filter((r) => r.at > revokedAt).length >= 3, 30_000)
    expect(issued.filter((r) => r.at > revokedAt).every((r) => r.keyId === newKey)).toBe(true)

    // A tampered trust list: refused, one clear error, the keys loaded before go on signing and verifying.
    const listPath = join(env.BIENLAI_KEYS_DIR, "trust-list.json")
    const signed = JSON.parse(readFileSync(listPath, "utf8")) as { payload: string }
    const list = JSON.parse(Buffer.from(signed.payload, "base64url").toString("utf8")) as { revoked: Array<unknown> }
    list.revoked = []
    writeFileSync(listPath, JSON.stringify({ ...signed, payload: Buffer.from(JSON.stringify(list)).toString("base64url") }, null, 2))
    child.kill("SIGHUP")
    await waitFor("the refusal in the log", () => out.includes("keys not reloaded"), 10_000)
    const tamperedAt = Date.now()
    await Bun.sleep(RELOAD_SECONDS * 1000 + 500)
    await waitFor("receipts after the tampering", () => issued.filter((r) => r.at > tamperedAt).length >= 2, 30_000)
    expect(await verdict(oldReceipt.token)).toBe("CertificateRevoked")
    expect(issued.filter((r) => r.at > tamperedAt).every((r) => r.keyId === newKey)).toBe(true)

    loading = false
    await Promise.all(clients)
    expect(failures).toEqual([])
    expect(requests).toBeGreaterThan(50)
    const refusals = out.split("\n").filter((l) => l.includes("keys not reloaded"))
    // One error for the tampered state, whatever the number of ticks since; it names what is wrong.
    expect(refusals.length).toBe(1)
    expect(refusals[0]).toContain("trust list")
    expect(out).toContain("keys reloaded")
    child.kill("SIGINT")
    expect(await exited).toBe(0)
    return { requests, seenRevokedAfter, issued: issued.length }
  } finally {
    loading = false
    await Promise.allSettled(clients)
    if (child.exitCode === null) child.kill("SIGKILL")
    rmSync(dir, { recursive: true, force: true })
  }
}

describe("keys roll over and are revoked without a restart, under load", () => {
  for (const runtime of runtimes) {
    test(`on ${runtime.name}`, async () => {
      const r = await rollover(runtime)
      console.log(`${runtime.name}: ${r.requests} requests, ${r.issued} receipts issued, revocation seen ${r.seenRevokedAfter} ms after it was published (the key store is read every ${RELOAD_SECONDS} s; a reload itself takes time on a loaded machine)`)
    }, 300_000)
  }
})
