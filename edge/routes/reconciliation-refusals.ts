/**
 * Reconciliation's refusals as HTTP answers, in Vietnamese for officers with
 * the store's own English (which names the entry, statement or figures) kept
 * after it: the status a client can act on and the machine-readable reason.
 */
import type { InvalidVietQr } from "../../domain/bank/vietqr.ts"
import type { InvalidPaymentRequest } from "../../domain/reconciliation/payment-request.ts"
import type { MappingRefused } from "../../adapters/bank/mappings.ts"
import type { ReconciliationRefusal } from "../../store/reconciliation/refusals.ts"
import { ApiError } from "../http/errors.ts"

const lead: Record<ReconciliationRefusal["reason"], { status: 403 | 404 | 409 | 422; vi: string }> = {
  unknown_account: { status: 422, vi: "Tài khoản trong sao kê không phải tài khoản đã đăng ký của cơ quan" },
  other_agency: { status: 403, vi: "Sao kê thuộc tài khoản của cơ quan khác" },
  duplicate_differs: { status: 409, vi: "Giao dịch trùng số tham chiếu nhưng khác nội dung với giao dịch đã nhập" },
  statement_differs: { status: 409, vi: "Sao kê này đã được nhập với số dư khác" },
  day_closed: { status: 409, vi: "Ngày này đã khóa sổ đối chiếu; không được thay đổi (hãy lập bút toán điều chỉnh vào ngày sau)" },
  does_not_balance: { status: 422, vi: "Số dư không khớp: số dư đầu + ghi có − ghi nợ khác số dư cuối của ngân hàng" },
  not_an_approver: { status: 403, vi: "Chỉ lãnh đạo phê duyệt của cơ quan mới được khóa sổ ngày" },
  already_closed: { status: 409, vi: "Ngày này đã được khóa sổ" },
  not_queued: { status: 404, vi: "Không có khoản ghi có này trong hàng chờ đối chiếu của cơ quan" },
  sums_differ: { status: 422, vi: "Số tiền không khớp: khoản ghi có phải bằng đúng số còn phải nộp của các biên lai đã chọn" }
}

const both = (vi: string, en: string) => ({ vi: `${vi}: ${en}`, en })

export const reconciliationText = {
  refusal: (e: ReconciliationRefusal): ApiError => {
    const l = lead[e.reason]
    return new ApiError(l.status, e.reason, e.message, { details: { reason: e.reason }, messages: both(l.vi, e.message) })
  },
  mapping: (e: MappingRefused): ApiError =>
    new ApiError(422, "mapping_refused", e.message, { details: { problems: e.problems }, messages: both("Bảng ánh xạ cột sao kê không dùng được", e.message) }),
  paymentRequest: (e: InvalidPaymentRequest): ApiError =>
    new ApiError(422, "invalid_payment_request", e.message, { details: { problems: e.problems }, messages: both("Đề nghị thanh toán không hợp lệ", e.problems.join("; ")) }),
  vietQr: (e: InvalidVietQr): ApiError =>
    new ApiError(422, "invalid_vietqr", e.message, { details: { reason: e.reason, ...(e.field === undefined ? {} : { field: e.field }) }, messages: both("Mã VietQR không hợp lệ", e.message) })
}
