/**
 * Officers' search within their agency: by payer name (accent- and
 * case-insensitive, whole words in any order: "nguyen hoa" finds "Nguyễn
 * Văn Hòa"), lookup code, number, identity number, decision number, issue
 * date range (Vietnam's calendar days), amount range and status. Keyset
 * pagination on (created_at, id), newest first, so page 1,000 costs what
 * page 1 costs. Every filter is served by an index (store/migrations/0100_edge.sql).
 */
import { Result } from "effect"
import { makeIsoDate } from "../../domain/dates.ts"
import { normalizeIdentityNumber } from "../../domain/identity.ts"
import { normalizeLookupCode } from "../../domain/ids.ts"
import { foldForSearch } from "../../domain/text.ts"
import type { Sql } from "../../store/database/db.ts"
import { type SearchFilters, type SearchItem, searchReceiptRows } from "../../store/receipts/receipt-search.ts"
import { ApiError } from "../http/errors.ts"
import type { Localized } from "../http/language.ts"
import { isUuid } from "../../domain/ids.ts"

export const MAX_PAGE = 100

// A cursor is the last row's (created_at, id), as base64url JSON. Whatever a client sends back is
// checked to be exactly that shape before it reaches SQL: a well-formed instant the database reads
// the same way, and a UUID.
const instantShape = /^(19|[2-9]\d)\d{2}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/

export const encodeCursor = (createdAt: string, id: string): string => Buffer.from(JSON.stringify([createdAt, id])).toString("base64url")

export const decodeCursor = (text: string): SearchFilters["cursor"] | undefined => {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(text)) return undefined
  let value: unknown
  try {
    value = JSON.parse(Buffer.from(text, "base64url").toString("utf8"))
  } catch {
    return undefined
  }
  if (!Array.isArray(value) || value.length !== 2) return undefined
  const [createdAt, id] = value as [unknown, unknown]
  if (typeof createdAt !== "string" || !instantShape.test(createdAt) || typeof id !== "string" || !isUuid(id)) return undefined
  // The shape alone lets through 2025-13-45T99:00:00.000Z; a real instant prints back as itself.
  const ms = Date.parse(createdAt)
  if (Number.isNaN(ms) || new Date(ms).toISOString() !== createdAt) return undefined
  return { createdAt, id }
}

const isoDay = (text: string): string | undefined => {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text)
  if (m === null) return undefined
  const r = makeIsoDate(Number(m[1]), Number(m[2]), Number(m[3]))
  return Result.isSuccess(r) ? r.success : undefined
}

