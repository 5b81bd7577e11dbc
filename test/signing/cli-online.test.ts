/**
 * `bienlai verify` against the shipped service (item 8 of issue 12): the
 * service is booted as `npm start` boots it (bootFromEnv, demo seeded,
 * served over real HTTP), and the command is run as a user runs it.
 *
 * Offline, the demo's voided receipt is "authentic, status unknown" (exit
 * 3), never "valid"; online it fetches the series' status list from the
 * configured service and says "voided" (exit 1) and how old the status is;
 * a host named in the QR is never asked for anything.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import type { Server } from "bun"
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { bootFromEnv, type Booted } from "../../edge/boot.ts"
import { createRoot } from "../../adapters/keys/pki.ts"
import { openRoot } from "../../adapters/keys/keystore.ts"
import { DEV_ROOT_PASSPHRASE } from "../../adapters/keys/passphrase.ts"
import { peekTrustList, signTrustList, type SignedTrustList } from "../../adapters/keys/signed-trust-list.ts"
import type { TrustList } from "../../domain/signing/trust.ts"
import { decodeToken } from "../../domain/signing/token.ts"
import { pathSegmentToToken } from "../../domain/signing/url.ts"
import { Result } from "effect"

const root = join(import.meta.dir, "..", "..")
const dir = mkdtempSync(join(tmpdir(), "bienlai-verify-online-"))
const port = 20_000 + Math.floor(Math.random() * 40_000)
const service = `http://127.0.0.1:${port}`
const keys = join(dir, "keys")

let booted: Booted
let server: Server<unknown>
/** A stranger's server standing for the host a copied QR code names; it records whatever reaches it. */
let stranger: Server<unknown>
const strangerHits: Array<string> = []

const cleanEnv = (): Record<string, string> => {
  const env: Record<string, string> = {}
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith("BIENLAI_")) env[k] = v
  return env
}

/** Runs the command without blocking this process, which serves the HTTP the command calls. */
const verify = async (args: ReadonlyArray<string>, extra: Record<string, string> = {}) => {
  const child = Bun.spawn([process.execPath, join(root, "jobs/bin/bienlai.ts"), "verify", ...args], {
    env: { ...cleanEnv(), BIENLAI_KEYS_DIR: keys, NO_COLOR: "1", ...extra },
    stdout: "pipe",
    stderr: "pipe"
  })
  const [stdout, stderr, status] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited])
  return { stdout, stderr, status }
}

const demoUrl = (label: string): string => {
  const url = booted.demo?.receipts.find((r) => r.label.includes(label))?.url
  if (url === undefined) throw new Error(`no demo receipt "${label}"`)
  return url
}
/** The same token behind the stranger's host. */
const copied = (url: string) => url.replace(service, `http://127.0.0.1:${stranger.port}`)

beforeAll(async () => {
  booted = await bootFromEnv(
    { PORT: String(port), PUBLIC_URL: service, BIENLAI_DATA: join(dir, "data"), BIENLAI_KEYS_DIR: keys, BIENLAI_OCR_WORKER: "0", DATABASE_URL: "" },
    { say: () => {} }
  )
  server = Bun.serve({ port, hostname: "127.0.0.1", fetch: (request, srv) => booted.app.fetch(request, srv) })
  stranger = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    fetch: (request) => {
      strangerHits.push(new URL(request.url).pathname)
      return new Response("not found", { status: 404 })
    }
  })
}, 120_000)

afterAll(async () => {
  await server?.stop(true)
  await stranger?.stop(true)
  await booted?.close()
  rmSync(dir, { recursive: true, force: true })
})

