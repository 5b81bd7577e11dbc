/**
 * How bienlai reaches keys on a USB token or an HSM: the PKCS#11 module (the
 * vendor's library, a system component) and the user PIN.
 *
 *   BIENLAI_PKCS11_MODULE   path of the module (default: SoftHSM2's, where Debian installs it)
 *   BIENLAI_PKCS11_PIN      the token's user PIN; the command line asks for it when it is unset
 *
 * The PIN is read when a key is first opened and handed to the module; it is
 * never written to a log, an error message or a file.
 */
import { existsSync } from "node:fs"

export interface Pkcs11Settings {
  /** Path of the PKCS#11 module (.so, .dylib, .dll). */
  readonly module: string
  /** The user PIN, asked for when a token is first opened. */
  readonly pin: () => Promise<string>
}

/** Where Debian and Ubuntu (and a source build) put SoftHSM2's module. */
export const SOFTHSM2_MODULES = [
  "/usr/lib/softhsm/libsofthsm2.so",
  "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
  "/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so",
  "/usr/local/lib/softhsm/libsofthsm2.so"
]

/** SoftHSM2's module on this machine, if it is installed. */
export const findSoftHsm2 = (): string | undefined => SOFTHSM2_MODULES.find((p) => existsSync(p))

export class Pkcs11PinMissing extends Error {}

export const pkcs11SettingsFromEnv = (env: Record<string, string | undefined>, askPin?: () => Promise<string>): Pkcs11Settings => ({
  module: env["BIENLAI_PKCS11_MODULE"] || findSoftHsm2() || "(no PKCS#11 module: set BIENLAI_PKCS11_MODULE)",
  pin: async () => {
    const pin = env["BIENLAI_PKCS11_PIN"]
    if (pin !== undefined && pin !== "") return pin
    if (askPin !== undefined) return askPin()
    throw new Pkcs11PinMissing("BIENLAI_PKCS11_PIN is not set: the token's PIN is needed to sign with a key on it")
  }
})
