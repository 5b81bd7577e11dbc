/**
 * What a bank says about one payout line, whatever file it came in
 * (pain.002, camt.054, a CSV statement): the line by its id (the pain.001
 * end-to-end id) and whether it was paid, returned or is still pending.
 * Readers in adapters/bank produce these; the store applies them.
 */
export interface BankAnswer {
  /** Where in the bank's file: "pain.002 TxInfAndSts 3 (…)", "camt.054 entry 12 (…)". */
  readonly where: string
  readonly lineId: string
  readonly outcome: "paid" | "returned" | "pending"
  /** The bank's reference (camt AcctSvcrRef, pain.002 StsId) or the reason the line came back. */
  readonly reference?: string
  /** What the bank says it transferred, when it says. */
  readonly amount?: bigint
}
