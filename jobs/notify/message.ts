/**
 * A leased outbox row made into the Notification the channels send
 * (domain/notifications/notification.ts): the event's facts and the link,
 * which is made now because a receipt's /v/ address carries a token signed
 * with the agency's key (links.ts).
 */
import type { Result } from "effect"
import { checkNotification, type InvalidNotification, type Notification } from "../../domain/notifications/notification.ts"
import type { LeasedNotification } from "../../store/notifications/outbox.ts"

export const notificationOf = (row: LeasedNotification, link: string): Result.Result<Notification, InvalidNotification> =>
  checkNotification({
    id: row.id,
    event: row.event,
    occurredAt: row.occurredAt,
    agency: row.agency,
    channel: row.channel,
    recipient: row.recipient,
    subject: {
      kind: row.subjectKind,
      reference: row.reference,
      link,
      lookupCode: row.lookupCode ?? undefined,
      documentHash: row.documentHash ?? undefined
    }
  })
