/**
 * The domain's and the store's refusals as officers read them, in
 * Vietnamese and in English. The domain's own messages are English and
 * technical; here each refusal is worded from its machine-readable fields
 * (reason, action, who, the receipt's label), so the officer API and the
 * console say the same thing in the page's language. A receipt is named
 * the way people name it, never by its id: an issued one by its series and
 * number, a draft by its payer and amount.
 */
import { formatVnd } from "../../domain/money.ts"
import { formatReceiptNumber } from "../../domain/receipt.ts"
import { NOT_READ } from "../../domain/submission.ts"
import type { Localized } from "../http/language.ts"
import { invalidReceiptText, issueText } from "./field-messages.ts"

export interface Label {
  readonly symbol: string
  readonly number?: number | undefined
  readonly payerName: string
  readonly amount: string
}

const payer = (name: string): { vi: string; en: string } =>
  name === NOT_READ ? { vi: "(chưa đọc được tên)", en: "(name not read)" } : { vi: name, en: name }

const money = (amount: string): string => (/^\d{1,16}$/.test(amount) ? formatVnd(BigInt(amount)) : amount)

/** "biên lai AA/25E 0000042" / "bản nháp của Nguyễn Văn Hòa, 125.500.000 đ". */
export const labelText = (l: Label): Localized =>
  l.number !== undefined
    ? { vi: `biên lai ${l.symbol} ${formatReceiptNumber(l.number)}`, en: `receipt ${l.symbol} ${formatReceiptNumber(l.number)}` }
    : { vi: `bản nháp của ${payer(l.payerName).vi}, ${money(l.amount)}`, en: `the draft for ${payer(l.payerName).en}, ${money(l.amount)}` }

const capital = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1)

const statusName: Record<string, Localized> = {
  draft: { vi: "là bản nháp", en: "a draft" },
  submitted: { vi: "đã trình phê duyệt", en: "submitted" },
  issued: { vi: "đã phát hành", en: "issued" },
  voided: { vi: "đã hủy", en: "voided" },
  replaced: { vi: "đã bị thay thế", en: "replaced" }
}
const statusText = (status: string): Localized => statusName[status] ?? { vi: status, en: status }

const fieldName: Record<string, Localized> = {
  "payer.name": { vi: "họ tên người nộp", en: "the payer's name" },
  "payer.address": { vi: "địa chỉ", en: "the address" },
  reason: { vi: "nội dung nộp tiền", en: "the reason for payment" },
  "payment.reference": { vi: "mã giao dịch ngân hàng", en: "the bank reference" },
  amount: { vi: "số tiền", en: "the amount" }
}

const problemText = (p: { readonly field: string; readonly rule: string }): Localized => {
  if (p.rule === "zero_amount") return { vi: "số tiền đang là 0 đồng", en: "the amount is 0 đồng" }
  const f = fieldName[p.field] ?? { vi: p.field, en: p.field }
  return { vi: `${f.vi} còn là "${NOT_READ}"`, en: `${f.en} still says "${NOT_READ}"` }
}

const join = (parts: ReadonlyArray<Localized>): Localized => ({ vi: parts.map((p) => p.vi).join("; "), en: parts.map((p) => p.en).join("; ") })

interface Transition {
  readonly message?: string
  readonly reason: string
  readonly action: string
  readonly from: string
  readonly subject?: Label | undefined
  readonly maker?: string | undefined
  readonly by?: string | undefined
  readonly problems?: ReadonlyArray<{ readonly field: string; readonly rule: string }> | undefined
}

