/**
 * The e-mail channel: a plain-text message over SMTP (nodemailer), whose
 * Message-ID is made from the notification id (`<id@domain>`), so every
 * retry of one notification carries the same Message-ID and a mail system
 * or a reader's client can drop the repeats. It is marked
 * `Auto-Submitted: auto-generated` (RFC 3834) so that auto-responders stay
 * quiet.
 *
 * What the server's answer means:
 * - accepted (2xx after DATA): delivered;
 * - a 5xx reply (the recipient refused, no such mailbox, message refused):
 *   a permanent failure;
 * - a 4xx reply (greylisting, mailbox busy), a timeout, a lost connection:
 *   try again later.
 */
import { Context, Effect, Layer } from "effect"
import { createTransport } from "nodemailer"
import { type Delivered, DeliveryFailed, type NotificationChannel } from "../../domain/notifications/channel.ts"
import { type Notification, notificationSubjectLine, notificationText } from "../../domain/notifications/notification.ts"

export interface EmailConfig {
  readonly host: string
  readonly port: number
  /** TLS from the first byte (port 465); otherwise STARTTLS when the server offers it. */
  readonly secure?: boolean | undefined
  /** Refuse to send without STARTTLS (set in production when `secure` is false). */
  readonly requireTls?: boolean | undefined
  readonly auth?: { readonly user: string; readonly pass: string } | undefined
  /** The sender: "THADS TP. Hồ Chí Minh <thongbao@thads.hcm.gov.vn>". */
  readonly from: string
  /** The right-hand side of Message-IDs: "thads.hcm.gov.vn". */
  readonly messageIdDomain: string
  /** Connection, greeting and socket timeouts; 30 s by default. */
  readonly timeoutMs?: number | undefined
  readonly tls?: { readonly rejectUnauthorized?: boolean | undefined } | undefined
}

/** The Message-ID of a notification's e-mail: the same on every attempt. */
export const messageIdOf = (notificationId: string, domain: string): string => `<${notificationId}@${domain}>`

/** The body: the notification's text, then a line saying the mail is automatic and its id. */
export const emailBody = (n: Notification): string =>
  `${notificationText(n)}\n\n` +
  "Đây là thư tự động của hệ thống biên lai điện tử thi hành án dân sự; xin đừng trả lời thư này.\n" +
  `Mã thông báo: ${n.id}\n`

const plausibleAddress = /^[^\s@<>,;"()\\[\]]+@[^\s@<>,;"()\\[\]]+\.[^\s@<>,;"()\\[\]]+$/

interface SmtpError {
  readonly code?: string
  readonly responseCode?: number
  readonly command?: string
  readonly message?: string
}

const classify = (n: Notification, e: SmtpError): DeliveryFailed => {
  const base = { channel: "email" as const, notificationId: n.id }
  const said = e.message ?? String(e)
  if (typeof e.responseCode === "number") {
    const status = e.responseCode
    const refusedRecipient = e.command === "RCPT TO"
    return new DeliveryFailed({
      ...base,
      status,
      permanent: status >= 500,
      reason: refusedRecipient && status >= 500 ? "rejected_recipient" : "smtp_status",
      message: refusedRecipient ? `the mail server refused the recipient (${status}): ${said}` : `the mail server answered ${status}: ${said}`
    })
  }
  if (e.code === "ETIMEDOUT") return new DeliveryFailed({ ...base, permanent: false, reason: "timeout", message: `the mail server did not answer in time: ${said}` })
  if (e.code === "EENVELOPE") return new DeliveryFailed({ ...base, permanent: true, reason: "invalid_recipient", message: said })
  if (e.code === "ECONNECTION" || e.code === "ESOCKET" || e.code === "EDNS" || e.code === "ECONNREFUSED") {
    return new DeliveryFailed({ ...base, permanent: false, reason: "network", message: `the mail server could not be reached: ${said}` })
  }
  return new DeliveryFailed({ ...base, permanent: false, reason: "transport", message: said })
}

export class EmailChannel extends Context.Service<EmailChannel, NotificationChannel>()("bienlai/adapters/notify/EmailChannel") {
  /** One SMTP transport for the layer's lifetime, closed when the layer is released. */
  static readonly layer = (config: EmailConfig) =>
    Layer.effect(
      EmailChannel,
      Effect.gen(function*() {
        const timeout = config.timeoutMs ?? 30_000
        const transport = yield* Effect.acquireRelease(
          Effect.sync(() =>
            createTransport({
              host: config.host,
              port: config.port,
              secure: config.secure ?? false,
              requireTLS: config.requireTls ?? false,
              auth: config.auth === undefined ? undefined : { user: config.auth.user, pass: config.auth.pass },
              connectionTimeout: timeout,
              greetingTimeout: timeout,
              socketTimeout: timeout,
              tls: config.tls === undefined ? undefined : { rejectUnauthorized: config.tls.rejectUnauthorized ?? true }
            })
          ),
          (t) => Effect.sync(() => t.close())
        )

        const deliver = Effect.fn("EmailChannel.deliver")(function*(n: Notification) {
          if (!plausibleAddress.test(n.recipient)) {
            return yield* new DeliveryFailed({
              channel: "email",
              notificationId: n.id,
              permanent: true,
              reason: "invalid_recipient",
              message: `"${n.recipient}" is not an e-mail address`
            })
          }
          const info = yield* Effect.tryPromise({
            try: () =>
              transport.sendMail({
                from: config.from,
                to: n.recipient,
                subject: notificationSubjectLine(n),
                text: emailBody(n),
                messageId: messageIdOf(n.id, config.messageIdDomain),
                headers: {
                  "Auto-Submitted": "auto-generated",
                  "X-Bienlai-Notification-Id": n.id,
                  "X-Bienlai-Event": n.event
                }
              }),
            catch: (e) => classify(n, e as SmtpError)
          })
          return { channel: "email", notificationId: n.id, response: String(info.response) } satisfies Delivered
        })
        return EmailChannel.of({ channel: "email", deliver })
      })
    )
}
