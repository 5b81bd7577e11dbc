import { describe, expect, test } from "bun:test"
import { Effect, Exit, Result } from "effect"
import { makeVneidChannel, VneidChannel, type VneidMessage, vneidMessage, vneidPrerequisites } from "../../adapters/notify/vneid-channel.ts"
import type { Delivered, DeliveryError } from "../../domain/notifications/channel.ts"
import type { Notification } from "../../domain/notifications/notification.ts"
import { HASH, LINK, notificationFor, PAYER_ID, receipt } from "./notification.fixtures.ts"

const run = (n: Notification, layer = VneidChannel.layer()): Promise<Exit.Exit<Delivered, DeliveryError>> =>
  Effect.runPromiseExit(Effect.provide(VneidChannel.use((c) => c.deliver(n)), layer))

const failure = (exit: Exit.Exit<Delivered, DeliveryError>) => {
  if (Exit.isSuccess(exit)) throw new Error("expected a failure")
  const reason = exit.cause.reasons.find((r) => r._tag === "Fail")
  if (reason === undefined || reason._tag !== "Fail") throw new Error(String(exit.cause))
  return reason.error
}

describe("VNeID", () => {
  test("refuses to send until configured, with a typed error saying what an agency must obtain", async () => {
    const e = failure(await run(notificationFor("vneid", PAYER_ID)))
    expect(e._tag).toBe("ChannelNotConfigured")
    if (e._tag !== "ChannelNotConfigured") return
    expect(e.channel).toBe("vneid")
    expect(e.message).toContain("VNeID has no public API")
    expect(e.message).toContain("NDXP")
    expect(e.needs).toEqual([...vneidPrerequisites])
    expect(e.needs.some((n) => n.includes("Ministry of Public Security"))).toBe(true)
  })

  test("the message it would send: recipient by identity number, a short text, the document's link and hash", () => {
    const n = notificationFor("vneid", PAYER_ID)
    const m = Result.getOrThrow(vneidMessage(n))
    expect(m).toEqual({
      messageId: n.id,
      sender: { agency: "HCM" },
      recipient: { personalIdentityNumber: PAYER_ID },
      text: `Biên lai điện tử AA/25E số 0000042 đã được phát hành. Xem tại: ${LINK}. Mã tra cứu: 7KQ2M9XH4T8P.`,
      document: { url: LINK, hash: HASH },
      occurredAt: receipt.issuedAt
    } satisfies VneidMessage)
    // The identity number routes the message; the text and the link never carry it.
    expect(m.text + m.document.url).not.toContain(PAYER_ID)
    expect(m.text).not.toContain(receipt.payer.name)
  })

  test("a recipient that is not a CCCD number, or a notice without the document's hash, is refused for good", () => {
    const bad = vneidMessage(notificationFor("vneid", "012345678"))
    expect(Result.isFailure(bad) && bad.failure).toMatchObject({ permanent: true, reason: "invalid_recipient" })
    const noHash = { ...notificationFor("vneid", PAYER_ID) }
    const withoutHash: Notification = { ...noHash, subject: { ...noHash.subject, documentHash: undefined } }
    expect(Result.isFailure(vneidMessage(withoutHash))).toBe(true)
  })

  test("with an integration supplied, the message is handed to it once per attempt and its reference returned", async () => {
    const handed: Array<VneidMessage> = []
    const channel = makeVneidChannel({ transport: { send: async (m) => (handed.push(m), { reference: "NDXP-0001" }) } })
    const n = notificationFor("vneid", PAYER_ID)
    const exit = await Effect.runPromiseExit(channel.deliver(n))
    expect(Exit.isSuccess(exit) && exit.value).toEqual({ channel: "vneid", notificationId: n.id, response: "NDXP NDXP-0001" })
    expect(handed.map((m) => m.messageId)).toEqual([n.id])
    const failing = makeVneidChannel({ transport: { send: async () => Promise.reject(new Error("platform unavailable")) } })
    expect(failure(await Effect.runPromiseExit(failing.deliver(n)))).toMatchObject({ permanent: false, reason: "transport" })
  })
})
