/**
 * A run as officers start it (API, console): match, then make a draft
 * receipt of every credit left unmatched and of every payment request's
 * credit (credit-drafts.ts), then match again, so an unmatched credit ends
 * matched to its own draft (by its bank reference, which the draft carries)
 * and the day's report counts it matched. Nothing is collected without a
 * receipt.
 */
import type { Db } from "../database/db.ts"
import { type DraftSaver, type DraftsMade, makeCreditDrafts } from "./credit-drafts.ts"
import { type RunOptions, type RunSummary, runReconciliation } from "./run.ts"

export interface RunWithDrafts extends RunSummary {
  readonly drafts: DraftsMade
}

export const runWithDrafts = async (db: Db, o: RunOptions, saver: DraftSaver): Promise<RunWithDrafts> => {
  const first = await runReconciliation(db, o)
  const drafts = await makeCreditDrafts(db, o.agency, saver)
  if (!drafts.made.some((d) => d.source !== "request")) return { ...first, drafts }
  const second = await runReconciliation(db, o)
  const byRule: Record<string, number> = { ...first.byRule }
  for (const [rule, n] of Object.entries(second.byRule)) byRule[rule] = (byRule[rule] ?? 0) + n
  return {
    credits: first.credits,
    matchedCredits: first.matchedCredits + second.matchedCredits,
    allocations: first.allocations + second.allocations,
    byRule,
    queued: second.queued,
    unmatched: second.unmatched,
    flags: second.flags,
    drafts
  }
}
