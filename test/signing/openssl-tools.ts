/**
 * OpenSSL from the tests: it shares no code with ours, so whatever it
 * accepts was not accepted by our own mistake.
 */
import { spawnSync } from "node:child_process"
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"

export const openssl = (args: ReadonlyArray<string>, input?: string | Uint8Array) =>
  spawnSync("openssl", args, { encoding: "utf8", ...(input === undefined ? {} : { input }) })

/** openssl is an optional system tool (Debian has it in the base system): where it is missing, the interoperability checks say so and skip. */
export const hasOpenssl = Bun.which("openssl") !== null
if (!hasOpenssl) console.info("openssl is not installed: the OpenSSL interoperability checks are skipped (apt-get install openssl to run them)")

/** WebCrypto gives ECDSA signatures as r‖s; OpenSSL wants DER SEQUENCE { INTEGER r, INTEGER s }. */
export const ecdsaToDer = (raw: Uint8Array): Uint8Array => {
  const int = (b: Uint8Array) => {
    let i = 0
    while (i < b.length - 1 && b[i] === 0) i++
    const v = b.subarray(i)
    return v[0]! & 0x80 ? [0x02, v.length + 1, 0, ...v] : [0x02, v.length, ...v]
  }
  const body = [...int(raw.subarray(0, 32)), ...int(raw.subarray(32))]
  return new Uint8Array([0x30, body.length, ...body])
}

/** A scratch folder and a way to write files into it. */
export const scratch = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  return {
    dir,
    file: (name: string, data: string | Uint8Array) => {
      writeFileSync(join(dir, name), data)
      return join(dir, name)
    }
  }
}

/** `openssl pkeyutl -verify` options for a signature of our algorithm over the raw message. */
export const pkeyutlOptions = (algorithm: "Ed25519" | "ECDSA-P256" | "RSA-PSS"): Array<string> =>
  algorithm === "Ed25519"
    ? []
    : algorithm === "ECDSA-P256"
    ? ["-digest", "sha256"]
    : ["-digest", "sha256", "-pkeyopt", "rsa_padding_mode:pss", "-pkeyopt", "rsa_pss_saltlen:32"]

/** A raw signature as OpenSSL reads it. */
export const opensslSignature = (algorithm: "Ed25519" | "ECDSA-P256" | "RSA-PSS", raw: Uint8Array): Uint8Array =>
  algorithm === "ECDSA-P256" ? ecdsaToDer(raw) : raw
