/**
 * The agency's key for the payout commands that sign (approve, notices): the
 * key store in BIENLAI_KEYS_DIR opened with BIENLAI_KEY_PASSPHRASE. A missing
 * passphrase or an unopenable store is exit 1 with a message saying so.
 */
import type { Signer } from "../../domain/ports/signer.ts"
import { keyStoreSigner } from "../../adapters/keys/signer.ts"
import { defaultKeysDir } from "../../adapters/keys/keystore.ts"
import { keyPassphrase } from "../../adapters/keys/passphrase.ts"
import type { Fail } from "./context.ts"

/** The signer, or the exit code of the refusal already printed. */
export const openAgencySigner = async (fail: Fail): Promise<Signer["Service"] | number> => {
  const passphrase = keyPassphrase()
  if (typeof passphrase !== "string") return fail(passphrase.message, 1)
  try {
    return await keyStoreSigner({ dir: defaultKeysDir(), passphrase })
  } catch (error) {
    return fail(`cannot open the key store in ${defaultKeysDir()}: ${error instanceof Error ? error.message : String(error)} (run \`bienlai keys init\` first)`, 1)
  }
}
