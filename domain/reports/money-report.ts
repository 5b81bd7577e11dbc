/**
 * The money report: receipts issued, voided and replaced, and payout lines
 * paid or deposited, by agency and regional office, month by month over a
 * cumulative statistical period (see period.ts), as a pure function of
 * immutable events and an "as of" instant.
 *
 * Closing. A period is closed by a closing record (the head of the agency
 * locks the report, outside this function). From then on its figures are
 * the events recorded up to the closing instant, whenever the report is
 * asked for again; an event recorded later that belongs to the period is
 * listed under `adjustments` with its dates, never added to the figures.
 * A later cumulative period includes such an event in its figures and
 * lists it under `lateEntries`, so a reader sees why its early months
 * differ from the closed report.
 *
 * Determinism. The output depends only on the input's content: events are
 * deduplicated by id and every list is sorted, so the same events in any
 * order give an equal report.
 */
import { Result, Schema } from "effect"
import { MAX_VND } from "../money.ts"
import type { EventKind, ReportEvent } from "./events.ts"
import { addEvent, type Figures, sumFigures, zeroFigures } from "./figures.ts"
import {
  calendarMonthKey,
  checkPeriod,
  monthLabel,
  periodContainsMonth,
  periodEnd,
  periodEndsAt,
  periodMonths,
  periodStart,
  samePeriod,
  type StatisticalMonth,
  statisticalMonthOfInstant,
  type StatisticalPeriod
} from "./period.ts"

/** What bienlai calls this report; see docs/REPORTS.md for how it relates to the circular's forms. */
export const MONEY_REPORT_FORM = {
  id: "BL-TK01",
  title: "KẾT QUẢ THU, CHI TIỀN THI HÀNH ÁN DÂN SỰ THEO BIÊN LAI ĐIỆN TỬ",
  basis: "Số liệu bổ trợ cho báo cáo thống kê thi hành án dân sự tính bằng tiền (Thông tư 05/2024/TT-BTP)",
  unit: "Đơn vị tính: đồng"
} as const

export interface PeriodClosing extends StatisticalPeriod {
  /** When the report for this period was locked (ISO instant). */
  readonly closedAt: string
}

/** An office to list even when it has no figures; `office` absent is the provincial agency itself. */
export interface ReportUnit {
  readonly agency: string
  readonly office?: string | undefined
}

export interface MoneyReportInput {
  readonly period: StatisticalPeriod
  /** The instant the report is computed as of: events recorded later are not known yet. */
  readonly asOf: string
  readonly closings: ReadonlyArray<PeriodClosing>
  readonly events: ReadonlyArray<ReportEvent>
  /** Only these agencies (all when absent). */
  readonly agencies?: ReadonlyArray<string> | undefined
  /** Offices printed with zero figures when they have no events. */
  readonly units?: ReadonlyArray<ReportUnit> | undefined
}

export interface ReportRow {
  readonly agency: string
  readonly office: string | undefined
  /** One entry per month of the period, in order. */
  readonly monthly: ReadonlyArray<Figures>
  readonly total: Figures
}

export interface AgencyGroup {
  readonly agency: string
  readonly rows: ReadonlyArray<ReportRow>
  readonly monthly: ReadonlyArray<Figures>
  readonly total: Figures
}

/** An event shown by itself, with its dates, rather than (or besides) in the figures. */
export interface Adjustment {
  readonly eventId: string
  readonly kind: EventKind
  readonly agency: string
  readonly office: string | undefined
  readonly ref: string
  readonly label: string
  readonly amount: bigint
  /** The month it counts in, "2024-12". */
  readonly month: string
  /** When it happened and when it was recorded (ISO instants). */
  readonly at: string
  readonly recordedAt: string
  /** The closed reports it is missing from: closed before it was recorded. */
  readonly missingFrom: ReadonlyArray<PeriodClosing>
}

