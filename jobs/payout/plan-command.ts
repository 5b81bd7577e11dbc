/**
 * `bienlai payout plan`: plans the next round of a case from the stored
 * claims and the approved rounds, stores it planned, and prints the SHA-256
 * an approver must name (`bienlai payout approve --sha256`).
 */
import { Result } from "effect"
import { lookupCodeFromBytes } from "../../domain/ids.ts"
import { parseVnd } from "../../domain/money.ts"
import { decodeRoundTerms } from "../../domain/payout/round.ts"
import { planAndStoreRound } from "../../store/payout/plan-round.ts"
import { nextRoundOf } from "../../store/payout/report.ts"
import { type Fail, nowIso, stepTimer, vnd, withDb } from "./context.ts"
import { authenticateOfficer } from "./officer-identity.ts"

export interface PlanFlags {
  readonly agency: string
  readonly caseDecision: string
  readonly round?: string
  readonly legalDate: string
  readonly available: string
  readonly ratio?: string
  readonly fee?: string
  readonly costs?: string
  readonly housing?: string
  readonly coercion?: string
  readonly coercionDate?: string
  readonly securedAsset?: string
  readonly schema: string | undefined
  readonly json: boolean
}

/** Amounts as people type them ("1.000.000") into the digit strings the terms take. */
const digits = (text: string | undefined): string => {
  if (text === undefined) return "0"
  const parsed = parseVnd(text)
  return Result.isSuccess(parsed) ? parsed.success.toString(10) : text
}

/** waived | circular216[:BASE_SALARY] | flat:RATE */
const feeOf = (text: string | undefined): unknown => {
  if (text === undefined || text === "waived") return { kind: "waived" }
  if (text.startsWith("circular216")) return { kind: "circular_216_2016", baseSalary: digits(text.split(":")[1] ?? "2340000") }
  if (text.startsWith("flat:")) return { kind: "flat_rate", rate: text.slice(5) }
  return { kind: text }
}

export const runPlan = async (flags: PlanFlags, fail: Fail): Promise<number> =>
  withDb(flags.schema, fail, async (db) => {
    const planner = (await authenticateOfficer(db, flags.agency, "plan", new Date())).officer
    const round = flags.round === undefined ? await nextRoundOf(db, flags.agency, flags.caseDecision) : Number(flags.round)
    const terms = decodeRoundTerms({
      agency: flags.agency,
      caseDecision: flags.caseDecision,
      round,
      legalDate: flags.legalDate,
      available: digits(flags.available),
      deductions: { enforcementCosts: digits(flags.costs), housing: digits(flags.housing) },
      allocation: flags.ratio === undefined ? { method: "pro_rata" } : { method: "ratio", ratio: flags.ratio },
      fee: feeOf(flags.fee),
      ...(flags.coercion === undefined ? {} : { coercion: { decisionNumber: flags.coercion, decisionDate: flags.coercionDate ?? "" } }),
      ...(flags.securedAsset === undefined ? {} : { securedAsset: flags.securedAsset })
    })
    if (Result.isFailure(terms)) return fail(terms.failure.message, 1)
    const step = stepTimer("plan")
    const stored = await planAndStoreRound(db, {
      terms: terms.success,
      planner,
      now: nowIso(),
      id: crypto.randomUUID(),
      newLookupCode: () => lookupCodeFromBytes(crypto.getRandomValues(new Uint8Array(8))),
      step
    })
    step.done()
    const t = stored.plan.totals
    if (flags.json) {
      console.log(JSON.stringify({
        planner, roundId: stored.plan.id, round, planSha256: stored.planSha256, lines: stored.plan.lines.count,
        paid: t.paid.toString(), fee: t.fee.toString(), net: t.net.toString(), unallocated: t.unallocated.toString()
      }))
    } else {
      console.log(`${planner} planned round ${round} of case ${flags.caseDecision}: ${stored.plan.lines.count} lines paying ${vnd(t.paid)} (fee ${vnd(t.fee)}, net ${vnd(t.net)}, left for later ${vnd(t.unallocated)})`)
      console.log(`round id ${stored.plan.id}`)
      console.log(`plan SHA-256 ${stored.planSha256}  (another officer approves it naming this hash after reviewing \`bienlai payout show\`)`)
    }
    return 0
  })
