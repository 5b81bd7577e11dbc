/**
 * The SignatureVerifier the program runs with: the fastest primitive of the
 * runtime (fastest.ts), behind a cache of verified signatures unless
 * `cacheSize` is 0 (verified-cache.ts; a receipt scanned again is not
 * verified again, which matters most in Deno).
 */
import { Layer } from "effect"
import { SignatureVerifier } from "../../domain/ports/signature-verifier.ts"
import { fastestVerifier } from "./fastest.ts"
import { verifiedCache } from "./verified-cache.ts"

export const FastestVerifier = {
  layer: (options: { readonly cacheSize: number }): Layer.Layer<SignatureVerifier> =>
    Layer.sync(SignatureVerifier, () =>
      options.cacheSize > 0 ? verifiedCache(fastestVerifier(), { maxEntries: options.cacheSize }) : fastestVerifier())
}
