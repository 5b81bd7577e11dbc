/** A request of the group issuer: validated, waiting for its group, answered exactly once. */
import type { Result } from "effect"
import type { IssuedReceipt } from "../../../domain/receipt.ts"
import type { IssueError } from "../../../domain/ports/receipt-store.ts"
import type { Prepared } from "../issuance.ts"

export type Outcome = Result.Result<IssuedReceipt, IssueError>

export interface Pending extends Prepared {
  readonly resolve: (outcome: Outcome) => void
}
