/**
 * The pure core of bienlai: everything here is deterministic, I/O-free and
 * runs unchanged on Bun, Deno and Node.
 *
 * - Money: `parseVnd`, `formatVnd`, `formatVndDigits`, `checkVnd`, `Vnd`, `VndFromString` (docs/MONEY.md)
 * - Amounts in words: `amountInWords`, `parseAmountInWords`, `amountsAgree` (docs/MONEY.md)
 * - Identity numbers: `validateCccd`, `validateCmnd`, `validatePassport`, `validateTaxCode`,
 *   `validateIdentityNumber`, `maskIdentityNumber`, `IdentityNumberString` (docs/IDENTITY.md)
 * - Dates and case numbers: `parseVietnameseDate`, `parseDecisionNumber`, `parseJudgmentNumber`
 * - The receipt: `Receipt` schema, `decodeReceipt`, `encodeReceipt` (docs/RECEIPT.md); the series key: `seriesKey`, `parseSeriesKey`
 * - The lifecycle: `createDraft`, `editDraft`, `issue`, `voidReceipt`, `draftReplacement`,
 *   `markReplaced`, `annotate` (docs/RECEIPT.md)
 * - The canonical form: `canonicalBytes`, `canonicalJson` (docs/CANONICAL.md)
 * - Signing and verification: `verify`, the QR token (`decodeToken`, base45), status lists,
 *   the trust list, `sealReceipt`/`signToken` (docs/SIGNING.md, docs/QR-TOKEN.md); `maskName`
 * - OCR extraction: `extractFields` from OCR words and lines to fields, confidences and warnings (docs/OCR.md)
 * - Paying out: creditors and claims (`decodeClaims`), round terms, the payment-order rules by
 *   legal date (`rulesFor`), `planRound` (catch-up, rank order, largest remainder, fees),
 *   `approvePlan` (maker-checker bound to the plan's SHA-256), canonical plan and notice bytes,
 *   the line state machine (docs/PAYOUT.md)
 * - Ports: `Signer`, `Entropy`, `ReceiptStore`
 */
export * from "./text.ts"
export * from "./money.ts"
export * from "./amount-in-words.ts"
export * from "./identity.ts"
export * from "./provinces.ts"
export * from "./dates.ts"
export * from "./case-numbers.ts"
export * from "./receipt.ts"
export * from "./series-key.ts"
export * from "./lifecycle.ts"
export * from "./submission.ts"
export * from "./corrections.ts"
export * from "./canonical.ts"
export * from "./ids.ts"
export * from "./ports/signer.ts"
export * from "./ports/entropy.ts"
export * from "./ports/receipt-store.ts"
export * from "./privacy.ts"
export * from "./signing/base45.ts"
export * from "./signing/token.ts"
export * from "./signing/url.ts"
export * from "./signing/trust.ts"
export * from "./signing/status-list.ts"
export * from "./signing/verify.ts"
export * from "./signing/issue-token.ts"
export * from "./extraction/ocr-output.ts"
export * from "./extraction/extraction.ts"
export * from "./extraction/document-type.ts"
export * from "./extraction/extract.ts"
export * from "./extraction/fill-draft.ts"
export * from "./payout/index.ts"
