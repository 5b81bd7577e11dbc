/**
 * `bienlai notify-recipients`: who an agency's notifications go to (table
 * notify_recipients, docs/NOTIFICATIONS.md "Recipients"), set by the
 * operator on the server.
 *
 *   notify-recipients add --agency HCM --channel webhook --target https://… --events receipt.issued,receipt.voided
 *   notify-recipients add --agency HCM --channel email --target an@example.vn --person 079085001234 --events receipt.issued
 *   notify-recipients add --agency HCM --channel vneid --target 079085001234 --events receipt.issued
 *   notify-recipients list --agency HCM
 *   notify-recipients remove --agency HCM --id UUID
 *   notify-recipients rotate --agency HCM --id UUID        (a webhook's new secret; the previous one still signs)
 *   notify-recipients retire-old --agency HCM --id UUID    (the rotation done: only the new secret signs)
 *
 * A webhook recipient gets its signing secret (whsec_…), drawn from the
 * Entropy port and printed once, here, for the receiver's operator; it is
 * never listed or logged afterwards.
 */
import { Clock, Result, Schema } from "effect"
import { Channel } from "../../domain/notifications/notification.ts"
import { type CheckedRecipient, checkRecipient } from "../../domain/notifications/recipient.ts"
import { uuidFromBytes } from "../../domain/ids.ts"
import { Entropy } from "../../domain/ports/entropy.ts"
import { secretFromBytes } from "../../adapters/notify/webhook-signature.ts"
import { errorMessage } from "../../store/database/db.ts"
import { addRecipient, deactivateRecipient, listRecipients, retireOldWebhookSecrets, rotateWebhookSecret } from "../../store/notifications/recipients.ts"
import { recordEdgeAudit } from "../../store/audit/edge-audit.ts"
import { maskIdentityNumber } from "../../domain/identity.ts"
import { commandFailure, isAgencyCode, readCommandLine } from "../bin/command-line.ts"
import { operatorName } from "../bin/operator.ts"
import { type CliRuntime, databaseOf } from "../program/cli-runtime.ts"

export const summary = "who an agency's notifications go to: add, list or remove webhook, e-mail and VNeID recipients"

const usage = `usage:
  bienlai notify-recipients add --agency HCM --channel webhook|email|vneid --target T --events E1,E2 [--person ID]
  bienlai notify-recipients list --agency HCM
  bienlai notify-recipients remove --agency HCM --id UUID
  bienlai notify-recipients rotate --agency HCM --id UUID
  bienlai notify-recipients retire-old --agency HCM --id UUID

add     webhook: --target is the receiver's https address; its signing secret is printed
        once. email: --target is the address. vneid: --target is the citizen's 12-digit
        identity number (told only about themselves). --person ID: only events about that
        person (the payer of a receipt, the creditor of a payout line); without it, every
        listed event of the agency. Events: receipt.issued, receipt.voided,
        receipt.replaced, payout.paid, payout.deposited, payment_request.created.
remove  stops telling a recipient; notifications already written are still sent.
rotate  gives a webhook a new signing secret, printed once; messages are signed with the
        new and the previous secret until retire-old, so the receiver can switch without a gap.
retire-old  after the receiver uses the new secret: only the new one signs.
The database is DATABASE_URL, or embedded PGlite in BIENLAI_DATA.`

const isChannel = Schema.is(Channel)
const nowOf = (runtime: CliRuntime): string => new Date(runtime.runSync(Clock.currentTimeMillis)).toISOString()


