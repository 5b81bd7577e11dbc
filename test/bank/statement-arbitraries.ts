/**
 * Generated statements for property tests and streaming tests: entries with
 * whole-đồng amounts, references and memos, and the balances that make them
 * add up. Writers for MT940 here are test helpers; camt and CSV writers live
 * beside them in this folder.
 */
import fc from "fast-check"
import type { Direction } from "../../domain/bank/statement.ts"

export interface GeneratedEntry {
  readonly date: string
  readonly amount: bigint
  readonly direction: Direction
  readonly reference: string
  readonly endToEndId?: string
  readonly memo: string
  readonly counterpartyName?: string
  readonly counterpartyAccount?: string
}

export interface GeneratedStatement {
  readonly id: string
  readonly account: string
  readonly date: string
  readonly opening: bigint
  readonly entries: ReadonlyArray<GeneratedEntry>
}

export const closingOf = (s: GeneratedStatement): bigint =>
  s.entries.reduce((b, e) => (e.direction === "credit" ? b + e.amount : b - e.amount), s.opening)

const alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
const token = (min: number, max: number) => fc.string({ unit: fc.constantFrom(...alnum), minLength: min, maxLength: max })
const memoArbitrary = fc.array(token(1, 12), { minLength: 1, maxLength: 8 }).map((words) => words.join(" "))

export const amountArbitrary = fc.oneof(
  fc.bigInt({ min: 1n, max: 999_999n }),
  fc.bigInt({ min: 1_000_000n, max: 10n ** 12n }),
  fc.bigInt({ min: 10n ** 12n, max: 10n ** 15n - 1n })
)

export const entryArbitrary = (date: string): fc.Arbitrary<GeneratedEntry> =>
  fc.record({
    date: fc.constant(date),
    amount: amountArbitrary,
    direction: fc.constantFrom("credit" as const, "debit" as const),
    reference: token(6, 16).map((s) => `FT${s}`.slice(0, 16)),
    endToEndId: fc.option(token(4, 16).map((s) => `PAY${s}`.slice(0, 16)), { nil: undefined }),
    memo: memoArbitrary,
    counterpartyName: fc.option(fc.array(token(2, 8), { minLength: 2, maxLength: 4 }).map((w) => w.join(" ")), { nil: undefined }),
    counterpartyAccount: fc.option(fc.string({ unit: fc.constantFrom(..."0123456789"), minLength: 8, maxLength: 14 }).map((s) => `1${s}`), { nil: undefined })
  }).map((e) => Object.fromEntries(Object.entries(e).filter(([, v]) => v !== undefined)) as unknown as GeneratedEntry)

export const statementArbitrary: fc.Arbitrary<GeneratedStatement> = fc
  .record({
    id: token(4, 16),
    account: fc.string({ unit: fc.constantFrom(..."0123456789"), minLength: 9, maxLength: 13 }).map((s) => `0${s}`),
    day: fc.integer({ min: 1, max: 28 }),
    month: fc.integer({ min: 1, max: 12 }),
    year: fc.integer({ min: 2000, max: 2079 }),
    opening: fc.bigInt({ min: -(10n ** 12n), max: 10n ** 16n })
  })
  .chain(({ id, account, day, month, year, opening }) => {
    const date = `${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`
    return fc.array(entryArbitrary(date), { maxLength: 12 }).map((entries) => {
      // References are unique within a statement, as a bank's are.
      const seen = new Set<string>()
      const unique = entries.filter((e) => !seen.has(e.reference) && seen.add(e.reference))
      return { id, account, date, opening, entries: unique }
    })
  })

const yymmdd = (date: string) => date.slice(2, 4) + date.slice(5, 7) + date.slice(8, 10)
const mtAmount = (n: bigint) => `${n < 0n ? -n : n},`
const mtBalance = (tag: string, amount: bigint, date: string) => `:${tag}:${amount < 0n ? "D" : "C"}${yymmdd(date)}VND${mtAmount(amount)}`

/** An MT940 statement as a bank writes it, one line per array element. */
export const writeMt940 = (s: GeneratedStatement): Array<string> => [
  `:20:${s.id}`,
  `:25:${s.account}`,
  ":28C:1/1",
  mtBalance("60F", s.opening, s.date),
  ...s.entries.flatMap((e) => [
    `:61:${yymmdd(e.date)}${e.date.slice(5, 7)}${e.date.slice(8, 10)}${e.direction === "credit" ? "C" : "D"}${mtAmount(e.amount)}NTRF${e.endToEndId ?? "NONREF"}//${e.reference}`,
    `:86:${e.memo}`
  ]),
  mtBalance("62F", closingOf(s), s.date),
  "-"
]
