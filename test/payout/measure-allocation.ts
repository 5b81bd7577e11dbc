/**
 * Measures the pure allocation (planRound), the plan's SHA-256 (all lines
 * serialised and hashed) and the history fold, for 43,108 and 1,000,000
 * synthetic creditors: time and memory. Not a test; run by hand:
 *
 *   node_modules/.bin/bun test/payout/measure-allocation.ts [count ...]
 *
 * Prints one JSON line per size.
 */
import { createHash } from "node:crypto"
import { Result } from "effect"
import { historyOf, NO_HISTORY, planRound, planSha256, approvePlan } from "../../domain/payout/index.ts"
import { syntheticCreditors, ratioRound } from "./hcmc-case.ts"

const mb = (bytes: number) => Math.round(bytes / 1048576)
const gc = () => (globalThis as { Bun?: { gc(force: boolean): void } }).Bun?.gc(true)
const heap = () => {
  gc()
  return process.memoryUsage().heapUsed
}

/** Wall and CPU milliseconds of `f` (CPU time is what counts on a shared, loaded machine). */
const timed = <A>(f: () => A): { value: A; wall: number; cpu: number } => {
  const cpu = process.cpuUsage()
  const t = performance.now()
  const value = f()
  const used = process.cpuUsage(cpu)
  return { value, wall: Math.round(performance.now() - t), cpu: Math.round((used.user + used.system) / 1000) }
}
let peak = 0
const sample = () => (peak = Math.max(peak, process.memoryUsage().rss))

const sizes = process.argv.slice(2).map(Number)
for (const count of sizes.length > 0 ? sizes : [43_108, 1_000_000]) {
  const total = BigInt(count) * 697_800_000n
  const claims = syntheticCreditors(count, total, { noAccount: Math.round(count * 0.0224) })
  const heapClaims = heap()
  const rssBefore = process.memoryUsage().rss

  const ctx = (n: number, day: string) => ({ id: `0badc0de-0000-4000-8000-00000000000${n}`, planner: "a.b", now: `${day}T02:00:00.000Z` })
  const ratio = timed(() => Result.getOrThrow(planRound(claims, NO_HISTORY, ratioRound(1, "24.81%", { kind: "waived" }, total), ctx(1, "2025-07-20"))))
  sample()
  const heapPlan = heap()
  const proRata = timed(() =>
    Result.getOrThrow(
      planRound(
        claims,
        NO_HISTORY,
        { ...ratioRound(1, "1%", { kind: "circular_216_2016", baseSalary: 2_340_000n }, 248_146_349_020n), allocation: { method: "pro_rata" } },
        ctx(2, "2025-07-20")
      )
    )
  )
  sample()
  const sha = timed(() => planSha256(ratio.value))
  sample()
  const nativeHash = () => {
    const h = createHash("sha256")
    return { update: (d: Uint8Array) => h.update(d), digestHex: () => h.digest("hex") }
  }
  const shaNative = timed(() => planSha256(ratio.value, nativeHash))
  if (shaNative.value !== sha.value) throw new Error("native and pure SHA-256 disagree")
  sample()
  const approved = Result.getOrThrow(approvePlan(ratio.value, { approver: "c.d", planSha256: sha.value, now: "2025-07-20T03:00:00.000Z" }))
  const history = timed(() => historyOf([approved]))
  sample()
  const second = timed(() => Result.getOrThrow(planRound(claims, history.value, ratioRound(2, "2.4553%", { kind: "waived" }, total), ctx(3, "2025-07-21"))))
  sample()
  const ratioPlan = ratio.value
  console.log(JSON.stringify({
    creditors: count,
    ms_plan_ratio_round: { wall: ratio.wall, cpu: ratio.cpu },
    ms_plan_pro_rata_round_with_fee: { wall: proRata.wall, cpu: proRata.cpu },
    ms_plan_sha256: { wall: sha.wall, cpu: sha.cpu },
    ms_plan_sha256_native_hash: { wall: shaNative.wall, cpu: shaNative.cpu },
    ms_history_fold: { wall: history.wall, cpu: history.cpu },
    ms_plan_round_2_with_history: { wall: second.wall, cpu: second.cpu },
    mb_heap_claims: mb(heapClaims),
    mb_heap_one_plan: mb(heapPlan - heapClaims),
    mb_rss_before_planning: mb(rssBefore),
    mb_rss_peak: mb(peak),
    paid_exact: proRata.value.totals.paid === 248_146_349_020n && ratioPlan.lines.amount.reduce((s, a) => s + a, 0n) === ratioPlan.totals.paid
  }))
}
