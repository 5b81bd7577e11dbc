/** Which of the three documents a page is, from the words of its title. */
import { fold } from "./fold.ts"

export type DocumentType = "payment_slip" | "bank_advice" | "decision" | "unknown"

export const classifyDocument = (text: string): DocumentType => {
  const t = fold(text).replace(/\s+/g, " ")
  // A payment slip cites its decision, so it is recognised before the decision itself.
  if (/giay nop tien|phieu thu tien|bien lai thu tien/.test(t)) return "payment_slip"
  if (/giay bao co|uy nhiem chi|lenh chuyen tien|phieu chuyen khoan|giay bao no/.test(t)) return "bank_advice"
  if (/quyet dinh/.test(t) && /thi hanh an/.test(t) && /(dieu 1|can cu|cho thi hanh an)/.test(t)) return "decision"
  return "unknown"
}
