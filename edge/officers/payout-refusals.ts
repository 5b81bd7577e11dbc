/**
 * The payout store's refusals (`PayoutRefused`, store/payout/errors.ts) and
 * a bank file that cannot be read (`BankFileRefused`) as HTTP answers an
 * officer can act on: the status, the machine-readable reason, and a
 * sentence in Vietnamese and English naming what is wrong, with every
 * problem (a row of the list, an element of the bank's file, a line) in
 * `details.problems`.
 */
import type { BankFileRefused } from "../../domain/bank/statement.ts"
import { planRefusalText } from "../../domain/payout/messages.ts"
import type { PayoutRefusal, PayoutRefused } from "../../store/payout/errors.ts"
import { ApiError } from "../http/errors.ts"
import type { Localized } from "../http/language.ts"

const STATUS: Readonly<Record<PayoutRefusal, 403 | 404 | 409 | 422 | 503>> = {
  invalid_claims: 422,
  case_has_rounds: 409,
  invalid_terms: 422,
  plan_refused: 422,
  round_not_found: 404,
  not_planned: 409,
  maker_cannot_approve: 403,
  plan_changed: 409,
  not_approved: 409,
  signing_failed: 503,
  nothing_to_send: 409,
  batch_not_found: 404,
  bank_file: 422,
  unknown_line: 422,
  line_transition: 409
}

const LEAD: Readonly<Record<PayoutRefusal, Localized>> = {
  invalid_claims: { vi: "Danh sách người được thi hành án có dòng không hợp lệ; chưa nhập dòng nào.", en: "The creditor list has rows that are refused; nothing was imported." },
  case_has_rounds: { vi: "Vụ việc đã có đợt chi trả; danh sách đã nhập không sửa được.", en: "The case already has a payout round; its creditor list cannot change." },
  invalid_terms: { vi: "Điều kiện của đợt chi trả không hợp lệ.", en: "The round's terms are invalid." },
  plan_refused: { vi: "Không lập được đợt chi trả.", en: "The round cannot be planned." },
  round_not_found: { vi: "Không có đợt chi trả này trong cơ quan của bạn.", en: "No such payout round in your agency." },
  not_planned: { vi: "Đợt chi trả không ở trạng thái chờ phê duyệt.", en: "The round is not waiting for approval." },
  maker_cannot_approve: {
    vi: "Người lập đợt chi trả không được tự phê duyệt; cần một lãnh đạo khác phê duyệt.",
    en: "Whoever planned a round cannot approve it; another approver must."
  },
  plan_changed: {
    vi: "Mã SHA-256 không khớp với kế hoạch đã lưu; hãy xem lại kế hoạch trước khi phê duyệt.",
    en: "The SHA-256 does not match the stored plan; review the plan again before approving."
  },
  not_approved: { vi: "Đợt chi trả chưa được phê duyệt; chưa thể gửi ngân hàng.", en: "The round is not approved yet; it cannot be sent to the bank." },
  signing_failed: { vi: "Không ký số được lúc này; chưa có gì được phê duyệt, hãy thử lại sau.", en: "Signing is unavailable right now; nothing was approved, try again later." },
  nothing_to_send: { vi: "Không có dòng nào để gửi ngân hàng.", en: "There is nothing to send to the bank." },
  batch_not_found: { vi: "Không có lô chuyển tiền này.", en: "No such bank batch." },
  bank_file: { vi: "Tệp trả lời của ngân hàng có phần không đọc được; chưa có gì thay đổi.", en: "The bank's file has answers that cannot be read; nothing changed." },
  unknown_line: {
    vi: "Tệp của ngân hàng nhắc đến dòng chi trả không có trong cơ quan của bạn; chưa có gì thay đổi.",
    en: "The bank's file names payout lines your agency does not have; nothing changed."
  },
  line_transition: { vi: "Có dòng chi trả không thể chuyển sang trạng thái này; chưa có gì thay đổi.", en: "Some payout lines cannot take this state; nothing changed." }
}

const listed = (problems: ReadonlyArray<{ readonly where: string; readonly message: string }>): string =>
  problems.length === 0 ? "" : ` ${problems.slice(0, 5).map((p) => `${p.where}: ${p.message}`).join("; ")}${problems.length > 5 ? ` (+${problems.length - 5})` : ""}`

export const payoutRefusalAnswer = (e: PayoutRefused): ApiError => {
  const lead = LEAD[e.reason]
  // A planning refusal carries the planner's reason: its own sentence, then the amounts.
  const planReason = e.reason === "plan_refused" ? planRefusalText[e.problems[0]?.where as keyof typeof planRefusalText] : undefined
  const problems = e.reason === "plan_refused" ? [] : e.problems
  const messages: Localized = planReason !== undefined
    ? { vi: `${lead.vi} ${planReason.vi} (${e.message})`, en: `${lead.en} ${planReason.en} (${e.message})` }
    : problems.length > 0
    ? { vi: `${lead.vi}${listed(problems)}`, en: `${lead.en}${listed(problems)}` }
    : { vi: `${lead.vi} (${e.message})`, en: `${lead.en} (${e.message})` }
  return new ApiError(STATUS[e.reason], `payout_${e.reason}`, e.message, {
    details: { reason: e.reason, problems: e.problems },
    messages,
    ...(e.reason === "signing_failed" ? { headers: { "Retry-After": "30" } } : {})
  })
}

export const bankFileAnswer = (e: BankFileRefused): ApiError =>
  new ApiError(422, "bank_file_unreadable", e.message, {
    details: { format: e.format, where: e.where },
    messages: {
      vi: `Không đọc được tệp ${e.format} của ngân hàng (${e.where}); chưa có gì thay đổi. ${e.message}`,
      en: `The bank's ${e.format} file cannot be read (${e.where}); nothing changed. ${e.message}`
    }
  })
