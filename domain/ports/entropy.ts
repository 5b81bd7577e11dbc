/**
 * Cryptographically secure random bytes, for receipt ids and lookup codes.
 * The domain never calls the platform's generator itself, so tests can make
 * ids deterministic and the core stays pure.
 */
import { Context } from "effect"
import type { Effect } from "effect"

export class Entropy extends Context.Service<Entropy, {
  readonly bytes: (length: number) => Effect.Effect<Uint8Array>
}>()("bienlai/domain/ports/Entropy") {}
