/**
 * The labels printed on the documents that reach an enforcement office, the
 * field each introduces, and where it is printed. `pattern` is the label as
 * folded text (no marks, lower case) with the variants its forms use, as a
 * regular expression; labels.ts makes it tolerant of OCR's split and joined
 * words. Labels of fields bienlai does not read ("other") are listed too: on
 * a two-column or table layout they end the value before them.
 *
 * The wordings were collected from the forms' published models and from
 * scans of them (docs/OCR.md lists the forms); a wording not here is not
 * read as a label, so add it here with its source.
 */

export type LabelledField =
  | "payerName"
  | "payerIdNumber"
  | "payerAddress"
  | "amount"
  | "amountInWords"
  | "reason"
  | "bankReference"
  | "paymentDate"
  | "decisionDate"

/** A label that introduces something bienlai does not read (an account, the beneficiary, a date of issue). */
export type LabelTarget = LabelledField | "other"

export type LabelSource =
  | "thads-receipt" // THADS receipt (biên lai thu tiền) and its payment slip, Circular 04/2023/TT-BTP
  | "thads-decision" // THADS decisions on enforcement (quyết định thi hành án) and their notices
  | "treasury-slip" // State Treasury payment slip (giấy nộp tiền vào NSNN, form C1-02/NS)
  | "bank-slip" // bank cash deposit slips (giấy nộp tiền) of the large banks
  | "transfer-order" // payment orders (ủy nhiệm chi, lệnh chuyển tiền)
  | "credit-advice" // bank credit advices (giấy báo có) and transaction receipts
  | "judgment" // court judgments and decisions (bản án, quyết định của Tòa án)

export interface LabelEntry {
  readonly printed: string
  readonly field: LabelTarget
  readonly pattern: string
  readonly sources: ReadonlyArray<LabelSource>
  /** Only at the start of a line or a table cell: a short, common word ("Ngày") that sentences hold too. */
  readonly lineStartOnly?: boolean
  /** Anywhere on a line even without a colon: a label no sentence or name holds ("Số CMND/CCCD"). */
  readonly anywhere?: boolean
}

const entry = (
  field: LabelTarget,
  printed: string,
  pattern: string,
  sources: ReadonlyArray<LabelSource>,
  lineStartOnly = false,
  anywhere = false
): LabelEntry => ({ printed, field, pattern, sources, ...(lineStartOnly ? { lineStartOnly } : {}), ...(anywhere ? { anywhere } : {}) })