/** Query parameters → filters, or 400 naming every bad parameter. */
export const parseSearch = (q: Record<string, string | undefined>): SearchFilters => {
  // Each problem in both languages: officers read them on the console's search page and in the API.
  const said: Array<Localized> = []
  const problems = { push: (en: string, vi?: string) => said.push({ en, vi: vi ?? en }) }
  const out: { -readonly [K in keyof SearchFilters]?: SearchFilters[K] } = { limit: 20 }
  const known = ["q", "name", "lookupCode", "number", "idNumber", "decisionNumber", "from", "to", "minAmount", "maxAmount", "status", "limit", "cursor"]
  for (const key of Object.keys(q)) {
    if (!known.includes(key)) problems.push(`unknown parameter "${key}"; the filters are ${known.join(", ")}`, `không có bộ lọc "${key}"; các bộ lọc là ${known.join(", ")}`)
  }
  // PostgreSQL text cannot hold U+0000: such a value would otherwise reach the database and fail there (a 500).
  for (const [key, value] of Object.entries(q)) {
    if (value?.includes("\u0000")) problems.push(`${key} contains a NUL character, which no field holds`, `${key} chứa ký tự NUL, không trường nào chứa ký tự này`)
  }
  const name = q["name"] ?? q["q"]
  if (name !== undefined) {
    const folded = foldForSearch(name)
    if (folded === "") problems.push("name must contain letters", "tên phải có chữ cái")
    else out.name = folded
  }
  if (q["lookupCode"] !== undefined) {
    const code = normalizeLookupCode(q["lookupCode"])
    if (!/^[0-9A-HJKMNP-TV-Z]{12}$/.test(code)) {
      problems.push(`lookupCode "${q["lookupCode"].slice(0, 40)}" is not a 12-character lookup code`, `"${q["lookupCode"].slice(0, 40)}" không phải mã tra cứu 12 ký tự`)
    }
    else out.lookupCode = code
  }
  if (q["number"] !== undefined) {
    const n = Number(q["number"])
    if (!/^\d{1,7}$/.test(q["number"]) || n < 1) {
      problems.push(`number "${q["number"].slice(0, 20)}" is not a receipt number (1 to 9999999)`, `"${q["number"].slice(0, 20)}" không phải số biên lai (từ 1 đến 9999999)`)
    }
    else out.number = n
  }
  if (q["idNumber"] !== undefined) out.idNumber = normalizeIdentityNumber(q["idNumber"])
  if (q["decisionNumber"] !== undefined) out.decisionNumber = q["decisionNumber"].trim().normalize("NFC")
  for (const key of ["from", "to"] as const) {
    const v = q[key]
    if (v === undefined) continue
    const day = isoDay(v)
    if (day === undefined) problems.push(`${key} "${v.slice(0, 20)}" is not a date YYYY-MM-DD`, `${key === "from" ? "Từ ngày" : "Đến ngày"}: "${v.slice(0, 20)}" không phải ngày dạng YYYY-MM-DD`)
    else out[key] = day
  }
  for (const key of ["minAmount", "maxAmount"] as const) {
    const v = q[key]
    if (v === undefined) continue
    if (!/^\d{1,16}$/.test(v)) {
      problems.push(`${key} "${v.slice(0, 20)}" is not an amount in whole đồng (digits only)`, `${key === "minAmount" ? "Số tiền từ" : "Số tiền đến"}: "${v.slice(0, 20)}" không phải số tiền đồng nguyên (chỉ gồm chữ số)`)
    }
    else out[key] = BigInt(v)
  }
  const status = q["status"]
  if (status !== undefined) {
    if (status === "draft" || status === "submitted" || status === "issued" || status === "voided" || status === "replaced") out.status = status
    else problems.push(`status "${status.slice(0, 20)}" is not one of draft, submitted, issued, voided, replaced`, `trạng thái "${status.slice(0, 20)}" không có; chọn draft, submitted, issued, voided hoặc replaced`)
  }
  if (q["limit"] !== undefined) {
    const n = Number(q["limit"])
    if (!/^\d{1,3}$/.test(q["limit"]) || n < 1 || n > MAX_PAGE) problems.push(`limit must be 1 to ${MAX_PAGE}`, `limit phải từ 1 đến ${MAX_PAGE}`)
    else out.limit = n
  }
  if (q["cursor"] !== undefined) {
    const c = decodeCursor(q["cursor"])
    if (c === undefined) {
      problems.push(
        "cursor is not one this server handed out: use the nextCursor of the previous page as it is, or leave it out for the first page",
        "con trỏ trang (cursor) không do máy chủ này cấp: hãy dùng nguyên nextCursor của trang trước, hoặc bỏ đi để xem trang đầu"
      )
    }
    else out.cursor = c
  }
  if (said.length > 0) {
    throw new ApiError(400, "invalid_search", said.map((p) => p.en).join("; "), {
      details: { problems: said.map((p) => p.en) },
      messages: { vi: `Bộ lọc tìm kiếm chưa đúng: ${said.map((p) => p.vi).join("; ")}`, en: said.map((p) => p.en).join("; ") }
    })
  }
  return out as SearchFilters
}

export type { SearchFilters, SearchItem }

export const searchReceipts = async (sql: Sql, agency: string, f: SearchFilters): Promise<{ items: Array<SearchItem>; nextCursor: string | null }> => {
  const page = await searchReceiptRows(sql, agency, f)
  return { items: page.items, nextCursor: page.next === null || page.next === undefined ? null : encodeCursor(page.next.createdAt, page.next.id) }
}
