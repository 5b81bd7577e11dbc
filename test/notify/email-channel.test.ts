import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { Effect, Exit } from "effect"
import type { AddressInfo } from "node:net"
import { SMTPServer } from "smtp-server"
import { EmailChannel, type EmailConfig } from "../../adapters/notify/email-channel.ts"
import type { Delivered, DeliveryError } from "../../domain/notifications/channel.ts"
import type { Notification } from "../../domain/notifications/notification.ts"
import { parseMail } from "./mail-decode.ts"
import { LINK, notificationFor, PAYER_ID, receipt } from "./notification.fixtures.ts"

interface Received {
  readonly from: string
  readonly to: ReadonlyArray<string>
  readonly raw: string
}

const received: Array<Received> = []
let server: SMTPServer
let port: number

const smtpError = (message: string, responseCode: number) => Object.assign(new Error(message), { responseCode })

beforeAll(async () => {
  server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (address.address.startsWith("nobody@")) return callback(smtpError("5.1.1 No such user here", 550))
      if (address.address.startsWith("greylisted@")) return callback(smtpError("4.7.1 Greylisted, try again later", 451))
      callback()
    },
    onData(stream, session, callback) {
      const chunks: Array<Buffer> = []
      stream.on("data", (c: Buffer) => chunks.push(c))
      stream.on("end", () => {
        received.push({
          from: session.envelope.mailFrom === false ? "" : session.envelope.mailFrom.address,
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString("utf8")
        })
        callback()
      })
    }
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  port = (server.server.address() as AddressInfo).port
})

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()))
})

const config = (): EmailConfig => ({
  host: "127.0.0.1",
  port,
  from: "THADS TP. Hồ Chí Minh <thongbao@thads.example.vn>",
  messageIdDomain: "thads.example.vn",
  timeoutMs: 5_000
})

const deliver = (n: Notification, c: EmailConfig = config()): Promise<Exit.Exit<Delivered, DeliveryError>> =>
  Effect.runPromiseExit(Effect.provide(EmailChannel.use((ch) => ch.deliver(n)), EmailChannel.layer(c)))

const failure = (exit: Exit.Exit<Delivered, DeliveryError>) => {
  if (Exit.isSuccess(exit)) throw new Error(`expected a failure, got ${exit.value.response}`)
  const reason = exit.cause.reasons.find((r) => r._tag === "Fail")
  if (reason === undefined || reason._tag !== "Fail") throw new Error(`expected a typed failure: ${String(exit.cause)}`)
  return reason.error
}

describe("e-mail to a real SMTP server", () => {
  test("arrives with the subject, the body, a Message-ID made from the notification id, and the headers", async () => {
    const n = notificationFor("email", "nguyen.van.an@example.vn")
    const exit = await deliver(n)
    expect(Exit.isSuccess(exit) && exit.value.response).toStartWith("250")
    const mail = received.at(-1)!
    expect(mail.from).toBe("thongbao@thads.example.vn")
    expect(mail.to).toEqual(["nguyen.van.an@example.vn"])

    const parsed = parseMail(mail.raw)
    expect(parsed.headers.get("subject")).toBe("[THADS HCM] Biên lai điện tử AA/25E số 0000042 đã được phát hành")
    expect(parsed.headers.get("message-id")).toBe(`<${n.id}@thads.example.vn>`)
    expect(parsed.headers.get("auto-submitted")).toBe("auto-generated")
    expect(parsed.headers.get("x-bienlai-notification-id")).toBe(n.id)
    expect(parsed.headers.get("x-bienlai-event")).toBe("receipt.issued")
    expect(parsed.headers.get("from")).toBe("THADS TP. Hồ Chí Minh <thongbao@thads.example.vn>")
    expect(parsed.text).toBe(
      `Biên lai điện tử AA/25E số 0000042 đã được phát hành. Xem tại: ${LINK}. Mã tra cứu: 7KQ2M9XH4T8P.\n\n` +
        "Đây là thư tự động của hệ thống biên lai điện tử thi hành án dân sự; xin đừng trả lời thư này.\n" +
        `Mã thông báo: ${n.id}\n`
    )
    for (const personal of [PAYER_ID, receipt.payer.name, receipt.payer.address!]) expect(parsed.text + mail.raw).not.toContain(personal)
  })

  test("a retry of the same notification carries the same Message-ID", async () => {
    const n = notificationFor("email", "nguyen.van.an@example.vn")
    await deliver(n)
    await deliver(n)
    const ids = received.slice(-2).map((m) => parseMail(m.raw).headers.get("message-id"))
    expect(ids).toEqual([`<${n.id}@thads.example.vn>`, `<${n.id}@thads.example.vn>`])
  })

  test("a rejected recipient is a permanent failure; a greylisting server is tried again", async () => {
    const before = received.length
    expect(failure(await deliver(notificationFor("email", "nobody@example.vn")))).toMatchObject({
      _tag: "DeliveryFailed",
      channel: "email",
      permanent: true,
      reason: "rejected_recipient",
      status: 550
    })
    expect(failure(await deliver(notificationFor("email", "greylisted@example.vn")))).toMatchObject({ permanent: false, reason: "smtp_status", status: 451 })
    expect(received.length).toBe(before)
  })

  test("an address that is not one is refused before connecting; a server that is down is tried again", async () => {
    expect(failure(await deliver(notificationFor("email", "not an address")))).toMatchObject({ permanent: true, reason: "invalid_recipient" })
    expect(failure(await deliver(notificationFor("email", "evil@example.vn\r\nBcc: x@y.z")))).toMatchObject({ permanent: true, reason: "invalid_recipient" })
    const down = { ...config(), port: 1, timeoutMs: 1_000 }
    expect(failure(await deliver(notificationFor("email", "an@example.vn"), down))).toMatchObject({ permanent: false })
  })
})
