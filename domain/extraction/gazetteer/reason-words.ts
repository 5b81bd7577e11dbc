/**
 * The words of payment reasons on THADS receipts, slips and transfers, as
 * printed: what the money is for (tiền thi hành án, án phí, bồi thường,
 * cấp dưỡng, lãi chậm thi hành án …), under which decision or judgment, for
 * whom. A reason word read with a slipped mark is corrected to the one
 * word of this list with the same letters.
 */
export const reasonWords: ReadonlyArray<string> = (
  "nộp tiền thi hành án phí lệ dân sự hình sơ thẩm phúc giám đốc tái bồi thường thiệt hại trả nợ theo bản " +
  "quyết định số của cho và các khoản tạm ứng chi cấp dưỡng nuôi con hoàn thanh toán phạt truy thu sung công quỹ " +
  "nhà nước vay ngân hàng tài sản hợp đồng mua bán lãi chậm suất phần còn lại lần đợt thứ nhất hai ba bốn năm " +
  "kinh doanh thương mại lao động hôn nhân gia đình tịch thu tiêu hủy bảo đảm kê biên định giá thẩm định chuyển " +
  "khoản thay người được phải toàn bộ một gốc vụ việc"
).split(" ")
