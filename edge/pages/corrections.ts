/**
 * Approved corrections of the payer's name or address, as the public pages
 * and the PDF show them: never in place of the signed text, always beside
 * it and labelled "Đã đính chính" (corrected), with the date the correction
 * took effect. In a masked view the corrected name is masked like the
 * signed one, and a corrected address is only said to exist.
 */
import type { Annotation } from "../../domain/receipt.ts"
import { maskName } from "../../domain/privacy.ts"
import { vietnamTime } from "./html.ts"

export type PublicLang = "vi" | "en"

const label = {
  vi: { payerName: "Đã đính chính — người nộp", payerAddress: "Đã đính chính — địa chỉ", hidden: "đã được đính chính (xem đầy đủ khi tra cứu với số định danh)" },
  en: { payerName: "Corrected — payer", payerAddress: "Corrected — address", hidden: "was corrected (shown in full with the identity number)" }
} as const

/** The approved corrections in force, latest per field, oldest first. */
export const approvedCorrections = (annotations: ReadonlyArray<Annotation>): ReadonlyArray<Annotation> => {
  const latest = new Map<Annotation["field"], Annotation>()
  for (const a of annotations) {
    if (a.approvedBy === undefined) continue
    const seen = latest.get(a.field)
    if (seen === undefined || a.at >= seen.at) latest.set(a.field, a)
  }
  return [...latest.values()].sort((a, b) => (a.at < b.at ? -1 : 1))
}

/** Lines for a narrow label column (the PDF): "Đã đính chính:", "tên người nộp: … (date)". */
export const correctionLines = (annotations: ReadonlyArray<Annotation>, o: { readonly full: boolean }): Array<[string, string]> =>
  approvedCorrections(annotations).map((a) => {
    const value = o.full ? a.value : a.field === "payerName" ? maskName(a.value) : label.vi.hidden
    return ["Đã đính chính:", `${a.field === "payerName" ? "tên người nộp" : "địa chỉ"}: ${value} (${vietnamTime(a.at)})`]
  })

/** Table rows [label, value] for the approved corrections; `full` shows them unmasked. */
export const correctionRows = (annotations: ReadonlyArray<Annotation>, o: { readonly lang: PublicLang; readonly full: boolean }): Array<[string, string]> =>
  approvedCorrections(annotations).map((a) => {
    const l = label[o.lang]
    const when = vietnamTime(a.at)
    const value = o.full ? a.value : a.field === "payerName" ? maskName(a.value) : l.hidden
    return [l[a.field], `${value} (${when})`]
  })
