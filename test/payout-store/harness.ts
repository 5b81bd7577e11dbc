/**
 * Shared steps of the payout store tests: a case imported, a round planned
 * and approved through the store as the CLI does it.
 */
import { lookupCodeFromBytes } from "../../domain/ids.ts"
import type { Claim, RoundTerms } from "../../domain/payout/index.ts"
import type { Db } from "../../store/database/db.ts"
import { approveRound } from "../../store/payout/approve-round.ts"
import { importClaims } from "../../store/payout/claims.ts"
import { planAndStoreRound, type StoredPlan } from "../../store/payout/plan-round.ts"
import type { SignFn } from "../../store/receipts/issuance.ts"
import { APPROVER, PLANNER } from "../payout/fixtures.ts"

export { APPROVER, PLANNER }
export const CASE = "3699/QĐ-CTHADS"

export const newLookupCode = (): string => lookupCodeFromBytes(crypto.getRandomValues(new Uint8Array(8)))

export const importCase = (db: Db, claims: ReadonlyArray<Claim>, agency = "HCM", caseDecision = CASE) =>
  importClaims(db, claims, { agency, caseDecision, by: PLANNER, now: "2025-06-20T01:00:00.000Z" })

export const plannedAt = (terms: RoundTerms): string => `${terms.legalDate}T02:00:00.000Z`
export const approvedAt = (terms: RoundTerms): string => `${terms.legalDate}T03:00:00.000Z`

export const planStored = (db: Db, terms: RoundTerms, id: string = crypto.randomUUID()): Promise<StoredPlan> =>
  planAndStoreRound(db, { terms, planner: PLANNER, now: plannedAt(terms), id, newLookupCode })

export const approveStored = (db: Db, sign: SignFn, stored: StoredPlan) =>
  approveRound(db, sign, {
    agency: stored.plan.terms.agency,
    roundId: stored.plan.id,
    approver: APPROVER,
    planSha256: stored.planSha256,
    now: approvedAt(stored.plan.terms)
  })

/** Runs `body` and gives back the error it throws (or fails the test if it does not). */
export const failure = async (body: () => Promise<unknown>): Promise<Error & { reason?: string; code?: string }> => {
  try {
    await body()
  } catch (e) {
    return e as Error
  }
  throw new Error("expected a refusal, but it succeeded")
}
