/**
 * The root CA's private key lives apart from the service's key store:
 * `bienlai keys init` writes it to the root's own folder under its own
 * passphrase, `keys add` asks for that folder, production refuses a root
 * passphrase that is missing or equal to the key store's, and a key store of
 * the earlier layout (root key beside the agency keys) still works, for
 * `keys add` and for the development start, until `keys move-root` takes the
 * key out.
 */
import { afterAll, describe, expect, test } from "bun:test"
import { spawnSync } from "node:child_process"
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { bootFromEnv } from "../../edge/boot.ts"
import { hasRoot, openRoot, saveAgencyKey, saveRoot } from "../../adapters/keys/keystore.ts"
import { createRoot, issueAgencyCertificate } from "../../adapters/keys/pki.ts"

const repo = join(import.meta.dir, "..", "..")
const work = mkdtempSync(join(tmpdir(), "bienlai-root-"))
const passphrase = "the key store's passphrase, long"
const rootPassphrase = "the root's own passphrase, longer"

const cli = (args: ReadonlyArray<string>, env: Record<string, string | undefined>) =>
  spawnSync(process.execPath, [join(repo, "jobs/bin/bienlai.ts"), "keys", ...args], {
    encoding: "utf8",
    env: { ...process.env, BIENLAI_KEY_PASSPHRASE: passphrase, BIENLAI_ROOT_PASSPHRASE: rootPassphrase, ...env } as NodeJS.ProcessEnv
  })

afterAll(() => rmSync(work, { recursive: true, force: true }))

describe("the root's key kept apart", () => {
  test("keys init puts the root's key in its own folder; keys add needs that folder and its passphrase", async () => {
    const keys = join(work, "a", "keys")
    const init = cli(["init", "--agencies", "HCM"], { BIENLAI_KEYS_DIR: keys })
    expect(init.status).toBe(0)
    expect(readdirSync(keys).sort()).toEqual(["agencies", "revoked.crl", "root.crt.pem", "trust-list.json"])
    expect(readdirSync(join(work, "a", "root")).sort()).toEqual(["root.crt.pem", "root.key.pem"])
    await openRoot({ rootDir: join(work, "a", "root"), rootPassphrase })

    expect(cli(["add", "HCM"], { BIENLAI_KEYS_DIR: keys }).status).toBe(0)
    const elsewhere = cli(["add", "HCM"], { BIENLAI_KEYS_DIR: keys, BIENLAI_ROOT_DIR: join(work, "nowhere") })
    expect(elsewhere.status).toBe(1)
    expect(elsewhere.stderr).toContain("BIENLAI_ROOT_DIR")
    const wrong = cli(["add", "HCM", "--root-dir", join(work, "a", "root")], { BIENLAI_KEYS_DIR: keys, BIENLAI_ROOT_PASSPHRASE: "not the root's passphrase" })
    expect(wrong.status).toBe(1)
    expect(wrong.stderr).toContain("wrong BIENLAI_ROOT_PASSPHRASE")
    expect(cli(["init", "--dir", join(work, "same"), "--root-dir", join(work, "same")], {}).stderr).toContain("must not be the key store")
  }, 60_000)

  test("in production the root passphrase is required and differs from the key store's", () => {
    const keys = join(work, "p", "keys")
    const missing = cli(["init", "--dir", keys], { BIENLAI_ENV: "production", BIENLAI_ROOT_PASSPHRASE: "" })
    expect(missing.status).toBe(1)
    expect(missing.stderr).toContain("BIENLAI_ROOT_PASSPHRASE is not set")
    const same = cli(["init", "--dir", keys], { BIENLAI_ENV: "production", BIENLAI_ROOT_PASSPHRASE: passphrase })
    expect(same.status).toBe(1)
    expect(same.stderr).toContain("must differ from BIENLAI_KEY_PASSPHRASE")
    expect(existsSync(keys)).toBe(false)
    expect(cli(["init", "--dir", keys, "--root-dir", join(work, "p", "offline")], { BIENLAI_ENV: "production" }).status).toBe(0)
  }, 60_000)

  test("a key store of the earlier layout still works, and move-root takes the key out", async () => {
    const keys = join(work, "old", "keys")
    const notBefore = new Date(Date.now() - 86_400_000)
    const notAfter = new Date(Date.now() + 3 * 365 * 86_400_000)
    const root = await createRoot({ algorithm: "Ed25519", notBefore, notAfter })
    // The earlier layout: the root's key beside the agency keys, under the key store's passphrase.
    await saveRoot(keys, root, passphrase)
    await saveAgencyKey(keys, "HCM", await issueAgencyCertificate({ root, agency: "HCM", algorithm: "Ed25519", notBefore, notAfter }), passphrase)

    const add = cli(["add", "HCM"], { BIENLAI_KEYS_DIR: keys })
    expect(add.status).toBe(0)
    expect(add.stderr).toContain("bienlai keys move-root")

    // The development start reads it as it is (no new PKI).
    const booted = await bootFromEnv({ BIENLAI_KEYS_DIR: keys, BIENLAI_KEY_PASSPHRASE: passphrase, BIENLAI_DATA: join(work, "old", "data"), DATABASE_URL: "", BIENLAI_DEMO: "0", BIENLAI_OCR_WORKER: "0", PORT: "0" }, { say: () => {} })
    await booted.close()
    expect(existsSync(join(work, "old", "root"))).toBe(false)

    const moved = cli(["move-root"], { BIENLAI_KEYS_DIR: keys })
    expect(moved.stderr).toBe("")
    expect(moved.status).toBe(0)
    expect(readdirSync(keys)).not.toContain("root.key.pem")
    expect(hasRoot(keys)).toBe(true)
    await openRoot({ rootDir: join(work, "old", "root"), rootPassphrase })
    expect(cli(["add", "HCM"], { BIENLAI_KEYS_DIR: keys }).stderr).not.toContain("move-root")
  }, 60_000)
})
