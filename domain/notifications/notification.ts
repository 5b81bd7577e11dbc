/**
 * A notification: one message about one event, for one recipient on one
 * channel. It carries the least personal data that does the job: what
 * happened, the printed reference of the document, a link to the public
 * page that shows it (the /v/ page of a receipt, or the payout notice) and
 * the lookup code. Never the payer's name, address or identity number: the
 * page behind the link shows what the reader may see, masked as the public
 * pages mask it.
 *
 * The only place a full identity number appears is the VNeID envelope's
 * recipient, because the national platform routes messages by it; the
 * text and the link never hold it.
 *
 * The id is the idempotency key: it is chosen once, when the notification
 * is created, and stays the same on every attempt, so a receiver that
 * remembers ids processes each notification once.
 */
import { Result, Schema } from "effect"
import { formatReceiptNumber, type IssuedReceipt } from "../receipt.ts"
import { isUuid } from "../ids.ts"

export const NotificationEvent = Schema.Literals([
  "receipt.issued",
  "receipt.voided",
  "receipt.replaced",
  "payout.paid",
  "payout.deposited",
  "payment_request.created"
])
export type NotificationEvent = typeof NotificationEvent.Type

export const Channel = Schema.Literals(["webhook", "email", "vneid"])
export type Channel = typeof Channel.Type

export interface NotificationSubject {
  readonly kind: "receipt" | "payout" | "payment_request"
  /** How the document is printed: "AA/25E số 0000042", "Đợt 8 – 3699/QĐ-CTHADS". */
  readonly reference: string
  /** The public page: `{PUBLIC_URL}/v/{token}` for a receipt, the payout notice's address for a payout. */
  readonly link: string
  readonly lookupCode?: string | undefined
  /** "sha256:" and the base64url SHA-256 of the document's signed bytes, for the recipient to check. */
  readonly documentHash?: string | undefined
}

export interface Notification {
  /** The idempotency key: the same on every attempt (a UUID). */
  readonly id: string
  readonly event: NotificationEvent
  /** When the event happened (ISO instant). */
  readonly occurredAt: string
  readonly agency: string
  readonly channel: Channel
  /**
   * Where it goes: a webhook subscriber's id, an e-mail address, or (VNeID)
   * the personal identity number the national platform routes by.
   */
  readonly recipient: string
  readonly subject: NotificationSubject
}

export class InvalidNotification extends Schema.TaggedError<InvalidNotification>()("InvalidNotification", {
  problems: Schema.Array(Schema.String),
  message: Schema.String
}) {}

const instantPattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/
const hashPattern = /^sha256:[A-Za-z0-9_-]{43}$/

/** Checks a notification's fields, listing every problem. */
export const checkNotification = (n: Notification): Result.Result<Notification, InvalidNotification> => {
  const problems: Array<string> = []
  if (!isUuid(n.id)) problems.push("the id must be a lowercase UUID (it is the idempotency key)")
  if (!instantPattern.test(n.occurredAt) || Number.isNaN(Date.parse(n.occurredAt))) problems.push("occurredAt must be an ISO instant")
  if (n.recipient.trim() === "") problems.push("the recipient is empty")
  if (!/^https?:\/\/[^\s]+$/.test(n.subject.link)) problems.push("the link must be an http(s) address")
  if (n.subject.documentHash !== undefined && !hashPattern.test(n.subject.documentHash)) {
    problems.push(`the document hash must be "sha256:" and 43 base64url characters`)
  }
  return problems.length === 0
    ? Result.succeed(n)
    : Result.fail(new InvalidNotification({ problems, message: `invalid notification: ${problems.join("; ")}` }))
}

/** "AA/25E số 0000042", as the receipt prints its symbol and number. */
export const receiptReference = (r: IssuedReceipt): string => `${r.series.symbol} số ${formatReceiptNumber(r.number)}`

/**
 * A notification about a receipt, built from the receipt but keeping only
 * its agency, printed reference and lookup code. The caller supplies the
 * link (the QR's /v/ address), the hash of the signed bytes and the
 * recipient on the channel.
 */
export const receiptNotification = (
  receipt: IssuedReceipt,
  ctx: {
    readonly id: string
    readonly event: "receipt.issued" | "receipt.voided" | "receipt.replaced"
    readonly occurredAt: string
    readonly channel: Channel
    readonly recipient: string
    readonly link: string
    readonly documentHash?: string | undefined
  }
): Result.Result<Notification, InvalidNotification> =>
  checkNotification({
    id: ctx.id,
    event: ctx.event,
    occurredAt: ctx.occurredAt,
    agency: receipt.agency,
    channel: ctx.channel,
    recipient: ctx.recipient,
    subject: {
      kind: "receipt",
      reference: receiptReference(receipt),
      link: ctx.link,
      lookupCode: receipt.lookupCode,
      documentHash: ctx.documentHash
    }
  })

const headline: { readonly [E in NotificationEvent]: (n: Notification) => string } = {
  "receipt.issued": (n) => `Biên lai điện tử ${n.subject.reference} đã được phát hành`,
  "receipt.voided": (n) => `Biên lai điện tử ${n.subject.reference} đã bị hủy`,
  "receipt.replaced": (n) => `Biên lai điện tử ${n.subject.reference} đã được thay thế bằng biên lai mới`,
  "payout.paid": (n) => `Khoản chi trả tiền thi hành án ${n.subject.reference} đã được chi`,
  "payout.deposited": (n) => `Khoản tiền thi hành án ${n.subject.reference} đã được gửi tiết kiệm do chưa được nhận trong thời hạn`,
  "payment_request.created": (n) => `Yêu cầu nộp tiền thi hành án ${n.subject.reference}`
}

/** The e-mail subject line: "[THADS HCM] Biên lai điện tử AA/25E số 0000042 đã được phát hành". */
export const notificationSubjectLine = (n: Notification): string => `[THADS ${n.agency}] ${headline[n.event](n)}`

/** The short text every channel sends: what happened, where to see it, and the lookup code. */
export const notificationText = (n: Notification): string => {
  const code = n.subject.lookupCode === undefined ? "" : ` Mã tra cứu: ${n.subject.lookupCode}.`
  return `${headline[n.event](n)}. Xem tại: ${n.subject.link}.${code}`
}

/**
 * The JSON body of a webhook, in the Standard Webhooks payload shape
 * (`type`, `timestamp` of the event, `data`): a thin payload that names the
 * document and links to it.
 */
export const webhookPayload = (n: Notification) => ({
  type: n.event,
  timestamp: n.occurredAt,
  data: {
    notificationId: n.id,
    agency: n.agency,
    document: {
      kind: n.subject.kind,
      reference: n.subject.reference,
      link: n.subject.link,
      ...(n.subject.lookupCode === undefined ? {} : { lookupCode: n.subject.lookupCode }),
      ...(n.subject.documentHash === undefined ? {} : { hash: n.subject.documentHash })
    },
    text: notificationText(n)
  }
})
