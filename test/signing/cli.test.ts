/**
 * The commands end to end: `keys init` makes a key store, the key-store
 * Signer signs a token, and `verify` exits 0 only for a valid receipt (one
 * with a fresh status list), 3 for an authentic one whose status is unknown.
 */
import { describe, expect, test } from "bun:test"
import { spawnSync } from "node:child_process"
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Layer } from "effect"
import { signStatusList, signToken } from "../../domain/signing/issue-token.ts"
import { qrContent } from "../../domain/signing/url.ts"
import { KeyStoreSigner } from "../../adapters/keys/signer.ts"
import { qrPng } from "../../adapters/qr/encode.ts"
import { receipt, run } from "./fixtures.ts"

const root = join(import.meta.dir, "..", "..")
const dir = mkdtempSync(join(tmpdir(), "bienlai-keys-"))
const keys = join(dir, "keys")
const passphrase = "mật-khẩu-thử-nghiệm-đủ-dài"
const env = { ...process.env, BIENLAI_KEY_PASSPHRASE: passphrase, BIENLAI_ROOT_PASSPHRASE: `${passphrase} (root)`, BIENLAI_KEYS_DIR: keys }
const cli = (args: ReadonlyArray<string>, extra: Record<string, string | undefined> = {}) =>
  spawnSync(process.execPath, [join(root, "jobs/bin/bienlai.ts"), ...args], { encoding: "utf8", env: { ...env, ...extra } })

describe("bienlai keys and bienlai verify", () => {
  test("refuses to run without a passphrase in production", () => {
    const r = cli(["keys", "init", "--dir", join(dir, "prod")], { BIENLAI_KEY_PASSPHRASE: "", BIENLAI_ENV: "production" })
    expect(r.status).toBe(1)
    expect(r.stderr).toContain("BIENLAI_KEY_PASSPHRASE is not set")
  })

  test("init, sign with the key store, verify a token, a URL and an image; valid only with a status list; tampering and revocation fail", async () => {
    const init = cli(["keys", "init", "--agencies", "HCM,HNI"])
    expect(init.status).toBe(0)
    expect(init.stderr).not.toContain("WARNING")
    // The receipt is issued "now" so the fresh certificates cover it.
    const now = new Date()
    const r = receipt({ issuedAt: now.toISOString(), createdAt: now.toISOString(), series: { form: "01-BLTHADS", symbol: `AA/${String(now.getUTCFullYear()).slice(2)}E` } })
    const token = await run(signToken(r), Layer.orDie(KeyStoreSigner.layer({ dir: keys, passphrase })))

    // No status list (and no service to fetch one from): authentic, status unknown.
    const unknown = cli(["verify", token])
    expect(unknown.stdout).toContain("XÁC THỰC — CHƯA RÕ TRẠNG THÁI / AUTHENTIC, STATUS UNKNOWN")
    expect(unknown.status).toBe(3)
    // With the series' status list, signed a moment ago: valid.
    const list = join(dir, "status.bin")
    writeFileSync(list, await run(
      signStatusList({ agency: "HCM", ...r.series, issuedAt: new Date(Math.floor(now.getTime() / 1000) * 1000).toISOString(), freshForSeconds: 600, size: 50, voided: [], replaced: [] }),
      Layer.orDie(KeyStoreSigner.layer({ dir: keys, passphrase }))
    ))
    const ok = cli(["verify", token, "--status", list])
    expect(ok.stdout).toContain("HỢP LỆ / VALID")
    expect(ok.status).toBe(0)
    expect(cli(["verify", qrContent("https://bienlai.thads.moj.gov.vn", token), "--status", list]).status).toBe(0)
    const image = join(dir, "qr.png")
    writeFileSync(image, await qrPng(qrContent("https://bienlai.thads.moj.gov.vn", token)))
    const json = cli(["verify", image, "--json", "--status", list])
    expect(JSON.parse(json.stdout)).toMatchObject({ result: "Valid", receipt: { number: 42, amount: "125500000" }, qrHost: "bienlai.thads.moj.gov.vn" })
    expect(json.status).toBe(0)

    const tampered = cli(["verify", token.slice(0, 20) + (token[20] === "A" ? "B" : "A") + token.slice(21)])
    expect(tampered.status).toBe(1)
    expect(cli(["verify", "https://vnexpress.net/"]).stdout).toContain("NOT A BIENLAI")

    const keyId = /HCM\s+([0-9a-f]{16})/.exec(init.stdout)![1]!
    expect(cli(["keys", "revoke", keyId]).status).toBe(0)
    expect(cli(["keys", "trust-list"]).status).toBe(0)
    const revoked = cli(["verify", token, "--status", list])
    expect(revoked.stdout).toContain("CERTIFICATE REVOKED")
    expect(revoked.status).toBe(1)
  }, 20_000)
})
