/**
 * The public page a notification links to. A receipt's is its /v/ page,
 * whose address carries the QR token signed with the agency's key (the same
 * address the receipt's QR holds, docs/QR-TOKEN.md), so the link is made
 * when the message is sent, by whoever holds the Signer: the edge's process,
 * or `bienlai notify-worker` with the key store. A payout's and a payment
 * request's is the public lookup page, where the lookup code in the message
 * is entered: codes never travel in URLs (edge/pages/lookup-page.ts).
 */
import { Effect } from "effect"
import { signToken } from "../../domain/signing/issue-token.ts"
import { tokenUrl } from "../../domain/signing/url.ts"
import { isIssued } from "../../domain/receipt.ts"
import type { ReceiptStore } from "../../domain/ports/receipt-store.ts"
import { Signer } from "../../domain/ports/signer.ts"
import type { LeasedNotification } from "../../store/notifications/outbox.ts"

export type LinkOf = (row: LeasedNotification) => Promise<string>

const trimSlash = (url: string) => url.replace(/\/+$/, "")

/** Links over a receipt store and a signer (the edge's, or the worker's key store). */
export const linksOver = (publicUrl: string, store: ReceiptStore["Service"], signer: Signer["Service"]): LinkOf => async (row) => {
  if (row.subjectKind !== "receipt") return `${trimSlash(publicUrl)}/tra-cuu`
  const token = await Effect.runPromise(
    Effect.gen(function*() {
      const receipt = yield* store.get(row.agency, row.subjectId)
      if (!isIssued(receipt)) return yield* Effect.fail(new Error(`receipt ${row.subjectId} is not issued`))
      return yield* signToken(receipt)
    }).pipe(Effect.provideService(Signer, signer))
  )
  return tokenUrl(publicUrl, token)
}
