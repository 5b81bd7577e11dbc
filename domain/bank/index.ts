/**
 * Bank formats and identifiers, pure (docs/BANK-FORMATS.md):
 * - the NAPAS BIN list and BIN / account-number checks (`banks`, `bankByBin`, `checkBin`, `checkAccountNumber`, `checkBankAccount`)
 * - VietQR (`encodeVietQr`, `decodeVietQr`) with CRC-16/CCITT-FALSE
 * - the pain.001.001.09 writer (`pain001Chunks`, `pain001ChunksAsync`, `pain001Document`, `checkPain001Line`)
 * - one statement model for every reader (`StatementEvent`, `StatementEntry`, `BankFileRefused`) and the balance check
 * - the MT940 reader, CSV records and the CSV/XLSX column mapping (`readMt940`, `createMappedStatementReader`, `parseStatementMapping`)
 * - pain.002 status meanings (`statusMeaning`)
 * The XML readers (camt.053, camt.054, pain.002) and file I/O are in adapters/bank/.
 */
export * from "./account-number.ts"
export * from "./banks.ts"
export * from "./crc16.ts"
export * from "./csv.ts"
export * from "./decimal-amount.ts"
export * from "./emv-tlv.ts"
export * from "./id-set.ts"
export * from "./iso-text.ts"
export * from "./mapped-statement.ts"
export * from "./mt940.ts"
export * from "./pain001.ts"
export * from "./payment-status.ts"
export * from "./statement.ts"
export * from "./statement-mapping.ts"
export * from "./statement-tally.ts"
export * from "./vietqr.ts"
