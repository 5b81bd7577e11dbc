/** Which of the three documents a page is, from the words of its title. */
import { fold } from "./fold.ts"

export type DocumentType = "payment_slip" | "bank_advice" | "decision" | "unknown"

export const classifyDocument = (text: string): DocumentType => {
  // OCR may run a title's words together ("GIẤYNỘPTIỀN"): the titles are matched without spaces.
  const t = fold(text).replace(/\s+/g, "")
  // A payment slip cites its decision, so it is recognised before the decision itself.
  if (/giaynoptien|phieuthutien|bienlaithutien/.test(t)) return "payment_slip"
  if (/giaybaoco|uynhiemchi|lenhchuyentien|phieuchuyenkhoan|giaybaono/.test(t)) return "bank_advice"
  if (/quyetdinh/.test(t) && /thihanhan/.test(t) && /(dieu1|cancu|chothihanhan)/.test(t)) return "decision"
  return "unknown"
}
