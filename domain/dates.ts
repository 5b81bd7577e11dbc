/**
 * Calendar dates as documents write them. A date here is a calendar day with
 * no time zone ("YYYY-MM-DD"): decisions and payments are dated by the day
 * printed on paper, not by an instant.
 */
import { Result, Schema } from "effect"

export class InvalidDate extends Schema.TaggedError<InvalidDate>()("InvalidDate", {
  input: Schema.String,
  message: Schema.String
}) {}

const daysInMonth = (year: number, month: number): number =>
  month === 2 ? (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31

const pad = (n: number, width: number): string => String(n).padStart(width, "0")

/** Builds "YYYY-MM-DD" from parts, or says which part is impossible. */
export const makeIsoDate = (year: number, month: number, day: number, input = `${year}-${month}-${day}`): Result.Result<string, InvalidDate> => {
  if (!Number.isInteger(year) || year < 1900 || year > 2199) {
    return Result.fail(new InvalidDate({ input, message: `year ${year} is outside 1900–2199` }))
  }
  if (!Number.isInteger(month) || month < 1 || month > 12) {
    return Result.fail(new InvalidDate({ input, message: `month ${month} does not exist` }))
  }
  if (!Number.isInteger(day) || day < 1 || day > daysInMonth(year, month)) {
    return Result.fail(new InvalidDate({ input, message: `day ${day} does not exist in ${pad(month, 2)}/${year}` }))
  }
  return Result.succeed(`${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`)
}

const isoPattern = /^(\d{4})-(\d{2})-(\d{2})$/
const numericPattern = /^(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})$/
// "ngày 23 tháng 6 năm 2025", also without diacritics ("ngay 23 thang 6 nam 2025").
const wordsPattern = /^(?:ng[aà]y\s*)?(\d{1,2})\s*th[aá]ng\s*(\d{1,2})\s*n[aă]m\s*(\d{4})$/

/**
 * Reads "ngày 23 tháng 6 năm 2025", "23/06/2025", "23-6-2025", "23.06.2025"
 * and "2025-06-23" into "2025-06-23". Day comes before month, as in Vietnam.
 */
export const parseVietnameseDate = (text: string): Result.Result<string, InvalidDate> => {
  const input = text
  const cleaned = text.normalize("NFC").toLowerCase().replace(/\s+/g, " ").trim().replace(/[\s,;:.]+$/g, "")
  if (cleaned === "") return Result.fail(new InvalidDate({ input, message: "the date is empty" }))
  const iso = isoPattern.exec(cleaned)
  if (iso) return makeIsoDate(Number(iso[1]), Number(iso[2]), Number(iso[3]), input)
  const numeric = numericPattern.exec(cleaned) ?? wordsPattern.exec(cleaned)
  if (numeric) return makeIsoDate(Number(numeric[3]), Number(numeric[2]), Number(numeric[1]), input)
  return Result.fail(
    new InvalidDate({ input, message: `"${text}" is not a date; write "ngày 23 tháng 6 năm 2025", "23/06/2025" or "2025-06-23"` })
  )
}

/** "2025-06-23" → "ngày 23 tháng 06 năm 2025", the form printed on receipts. */
export const formatVietnameseDate = (isoDate: string): string => {
  const [y, m, d] = isoDate.split("-")
  return `ngày ${d} tháng ${m} năm ${y}`
}

/** "2025-06-23" → "23/06/2025". */
export const formatShortDate = (isoDate: string): string => {
  const [y, m, d] = isoDate.split("-")
  return `${d}/${m}/${y}`
}

/** A calendar date "YYYY-MM-DD" that exists. */
export const IsoDate = Schema.String.check(
  Schema.makeFilter((s: string) => {
    const m = isoPattern.exec(s)
    if (!m) return `expected a date "YYYY-MM-DD", got "${s}"`
    const r = makeIsoDate(Number(m[1]), Number(m[2]), Number(m[3]), s)
    return Result.isFailure(r) ? r.failure.message : undefined
  }, { expected: "a date YYYY-MM-DD" })
)

/** An instant in UTC, ISO 8601 with a Z suffix and millisecond precision. */
export const IsoInstant = Schema.String.check(
  Schema.makeFilter(
    (s: string) =>
      /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(s) && !Number.isNaN(Date.parse(s))
        ? undefined
        : `expected an instant like "2025-06-23T08:15:30.000Z", got "${s}"`,
    { expected: "an ISO 8601 UTC instant" }
  )
)

/** The calendar day (in Vietnam, UTC+7) on which an instant falls. */
export const vietnamDateOf = (isoInstant: string): string =>
  new Date(Date.parse(isoInstant) + 7 * 3600_000).toISOString().slice(0, 10)