/** A TransitionError of domain/lifecycle.ts in both languages. */
export const transitionText = (e: Transition): Localized => {
  const l = e.subject === undefined ? { vi: "biên lai này", en: "this receipt" } : labelText(e.subject)
  const L = { vi: capital(l.vi), en: capital(l.en) }
  const maker = e.maker ?? "?"
  const by = e.by ?? "?"
  const st = statusText(e.from)
  switch (e.reason) {
    case "not_a_draft":
      if (e.action === "delete") return { vi: `${L.vi} ${st.vi}, không bao giờ bị xóa; nếu sai, hãy hủy biên lai.`, en: `${L.en} is ${st.en} and can never be deleted; void it instead.` }
      if (e.action === "issue") return { vi: `${L.vi} ${st.vi}; không thể phát hành lần nữa.`, en: `${L.en} is already ${st.en}; it cannot be issued again.` }
      if (e.action === "add_scan") return { vi: `${L.vi} ${st.vi}; chỉ bản nháp mới được thêm bản quét.`, en: `${L.en} is ${st.en}; scans are added to drafts only.` }
      return {
        vi: `${L.vi} ${st.vi}, nội dung không thể thay đổi nữa; đính chính tên hoặc địa chỉ người nộp, hoặc lập biên lai thay thế.`,
        en: `${L.en} is ${st.en} and its content can no longer change; correct the payer's name or address, or issue a replacement receipt.`
      }
    case "not_issued":
      return e.action === "void"
        ? { vi: `${L.vi} chưa được phát hành; hãy xóa bản nháp thay vì hủy.`, en: `${L.en} has not been issued; delete the draft instead.` }
        : { vi: `${L.vi} chưa được phát hành; hãy sửa bản nháp thay vì lập bản thay thế.`, en: `${L.en} has not been issued; edit the draft instead.` }
    case "not_submitted":
      return e.action === "withdraw"
        ? { vi: `${L.vi} chưa được trình, không có gì để rút lại.`, en: `${L.en} is not submitted; there is nothing to withdraw.` }
        : { vi: `${L.vi} chưa được trình phê duyệt; người lập (${maker}) phải trình trước.`, en: `${L.en} has not been submitted for approval; its maker (${maker}) must submit it first.` }
    case "already_submitted":
      return { vi: `${L.vi} đã được trình và đang chờ phê duyệt.`, en: `${L.en} is already submitted and waits for an approver.` }
    case "not_ready": {
      const what = join((e.problems ?? []).map(problemText))
      return { vi: `Chưa trình được ${l.vi}: ${what.vi}. Hãy nhập giá trị đúng rồi trình lại.`, en: `${L.en} cannot be submitted yet: ${what.en}. Type the right values, then submit.` }
    }
    case "only_maker_can_edit":
      return { vi: `Chỉ người lập (${maker}) được sửa ${l.vi}; ${by} không được sửa — hãy trả lại cho ${maker}.`, en: `Only its maker (${maker}) may edit ${l.en}; ${by} may not — send it back to ${maker}.` }
    case "only_maker_can_submit":
      return { vi: `Chỉ người lập (${maker}) được trình ${l.vi}.`, en: `Only its maker (${maker}) may submit ${l.en}.` }
    case "only_maker_can_withdraw":
      return { vi: `Chỉ người lập (${maker}) được rút lại ${l.vi}.`, en: `Only its maker (${maker}) may withdraw ${l.en}.` }
    case "only_maker_can_add_scans":
      return {
        vi: `Chỉ người lập (${maker}) được thêm bản quét vào ${l.vi}; ${by} không được. Bản quét sẽ được đọc tự động vào bản nháp nên phải do chính người lập tải lên.`,
        en: `Only its maker (${maker}) may add scans to ${l.en}; ${by} may not. A scan is read into the draft, so only its maker uploads it.`
      }
    case "only_maker_can_delete":
      return {
        vi: `Chỉ người lập (${maker}) được xóa ${l.vi}; quản trị viên có thể xóa khi nêu lý do.`,
        en: `Only its maker (${maker}) may delete ${l.en}; an administrator may, giving a reason.`
      }
    case "maker_cannot_approve":
      return {
        vi: `Người lập không được tự phê duyệt: ${by} đã lập ${l.vi}; cần một lãnh đạo khác phê duyệt (nguyên tắc hai người).`,
        en: `The maker may not approve: ${by} prepared ${l.en}; another approver must approve it (maker-checker).`
      }
    case "already_voided":
      return { vi: `${L.vi} đã bị hủy trước đó.`, en: `${L.en} was already voided.` }
    case "replaced_cannot_be_voided":
      return { vi: `${L.vi} đã bị thay thế nên không hủy được; hãy hủy biên lai thay thế.`, en: `${L.en} was replaced and cannot be voided; void the replacement instead.` }
    case "voided_cannot_be_replaced":
      return { vi: `${L.vi} đã bị hủy nên không thay thế được; hãy lập biên lai mới.`, en: `${L.en} was voided and cannot be replaced; issue a new receipt instead.` }
    case "already_replaced":
      return { vi: `${L.vi} đã được thay thế; muốn sửa tiếp, hãy thay thế biên lai thay thế.`, en: `${L.en} was already replaced; to correct it again, replace its replacement.` }
    case "agency_mismatch":
      return { vi: `Biên lai thay thế phải thuộc cùng cơ quan với ${l.vi}.`, en: `The replacement of ${l.en} must belong to the same agency.` }
    case "replacement_must_differ":
      return {
        vi: `Biên lai thay thế có cùng số tiền và nội dung với ${l.vi}; sai tên hoặc địa chỉ thì đính chính, không lập bản thay thế.`,
        en: `The replacement has the same amount and content as ${l.en}; a wrong name or address is corrected, not replaced.`
      }
    case "not_the_replacement":
      return { vi: `Đó không phải biên lai thay thế đã phát hành của ${l.vi}.`, en: `That is not the issued replacement of ${l.en}.` }
    case "invalid_details": {
      // The domain lists the broken rules after "invalid receipt: " as "path: reason; path: reason".
      const listed = /invalid receipt: (.*)$/s.exec(e.message ?? "")?.[1] ?? ""
      const issues = listed.split(/; (?=[a-zA-Z.[\]0-9]+: )/).filter((x) => x !== "").map((x) => {
        const at = x.indexOf(": ")
        return issueText(at < 0 ? { path: "", message: x } : { path: x.slice(0, at), message: x.slice(at + 2) })
      })
      const what = join(issues)
      return { vi: `Không thực hiện được với ${l.vi}: ${what.vi}`, en: `That cannot be done to ${l.en}: ${what.en}` }
    }
    case "draft_cannot_be_annotated":
      return { vi: `${L.vi} vẫn là bản nháp; hãy sửa bản nháp thay vì đính chính.`, en: `${L.en} is still a draft; edit it instead.` }
    default:
      return { vi: `Không thực hiện được thao tác với ${l.vi} (${e.reason}).`, en: `That cannot be done to ${l.en} (${e.reason}).` }
  }
}

