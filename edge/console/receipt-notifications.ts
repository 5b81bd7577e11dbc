/**
 * The receipt screen's "Notifications" card: each notification about the
 * receipt (issued, voided, replaced), its channel, where it went, its
 * delivery state, attempts and last error. Where it went is shown with the
 * least personal data: a webhook's host, an e-mail address with its local
 * part masked, an identity number masked as the public pages mask it.
 * Secrets are never read for this. A dead-lettered row has a "send again"
 * form for the roles that may (store/notifications/resend.ts).
 */
import { maskIdentityNumber } from "../../domain/identity.ts"
import type { NotificationView } from "../../store/notifications/outbox.ts"
import { type Html, html } from "../http/html.ts"
import type { Lang } from "./i18n.ts"
import { when } from "./views.ts"

const labels = {
  vi: {
    title: "Thông báo",
    none: "Chưa có thông báo nào về biên lai này (cơ quan chưa cấu hình người nhận cho sự kiện này).",
    event: "Sự kiện", channel: "Kênh", recipient: "Người nhận", state: "Trạng thái", attempts: "Số lần gửi", error: "Lỗi gần nhất", at: "Thời điểm",
    events: { "receipt.issued": "Phát hành", "receipt.voided": "Hủy", "receipt.replaced": "Thay thế" } as Record<string, string>,
    states: { pending: "Chờ gửi", leased: "Đang gửi", delivered: "Đã gửi", dead: "Không gửi được" } as Record<string, string>,
    resend: "Gửi lại"
  },
  en: {
    title: "Notifications",
    none: "No notification about this receipt (the agency has no recipient for these events).",
    event: "Event", channel: "Channel", recipient: "Recipient", state: "State", attempts: "Attempts", error: "Last error", at: "When",
    events: { "receipt.issued": "Issued", "receipt.voided": "Voided", "receipt.replaced": "Replaced" } as Record<string, string>,
    states: { pending: "Pending", leased: "Sending", delivered: "Delivered", dead: "Dead-lettered" } as Record<string, string>,
    resend: "Send again"
  }
}

/** Where a notification went, with the least personal data that still tells an officer which recipient it is. */
export const maskedRecipient = (n: Pick<NotificationView, "channel" | "recipient">): string => {
  switch (n.channel) {
    case "webhook":
      try {
        return new URL(n.recipient).host
      } catch {
        return "webhook"
      }
    case "email": {
      const [local = "", domain = ""] = n.recipient.split("@")
      return `${local.slice(0, 1)}***@${domain}`
    }
    case "vneid":
      return `VNeID ${maskIdentityNumber(n.recipient)}`
  }
}

/** Words of the card's messages, for the route that sends a notification again. */
export const resendWords = {
  vi: { done: "Đã đưa thông báo trở lại hàng đợi gửi.", notDead: "Thông báo này không ở trạng thái không gửi được (đã gửi, đang chờ hoặc đã được gửi lại)." },
  en: { done: "The notification is back in the sending queue.", notDead: "This notification is not dead-lettered (delivered, waiting, or already sent again)." }
}

/**
 * The card; `resend` is where a dead-lettered row's "send again" form posts
 * (absent for a role that may not send again).
 */
export const notificationsCard = (lang: Lang, rows: ReadonlyArray<NotificationView>, resend?: (id: string) => string): Html => {
  const l = labels[lang]
  if (rows.length === 0) return html`<section class="card" id="notifications"><h2>${l.title}</h2><p>${l.none}</p></section>`
  return html`<section class="card" id="notifications"><h2>${l.title}</h2>
<table><thead><tr><th>${l.event}</th><th>${l.channel}</th><th>${l.recipient}</th><th>${l.state}</th><th>${l.attempts}</th><th>${l.at}</th><th>${l.error}</th></tr></thead><tbody>
${rows.map((n) => html`<tr data-notification="${n.id}" data-state="${n.state}"><td>${l.events[n.event] ?? n.event}</td><td>${n.channel}</td><td>${maskedRecipient(n)}</td><td><span class="badge" data-state="${n.state}">${l.states[n.state] ?? n.state}</span></td><td>${String(n.attempts)}</td><td>${when(n.finishedAt ?? n.nextAttemptAt)}</td><td>${n.lastError ?? ""}${n.state === "dead" && resend !== undefined ? html` <form method="post" action="${resend(n.id)}" class="inline resend"><button type="submit" class="secondary">${l.resend}</button></form>` : ""}</td></tr>`)}
</tbody></table></section>`
}
