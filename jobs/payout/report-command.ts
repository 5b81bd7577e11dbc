/**
 * `bienlai payout report --agency A --case D --round N` and `bienlai payout show …`:
 * a round's sums by rank, by state and by settlement (they add up, or the
 * report says so and exits 1), and the planned header an approver reviews.
 */
import { plannedHeaderOf, roundIdOf, roundReport, type Sums } from "../../store/payout/report.ts"
import { type Fail, vnd, withDb } from "./context.ts"

export interface ReportFlags {
  readonly agency: string
  readonly caseDecision: string
  readonly round: number
  readonly schema: string | undefined
  readonly json: boolean
}

const json = (s: Sums) => ({ lines: s.lines, amount: s.amount.toString(), fee: s.fee.toString(), net: s.net.toString() })
const row = (label: string, s: Sums) => `  ${label.padEnd(24)} ${String(s.lines).padStart(9)} lines  ${vnd(s.amount).padStart(26)}  fee ${vnd(s.fee).padStart(22)}  net ${vnd(s.net).padStart(26)}`

export const runReport = async (flags: ReportFlags, fail: Fail): Promise<number> =>
  withDb(flags.schema, fail, async (db) => {
    const r = await roundReport(db, flags.agency, await roundIdOf(db, flags.agency, flags.caseDecision, flags.round))
    const map = (m: Readonly<Record<string, Sums>>) => Object.fromEntries(Object.entries(m).map(([k, s]) => [k, json(s)]))
    if (flags.json) {
      console.log(JSON.stringify({ ...r, paid: r.paid.toString(), byRank: map(r.byRank), byState: map(r.byState), bySettlement: map(r.bySettlement), total: json(r.total) }))
    } else {
      console.log(`round ${r.round} of case ${r.caseDecision} (agency ${r.agency}), ${r.status}; planned by ${r.planner}${r.approver === undefined ? "" : `, approved by ${r.approver}`}`)
      console.log(`plan SHA-256 ${r.planSha256}`)
      console.log("by rank:")
      for (const [k, s] of Object.entries(r.byRank).sort()) console.log(row(`rank ${k}`, s))
      console.log("by state:")
      for (const [k, s] of Object.entries(r.byState).sort()) console.log(row(k, s))
      console.log("by settlement:")
      for (const [k, s] of Object.entries(r.bySettlement).sort()) console.log(row(k, s))
      console.log(row("total", r.total))
      console.log(r.addsUp ? `the sums add up to the ${vnd(r.paid)} the round pays` : `THE SUMS DO NOT ADD UP to the ${vnd(r.paid)} the round pays`)
    }
    return r.addsUp ? 0 : fail("the report does not add up", 1)
  })

export const runShow = async (flags: ReportFlags, fail: Fail): Promise<number> =>
  withDb(flags.schema, fail, async (db) => {
    const h = await plannedHeaderOf(db, flags.agency, await roundIdOf(db, flags.agency, flags.caseDecision, flags.round))
    console.log(flags.json ? JSON.stringify({ sha256: h.sha256, header: JSON.parse(h.header) }) : `${h.header}\nSHA-256 ${h.sha256}`)
    return 0
  })
