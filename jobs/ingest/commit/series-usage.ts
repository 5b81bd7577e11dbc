/**
 * The job's progress in numbers: per series, how many numbers this run used
 * and the first and last, for the summary ("numbers used: HCM 01-BLTHADS
 * AA/25E: 1,000 (0000001–0001000)").
 */
import { type SeriesId, seriesKey } from "../../../domain/series-key.ts"

export interface SeriesUsage extends SeriesId {
  count: number
  first: number
  last: number
}

export interface SeriesTally {
  /** `count` numbers from `first` were used in `series`. */
  readonly note: (series: SeriesId, first: number, count: number) => void
  readonly usage: () => ReadonlyArray<SeriesUsage>
}

export const makeSeriesTally = (): SeriesTally => {
  const usage = new Map<string, SeriesUsage>()
  const note = (series: SeriesId, first: number, count: number) => {
    const key = seriesKey(series)
    const u = usage.get(key)
    if (u === undefined) usage.set(key, { agency: series.agency, form: series.form, symbol: series.symbol, count, first, last: first + count - 1 })
    else {
      u.count += count
      u.last = first + count - 1
    }
  }
  return { note, usage: () => [...usage.values()] }
}