interface Correction {
  readonly reason: string
  readonly subject?: Label | undefined
  readonly requestedBy?: string | undefined
  readonly by?: string | undefined
  readonly message: string
}

/** A CorrectionError of domain/corrections.ts in both languages. */
export const correctionText = (e: Correction): Localized => {
  const l = e.subject === undefined ? { vi: "biên lai này", en: "this receipt" } : labelText(e.subject)
  const requester = e.requestedBy ?? "?"
  switch (e.reason) {
    case "not_issued":
      return { vi: `${capital(l.vi)} chưa được phát hành; bản nháp thì người lập sửa trực tiếp.`, en: `${capital(l.en)} is not issued yet; its maker edits the draft instead.` }
    case "changes_nothing":
      return { vi: `Nội dung đính chính giống hệt nội dung hiện có của ${l.vi}; không có gì để đính chính.`, en: `The corrected text is what ${l.en} already says; there is nothing to correct.` }
    case "invalid_value":
      return { vi: `Nội dung đính chính cho ${l.vi} chưa hợp lệ (không được để trống, tối đa 300 ký tự).`, en: `The correction of ${l.en} is not valid: ${e.message}` }
    case "not_pending":
      return { vi: `Đề nghị đính chính ${l.vi} đã được xử lý trước đó.`, en: `The correction of ${l.en} was already decided.` }
    case "requester_cannot_approve":
      return {
        vi: `Người đề nghị (${requester}) không được tự duyệt đính chính ${l.vi}; cần một lãnh đạo khác (nguyên tắc hai người).`,
        en: `${requester} requested the correction of ${l.en} and may not decide it; another approver must (maker-checker).`
      }
    case "text_differs":
      return {
        vi: `Nội dung bạn duyệt khác nội dung được đề nghị cho ${l.vi}; chưa đính chính gì. Hãy mở lại đề nghị và duyệt đúng nội dung đó.`,
        en: `The text you approved is not the text requested for ${l.en}; nothing was corrected. Open the request again and approve what it says.`
      }
    case "only_requester_can_withdraw":
      return { vi: `Chỉ người đề nghị (${requester}) được rút lại đề nghị đính chính ${l.vi}.`, en: `Only ${requester}, who requested it, may withdraw the correction of ${l.en}.` }
    case "reason_required":
      return { vi: "Từ chối đính chính phải nêu lý do để người đề nghị biết cần làm gì.", en: "A rejection needs a reason the requester can act on." }
    default:
      return { vi: `Không thực hiện được đính chính ${l.vi} (${e.reason}).`, en: e.message }
  }
}

