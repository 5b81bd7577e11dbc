/**
 * The QR token as stored (migration 0390): signed once, at issuance, in the
 * same row as the receipt (`receipts.qr_token`), and served as stored, since
 * an ECDSA token differs at every signing. A receipt stored without one
 * (issued before 0390, or by a writer that signed none) gets its token at
 * its first view, kept in `receipt_first_view_tokens`; the first writer
 * wins, so every view after that serves the same bytes.
 */
import type { Effect } from "effect"
import type { IssuedReceipt } from "../../domain/receipt.ts"
import type { Signer, SigningError } from "../../domain/ports/signer.ts"
import type { Sql } from "../database/db.ts"

/** Signs the QR token of an issued receipt (domain/signing/issue-token.ts `signToken`, with its Signer provided). */
export type TokenFn = (receipt: IssuedReceipt) => Effect.Effect<string, SigningError>

/**
 * The Signer port's `sign`, with the token signer the issuance path uses
 * beside it: a `sign` without `token` (a test's, say) issues receipts whose
 * token is signed at first view.
 */
export type SignWithToken = Signer["Service"]["sign"] & { readonly token?: TokenFn }

/** `sign` that also signs tokens at issuance. */
export const withTokens = (sign: Signer["Service"]["sign"], token: TokenFn): SignWithToken => Object.assign((agency: string, bytes: Uint8Array) => sign(agency, bytes), { token })

/** The stored token of an issued receipt: the one written at issuance, else the one kept at its first view; undefined when neither. */
export const storedToken = async (db: Sql, agency: string, id: string): Promise<string | undefined> =>
  (await db.query<{ token: string | null }>(
    `SELECT coalesce(r.qr_token, f.token) AS token
       FROM receipts r LEFT JOIN receipt_first_view_tokens f ON f.agency = r.agency AND f.receipt_id = r.id
      WHERE r.agency = $1::text AND r.id = $2::uuid`,
    [agency, id]
  ))[0]?.token ?? undefined

/** Keeps `token` as the receipt's unless one is kept already; returns the one kept (the first writer's). */
export const keepFirstViewToken = async (db: Sql, agency: string, id: string, token: string): Promise<string> => {
  await db.query(
    `INSERT INTO receipt_first_view_tokens (agency, receipt_id, token) VALUES ($1::text, $2::uuid, $3::text)
     ON CONFLICT (agency, receipt_id) DO NOTHING`,
    [agency, id, token]
  )
  // A second statement, so its snapshot sees a concurrent first writer's row that made the insert do nothing.
  return (await storedToken(db, agency, id)) ?? token
}
