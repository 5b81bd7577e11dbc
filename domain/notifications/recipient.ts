/**
 * Who an agency tells (docs/NOTIFICATIONS.md, "Recipients"): a webhook
 * endpoint, an e-mail address, or a citizen's VNeID account by identity
 * number; either for every event of the agency it lists, or (with
 * `person`) only for events about that person: the payer of a receipt, the
 * creditor of a payout line. Checked here, stored by
 * store/notifications/recipients.ts.
 */
import { Result, Schema } from "effect"
import { validateCccd, validateIdentityNumber } from "../identity.ts"
import { type Channel, type NotificationEvent, NotificationEvent as EventSchema } from "./notification.ts"

export interface RecipientInput {
  readonly agency: string
  readonly channel: Channel
  /** webhook: the https endpoint; email: the address; vneid: the 12-digit identity number. */
  readonly target: string
  /** Only events about this person (their identity number); absent: every listed event of the agency. */
  readonly person?: string | undefined
  readonly events: ReadonlyArray<string>
}

export interface CheckedRecipient {
  readonly agency: string
  readonly channel: Channel
  readonly target: string
  readonly person: string | undefined
  readonly events: ReadonlyArray<NotificationEvent>
}

export class InvalidRecipient extends Schema.TaggedError<InvalidRecipient>()("InvalidRecipient", {
  problems: Schema.Array(Schema.String),
  message: Schema.String
}) {}

const isEvent = Schema.is(EventSchema)
const emailPattern = /^[^\s@<>,;"()\\[\]]+@[^\s@<>,;"()\\[\]]+\.[^\s@<>,;"()\\[\]]+$/

/** Checks a recipient, listing every problem. */
export const checkRecipient = (input: RecipientInput): Result.Result<CheckedRecipient, InvalidRecipient> => {
  const problems: Array<string> = []
  const target = input.target.trim()
  let person = input.person?.trim() === "" ? undefined : input.person?.trim()
  if (!/^[A-Z0-9]{2,16}$/.test(input.agency)) problems.push("the agency is a code such as HCM")
  if (input.events.length === 0) problems.push("name at least one event")
  for (const e of input.events) if (!isEvent(e)) problems.push(`"${e}" is not an event (receipt.issued, receipt.voided, receipt.replaced, payout.paid, payout.deposited, payment_request.created)`)
  switch (input.channel) {
    case "webhook":
      if (!/^https?:\/\/[^\s]+$/.test(target)) problems.push("a webhook target is an http(s) address")
      break
    case "email":
      if (!emailPattern.test(target)) problems.push(`"${target}" is not an e-mail address`)
      break
    case "vneid": {
      const id = validateCccd(target)
      if (Result.isFailure(id)) problems.push(`a VNeID recipient is a 12-digit personal identity number: ${id.failure.message}`)
      else if (person !== undefined && person !== id.success.value) problems.push("a VNeID recipient is told only about themselves: person must be the target")
      else person = id.success.value
      break
    }
  }
  if (person !== undefined && input.channel !== "vneid" && Result.isFailure(validateIdentityNumber(person))) {
    problems.push("person must be a valid identity number (9 or 12 digits)")
  }
  return problems.length > 0
    ? Result.fail(new InvalidRecipient({ problems, message: `invalid recipient: ${problems.join("; ")}` }))
    : Result.succeed({ agency: input.agency, channel: input.channel, target, person, events: input.events.filter(isEvent) })
}
