/** A one-day MT940 statement for tests, with balances that add up (or, on request, do not). */
export interface Mt940Entry {
  readonly amount: bigint
  readonly ref: string
  readonly memo: string
  readonly debit?: boolean
}

const yymmdd = (day: string) => day.slice(2).replaceAll("-", "")

export const mt940Statement = (o: { readonly id: string; readonly account: string; readonly day: string; readonly opening: bigint; readonly entries: ReadonlyArray<Mt940Entry>; readonly closingOff?: bigint }): string => {
  const d = yymmdd(o.day)
  const md = d.slice(2)
  let closing = o.opening
  const lines = [`:20:${o.id}`, `:25:BFTVVNVX/${o.account}`, ":28C:1/1", `:60F:C${d}VND${o.opening},`]
  for (const e of o.entries) {
    closing += e.debit === true ? -e.amount : e.amount
    lines.push(`:61:${d}${md}${e.debit === true ? "D" : "C"}${e.amount},NTRFNONREF//${e.ref}`, `:86:${e.memo}`)
  }
  lines.push(`:62F:C${d}VND${closing + (o.closingOff ?? 0n)},`, "-")
  return lines.join("\n")
}