export const run = async (args: ReadonlyArray<string>, runtime: CliRuntime): Promise<number> => {
  const parsed = readCommandLine("notify-recipients", usage, args, {
    agency: { type: "string" },
    channel: { type: "string" },
    target: { type: "string" },
    events: { type: "string" },
    person: { type: "string" },
    id: { type: "string" }
  })
  if (typeof parsed === "number") return parsed
  const { values, positionals } = parsed
  const [action, ...extra] = positionals
  const fail = commandFailure("notify-recipients", usage)
  if (action === undefined || !["add", "list", "remove", "rotate", "retire-old"].includes(action)) {
    return fail(action === undefined ? "give an action: add, list, remove, rotate or retire-old" : `unknown action "${action}"`)
  }
  if (extra.length > 0) return fail(`unexpected argument "${extra[0]}"`)
  const agency = values.agency
  if (!isAgencyCode(agency)) return fail("--agency must be an agency code (2–16 capital letters or digits, like HCM)")
  let recipient: CheckedRecipient | undefined
  if (action === "add") {
    if (!isChannel(values.channel)) return fail("--channel must be webhook, email or vneid")
    const checked = checkRecipient({ agency, channel: values.channel, target: values.target ?? "", person: values.person, events: (values.events ?? "").split(",").map((e) => e.trim()).filter((e) => e !== "") })
    if (Result.isFailure(checked)) return fail(checked.failure.problems.join("; "))
    recipient = checked.success
  }
  if (["remove", "rotate", "retire-old"].includes(action) && (values.id === undefined || !/^[0-9a-f-]{36}$/.test(values.id))) return fail("--id must be the recipient's id (from list)")

  let db
  try {
    db = await databaseOf(runtime)
  } catch (e) {
    return fail(`cannot open the database: ${errorMessage(e)}`, 1)
  }
  switch (action) {
    case "add": {
      if (recipient === undefined) return fail("nothing to add")
      const entropy = await runtime.runPromise(Entropy)
      const id = uuidFromBytes(runtime.runSync(entropy.bytes(16)))
      const secret = recipient.channel === "webhook" ? secretFromBytes(runtime.runSync(entropy.bytes(32))) : undefined
      await addRecipient(db, recipient, { id, by: operatorName(), now: nowOf(runtime), secret })
      console.log(`added ${recipient.channel} recipient ${id} for ${agency}: ${recipient.events.join(", ")}`)
      if (secret !== undefined) {
        console.log(`signing secret (shown once; give it to the receiver's operator, docs/NOTIFICATIONS.md): ${secret}`)
      }
      return 0
    }
    case "list": {
      for (const r of await listRecipients(db, agency)) {
        const target = r.channel === "vneid" ? maskIdentityNumber(r.target) : r.target
        const person = r.person === null ? "every event" : `about ${maskIdentityNumber(r.person)}`
        console.log(`${r.id}  ${r.active ? "active  " : "removed "} ${r.channel.padEnd(7)} ${target}  ${person}  ${r.events.join(",")}`)
      }
      return 0
    }
    case "rotate": {
      const entropy = await runtime.runPromise(Entropy)
      const secret = secretFromBytes(runtime.runSync(entropy.bytes(32)))
      if (!(await rotateWebhookSecret(db, agency, values.id as string, secret))) return fail(`no active webhook recipient ${values.id} in ${agency}`, 1)
      await recordEdgeAudit(db, { agency, actor: operatorName(), action: "webhook_secret_rotated", target: values.id as string, at: nowOf(runtime) })
      console.log(`new signing secret for ${values.id} (shown once; messages are signed with it and the previous one until retire-old): ${secret}`)
      return 0
    }
    case "retire-old": {
      if (!(await retireOldWebhookSecrets(db, agency, values.id as string))) return fail(`no active webhook recipient ${values.id} in ${agency} with an old secret to retire`, 1)
      await recordEdgeAudit(db, { agency, actor: operatorName(), action: "webhook_secret_retired", target: values.id as string, at: nowOf(runtime) })
      console.log(`only the newest signing secret of ${values.id} signs from now on`)
      return 0
    }
    default: {
      const removed = await deactivateRecipient(db, agency, values.id as string)
      if (!removed) return fail(`no active recipient ${values.id} in ${agency}`, 1)
      console.log(`removed recipient ${values.id} of ${agency}`)
      return 0
    }
  }
}