export interface MoneyReport {
  readonly form: typeof MONEY_REPORT_FORM
  readonly period: StatisticalPeriod
  /** First and last day of the period. */
  readonly from: string
  readonly to: string
  readonly asOf: string
  /** "closed": locked at `closedAt`; "provisional": figures may still change. */
  readonly status: "closed" | "provisional"
  readonly closedAt: string | undefined
  /** Events recorded up to this instant are in the figures: `closedAt` when closed, else `asOf`. */
  readonly cutoff: string
  readonly months: ReadonlyArray<{ readonly key: string; readonly label: string }>
  readonly groups: ReadonlyArray<AgencyGroup>
  readonly monthly: ReadonlyArray<Figures>
  readonly total: Figures
  /** Recorded after this report was closed; not in its figures. */
  readonly adjustments: ReadonlyArray<Adjustment>
  /** In the figures, though recorded after an earlier period covering their month was closed. */
  readonly lateEntries: ReadonlyArray<Adjustment>
}

export class InvalidReportInput extends Schema.TaggedError<InvalidReportInput>()("InvalidReportInput", {
  problems: Schema.Array(Schema.String),
  message: Schema.String
}) {}

const instantPattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/
const isInstant = (s: unknown): s is string => typeof s === "string" && instantPattern.test(s) && !Number.isNaN(Date.parse(s))
const kinds: ReadonlySet<string> = new Set<EventKind>(["issued", "voided", "replaced", "paid", "deposited"])

const sameEvent = (a: ReportEvent, b: ReportEvent): boolean =>
  a.kind === b.kind && a.agency === b.agency && (a.office ?? "") === (b.office ?? "") && a.amount === b.amount &&
  a.at === b.at && a.recordedAt === b.recordedAt && a.ref === b.ref && a.label === b.label && (a.count ?? 1) === (b.count ?? 1)

const countOk = (c: unknown): boolean => c === undefined || (typeof c === "number" && Number.isSafeInteger(c) && c >= 1)
// A summed event (count > 1) may add up past one receipt's limit, never past `count` of them.
const amountOk = (e: ReportEvent): boolean =>
  typeof e.amount === "bigint" && e.amount >= 0n && countOk(e.count) && e.amount < MAX_VND * BigInt(e.count ?? 1)

const eventProblems = (e: ReportEvent): Array<string> => {
  const problems: Array<string> = []
  if (typeof e.id === "string" && e.id !== "" && kinds.has(e.kind) && typeof e.agency === "string" && e.agency !== "" &&
    amountOk(e) && isInstant(e.at) && isInstant(e.recordedAt) && e.recordedAt >= e.at) {
    return problems
  }
  const name = `event ${JSON.stringify(e.id)}`
  if (typeof e.id !== "string" || e.id === "") problems.push("an event has no id")
  if (!kinds.has(e.kind)) problems.push(`${name}: unknown kind ${JSON.stringify(e.kind)}`)
  if (typeof e.agency !== "string" || e.agency === "") problems.push(`${name}: no agency`)
  if (!countOk(e.count)) problems.push(`${name}: "count" must be a whole number of at least 1`)
  else if (!amountOk(e)) problems.push(`${name}: the amount must be whole đồng from 0 to below 10^15${(e.count ?? 1) > 1 ? " for each fact counted" : ""}`)
  if (!isInstant(e.at)) problems.push(`${name}: "at" is not an ISO instant like 2025-06-23T08:15:30.000Z`)
  if (!isInstant(e.recordedAt)) problems.push(`${name}: "recordedAt" is not an ISO instant`)
  else if (isInstant(e.at) && e.recordedAt < e.at) problems.push(`${name}: recorded before it happened`)
  return problems
}

interface Checked {
  readonly events: ReadonlyArray<ReportEvent>
  readonly closings: ReadonlyArray<PeriodClosing>
}

