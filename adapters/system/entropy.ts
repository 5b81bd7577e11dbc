/**
 * The Entropy port (domain/ports/entropy.ts) over the platform's CSPRNG
 * (`crypto.getRandomValues`, the same on Bun, Node and Deno), and a seeded
 * double for tests that want the same ids on every run.
 */
import { Effect, Layer } from "effect"
import { Entropy } from "../../domain/ports/entropy.ts"

const platformBytes = (length: number): Uint8Array => crypto.getRandomValues(new Uint8Array(length))

export const SystemEntropy = {
  layer: Layer.succeed(Entropy, Entropy.of({ bytes: (length) => Effect.sync(() => platformBytes(length)), bytesUnsafe: platformBytes }))
}

/** xorshift32 from `seed`: deterministic, never for production (the edge would hand out guessable codes). */
export const SeededEntropy = {
  layerTest: (seed: number): Layer.Layer<Entropy> =>
    Layer.sync(Entropy, () => {
      let state = seed >>> 0 || 1
      const next = (): number => {
        state ^= state << 13
        state ^= state >>> 17
        state ^= state << 5
        return state >>> 0
      }
      const bytesUnsafe = (length: number): Uint8Array => Uint8Array.from({ length }, () => next() & 0xff)
      return Entropy.of({ bytes: (length) => Effect.sync(() => bytesUnsafe(length)), bytesUnsafe })
    })
}
