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

export class PassphraseMissing extends Schema.TaggedError<PassphraseMissing>()("PassphraseMissing", {
  message: Schema.String
}) {}

const isProduction = (env: NodeJS.ProcessEnv) => env.BIENLAI_ENV === "production" || env.NODE_ENV === "production"

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
    return new PassphraseMissing({ message: "BIENLAI_KEY_PASSPHRASE is not set; private keys cannot be opened in production without it" })
  }
  warn("!!! WARNING: BIENLAI_KEY_PASSPHRASE is not set: using the public DEVELOPMENT passphrase.")
  warn("!!! Keys encrypted with it protect nothing. Never use them for real receipts.")
  return DEV_PASSPHRASE
}