const check = (input: MoneyReportInput): Result.Result<Checked, InvalidReportInput> => {
  const problems: Array<string> = []
  const period = checkPeriod(input.period)
  if (Result.isFailure(period)) problems.push(period.failure.message)
  if (!isInstant(input.asOf)) problems.push(`"asOf" is not an ISO instant like 2025-06-23T08:15:30.000Z`)

  const byId = new Map<string, ReportEvent>()
  for (const e of input.events) {
    const found = eventProblems(e)
    if (found.length > 0) {
      problems.push(...found)
      continue
    }
    const seen = byId.get(e.id)
    if (seen === undefined) byId.set(e.id, e)
    else if (!sameEvent(seen, e)) problems.push(`event ${JSON.stringify(e.id)} appears twice with different content`)
  }

  const closingByPeriod = new Map<string, PeriodClosing>()
  for (const c of input.closings) {
    const p = checkPeriod(c)
    if (Result.isFailure(p)) {
      problems.push(`closing: ${p.failure.message}`)
      continue
    }
    if (!isInstant(c.closedAt)) {
      problems.push(`closing of ${c.year}/${c.months}: "closedAt" is not an ISO instant`)
      continue
    }
    if (c.closedAt < periodEndsAt(c)) {
      problems.push(`closing of ${c.year}/${c.months}: closed at ${c.closedAt}, before the period ended (${periodEnd(c)})`)
      continue
    }
    const key = `${c.year}/${c.months}`
    const seen = closingByPeriod.get(key)
    if (seen === undefined) closingByPeriod.set(key, { year: c.year, months: c.months, closedAt: c.closedAt })
    else if (seen.closedAt !== c.closedAt) problems.push(`the period ${key} is closed twice (${seen.closedAt} and ${c.closedAt}); a period is closed once`)
  }

  if (problems.length > 0) {
    return Result.fail(new InvalidReportInput({ problems, message: `the report cannot be computed: ${problems.join("; ")}` }))
  }
  return Result.succeed({ events: [...byId.values()], closings: [...closingByPeriod.values()] })
}

const unitKey = (agency: string, office: string | undefined): string => `${agency}\u0000${office ?? ""}`

const compareUnits = (a: { agency: string; office: string | undefined }, b: { agency: string; office: string | undefined }): number =>
  a.agency < b.agency ? -1 : a.agency > b.agency ? 1 : (a.office ?? "") < (b.office ?? "") ? -1 : (a.office ?? "") > (b.office ?? "") ? 1 : 0

const compareAdjustments = (a: Adjustment, b: Adjustment): number =>
  a.recordedAt < b.recordedAt ? -1 : a.recordedAt > b.recordedAt ? 1 : a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0

const compareClosings = (a: PeriodClosing, b: PeriodClosing): number => a.months - b.months

