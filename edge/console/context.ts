/**
 * What every console screen shares: the services, the officer actions (the
 * same code the API runs, so the console can do nothing the API forbids),
 * and small helpers to render a page and to answer a form with
 * post-redirect-get carrying a notice.
 */
import type { Context } from "hono"
import type { Series } from "../../domain/receipt.ts"
import { ApiError } from "../http/errors.ts"
import type { Actions } from "../officers/actions.ts"
import type { EdgeServices } from "../services.ts"
import { type Lang, type Words, words } from "./i18n.ts"
import { type Nav, page } from "./layout.ts"
import type { ScanInbox } from "./scan-inbox.ts"
import type { ConsoleEnv } from "./session.ts"

export interface ConsoleContext {
  readonly s: EdgeServices
  readonly actions: Actions
  readonly inbox: ScanInbox
  readonly seriesFor: (agency: string, now: Date) => Series
}

export type C = Context<ConsoleEnv>

const pathOf = (c: C) => {
  const url = new URL(c.req.url)
  return url.pathname + url.search
}

export const render = (c: C, o: { readonly title: string; readonly nav: Nav; readonly body: string; readonly status?: 200 | 400 | 401 | 403 | 404 | 409 | 422 | 500 }) => {
  const ok = c.req.query("ok")
  const error = c.req.query("error")
  const flash = error !== undefined ? { kind: "error" as const, text: error.slice(0, 600) } : ok !== undefined ? { kind: "ok" as const, text: ok.slice(0, 300) } : undefined
  return c.html(
    page({ lang: c.get("lang"), title: o.title, path: pathOf(c), principal: c.get("principal"), nav: o.nav, body: o.body, ...(flash === undefined ? {} : { flash }) }),
    o.status ?? 200
  )
}

/** Back to a page with a notice (post-redirect-get). */
export const redirectWith = (c: C, path: string, notice: { readonly ok?: string; readonly error?: string }) => {
  const url = new URL(path, "http://x")
  if (notice.ok !== undefined) url.searchParams.set("ok", notice.ok)
  if (notice.error !== undefined) url.searchParams.set("error", notice.error)
  return c.redirect(url.pathname + url.search, 303)
}

export const formOf = async (c: C): Promise<Record<string, string>> => {
  const body = await c.req.parseBody().catch(() => ({}))
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(body)) if (typeof v === "string") out[k] = v
  return out
}

const reasons: Record<string, { vi: string; en: string }> = {
  maker_cannot_approve: { vi: "Người lập không được tự phê duyệt bản nháp của mình (nguyên tắc hai người).", en: "The maker may not approve their own draft (maker-checker)." },
  only_maker_can_edit: { vi: "Chỉ người lập được sửa bản nháp này.", en: "Only the maker may edit this draft." },
  forbidden: { vi: "Vai trò của bạn không được làm thao tác này.", en: "Your role may not do this." },
  not_found: { vi: "Không tìm thấy biên lai trong cơ quan của bạn.", en: "No such receipt in your agency." }
}

const fieldOfPath: Record<string, keyof Words> = {
  "payer.name": "f_payerName",
  "payer.idNumber": "f_payerIdNumber",
  "payer.address": "f_payerAddress",
  "case.decisionNumber": "f_decisionNumber",
  "case.decisionDate": "f_decisionDate",
  amount: "f_amount",
  amountInWords: "f_amountInWords",
  reason: "f_reason",
  "payment.reference": "f_bankReference",
  office: "f_office"
}

/** The domain's list of invalid fields, each named by the label the officer sees on the form. */
const invalidFields = (e: ApiError, lang: Lang): string | undefined => {
  const issues = e.details?.["issues"]
  if (e.code !== "invalid_receipt" || !Array.isArray(issues)) return undefined
  const w = words(lang)
  const named = issues.map((i: { path?: unknown; message?: unknown }) => {
    const key = typeof i.path === "string" ? fieldOfPath[i.path] : undefined
    return `${key === undefined ? String(i.path ?? "") : w[key]} — ${String(i.message ?? "")}`
  })
  return `${w.invalidFields}: ${named.join("; ")}`
}

/** An officer-readable sentence for a refusal: a known reason in the page's language, or the API's own message. */
export const describeError = (e: unknown, lang: Lang): string => {
  if (!(e instanceof ApiError)) throw e
  const fields = invalidFields(e, lang)
  if (fields !== undefined) return fields
  const reason = typeof e.details?.["reason"] === "string" ? e.details["reason"] : e.code
  const known = reasons[reason]
  return known === undefined ? `${words(lang).errorTitle}: ${e.message}` : `${known[lang]} (${e.message})`
}
