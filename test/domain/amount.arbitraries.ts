/** Amounts biased towards the shapes that break formatters and word readers. */
import * as fc from "fast-check"
import { MAX_VND } from "../../domain/money.ts"

// Five groups of three digits, each drawn towards zeros, teens, the words that
// change form (1, 4, 5 after tens) and full groups, so every branch is reached.
const group = fc.oneof(
  fc.constantFrom<bigint>(0n, 0n, 1n, 4n, 5n, 10n, 11n, 14n, 15n, 21n, 24n, 25n, 100n, 101n, 105n, 110n, 115n, 999n),
  fc.bigInt({ min: 0n, max: 999n })
)

export const trickyAmountArbitrary: fc.Arbitrary<bigint> = fc.oneof(
  fc.bigInt({ min: 0n, max: MAX_VND - 1n }),
  fc.bigInt({ min: 0n, max: 2_000n }),
  fc.array(group, { minLength: 5, maxLength: 5 }).map((gs) => gs.reduce((sum, g) => sum * 1_000n + g, 0n)),
  fc.constantFrom(0n, 1n, 10n, 999n, 1_000n, 1_000_000n, 1_000_000_000n, 10n ** 12n, MAX_VND - 1n)
)
