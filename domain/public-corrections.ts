/**
 * Approved corrections of the payer's name or address, as the public pages
 * and the PDF show them: never in place of the signed text, always beside
 * it and labelled "Đã đính chính" (corrected), with the date the correction
 * took effect. Shown `full` where the signed text is shown in full; `masked`
 * where the signed name is masked (the /v/ page, a masked PDF: the corrected
 * name masked alike, a corrected address only said to exist); `hidden` where
 * nobody is named (the lookup summary by code alone: only that a field was
 * corrected, and when).
 */
import type { Annotation } from "./receipt.ts"
import { maskName } from "./privacy.ts"
import { vietnamTime } from "./vietnam-time.ts"

export type PublicLang = "vi" | "en"
export type CorrectionView = "full" | "masked" | "hidden"

/** What a page may know of a correction: in the summary by code alone, not its text. */
export interface PublicCorrection {
  readonly field: Annotation["field"]
  readonly at: string
  readonly value?: string
  readonly approvedBy?: string
}

const label = {
  vi: { payerName: "Đã đính chính — người nộp", payerAddress: "Đã đính chính — địa chỉ", hidden: "đã được đính chính (xem đầy đủ khi tra cứu với số định danh)" },
  en: { payerName: "Corrected — payer", payerAddress: "Corrected — address", hidden: "was corrected (shown in full with the identity number)" }
} as const

/** The latest of each field, oldest first. */
const latestPerField = <A extends PublicCorrection>(corrections: ReadonlyArray<A>): ReadonlyArray<A> => {
  const latest = new Map<Annotation["field"], A>()
  for (const a of corrections) {
    const seen = latest.get(a.field)
    if (seen === undefined || a.at >= seen.at) latest.set(a.field, a)
  }
  return [...latest.values()].sort((a, b) => (a.at < b.at ? -1 : 1))
}

/** The approved corrections in force among a receipt's annotations, latest per field, oldest first. */
export const approvedCorrections = <A extends PublicCorrection>(annotations: ReadonlyArray<A>): ReadonlyArray<A> =>
  latestPerField(annotations.filter((a) => a.approvedBy !== undefined))

const shown = (a: PublicCorrection, view: CorrectionView, hidden: string): string =>
  view === "full" && a.value !== undefined ? a.value : view === "masked" && a.field === "payerName" && a.value !== undefined ? maskName(a.value) : hidden

/** Table rows [label, value] for approved corrections (the caller chose them: approvedCorrections, or the summary's). */
export const correctionRows = (corrections: ReadonlyArray<PublicCorrection>, o: { readonly lang: PublicLang; readonly view: CorrectionView }): Array<[string, string]> =>
  latestPerField(corrections).map((a) => {
    const l = label[o.lang]
    return [l[a.field], `${shown(a, o.view, l.hidden)} (${vietnamTime(a.at)})`]
  })

/** Lines for a narrow label column (the PDF): "Đã đính chính:", "tên người nộp: … (date)". */
export const correctionLines = (corrections: ReadonlyArray<PublicCorrection>, o: { readonly view: CorrectionView }): Array<[string, string]> =>
  latestPerField(corrections).map((a) => ["Đã đính chính:", `${a.field === "payerName" ? "tên người nộp" : "địa chỉ"}: ${shown(a, o.view, label.vi.hidden)} (${vietnamTime(a.at)})`])
