/**
 * A bounded cache of signatures already found valid, around another
 * SignatureVerifier. The same receipts are scanned again and again (a
 * payer, a bank clerk, the agency's own staff), and in Deno an ECDSA P-256
 * verification costs about ten times what it costs in Bun (docs/SIGNING.md),
 * so a repeat scan answers from memory.
 *
 * The cache key is the exact bytes (key, signature and signed data), not a
 * hash of them, so a hit can never be a collision. Only valid signatures
 * are kept: an attacker's forgeries cannot fill it, and a refusal is always
 * recomputed. A signature's validity under a key never changes, and the
 * checks that can change (revocation, certificate validity, status) run
 * after the signature in `verify`, on every scan.
 *
 * Least recently used entries leave first: a Map keeps insertion order, and
 * a hit is moved to the end.
 */
import { SignatureVerifier } from "../../domain/ports/signature-verifier.ts"
import type { PublicKeyCheck } from "../../domain/ports/signature-verifier.ts"

const latin1 = (bytes: Uint8Array): string => {
  let s = ""
  for (let i = 0; i < bytes.length; i += 4096) s += String.fromCharCode.apply(null, bytes.subarray(i, i + 4096) as unknown as Array<number>)
  return s
}

export interface VerifiedCacheStats {
  readonly hits: number
  readonly misses: number
  readonly size: number
}

export const verifiedCache = (inner: SignatureVerifier["Service"], options: { readonly maxEntries: number }): SignatureVerifier["Service"] & { readonly stats: () => VerifiedCacheStats } => {
  if (!Number.isInteger(options.maxEntries) || options.maxEntries < 1) throw new RangeError(`maxEntries must be a whole number ≥ 1, not ${options.maxEntries}`)
  const valid = new Map<string, true>()
  let hits = 0
  let misses = 0
  let keys = 0
  const remember = (entry: string) => {
    valid.set(entry, true)
    if (valid.size > options.maxEntries) valid.delete(valid.keys().next().value!)
  }
  return {
    name: `${inner.name} + cache of ${options.maxEntries} verified signatures`,
    stats: () => ({ hits, misses, size: valid.size }),
    importPublicKey: async (spki, algorithm) => {
      const check = await inner.importPublicKey(spki, algorithm)
      // Each imported key gets its own prefix, so one key's valid signature is never taken for another's.
      const prefix = `${keys++}|`
      const cached: PublicKeyCheck = {
        verify: (signature, data) => {
          // The signature's length makes the split between signature and data unambiguous.
          const entry = `${prefix}${signature.length}|${latin1(signature)}${latin1(data)}`
          if (valid.has(entry)) {
            hits++
            valid.delete(entry)
            valid.set(entry, true)
            return true
          }
          misses++
          const answer = check.verify(signature, data)
          if (typeof answer === "boolean") {
            if (answer) remember(entry)
            return answer
          }
          return answer.then((ok) => {
            if (ok) remember(entry)
            return ok
          })
        }
      }
      return cached
    }
  }
}
