/**
 * What each payout refusal means, for the people who read it: Vietnamese
 * first, English second. Errors carry a machine-readable `reason` and a
 * technical English `message` with the amounts; pages show the sentence
 * below in the page's language and the technical detail after it.
 */
import type { PlanRefusal } from "./allocate.ts"
import type { RoundRefusal } from "./approval.ts"
import type { LineRefusal } from "./line-state.ts"

export interface Sentence {
  readonly vi: string
  readonly en: string
}

export const planRefusalText: Readonly<Record<PlanRefusal, Sentence>> = {
  round_number: { vi: "Số đợt chi trả không phải là đợt tiếp theo của vụ việc.", en: "This is not the case's next round number." },
  duplicate_claim: { vi: "Một khoản được thi hành án bị liệt kê hai lần.", en: "A claim is listed twice." },
  deductions_exceed_available: {
    vi: "Chi phí thi hành án và khoản tiền thuê nhà vượt quá số tiền có để chi trả.",
    en: "Enforcement costs and the housing amount exceed the money available."
  },
  history_inconsistent: {
    vi: "Số tiền đã chi cho một người vượt quá số tiền họ được thi hành án; kiểm tra lại dữ liệu.",
    en: "A creditor has already been allocated more than they are owed; check the data."
  },
  catch_up_exceeds_available: {
    vi: "Số tiền chi bù các đợt trước cho người được thi hành án đến sau vượt quá số tiền có để chi trả.",
    en: "Catch-up for late creditors needs more than the money available."
  },
  more_than_owed: {
    vi: "Số tiền chi trả lớn hơn số tiền còn phải thi hành án.",
    en: "The round is larger than what remains owed."
  },
  ratio_exceeds_available: {
    vi: "Tỷ lệ chi trả này cần nhiều tiền hơn số tiền có để chi trả.",
    en: "This ratio needs more money than is available."
  },
  nothing_owed: { vi: "Mọi người được thi hành án đã được chi trả đủ.", en: "Every creditor has been paid in full." },
  too_many_lines: { vi: "Đợt chi trả có quá nhiều dòng.", en: "The round has too many lines." }
}

export const roundRefusalText: Readonly<Record<RoundRefusal, Sentence>> = {
  already_approved: { vi: "Đợt chi trả đã được phê duyệt; kế hoạch đã duyệt không thể thay đổi.", en: "The round is already approved; an approved plan never changes." },
  not_approved: { vi: "Đợt chi trả chưa được phê duyệt.", en: "The round has not been approved." },
  maker_cannot_approve: {
    vi: "Người lập kế hoạch chi trả không được tự phê duyệt (nguyên tắc hai người).",
    en: "The planner may not approve their own round (maker-checker)."
  },
  plan_changed: {
    vi: "Kế hoạch chi trả không còn đúng với bản đã được xem xét hoặc phê duyệt.",
    en: "The plan is not the one that was reviewed or approved."
  },
  approved_before_planned: { vi: "Thời điểm phê duyệt sớm hơn thời điểm lập kế hoạch.", en: "The approval is dated before the plan." }
}

export const lineRefusalText: Readonly<Record<LineRefusal, Sentence>> = {
  not_approved: { vi: "Đợt chi trả của dòng này chưa được phê duyệt.", en: "This line's round has not been approved." },
  already_approved: { vi: "Dòng này đã được phê duyệt.", en: "This line is already approved." },
  already_sent: {
    vi: "Dòng này đã được gửi ngân hàng và chưa có kết quả; chỉ gửi lại khi ngân hàng trả lại.",
    en: "This line was sent and the bank has not answered; send it again only once the bank returns it."
  },
  already_paid: { vi: "Dòng này đã được chi trả; không chi trả hai lần.", en: "This line has been paid; a line is never paid twice." },
  not_sent: { vi: "Dòng này chưa được gửi ngân hàng.", en: "This line has not been sent to the bank." },
  deposited: { vi: "Tiền của dòng này đã được gửi tiết kiệm.", en: "This line's money has been deposited." },
  nothing_to_pay: { vi: "Dòng này có số tiền 0 đồng.", en: "This line is 0 đồng." },
  not_a_bank_line: {
    vi: "Dòng này được gửi tiết kiệm (người được thi hành án chưa có tài khoản hoặc chưa có đơn yêu cầu).",
    en: "This line is to be deposited (no account on file, or no request for enforcement)."
  },
  bank_line_not_returned: {
    vi: "Dòng chuyển khoản chỉ được gửi tiết kiệm sau khi ngân hàng trả lại.",
    en: "A bank line is deposited only after the bank returns it."
  }
}