export const labelData: ReadonlyArray<LabelEntry> = [
  // The amount in words first: "Số tiền bằng chữ" must not be read as the figures' label.
  entry("amountInWords", "Số tiền bằng chữ / Viết bằng chữ", "(?:(?:tong )?so tien )?(?:viet )?bang chu", ["thads-receipt", "treasury-slip", "bank-slip", "transfer-order", "credit-advice", "thads-decision"]),

  entry("payerName", "Họ và tên người nộp tiền", "ho (?:va )?ten (?:cua )?(?:nguoi nop(?: tien)?|nguoi chuyen(?: tien)?|nguoi phai thi hanh an|nguoi tra tien)", ["thads-receipt", "bank-slip"]),
  entry("payerName", "Người nộp tiền / Tên người chuyển tiền / Đơn vị trả tiền", "(?:ten )?(?:nguoi|don vi) (?:nop|chuyen|tra)(?: tien)?", ["thads-receipt", "bank-slip", "transfer-order", "credit-advice"]),
  entry("payerName", "Đơn vị/Người nộp", "don vi ?/ ?nguoi nop(?: tien)?", ["treasury-slip"]),
  entry("payerName", "Người nộp thuế / Người nộp thay", "nguoi nop (?:thue|thay)", ["treasury-slip"]),
  entry("payerName", "Tên tài khoản trả tiền / Tên tài khoản chuyển", "ten (?:tai khoan|tk) (?:tra tien|chuyen|ghi no)", ["transfer-order", "credit-advice"]),
  entry("payerName", "Người phải thi hành án", "nguoi phai thi hanh an", ["thads-decision"]),
  entry("payerName", "Người có nghĩa vụ thi hành / Bị đơn", "(?:nguoi co nghia vu(?: thi hanh(?: an)?)?|bi don)", ["thads-decision", "judgment"]),
  entry("payerName", "Ông/Bà", "(?:ong ?/ ?ba|ong \\(ba\\)|ba ?/ ?ong)", ["thads-decision", "thads-receipt"]),
  entry("payerName", "Họ và tên", "ho (?:va )?ten", ["thads-receipt", "bank-slip"]),

  entry("payerIdNumber", "Số định danh cá nhân/CCCD (also with its \"Số\" lost on a photo)", "(?:so )?dinh danh(?: ca nhan)?", ["thads-receipt", "thads-decision", "bank-slip", "treasury-slip"], false, true),
  entry("payerIdNumber", "Số CCCD/CMND/Hộ chiếu", "so (?:CCCD|cmnd|can cuoc(?: cong dan)?|ho chieu|giay to tuy than|giay to (?:tuy than|dinh danh)|the can cuoc)", ["thads-receipt", "bank-slip", "transfer-order", "thads-decision"], false, true),
  entry("payerIdNumber", "CCCD / CMND / Căn cước công dân / Thẻ căn cước", "(?:CCCD|cmnd|can cuoc cong dan|the can cuoc|hc)", ["bank-slip", "transfer-order"]),
  entry("payerIdNumber", "Mã số thuế / MST", "(?:ma so thue|mst)(?: nguoi nop)?", ["treasury-slip"]),
  entry("payerIdNumber", "Số giấy tờ / Giấy tờ tùy thân", "(?:so giay to|giay to tuy than)", ["bank-slip"]),

  entry("payerAddress", "Địa chỉ (thường trú, cư trú, liên hệ, người nộp)", "dia chi(?: thuong tru| cu tru| lien he| nguoi nop(?: tien)?| nguoi chuyen| cua nguoi nop| tru so)?", ["thads-receipt", "thads-decision", "bank-slip", "treasury-slip", "transfer-order", "judgment"]),
  entry("payerAddress", "Nơi cư trú / Nơi thường trú / Trú tại", "(?:noi (?:cu tru|thuong tru|o hien nay)|tru tai|thuong tru tai|cu tru tai)", ["thads-decision", "judgment"]),
  entry("payerAddress", "Trụ sở", "tru so(?: chinh)?", ["thads-decision", "judgment"]),

  entry("amount", "Số tiền (nộp, chuyển, phải thi hành, bằng số)", "(?:tong )?so tien(?: nop| da nop| chuyen| phai thi hanh(?: an)?| phai nop| giao dich| ghi co| thu)?(?: \\(?bang so\\)?)?", ["thads-receipt", "thads-decision", "bank-slip", "treasury-slip", "transfer-order", "credit-advice"]),
  entry("amount", "Tổng cộng / Tổng số tiền", "tong (?:cong|so tien)", ["treasury-slip", "thads-receipt"]),

  entry("reason", "Nội dung (nộp tiền, chuyển tiền, thu, giao dịch)", "noi dung(?: nop tien| nop| chuyen tien| chuyen khoan| giao dich| thu| (?:cac )?khoan nop(?: ns| ngan sach)?)?", ["thads-receipt", "bank-slip", "treasury-slip", "transfer-order", "credit-advice"]),
  entry("reason", "Lý do nộp", "ly do(?: nop(?: tien)?)?", ["thads-receipt", "bank-slip"]),
  entry("reason", "Diễn giải", "dien giai", ["credit-advice", "transfer-order"]),

  entry("bankReference", "Số tham chiếu / Số bút toán / Số giao dịch / Số chứng từ", "so (?:tham chieu|but toan|giao dich|gd|chung tu|ct)", ["credit-advice", "transfer-order"]),
  entry("bankReference", "Mã giao dịch / Mã tham chiếu", "ma (?:giao dich|gd|tham chieu)", ["credit-advice"]),
  entry("bankReference", "Ref", "ref(?:erence)?(?: no)?", ["credit-advice"], true),

  entry("paymentDate", "Ngày nộp tiền / Ngày giao dịch / Ngày hạch toán", "ngay (?:nop(?: tien)?|giao dich|hach toan|chuyen(?: tien)?|thanh toan|gd)", ["thads-receipt", "bank-slip", "credit-advice", "transfer-order"]),
  entry("paymentDate", "Ngày", "ngay", ["credit-advice", "transfer-order"], true),
  entry("decisionDate", "Ngày ra quyết định / Ngày ký quyết định", "ngay (?:ra |ky )?quyet dinh", ["thads-decision"]),

  // Labels of what is not read: they end a value standing before them on the same line.
  entry("other", "Số tài khoản / Tài khoản", "(?:so )?(?:tai khoan|tk)(?: so| ghi co| ghi no| thu huong| nhan)?", ["transfer-order", "credit-advice", "treasury-slip"]),
  entry("other", "Tại ngân hàng / Tại KBNN", "tai (?:ngan hang|nh|kbnn|kho bac)", ["transfer-order", "treasury-slip"]),
  entry("other", "Đơn vị thụ hưởng / Người hưởng", "(?:ten )?(?:don vi|nguoi|tai khoan) (?:thu )?huong", ["transfer-order", "credit-advice"]),
  entry("other", "Ngày cấp / Nơi cấp", "(?:ngay|noi) cap", ["bank-slip", "transfer-order", "thads-decision"]),
  entry("other", "Điện thoại", "(?:so )?dien thoai", ["bank-slip", "treasury-slip"]),
  entry("other", "Ngày sinh / Năm sinh", "(?:ngay|nam) sinh", ["thads-decision", "judgment"]),
  entry("other", "Quốc tịch / Nghề nghiệp", "(?:quoc tich|nghe nghiep)", ["judgment"])
]
