/**
 * Debits are our payouts leaving the account: each is matched to a payout
 * line by the end-to-end id the pain.001 file gave it (the line id). A debit
 * without one, or with an id no line has, is listed as unmatched; a line
 * whose amount differs is matched and flagged with both figures.
 */
export interface Debit {
  readonly key: string
  readonly amount: bigint
  readonly endToEndId?: string
}

export interface PayoutLineRef {
  readonly id: string
  readonly amount: bigint
}

export interface DebitMatch {
  readonly debitKey: string
  readonly lineId: string
  readonly amount: bigint
  /** Set when the line asked for another amount. */
  readonly lineAmount?: bigint
}

export interface DebitResult {
  readonly matches: ReadonlyArray<DebitMatch>
  readonly unmatched: ReadonlyArray<string>
}

export const matchDebits = (debits: ReadonlyArray<Debit>, lines: ReadonlyArray<PayoutLineRef>): DebitResult => {
  const byId = new Map(lines.map((l) => [l.id, l]))
  const taken = new Set<string>()
  const matches: Array<DebitMatch> = []
  const unmatched: Array<string> = []
  for (const d of [...debits].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))) {
    const line = d.endToEndId === undefined ? undefined : byId.get(d.endToEndId)
    if (line === undefined || taken.has(line.id)) {
      unmatched.push(d.key)
      continue
    }
    taken.add(line.id)
    matches.push({ debitKey: d.key, lineId: line.id, amount: d.amount, ...(line.amount === d.amount ? {} : { lineAmount: line.amount }) })
  }
  return { matches, unmatched }
}
