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
import { addRecipient, deactivateRecipient, listRecipients } from "../../store/notifications/recipients.ts"
import { maskIdentityNumber } from "../../domain/identity.ts"
import { commandFailure, isAgencyCode, readCommandLine } from "../bin/command-line.ts"
import { operatorName } from "../bin/operator.ts"
import { type CliRuntime, databaseOf } from "../program/cli-runtime.ts"

export const summary = "who an agency's notifications go to: add, list or remove webhook, e-mail and VNeID recipients"

const usage = `usage:
  bienlai notify-recipients add --agency HCM --channel webhook|email|vneid --target T --events E1,E2 [--person ID]
  bienlai notify-recipients list --agency HCM
  bienlai notify-recipients remove --agency HCM --id UUID

add     webhook: --target is the receiver's https address; its signing secret is printed
        once. email: --target is the address. vneid: --target is the citizen's 12-digit
        identity number (told only about themselves). --person ID: only events about that
        person (the payer of a receipt, the creditor of a payout line); without it, every
        listed event of the agency. Events: receipt.issued, receipt.voided,
        receipt.replaced, payout.paid, payout.deposited, payment_request.created.
remove  stops telling a recipient; notifications already written are still sent.
The database is DATABASE_URL, or embedded PGlite in BIENLAI_DATA.`

const isChannel = Schema.is(Channel)


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
  if (action === undefined || !["add", "list", "remove"].includes(action)) return fail(action === undefined ? "give an action: add, list or remove" : `unknown action "${action}"`)
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
  if (action === "remove" && (values.id === undefined || !/^[0-9a-f-]{36}$/.test(values.id))) return fail("--id must be the recipient's id (from list)")

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
      const now = new Date(runtime.runSync(Clock.currentTimeMillis)).toISOString()
      await addRecipient(db, recipient, { id, by: operatorName(), now, secret })
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
    default: {
      const removed = await deactivateRecipient(db, agency, values.id as string)
      if (!removed) return fail(`no active recipient ${values.id} in ${agency}`, 1)
      console.log(`removed recipient ${values.id} of ${agency}`)
      return 0
    }
  }
}
