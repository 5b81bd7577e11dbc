import { describe, expect, test } from "bun:test"
import fc from "fast-check"
import { createIdSet } from "../../domain/bank/id-set.ts"

describe("the compact id set", () => {
  test("model: behaves as a Set of strings under any sequence of adds", () => {
    const id = fc.string({ unit: fc.constantFrom(..."AB01-/"), maxLength: 6 })
    fc.assert(
      fc.property(fc.array(id, { maxLength: 3000 }), (ids) => {
        const ours = createIdSet()
        const model = new Set<string>()
        for (const i of ids) {
          const fresh = !model.has(i)
          model.add(i)
          expect(ours.add(i)).toBe(fresh)
        }
        expect(ours.size()).toBe(model.size)
      }),
      { numRuns: 100 }
    )
  })

  test("holds a million ids and still finds the repeated one", () => {
    const set = createIdSet()
    let refused = 0
    for (let i = 1; i <= 1_000_000; i++) if (!set.add(`PAY-${i}`)) refused++
    expect(refused).toBe(0)
    expect(set.add("PAY-777777")).toBe(false)
    expect(set.add("PAY-1000001")).toBe(true)
    expect(set.size()).toBe(1_000_001)
  })

  test("refuses what it cannot hold exactly", () => {
    expect(() => createIdSet().add("Đ")).toThrow("ASCII")
  })
})
