/**
 * Cryptographically secure random bytes, for receipt ids, lookup codes,
 * request ids and session ids. The domain never calls the platform's
 * generator itself, so tests can make ids deterministic and the core stays
 * pure. The implementations are in adapters/system/entropy.ts (the
 * platform's generator, and a seeded one for tests).
 */
import { Context } from "effect"
import type { Effect } from "effect"

export class Entropy extends Context.Service<Entropy, {
  readonly bytes: (length: number) => Effect.Effect<Uint8Array>
  /** The same bytes outside an Effect, for synchronous callers (a Hono middleware), as Clock's `currentTimeMillisUnsafe`. */
  readonly bytesUnsafe: (length: number) => Uint8Array
}>()("bienlai/domain/ports/Entropy") {}
