/**
 * The public page a notification links to. A receipt's is its /v/ page,
 * whose address carries the QR token signed with the agency's key (the same
 * address the receipt's QR holds, docs/QR-TOKEN.md), so the link is made
 * when the message is sent, by whoever holds the Signer: the edge's process,
 * or `bienlai notify-worker` with the key store. A payout's is the
 * creditors' portal (/tra-cuu-chi-tra: the payout notice, its lines' states
 * and its QR), a payment request's the receipts' lookup page (/tra-cuu);
 * either way the lookup code in the message is entered there with the
 * identity number: codes never travel in URLs (edge/pages/lookup-page.ts).
 *
 * The token is the one stored with the receipt (migration 0390), so the
 * message links to exactly the address the receipt's QR holds; a receipt
 * stored without one gets its token signed now and kept as its first-view
 * token (store/receipts/qr-token.ts), as the public pages do. Links are made
 * a batch at a time: the batch's receipts and tokens are read at once.
 */
import { Effect } from "effect"
import { signToken } from "../../domain/signing/issue-token.ts"
import { tokenUrl } from "../../domain/signing/url.ts"
import { Signer } from "../../domain/ports/signer.ts"
import type { Sql } from "../../store/database/db.ts"
import type { LeasedNotification } from "../../store/notifications/outbox.ts"
import { issuedReceiptsByKey } from "../../store/notifications/subjects.ts"
import { keepFirstViewToken } from "../../store/receipts/qr-token.ts"

export type LinkOf = (row: LeasedNotification) => Promise<string>

/** Makes the link function for one leased batch. */
export type LinksFor = (rows: ReadonlyArray<LeasedNotification>) => Promise<LinkOf>

const trimSlash = (url: string) => url.replace(/\/+$/, "")

/**
 * Links over the database and a signer (the edge's, or the worker's key
 * store), asked for only when a batch holds a receipt without a stored token.
 */
export const linksOver = (publicUrl: string, sql: Sql, signerOf: () => Promise<Signer["Service"]>): LinksFor => async (rows) => {
  const receiptRows = rows.filter((r) => r.subjectKind === "receipt")
  const receipts = await issuedReceiptsByKey(sql, receiptRows.map((r) => ({ agency: r.agency, id: r.subjectId })))
  const signer = [...receipts.values()].some((r) => r.token === undefined) ? await signerOf() : undefined
  return async (row) => {
    if (row.subjectKind === "payout") return `${trimSlash(publicUrl)}/tra-cuu-chi-tra`
    if (row.subjectKind !== "receipt") return `${trimSlash(publicUrl)}/tra-cuu`
    const subject = receipts.get(row.subjectId)
    if (subject === undefined || subject.receipt.agency !== row.agency) throw new Error(`receipt ${row.subjectId} of ${row.agency} is not issued`)
    if (subject.token !== undefined) return tokenUrl(publicUrl, subject.token)
    if (signer === undefined) throw new Error("no signer")
    const signed = await Effect.runPromise(signToken(subject.receipt).pipe(Effect.provideService(Signer, signer)))
    return tokenUrl(publicUrl, await keepFirstViewToken(sql, row.agency, row.subjectId, signed))
  }
}
