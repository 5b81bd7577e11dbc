/**
 * `bienlai notify-dead`: the notifications the dispatcher gave up on
 * (dead-lettered after its retries, docs/NOTIFICATIONS.md), listed and sent
 * again by the operator on the server once the cause is mended (an e-mail
 * server configured, a receiver's endpoint back):
 *
 *   notify-dead list   --agency HCM [--since 2026-12-01] [--channel email]
 *   notify-dead resend --agency HCM [--since 2026-12-01] [--channel email] [--id UUID]
 *
 * A notification sent again goes back to pending with its attempts counted
 * afresh; each is audited (edge_audit, `notification_resent`, with the
 * operator and what it had failed with), so the receipt's audit trail shows
 * it. Recipients are not printed: an address or identity number is personal.
 */
import { Clock, Schema } from "effect"
import { Channel } from "../../domain/notifications/notification.ts"
import { errorMessage } from "../../store/database/db.ts"
import { recordEdgeAudit } from "../../store/audit/edge-audit.ts"
import { deadNotifications, resendDead } from "../../store/notifications/resend.ts"
import { commandFailure, isAgencyCode, readCommandLine } from "../bin/command-line.ts"
import { operatorName } from "../bin/operator.ts"
import { type CliRuntime, databaseOf } from "../program/cli-runtime.ts"
import { isUuid } from "../../domain/ids.ts"

export const summary = "notifications given up on (dead letters): list them, or send them again once the cause is mended"

const usage = `usage:
  bienlai notify-dead list   --agency HCM [--since DATE] [--channel C] [--limit N]
  bienlai notify-dead resend --agency HCM [--since DATE] [--channel C] [--id UUID]

list    the agency's dead-lettered notifications, newest first (at most --limit, 100 by default):
        id, channel, event, what it is about, when it was given up, attempts and the last error.
resend  puts them back in the sending queue (all of the agency's, or those dead since
        --since, of one --channel, or the one --id), attempts counted afresh; each is audited.
--since is a date (2026-12-01, from 00:00 Vietnam time) or an instant (2026-12-01T08:00:00Z).
Channels: webhook, email, vneid. The database is DATABASE_URL, or embedded PGlite in BIENLAI_DATA.`

const isChannel = Schema.is(Channel)

/** A day is taken from its start in Vietnam (UTC+7), where the offices are; an instant as given. */
const sinceOf = (text: string): string | undefined => {
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text)
  if (day !== null) {
    const [y, m, d] = [Number(day[1]), Number(day[2]), Number(day[3])]
    const real = new Date(Date.UTC(y, m - 1, d))
    // 2026-02-30 is no day (Date would roll it over to March).
    if (real.getUTCMonth() !== m - 1 || real.getUTCDate() !== d) return undefined
    return new Date(Date.UTC(y, m - 1, d) - 7 * 3_600_000).toISOString()
  }
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(text)) return undefined
  const at = new Date(text)
  return Number.isNaN(at.getTime()) ? undefined : at.toISOString()
}

export const run = async (args: ReadonlyArray<string>, runtime: CliRuntime): Promise<number> => {
  const parsed = readCommandLine("notify-dead", usage, args, {
    agency: { type: "string" },
    since: { type: "string" },
    channel: { type: "string" },
    id: { type: "string" },
    limit: { type: "string" }
  })
  if (typeof parsed === "number") return parsed
  const { values, positionals } = parsed
  const [action, ...extra] = positionals
  const fail = commandFailure("notify-dead", usage)
  if (action !== "list" && action !== "resend") return fail(action === undefined ? "give an action: list or resend" : `unknown action "${action}"`)
  if (extra.length > 0) return fail(`unexpected argument "${extra[0]}"`)
  const agency = values.agency
  if (!isAgencyCode(agency)) return fail("--agency must be an agency code (2–16 capital letters or digits, like HCM)")
  const since = values.since === undefined ? undefined : sinceOf(values.since)
  if (values.since !== undefined && since === undefined) return fail(`--since "${values.since}" is neither a date (2026-12-01) nor an instant (2026-12-01T08:00:00Z)`)
  if (values.channel !== undefined && !isChannel(values.channel)) return fail(`--channel "${values.channel}" is not a channel: webhook, email or vneid`)
  if (values.id !== undefined && (action !== "resend" || !isUuid(values.id.toLowerCase()))) {
    return fail(action === "resend" ? `--id "${values.id}" is not a notification id (a UUID, from list)` : "--id goes with resend")
  }
  const limit = values.limit === undefined ? 100 : Number(values.limit)
  if (!Number.isInteger(limit) || limit < 1 || limit > 100_000) return fail("--limit must be a whole number from 1 to 100000")

  let db
  try {
    db = await databaseOf(runtime)
  } catch (e) {
    return fail(`cannot open the database: ${errorMessage(e)}`, 1)
  }
  if (action === "list") {
    const dead = await deadNotifications(db, { agency, since, channel: values.channel, limit })
    if (dead.length === 0) console.log(`no dead-lettered notification in ${agency}${since === undefined ? "" : ` since ${since}`}`)
    for (const d of dead) {
      console.log(`${d.id}  ${d.channel.padEnd(7)} ${d.event.padEnd(16)} ${d.subjectKind} ${d.subjectId}  given up ${d.diedAt} after ${d.attempts}  ${d.lastError ?? ""}`)
    }
    return 0
  }
  const now = new Date(runtime.runSync(Clock.currentTimeMillis)).toISOString()
  const by = operatorName()
  // One statement moves them all (a dispatcher never leases a dead row, so none is sent twice); then each is audited.
  const resent = await resendDead(db, { agency, now, since, channel: values.channel, id: values.id?.toLowerCase() })
  for (const r of resent) {
    await recordEdgeAudit(db, {
      agency,
      actor: by,
      action: "notification_resent",
      target: r.subjectId,
      at: now,
      detail: { notification: r.id, channel: r.channel, attempts: r.attempts, lastError: r.lastError }
    })
  }
  if (values.id !== undefined && resent.length === 0) return fail(`no dead-lettered notification ${values.id} in ${agency}`, 1)
  console.log(`${resent.length} notification${resent.length === 1 ? "" : "s"} of ${agency} back in the sending queue`)
  return 0
}