describe("bienlai verify and the status it can trust", () => {
  test("the first start makes an ECDSA P-256 PKI: the demo's QR tokens name ECDSA P-256, and the published list is signed by its ECDSA root", async () => {
    const token = pathSegmentToToken(demoUrl("voided").split("/").pop()!)
    expect(Result.getOrThrow(decodeToken(token))).toMatchObject({ version: 2, algorithm: "ECDSA-P256" })
    const held = JSON.parse(readFileSync(join(keys, "trust-list.json"), "utf8")) as SignedTrustList
    expect(JSON.parse(Buffer.from(held.protected, "base64url").toString("utf8")).alg).toBe("ES256")
    expect((peekTrustList(held) as TrustList).agencies.every((a) => a.algorithm === "ECDSA-P256")).toBe(true)
  })

  test("offline, the demo's voided receipt is 'authentic, status unknown' with exit code 3, never valid", async () => {
    const r = await verify([demoUrl("voided"), "--offline"])
    expect(r.stdout).toContain("XÁC THỰC — CHƯA RÕ TRẠNG THÁI / AUTHENTIC, STATUS UNKNOWN")
    expect(r.stdout).toContain("status     unknown: no status list of this series")
    expect(r.stdout).not.toContain("HỢP LỆ")
    expect(r.status).toBe(3)
  }, 60_000)

  test("online, it fetches the status list from the service its trust list names and says voided, with the status's age", async () => {
    const r = await verify([demoUrl("voided")])
    expect(r.stdout).toContain("BIÊN LAI ĐÃ HỦY / VOIDED")
    expect(r.stdout).toMatch(new RegExp(`status     as of \\S+ \\(\\d+ s old\\) from ${service}/api/status-list`))
    expect(r.status).toBe(1)
    const valid = await verify([demoUrl("HCM, hợp lệ"), "--json"])
    expect(JSON.parse(valid.stdout)).toMatchObject({ result: "Valid", statusSource: `${service}/api/status-list` })
    expect(valid.status).toBe(0)
  }, 60_000)

  test("a copy of the QR on another host: the status comes from the configured service only, and the other host is never asked", async () => {
    strangerHits.length = 0
    const viaFlag = await verify([copied(demoUrl("voided")), "--service", service])
    expect(viaFlag.stdout).toContain("VOIDED")
    expect(viaFlag.stdout).toContain(`the QR code points to 127.0.0.1:${stranger.port}, not to the public service 127.0.0.1:${port}`)
    expect(viaFlag.status).toBe(1)
    // With no service configured at all, nothing is fetched, from anyone: a list the root signed without a serviceUrl.
    const held = JSON.parse(readFileSync(join(keys, "trust-list.json"), "utf8")) as SignedTrustList
    const { serviceUrl: _, ...withoutService } = peekTrustList(held) as Record<string, unknown>
    const rootKey = await openRoot({ rootDir: join(dir, "root"), rootPassphrase: DEV_ROOT_PASSPHRASE })
    const bare = join(dir, "trust-without-service.json")
    writeFileSync(bare, JSON.stringify(await signTrustList(withoutService as unknown as TrustList, { certificate: rootKey.certificate, privateKey: rootKey.keys.privateKey })))
    const unconfigured = await verify([copied(demoUrl("voided")), "--trust", bare])
    expect(unconfigured.status).toBe(3)
    expect(strangerHits).toEqual([])
    // The same change made without the root's signature is refused, not believed.
    const altered = join(dir, "trust-altered.json")
    writeFileSync(altered, JSON.stringify({ ...held, payload: Buffer.from(JSON.stringify(withoutService)).toString("base64url") }))
    const refused = await verify([copied(demoUrl("voided")), "--trust", altered])
    expect(refused.stderr).toContain("signature does not verify")
    expect(refused.status).toBe(2)
  }, 60_000)

  test("without a local trust list it fetches one, but believes it only if signed by the root it holds", async () => {
    const missing = join(dir, "no-trust-list.json")
    const anchored = await verify([demoUrl("voided"), "--trust", missing, "--service", service])
    expect(anchored.stdout).toContain("VOIDED")
    expect(anchored.status).toBe(1)
    const otherRoot = await createRoot({ algorithm: "Ed25519", notBefore: new Date("2024-01-01"), notAfter: new Date("2044-01-01"), name: "CN=Someone else's root" })
    const otherPem = join(dir, "other-root.crt.pem")
    writeFileSync(otherPem, otherRoot.certificate.toString("pem"))
    const refused = await verify([demoUrl("voided"), "--trust", missing, "--service", service, "--root", otherPem])
    expect(refused.stderr).toContain("not by the root held here (CN=Someone else's root)")
    expect(refused.status).toBe(2)
    const noService = await verify([demoUrl("voided"), "--trust", missing, "--offline"])
    expect(noService.stderr).toContain("no trust list at")
    expect(noService.status).toBe(2)
  }, 60_000)

  test("a status list file fetched just now verifies offline; usage errors exit 2", async () => {
    const res = await fetch(`${service}/api/status-lists`)
    const index = (await res.json()) as { lists: Array<{ url: string; agency: string }> }
    const hcm = index.lists.find((l) => l.agency === "HCM")!
    const file = join(dir, "hcm.bin")
    writeFileSync(file, new Uint8Array(await (await fetch(`${service}${hcm.url}`)).arrayBuffer()))
    copyFileSync(file, join(dir, "copy.bin"))
    const r = await verify([demoUrl("HCM, hợp lệ"), "--offline", "--status", file])
    expect(r.stdout).toContain("HỢP LỆ / VALID")
    expect(r.stdout).toContain(`from ${file}`)
    expect(r.status).toBe(0)
    expect((await verify([demoUrl("voided"), "--offline", "--service", service])).status).toBe(2)
    expect((await verify([])).status).toBe(2)
  }, 60_000)
})
