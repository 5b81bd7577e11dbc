/**
 * SoftHSM2 for the PKCS#11 tests: a software token that speaks PKCS#11 as a
 * USB token or an HSM does (Debian package `softhsm2`, which CI installs).
 * Where it is missing, the tests that need it say so and skip.
 *
 * SoftHSM2 finds its token folder through the SOFTHSM2_CONF environment
 * variable, read by the native module when it initialises. Bun does not pass
 * a change of `process.env` down to native code, so a test file that uses
 * the module in-process runs itself again in a child whose environment
 * names a fresh configuration (`inSoftHsmChild`).
 */
import { spawnSync } from "node:child_process"
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs"
import { createRequire } from "node:module"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { findSoftHsm2 } from "../../adapters/keys/pkcs11-settings.ts"

export const softHsmModule = findSoftHsm2()
export const softHsmUtil = ["/usr/bin/softhsm2-util", "/usr/local/bin/softhsm2-util"].find((p) => existsSync(p))
/** Whether the PKCS#11 binding (an optional dependency, compiled at npm ci) loads here. */
const bindingLoads = (): boolean => {
  try {
    createRequire(import.meta.url)("pkcs11js")
    return true
  } catch {
    return false
  }
}

export const softHsmMissing = softHsmModule === undefined || softHsmUtil === undefined
  ? "SoftHSM2 is not installed (apt-get install softhsm2): the PKCS#11 tests are skipped"
  : !bindingLoads()
  ? "the PKCS#11 binding pkcs11js did not build at npm ci (it needs a C++ compiler): the PKCS#11 tests are skipped"
  : undefined

export const TOKEN = "bienlai-test"
export const OTHER_TOKEN = "bienlai-other"
export const PIN = "246810"
export const SO_PIN = "13579135"

/** A fresh SoftHSM2 configuration with two initialised tokens; returns its path. */
export const freshSoftHsm = (): string => {
  const dir = mkdtempSync(join(tmpdir(), "bienlai-softhsm-"))
  mkdirSync(join(dir, "tokens"))
  const conf = join(dir, "softhsm2.conf")
  writeFileSync(conf, `directories.tokendir = ${join(dir, "tokens")}\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n`)
  for (const label of [TOKEN, OTHER_TOKEN]) {
    const r = spawnSync(softHsmUtil!, ["--init-token", "--free", "--label", label, "--pin", PIN, "--so-pin", SO_PIN], { encoding: "utf8", env: { ...process.env, SOFTHSM2_CONF: conf } })
    if (r.status !== 0) throw new Error(`softhsm2-util --init-token failed: ${r.stderr}`)
  }
  return conf
}

/** Whether this process was started with a SoftHSM2 configuration of its own (the child run). */
export const inSoftHsmChild = (): boolean => process.env["BIENLAI_SOFTHSM_CHILD"] === "1" && process.env["SOFTHSM2_CONF"] !== undefined

/** Runs `file` again under `bun test` with a fresh SoftHSM2 configuration; returns its exit code and output. */
export const runInSoftHsmChild = (file: string) => {
  const conf = freshSoftHsm()
  const r = spawnSync(process.execPath, ["test", "--timeout", "60000", file], {
    encoding: "utf8",
    env: { ...process.env, SOFTHSM2_CONF: conf, BIENLAI_SOFTHSM_CHILD: "1" },
    cwd: join(import.meta.dir, "..", "..")
  })
  return { status: r.status, output: `${r.stdout}${r.stderr}` }
}
