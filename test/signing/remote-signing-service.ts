/**
 * A small remote signing service for the tests, run as a real HTTP server:
 * it speaks the CSC-shaped protocol of adapters/remote-signing/csc-client.ts,
 * holds one credential's key, and waits for the "phone": the test confirms
 * or refuses a pending authorisation through /test/confirm/{id} and
 * /test/refuse/{id}, or lets it expire. It signs hashes with OpenSSL
 * (`pkeyutl -sign` over the digest), so the signatures come from outside
 * our code, and it records every hash it signed.
 */
import { spawnSync } from "node:child_process"
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import type { x509 } from "../../adapters/keys/x509.ts"

interface Pending {
  readonly id: string
  /** Named in advance (SCAL2), or undefined: any `count` hashes (SCAL1). */
  readonly hashes: ReadonlyArray<string> | undefined
  readonly count: number
  status: "pending" | "authorized" | "refused" | "expired"
  readonly expiresAt: number
  reason?: string
  sad?: string
  sadUntil?: number
  signed: Set<string>
}

export interface SigningService {
  readonly url: string
  readonly signed: Array<string>
  readonly requests: Map<string, Pending>
  readonly pendingIds: () => Array<string>
  readonly stop: () => void
}

export const startSigningService = async (opts: {
  readonly credentialId: string
  readonly certificate: x509.X509Certificate
  readonly privateKey: CryptoKey
  readonly accessToken: string
  /** How long the approver has, in seconds. */
  readonly approvalSeconds?: number
  /** How long the activation data lasts, in seconds. */
  readonly sadSeconds?: number
}): Promise<SigningService> => {
  const dir = mkdtempSync(join(tmpdir(), "bienlai-remote-"))
  const pkcs8 = Buffer.from(await crypto.subtle.exportKey("pkcs8", opts.privateKey)).toString("base64").replace(/(.{64})/g, "$1\n")
  const keyFile = join(dir, "key.pem")
  writeFileSync(keyFile, `-----BEGIN PRIVATE KEY-----\n${pkcs8}\n-----END PRIVATE KEY-----\n`, { mode: 0o600 })
  const requests = new Map<string, Pending>()
  const signed: Array<string> = []
  let counter = 0
  const json = (body: unknown, status = 200) => Response.json(body, { status })
  const error = (status: number, code: string, description: string) => json({ error: code, error_description: description }, status)
  const expire = (p: Pending) => {
    if (p.status === "pending" && Date.now() > p.expiresAt) p.status = "expired"
  }

  const server = Bun.serve({
    port: 0,
    fetch: async (req) => {
      const path = new URL(req.url).pathname
      if (path.startsWith("/test/")) {
        const [, , action, id] = path.split("/")
        if (action === "pending") return json(Array.from(requests.values()).filter((p) => (expire(p), p.status === "pending")).map((p) => p.id))
        const p = requests.get(id ?? "")
        if (p === undefined) return error(404, "not_found", "no such authorisation")
        expire(p)
        if (p.status !== "pending") return error(409, "not_pending", p.status)
        if (action === "confirm") {
          p.status = "authorized"
          p.sad = `SAD-${crypto.randomUUID()}`
          p.sadUntil = Date.now() + (opts.sadSeconds ?? 60) * 1000
        } else {
          p.status = "refused"
          p.reason = "người ký từ chối trên điện thoại"
        }
        return json({ ok: true })
      }
      if (req.headers.get("authorization") !== `Bearer ${opts.accessToken}`) return error(401, "invalid_token", "the access token is not valid")
      const body = (await req.json()) as Record<string, unknown>
      switch (path) {
        case "/csc/v2/credentials/info":
          if (body["credentialID"] !== opts.credentialId) return error(400, "invalid_request", "unknown credentialID")
          return json({ key: { status: "enabled", algo: ["1.2.840.10045.2.1"], len: 256 }, cert: { status: "valid", certificates: [Buffer.from(opts.certificate.rawData).toString("base64")] } })
        case "/csc/v2/credentials/authorize": {
          const hashes = body["hashes"] as Array<string> | undefined
          const count = body["numSignatures"]
          if (body["credentialID"] !== opts.credentialId || typeof count !== "number" || (hashes !== undefined && hashes.length !== count)) return error(400, "invalid_request", "bad authorize request")
          const id = `auth-${++counter}`
          const seconds = opts.approvalSeconds ?? 120
          requests.set(id, { id, hashes, count, status: "pending", expiresAt: Date.now() + seconds * 1000, signed: new Set() })
          return json({ authorizationID: id, expiresIn: seconds }, 202)
        }
        case "/csc/v2/credentials/authorizeCheck": {
          const p = requests.get(String(body["authorizationID"]))
          if (p === undefined) return error(400, "invalid_request", "unknown authorizationID")
          expire(p)
          if (p.status === "authorized") return json({ status: "authorized", SAD: p.sad, expiresIn: Math.max(0, Math.floor((p.sadUntil! - Date.now()) / 1000)) || 1 })
          if (p.status === "refused") return json({ status: "refused", reason: p.reason })
          return json({ status: p.status })
        }
        case "/csc/v2/signatures/signHash": {
          const p = Array.from(requests.values()).find((x) => x.sad !== undefined && x.sad === body["SAD"])
          if (p === undefined || p.status !== "authorized" || Date.now() > p.sadUntil!) return error(400, "invalid_request", "the SAD is not valid")
          const hashes = body["hashes"] as Array<string>
          if (body["signAlgo"] !== "1.2.840.10045.4.3.2" || body["hashAlgorithmOID"] !== "2.16.840.1.101.3.4.2.1") return error(400, "invalid_request", "unsupported algorithm")
          if (hashes.some((h) => p.signed.has(h) || (p.hashes !== undefined && !p.hashes.includes(h))) || p.signed.size + hashes.length > p.count) {
            return error(400, "invalid_request", "a hash was not authorised, was signed already, or there are too many")
          }
          const signatures = hashes.map((h) => {
            p.signed.add(h)
            signed.push(h)
            const r = spawnSync("openssl", ["pkeyutl", "-sign", "-inkey", keyFile], { input: Buffer.from(h, "base64") })
            if (r.status !== 0) throw new Error(`openssl pkeyutl -sign: ${r.stderr}`)
            return Buffer.from(r.stdout).toString("base64")
          })
          return json({ signatures })
        }
        default:
          return error(404, "not_found", path)
      }
    }
  })
  return {
    url: `http://127.0.0.1:${server.port}`,
    signed,
    requests,
    pendingIds: () => Array.from(requests.values()).filter((p) => (expire(p), p.status === "pending")).map((p) => p.id),
    stop: () => server.stop(true)
  }
}
