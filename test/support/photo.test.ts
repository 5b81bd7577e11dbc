/** The perspective distortion of the test photos sends each corner where it was asked to. */
import { describe, expect, test } from "bun:test"
import fc from "fast-check"
import { homography } from "./photo.ts"

const apply = (m: ReadonlyArray<number>, [x, y]: readonly [number, number]): [number, number] => {
  const z = m[6]! * x + m[7]! * y + m[8]!
  return [(m[0]! * x + m[1]! * y + m[2]!) / z, (m[3]! * x + m[4]! * y + m[5]!) / z]
}

describe("homography", () => {
  test("maps each of four corners to its target (corners moved by up to 20% of the side)", () => {
    const nudge = fc.tuple(fc.integer({ min: -80, max: 80 }), fc.integer({ min: -80, max: 80 }))
    fc.assert(
      fc.property(fc.tuple(nudge, nudge, nudge, nudge), (moves) => {
        const from: ReadonlyArray<readonly [number, number]> = [[0, 0], [399, 0], [0, 399], [399, 399]]
        const to = from.map(([x, y], i) => [x + moves[i]![0], y + moves[i]![1]] as const)
        const m = homography(from, to)
        from.forEach((p, i) => {
          const [u, v] = apply(m, p)
          expect(u).toBeCloseTo(to[i]![0], 6)
          expect(v).toBeCloseTo(to[i]![1], 6)
        })
      })
    )
  })
})
