/**
 * The passphrase that encrypts private keys at rest, from
 * BIENLAI_KEY_PASSPHRASE. In production (BIENLAI_ENV or NODE_ENV =
 * "production") it is required and must be at least 16 characters; in
 * development a fixed, publicly known default is used with a loud warning,
 * so `bienlai keys init` works out of the box and nobody mistakes those keys
 * for real ones.
 */
import { Schema } from "effect"

export const DEV_PASSPHRASE = "bienlai-development-only-not-secret"
export const DEV_ROOT_PASSPHRASE = "bienlai-development-root-not-secret"

export class PassphraseMissing extends Schema.TaggedError<PassphraseMissing>()("PassphraseMissing", {
  message: Schema.String
}) {}

export const isProduction = (env: NodeJS.ProcessEnv | Record<string, string | undefined>): boolean =>
  env["BIENLAI_ENV"] === "production" || env["NODE_ENV"] === "production"

export const keyPassphrase = (
  env: NodeJS.ProcessEnv = process.env,
  warn: (line: string) => void = (line) => console.error(line)
): string | PassphraseMissing => {
  const given = env.BIENLAI_KEY_PASSPHRASE
  if (given !== undefined && given !== "") {
    if (isProduction(env) && given.length < 16) {
      return new PassphraseMissing({ message: "BIENLAI_KEY_PASSPHRASE must be at least 16 characters in production" })
    }
    return given
  }
  if (isProduction(env)) {
    return new PassphraseMissing({ message: "BIENLAI_KEY_PASSPHRASE is not set; private keys cannot be opened in production without it: set it to the passphrase the agency keys were made with (bienlai keys init)" })
  }
  warn("!!! WARNING: BIENLAI_KEY_PASSPHRASE is not set: using the public DEVELOPMENT passphrase.")
  warn("!!! Keys encrypted with it protect nothing. Never use them for real receipts.")
  return DEV_PASSPHRASE
}

/**
 * The passphrase of the root's private key, from BIENLAI_ROOT_PASSPHRASE:
 * only the commands that sign with the root (keys init, keys add, keys
 * move-root) ask for it, never the service. In production it is required,
 * at least 16 characters, and not the key store's passphrase.
 */
export const rootPassphrase = (
  env: NodeJS.ProcessEnv = process.env,
  warn: (line: string) => void = (line) => console.error(line)
): string | PassphraseMissing => {
  const given = env.BIENLAI_ROOT_PASSPHRASE
  if (given !== undefined && given !== "") {
    if (isProduction(env) && given.length < 16) return new PassphraseMissing({ message: "BIENLAI_ROOT_PASSPHRASE must be at least 16 characters in production" })
    if (isProduction(env) && given === env.BIENLAI_KEY_PASSPHRASE) {
      return new PassphraseMissing({ message: "BIENLAI_ROOT_PASSPHRASE must differ from BIENLAI_KEY_PASSPHRASE: whoever runs the service must not be able to open the root's key" })
    }
    return given
  }
  if (isProduction(env)) {
    return new PassphraseMissing({ message: "BIENLAI_ROOT_PASSPHRASE is not set; the root's private key cannot be used in production without it" })
  }
  warn("!!! WARNING: BIENLAI_ROOT_PASSPHRASE is not set: using the public DEVELOPMENT root passphrase.")
  return DEV_ROOT_PASSPHRASE
}
