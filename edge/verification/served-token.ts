/**
 * The QR token a receipt is shown with (console, API, PDF): always the one
 * stored for it (store/receipts/qr-token.ts), never a new signature, so the
 * same receipt shows the same QR code at every view. A receipt stored
 * without one (issued before migration 0390) has its token signed at its
 * first view and kept: from then on it is served as stored too.
 */
import type { IssuedReceipt } from "../../domain/receipt.ts"
import { signToken } from "../../domain/signing/issue-token.ts"
import { keepFirstViewToken, storedToken } from "../../store/receipts/qr-token.ts"
import type { EdgeServices } from "../services.ts"

export const servedToken = async (s: EdgeServices, receipt: IssuedReceipt): Promise<string> => {
  const stored = await storedToken(s.db, receipt.agency, receipt.id)
  if (stored !== undefined) return stored
  return keepFirstViewToken(s.db, receipt.agency, receipt.id, await s.run(signToken(receipt)))
}
