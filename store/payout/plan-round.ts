/**
 * Planning a round in the store: the case's claims and the history of its
 * approved rounds are read, `planRound` (domain/payout/allocate.ts) makes
 * the plan, and the round, its planned header (exactly the canonical bytes
 * the approver will hash) and its lines are stored in one transaction, the
 * lines with COPY. Each claim's own line gets the lookup code of its payout
 * notice.
 */
import { Result } from "effect"
import { canonicalJson } from "../../domain/canonical.ts"
import { planRound } from "../../domain/payout/allocate.ts"
import { ClaimTable } from "../../domain/payout/claim-table.ts"
import { planDigests, plannedContent } from "../../domain/payout/canonical.ts"
import { LINE_KINDS, lineId, type PayoutPlan, SETTLEMENTS } from "../../domain/payout/plan.ts"
import { ratioText } from "../../domain/payout/ratio.ts"
import { encodeRoundTerms, type RoundTerms } from "../../domain/payout/round.ts"
import type { Db } from "../database/db.ts"
import { readClaimTable } from "./claims.ts"
import { PayoutRefused, refused, timeoutFor } from "./errors.ts"
import { historyFromStore } from "./history.ts"
import { nativeSha256 } from "./native-hash.ts"
import { collectGarbage } from "./collect-garbage.ts"

export interface PlanInput {
  readonly terms: RoundTerms
  readonly planner: string
  readonly now: string
  /** The plan's id: a random UUID (the first 12 hex digits prefix every line id). */
  readonly id: string
  /** A fresh random lookup code (domain/ids.ts) for each creditor's notice. */
  readonly newLookupCode: () => string
  /** Told as each step begins ("reading claims", "planning", "hashing", "storing"). */
  readonly step?: (name: string) => void
}

export interface StoredPlan {
  readonly plan: PayoutPlan
  readonly plannedHeader: string
  readonly planSha256: string
  readonly linesSha256: string
}

/** Loads from this many rows on refresh the table's statistics. */
export const ANALYZE_FROM = 10_000

const LINE_COLUMNS = [
  "agency", "round_id", "line_no", "line_id", "claim_id", "rank", "kind", "for_round", "grp", "ratio",
  "base", "amount", "fee", "settlement", "lookup_code"
] as const

async function* lineRows(plan: PayoutPlan, newLookupCode: () => string): AsyncGenerator<string> {
  const l = plan.lines
  const agency = plan.terms.agency
  const prefix = lineId(plan.id, 0).slice(0, 13)
  const ratios = plan.ratios.map((r) => `${r.round}\t${r.group}\t${ratioText(r.ratio)}`)
  const roundKind = LINE_KINDS.indexOf("round")
  let text = ""
  let chunks = 0
  const claims = plan.claims
  const table = claims instanceof ClaimTable ? claims : undefined
  for (let i = 0; i < l.count; i++) {
    const c = l.claim[i]!
    const claimId = table !== undefined ? table.id(c) : claims.at(c)!.id
    const rank = table !== undefined ? table.rank(c) : claims.at(c)!.rank
    const own = l.kind[i] === roundKind
    // Claim ids are [A-Za-z0-9._:-] and every other value is a digit string or a fixed word: nothing to escape for COPY.
    text += `${agency}\t${plan.id}\t${i + 1}\t${prefix}${String(i + 1).padStart(7, "0")}\t${claimId}\t${rank}\t${LINE_KINDS[l.kind[i]!]}\t${
      ratios[l.ratio[i]!]
    }\t${l.base[i]}\t${l.amount[i]}\t${l.fee[i]}\t${SETTLEMENTS[l.settlement[i]!]}\t${own ? newLookupCode() : "\\N"}\n`
    if (text.length > 1 << 20) {
      yield text
      text = ""
      // The rows written are garbage once sent; collected every 16 MB (see collect-garbage.ts): every 64 MB,
      // storing a million lines still raised the peak RSS from 452 to 495 MB.
      if (++chunks % 16 === 0) collectGarbage()
    }
  }
  if (text !== "") yield text
}

/** Plans the next round of a case and stores it, planned; refuses with the planner's reason. */
export const planAndStoreRound = async (db: Db, input: PlanInput): Promise<StoredPlan> => {
  const { terms } = input
  const step = input.step ?? (() => {})
  const pending = await db.query<{ round: number }>(
    "SELECT round FROM payout_rounds WHERE agency = $1::text AND case_decision = $2::text AND status = 'planned'",
    [terms.agency, terms.caseDecision]
  )
  if (pending.length > 0) {
    throw refused("not_planned", `round ${pending[0]!.round} of case ${terms.caseDecision} is planned but not approved; have it approved before planning the next round`)
  }
  step("reading claims")
  const claims = await readClaimTable(db, terms.agency, terms.caseDecision)
  if (claims.length === 0) throw refused("plan_refused", `case ${terms.caseDecision} of agency ${terms.agency} has no creditors; import the creditor list first`)
  const history = await historyFromStore(db, terms.agency, terms.caseDecision)
  collectGarbage()
  step("planning")
  const planned = planRound(claims, history, terms, { id: input.id, planner: input.planner, now: input.now })
  if (Result.isFailure(planned)) {
    // The planner's own reason is kept as the problem's `where`, so pages can say it in Vietnamese (edge/officers/payout-refusals.ts).
    const f = planned.failure
    throw new PayoutRefused({ reason: "plan_refused", message: f.message, problems: [{ where: String(f.reason), message: f.message }] })
  }
  const plan = planned.success
  collectGarbage()
  step("hashing")
  const digests = planDigests(plan, nativeSha256)
  const plannedHeader = canonicalJson(plannedContent(plan, digests.linesSha256))
  collectGarbage()
  step("storing")
  await db.transaction(async (tx) => {
    await tx.query("SELECT set_config('bienlai.actor', $1::text, true)", [input.planner])
    await tx.query(
      `INSERT INTO payout_rounds (agency, id, case_decision, round, status, rules, terms, planned_header, plan_sha256, lines_sha256,
                                  line_count, paid, fee, planner, planned_at)
       VALUES ($1::text, $2::uuid, $3::text, $4::integer, 'planned', $5::text, $6::text::jsonb, $7::text, $8::text, $9::text,
               $10::integer, $11::bigint, $12::bigint, $13::text, $14::timestamptz)`,
      [
        terms.agency, plan.id, terms.caseDecision, terms.round, plan.rules, JSON.stringify(encodeRoundTerms(terms)), plannedHeader,
        digests.planSha256, digests.linesSha256, plan.lines.count, plan.totals.paid.toString(), plan.totals.fee.toString(),
        input.planner, input.now
      ]
    )
    await tx.copyIn("payout_lines", LINE_COLUMNS, lineRows(plan, input.newLookupCode))
  }, timeoutFor(plan.lines.count))
  // Fresh statistics after a large load: without them the planner joins a round's lines to their claims
  // (bank export) by scanning, which took minutes for 43,108 lines instead of a fraction of a second. The vacuum
  // marks the new pages all-visible, so approving (an update of every line) does not first visit the commit log.
  if (plan.lines.count >= ANALYZE_FROM) await db.exec("VACUUM (ANALYZE) payout_lines")
  return { plan, plannedHeader, planSha256: digests.planSha256, linesSha256: digests.linesSha256 }
}
