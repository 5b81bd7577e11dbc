/**
 * Sharing a sum of money in proportion, in whole đồng, by the largest
 * remainder method (Hamilton's method).
 *
 * Everyone first gets ⌊total × weight / W⌋ (W the sum of the weights). The
 * đồng left over, fewer than the number of sharers, go one each to the
 * largest remainders. Ties are broken deterministically:
 *   1. larger remainder first (it is the larger fraction of a đồng missing);
 *   2. then larger weight (the larger claim);
 *   3. then smaller position, and callers list sharers by claim id, so the
 *      smaller claim id.
 * So the shares add up to the total exactly, each is within one đồng of the
 * exact proportion (⌊exact⌋ or ⌈exact⌉), and nobody gets more than their
 * weight when the total does not exceed W.
 *
 * One known property of every largest-remainder method: it is not monotone
 * in the total by the last đồng (the "Alabama paradox"). Sharing 11 đồng
 * over claims of 6, 6 and 2 gives 5, 5, 1, while 10 đồng gives 4, 4, 2. The
 * drop is at most one đồng and only where the exact share did not grow by a
 * whole đồng; docs/PAYOUT.md explains why bienlai accepts it.
 */

/** Largest sum of weights for which remainders fit a double exactly (2^53). */
const EXACT_AS_NUMBER = 2n ** 53n

/**
 * Shares `total` over `weights` (each ≥ 0, listed in tie-break order), with
 * 0 ≤ total ≤ Σ weights. Returns one share per weight.
 */
export const apportion = (total: bigint, weights: ReadonlyArray<bigint>): Array<bigint> => {
  let sum = 0n
  for (const w of weights) {
    if (w < 0n) throw new RangeError("apportion: a weight is negative")
    sum += w
  }
  if (total < 0n || total > sum) throw new RangeError(`apportion: total ${total} is outside 0..${sum}`)
  const n = weights.length
  const shares = new Array<bigint>(n)
  if (total === sum) {
    for (let i = 0; i < n; i++) shares[i] = weights[i]!
    return shares
  }
  const remainders = new Array<bigint>(n)
  let given = 0n
  for (let i = 0; i < n; i++) {
    const product = total * weights[i]!
    const share = product / sum
    shares[i] = share
    remainders[i] = product - share * sum
    given += share
  }
  const left = Number(total - given)
  if (left === 0) return shares

  const candidates: Array<number> = []
  for (let i = 0; i < n; i++) if (remainders[i]! > 0n) candidates.push(i)
  // Comparing doubles is far cheaper than comparing bigints; it is exact while
  // every remainder and weight is below 2^53, which covers any real case.
  if (sum < EXACT_AS_NUMBER) {
    const rem = new Float64Array(n)
    const wt = new Float64Array(n)
    for (const i of candidates) {
      rem[i] = Number(remainders[i]!)
      wt[i] = Number(weights[i]!)
    }
    candidates.sort((a, b) => rem[b]! - rem[a]! || wt[b]! - wt[a]! || a - b)
  } else {
    candidates.sort((a, b) => {
      const ra = remainders[a]!
      const rb = remainders[b]!
      if (ra !== rb) return ra > rb ? -1 : 1
      const wa = weights[a]!
      const wb = weights[b]!
      if (wa !== wb) return wa > wb ? -1 : 1
      return a - b
    })
  }
  for (let k = 0; k < left; k++) {
    const i = candidates[k]!
    shares[i] = shares[i]! + 1n
  }
  return shares
}
