/**
 * The figures of a report as one text, for closing a period: the store keeps
 * this text and its SHA-256 when a closing is requested, the approver names
 * that SHA-256, and a later report of the closed period is checked against
 * it. Only the figures are in it (not `asOf`, which changes with every
 * request), in the report's own sorted order, amounts as digit strings, so
 * equal figures always give the same text.
 */
import type { Figures } from "./figures.ts"
import type { MoneyReport } from "./money-report.ts"

const figuresJson = (f: Figures) => ({
  issued: [f.issued.count, f.issued.amount.toString()],
  voided: [f.voided.count, f.voided.amount.toString()],
  replaced: [f.replaced.count, f.replaced.amount.toString()],
  paid: [f.paid.count, f.paid.amount.toString()],
  deposited: [f.deposited.count, f.deposited.amount.toString()]
})

export const reportSnapshot = (report: MoneyReport): string =>
  JSON.stringify({
    form: report.form.id,
    period: `${report.period.year}/${report.period.months}`,
    cutoff: report.cutoff,
    rows: report.groups.flatMap((g) =>
      g.rows.map((r) => ({ agency: r.agency, office: r.office ?? null, monthly: r.monthly.map(figuresJson), total: figuresJson(r.total) }))
    ),
    total: figuresJson(report.total)
  })
