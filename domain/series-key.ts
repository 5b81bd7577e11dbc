/**
 * The one key of a numbering series.
 *
 * A series is (agency, form number, symbol); the symbol carries the two-digit
 * year (AA/25E), so the key is also the (agency, form, symbol, year) that
 * numbering restarts for every calendar year (docs/DOMAIN, Decree 123/2020
 * art. 10). Everything that groups, indexes or compares series (the group
 * issuer's queues, bulk ingestion's batches and tallies, the numbering audit,
 * status lists) goes through `seriesKey`, so no two places can disagree on
 * what "the same series" means.
 *
 * The text form is the three parts joined by `|`, each with `\` and `|`
 * escaped by a `\`: HCM|01-BLTHADS|AA/25E. Valid codes contain neither
 * character, so the escaping never shows in practice, but it keeps the key
 * injective for any strings (a status list read from outside, say): distinct
 * series never share a key, and `parseSeriesKey` gives the series back.
 */
import { Result, Schema } from "effect"

/** A series of one agency, as the counter, the receipts and the status lists name it. */
export interface SeriesId {
  readonly agency: string
  readonly form: string
  readonly symbol: string
}

export class SeriesKeyInvalid extends Schema.TaggedError<SeriesKeyInvalid>()("SeriesKeyInvalid", {
  key: Schema.String,
  message: Schema.String
}) {}

const special = /[\\|]/
const specials = /[\\|]/g

const escaped = (part: string): string => (special.test(part) ? part.replace(specials, "\\$&") : part)

/** The series' key: equal for the same series, distinct for distinct ones. */
export const seriesKey = (s: SeriesId): string => `${escaped(s.agency)}|${escaped(s.form)}|${escaped(s.symbol)}`

/** The series of a receipt (or a draft, or a request's template). */
export const seriesOf = (r: { readonly agency: string; readonly series: { readonly form: string; readonly symbol: string } }): SeriesId => ({
  agency: r.agency,
  form: r.series.form,
  symbol: r.series.symbol
})

/** Whether `a` and `b` are the same series. */
export const sameSeries = (a: SeriesId, b: SeriesId): boolean => a.agency === b.agency && a.form === b.form && a.symbol === b.symbol

const invalid = (key: string, why: string) =>
  Result.fail(new SeriesKeyInvalid({ key, message: `not a series key (${why}): ${JSON.stringify(key)}` }))

/** The series `seriesKey` made `key` from; refuses any text it could not have made. */
export const parseSeriesKey = (key: string): Result.Result<SeriesId, SeriesKeyInvalid> => {
  const parts: Array<string> = []
  let part = ""
  for (let i = 0; i < key.length; i++) {
    const c = key[i] as string
    if (c === "\\") {
      const next = key[i + 1]
      if (next !== "\\" && next !== "|") return invalid(key, `"\\" at ${i} escapes neither "\\" nor "|"`)
      part += next
      i++
    } else if (c === "|") {
      parts.push(part)
      part = ""
    } else part += c
  }
  parts.push(part)
  if (parts.length !== 3) return invalid(key, `${parts.length} part(s) where agency|form|symbol has 3`)
  const [agency, form, symbol] = parts as [string, string, string]
  return Result.succeed({ agency, form, symbol })
}
