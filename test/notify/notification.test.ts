import { describe, expect, test } from "bun:test"
import { Result } from "effect"
import fc from "fast-check"
import { emailBody, messageIdOf } from "../../adapters/notify/email-channel.ts"
import { vneidMessage } from "../../adapters/notify/vneid-channel.ts"
import {
  checkNotification,
  type Notification,
  NotificationEvent,
  notificationSubjectLine,
  notificationText,
  receiptNotification,
  webhookPayload
} from "../../domain/notifications/notification.ts"
import { issuedReceiptArbitrary } from "../domain/receipt.arbitraries.ts"
import { HASH, LINK, notificationFor, receipt } from "./notification.fixtures.ts"

const events = NotificationEvent.literals

describe("what a notification carries", () => {
  test("no channel's text, subject, body or payload holds the payer's identity number, name or address", () => {
    fc.assert(
      fc.property(issuedReceiptArbitrary, fc.constantFrom(...events), fc.uuid({ version: 4 }), (r, event, id) => {
        const n = Result.getOrThrow(
          receiptNotification(r, { id, event: "receipt.issued", occurredAt: r.issuedAt, channel: "vneid", recipient: r.payer.idNumber ?? "079085001234", link: LINK, documentHash: HASH })
        )
        const withEvent: Notification = { ...n, event }
        const published = [
          notificationText(withEvent),
          notificationSubjectLine(withEvent),
          emailBody(withEvent),
          JSON.stringify(webhookPayload(withEvent))
        ]
        const vneid = vneidMessage(withEvent)
        if (Result.isSuccess(vneid)) published.push(vneid.success.text, vneid.success.document.url)
        const personal = [r.payer.name, r.payer.address, r.payer.idNumber].filter((p): p is string => p !== undefined && p.length >= 6)
        for (const text of published) for (const p of personal) expect(text).not.toContain(p)
        for (const text of [published[0]!, published[2]!, published[3]!]) expect(text).toContain(r.lookupCode)
      }),
      { numRuns: 150 }
    )
  })

  test("every event has its own words", () => {
    const texts = events.map((event) => notificationText({ ...notificationFor("email", "a@b.vn"), event }))
    expect(new Set(texts).size).toBe(events.length)
    expect(texts[1]).toStartWith("Biên lai điện tử AA/25E số 0000042 đã bị hủy.")
  })

  test("the webhook payload has the Standard Webhooks shape", () => {
    const n = notificationFor("webhook", "bank-a")
    expect(webhookPayload(n)).toEqual({
      type: "receipt.issued",
      timestamp: receipt.issuedAt,
      data: {
        notificationId: n.id,
        agency: "HCM",
        document: { kind: "receipt", reference: "AA/25E số 0000042", link: LINK, lookupCode: "7KQ2M9XH4T8P", hash: HASH },
        text: notificationText(n)
      }
    })
    expect(messageIdOf(n.id, "thads.example.vn")).toBe(`<${n.id}@thads.example.vn>`)
  })

  test("an invalid notification is refused with every problem named", () => {
    const n = notificationFor("email", "a@b.vn")
    const r = checkNotification({ ...n, id: "42", occurredAt: "today", recipient: " ", subject: { ...n.subject, link: "javascript:alert(1)", documentHash: "md5:x" } })
    expect(Result.isFailure(r) && r.failure.problems).toEqual([
      "the id must be a lowercase UUID (it is the idempotency key)",
      "occurredAt must be an ISO instant",
      "the recipient is empty",
      "the link must be an http(s) address",
      `the document hash must be "sha256:" and 43 base64url characters`
    ])
  })
})