/** The money report for `input.period` as known at `input.asOf`, or every problem with the input. */
export const moneyReport = (input: MoneyReportInput): Result.Result<MoneyReport, InvalidReportInput> => {
  const checked = check(input)
  if (Result.isFailure(checked)) return Result.fail(checked.failure)
  const { events } = checked.success
  const period: StatisticalPeriod = { year: input.period.year, months: input.period.months }
  const asOf = input.asOf

  const known = checked.success.closings.filter((c) => c.closedAt <= asOf && c.year === period.year && c.months <= period.months)
  const own = known.find((c) => samePeriod(c, period))
  const cutoff = own?.closedAt ?? asOf
  const scope = input.agencies === undefined ? undefined : new Set(input.agencies)

  const cells = new Map<string, { agency: string; office: string | undefined; monthly: Array<Figures> }>()
  const cellOf = (agency: string, office: string | undefined) => {
    const key = unitKey(agency, office)
    let cell = cells.get(key)
    if (cell === undefined) {
      cell = { agency, office, monthly: Array.from({ length: period.months }, () => zeroFigures) }
      cells.set(key, cell)
    }
    return cell
  }
  for (const u of input.units ?? []) if (scope === undefined || scope.has(u.agency)) cellOf(u.agency, u.office)

  const adjustments: Array<Adjustment> = []
  const lateEntries: Array<Adjustment> = []
  // The earliest closing covering each month: an event recorded before it is in every closed report.
  const firstClosing = Array.from({ length: period.months + 1 }, (_, i) =>
    known.filter((c) => c.months >= i).reduce<string | undefined>((min, c) => (min === undefined || c.closedAt < min ? c.closedAt : min), undefined)
  )
  const noClosings: ReadonlyArray<PeriodClosing> = []
  const missingFrom = (e: ReportEvent, m: StatisticalMonth): ReadonlyArray<PeriodClosing> => {
    const first = firstClosing[m.index]
    if (first === undefined || e.recordedAt <= first) return noClosings
    return known.filter((c) => c.months >= m.index && c.closedAt < e.recordedAt).sort(compareClosings)
  }
  const adjustment = (e: ReportEvent, m: StatisticalMonth, closings: ReadonlyArray<PeriodClosing>): Adjustment => ({
    eventId: e.id,
    kind: e.kind,
    agency: e.agency,
    office: e.office,
    ref: e.ref,
    label: e.label,
    amount: e.amount,
    month: calendarMonthKey(m),
    at: e.at,
    recordedAt: e.recordedAt,
    missingFrom: closings
  })

  // The Vietnamese day of an instant depends only on its UTC date and hour: one computation per hour seen.
  const monthByHour = new Map<string, StatisticalMonth>()
  const monthOf = (at: string): StatisticalMonth => {
    const hour = at.slice(0, 13)
    let m = monthByHour.get(hour)
    if (m === undefined) {
      m = statisticalMonthOfInstant(at)
      monthByHour.set(hour, m)
    }
    return m
  }

  for (const e of events) {
    if (scope !== undefined && !scope.has(e.agency)) continue
    if (e.recordedAt > asOf) continue
    const m = monthOf(e.at)
    if (!periodContainsMonth(period, m)) continue
    if (e.recordedAt > cutoff) {
      adjustments.push(adjustment(e, m, missingFrom(e, m)))
      continue
    }
    const cell = cellOf(e.agency, e.office)
    cell.monthly[m.index - 1] = addEvent(cell.monthly[m.index - 1] ?? zeroFigures, e.kind, e.amount, e.count ?? 1)
    const missed = missingFrom(e, m)
    if (missed.length > 0) lateEntries.push(adjustment(e, m, missed))
  }

  const rows: Array<ReportRow> = [...cells.values()]
    .sort(compareUnits)
    .map((c) => ({ agency: c.agency, office: c.office, monthly: c.monthly, total: sumFigures(c.monthly) }))
  const columnSums = (rs: ReadonlyArray<{ readonly monthly: ReadonlyArray<Figures> }>): Array<Figures> =>
    Array.from({ length: period.months }, (_, i) => sumFigures(rs.map((r) => r.monthly[i] ?? zeroFigures)))

  const groups: Array<AgencyGroup> = []
  for (const row of rows) {
    const last = groups[groups.length - 1]
    if (last !== undefined && last.agency === row.agency) (last.rows as Array<ReportRow>).push(row)
    else groups.push({ agency: row.agency, rows: [row], monthly: [], total: zeroFigures })
  }
  const finished = groups.map((g) => {
    const monthly = columnSums(g.rows)
    return { ...g, monthly, total: sumFigures(monthly) }
  })
  const monthly = columnSums(rows)

  return Result.succeed({
    form: MONEY_REPORT_FORM,
    period,
    from: periodStart(period),
    to: periodEnd(period),
    asOf,
    status: own === undefined ? "provisional" : "closed",
    closedAt: own?.closedAt,
    cutoff,
    months: periodMonths(period).map((m) => ({ key: calendarMonthKey(m), label: monthLabel(m) })),
    groups: finished,
    monthly,
    total: sumFigures(monthly),
    adjustments: adjustments.sort(compareAdjustments),
    lateEntries: lateEntries.sort(compareAdjustments)
  })
}
