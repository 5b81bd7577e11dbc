/**
 * How a worker thread gets the agency keys: CryptoKeys do not cross threads,
 * so each worker opens the key store itself (or, in tests and benchmarks,
 * imports the PKCS#8 bytes it is handed) and keeps its own non-extractable
 * keys.
 */
import { Effect } from "effect"
import type { SignatureAlgorithm } from "../../domain/signing/trust.ts"
import { importParams } from "../../domain/signing/trust.ts"
import type { SignFn } from "../../store/issuance.ts"
import { keyStoreSigner, memorySigner, type SigningKey } from "../keys/signer.ts"

export type SignerSpec =
  | { readonly kind: "keystore"; readonly dir: string; readonly passphrase: string }
  | {
    readonly kind: "pkcs8"
    readonly keys: ReadonlyArray<{ readonly agency: string; readonly keyId: string; readonly algorithm: SignatureAlgorithm; readonly pkcs8: Uint8Array }>
  }

export const openSigner = async (spec: SignerSpec): Promise<SignFn> => {
  const service = spec.kind === "keystore"
    ? await keyStoreSigner({ dir: spec.dir, passphrase: spec.passphrase, now: () => new Date() })
    : memorySigner(
      new Map(
        await Promise.all(spec.keys.map(async (k): Promise<[string, SigningKey]> => [k.agency, {
          keyId: k.keyId,
          algorithm: k.algorithm,
          privateKey: await crypto.subtle.importKey("pkcs8", k.pkcs8 as Uint8Array<ArrayBuffer>, importParams(k.algorithm), false, ["sign"])
        }]))
      )
    )
  return (agency, bytes) => Effect.runPromise(Effect.result(service.sign(agency, bytes)))
}

