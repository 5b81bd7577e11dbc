/** Small pieces every console screen prints the same way: money, times, statuses. */
import { formatVnd } from "../../domain/money.ts"
import { vietnamTime } from "../pages/html.ts"
import { type Lang, words } from "./i18n.ts"
import { type Html, html } from "../http/html.ts"

/** "125500000" → "125.500.000 đ"; anything that is not a whole number of đồng is shown as it came. */
export const money = (amount: string | bigint): string =>
  typeof amount === "bigint" ? formatVnd(amount) : /^\d{1,16}$/.test(amount) ? formatVnd(BigInt(amount)) : amount

export const when = (iso: string | null | undefined): string => (iso ? vietnamTime(iso) : "—")

export const statusBadge = (status: string, lang: Lang): Html => {
  const w = words(lang)
  const label = status === "draft" ? w.st_draft : status === "submitted" ? w.st_submitted : status === "issued" ? w.st_issued : status === "voided" ? w.st_voided : status === "replaced" ? w.st_replaced : status
  return html`<span class="badge ${status}" data-status="${status}">${label}</span>`
}
