/**
 * The public page a notification links to. A receipt's is its /v/ page,
 * whose address carries the QR token signed with the agency's key (the same
 * address the receipt's QR holds, docs/QR-TOKEN.md), so the link is made
 * when the message is sent, by whoever holds the Signer: the edge's process,
 * or `bienlai notify-worker` with the key store. A payout's and a payment
 * request's is the public lookup page, where the lookup code in the message
 * is entered: codes never travel in URLs (edge/pages/lookup-page.ts).
 *
 * Links are made a batch at a time: the batch's receipts are read in one
 * query, then each token is signed.
 */
import { Effect } from "effect"
import { signToken } from "../../domain/signing/issue-token.ts"
import { tokenUrl } from "../../domain/signing/url.ts"
import { Signer } from "../../domain/ports/signer.ts"
import type { Sql } from "../../store/database/db.ts"
import type { LeasedNotification } from "../../store/notifications/outbox.ts"
import { issuedReceiptsByKey } from "../../store/notifications/subjects.ts"

export type LinkOf = (row: LeasedNotification) => Promise<string>

/** Makes the link function for one leased batch. */
export type LinksFor = (rows: ReadonlyArray<LeasedNotification>) => Promise<LinkOf>

const trimSlash = (url: string) => url.replace(/\/+$/, "")

/**
 * Links over the database and a signer (the edge's, or the worker's key
 * store), asked for only when a batch holds a receipt.
 */
export const linksOver = (publicUrl: string, sql: Sql, signerOf: () => Promise<Signer["Service"]>): LinksFor => async (rows) => {
  const receiptRows = rows.filter((r) => r.subjectKind === "receipt")
  const receipts = await issuedReceiptsByKey(sql, receiptRows.map((r) => ({ agency: r.agency, id: r.subjectId })))
  const signer = receiptRows.length === 0 ? undefined : await signerOf()
  return async (row) => {
    if (row.subjectKind !== "receipt") return `${trimSlash(publicUrl)}/tra-cuu`
    const receipt = receipts.get(row.subjectId)
    if (receipt === undefined || receipt.agency !== row.agency) throw new Error(`receipt ${row.subjectId} of ${row.agency} is not issued`)
    if (signer === undefined) throw new Error("no signer")
    const token = await Effect.runPromise(signToken(receipt).pipe(Effect.provideService(Signer, signer)))
    return tokenUrl(publicUrl, token)
  }
}