const conflictText: Record<string, Localized> = {
  already_issued: {
    vi: "Biên lai này đã được lưu trước đó (đã phát hành, hoặc là bản nháp chỉ được phát hành khi phê duyệt đúng nội dung); không phát hành lại.",
    en: "This receipt is already stored (issued, or a draft that only an approval of its content issues); it was not issued again."
  },
  original_not_issued: {
    vi: "Biên lai gốc không còn ở trạng thái đã phát hành (đã hủy hoặc đã bị thay thế); chỉ thay thế được biên lai đang có hiệu lực.",
    en: "The original is no longer issued (voided or replaced meanwhile); only an issued receipt can be replaced."
  },
  lookup_code_taken: { vi: "Mã tra cứu vừa sinh đã có; hãy thử lại.", en: "The lookup code drawn is already used; try again." },
  not_a_draft: { vi: "Bản nháp không còn là của bạn hoặc đã được phát hành; không có gì thay đổi.", en: "The draft is no longer yours or was issued meanwhile; nothing changed." },
  state_changed: { vi: "Biên lai vừa thay đổi; hãy mở lại rồi thử lại.", en: "The receipt changed meanwhile; open it again and retry." },
  content_changed: {
    vi: "Bản nháp đã thay đổi sau khi bạn mở để duyệt (đã sửa, rút lại, xóa hoặc trình lại); chưa có gì được phát hành. Hãy mở lại, kiểm tra nội dung hiện tại rồi phê duyệt.",
    en: "The draft changed after you opened it for approval (edited, withdrawn, deleted or submitted again); nothing was issued. Open it again, check what it says now, and approve that."
  }
}

type Tagged = { readonly _tag?: string; readonly message?: string } & Record<string, unknown>

/** A domain or store failure in both languages, or undefined when it is not one of theirs. */
export const failureText = (failure: unknown): Localized | undefined => {
  const e = failure as Tagged
  switch (e?._tag) {
    case "TransitionError":
      return transitionText(e as unknown as Transition)
    case "CorrectionError":
      return correctionText(e as unknown as Correction)
    case "InvalidReceipt":
      return invalidReceiptText((e["issues"] ?? []) as ReadonlyArray<{ path: string; message: string }>)
    case "StoreConflict":
      return conflictText[String(e["reason"])]
    case "ReceiptNotFound":
      return { vi: "Không tìm thấy biên lai này trong cơ quan của bạn.", en: "No such receipt in your agency." }
    case "SeriesExhausted":
      return {
        vi: `Dãy ${String(e["form"])} ${String(e["symbol"])} đã dùng hết số (đến 9999999); hãy mở dãy mới với ký hiệu khác.`,
        en: `Series ${String(e["form"])} ${String(e["symbol"])} is exhausted (up to 9999999); open another series with a new symbol.`
      }
    case "SymbolYearMismatch":
      return {
        vi: `Ký hiệu ${String(e["symbol"])} thuộc năm ${String(e["symbolYear"])}, không dùng cho biên lai phát hành năm ${String(e["issueYear"])}; hãy chọn ký hiệu của năm ${String(e["issueYear"])}.`,
        en: `Symbol ${String(e["symbol"])} belongs to ${String(e["symbolYear"])} and cannot take receipts issued in ${String(e["issueYear"])}; use a symbol of ${String(e["issueYear"])}.`
      }
    case "SigningError":
      return { vi: "Không ký số được lúc này (thiết bị ký không trả lời); chưa có gì được phát hành, hãy thử lại sau.", en: "Signing is unavailable right now; nothing was issued, try again later." }
    default:
      return undefined
  }
}
