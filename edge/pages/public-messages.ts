/**
 * What a citizen reads when the public pages (/v/, /tra-cuu, /kiem-tra-anh)
 * refuse something: a sentence in the page's language (Vietnamese first,
 * English with ?lang=en), then, if there is one, the technical detail (the
 * English message the JSON API gives), marked as such.
 *
 * Refusals are ApiErrors with a machine code and details; this is the one
 * place that turns them into sentences for people, so the JSON API stays
 * English for programs and every page speaks its reader's language.
 */
import type { IdentityRule } from "../../domain/identity.ts"
import { ApiError } from "../http/errors.ts"
import { type Lang, vietnamTime } from "./html.ts"

export interface PageMessage {
  /** In the page's language. */
  readonly text: string
  /** The precise, technical reason (English), shown after the text when it adds something. */
  readonly technical?: string
}

type Both = { readonly vi: string; readonly en: string }

const idRules: Record<IdentityRule, Both> = {
  empty: { vi: "Số định danh đang để trống.", en: "The identity number is empty." },
  characters: {
    vi: "Số định danh chỉ gồm chữ số (hộ chiếu: một chữ cái và 7 chữ số); hãy kiểm tra lại ký tự đã nhập.",
    en: "An identity number has only digits (a passport: one letter and 7 digits); check the characters you typed."
  },
  length: {
    vi: "Số định danh không đúng số chữ số: CCCD có 12 chữ số, CMND 9, mã số thuế 10 (có thể thêm \"-\" và 3 chữ số của đơn vị phụ thuộc), hộ chiếu gồm 1 chữ cái và 7 chữ số.",
    en: "The identity number has the wrong number of digits: a CCCD has 12, a CMND 9, a tax code 10 (optionally \"-\" and 3 more for a dependent unit), a passport 1 letter and 7 digits."
  },
  province_code: {
    vi: "Ba chữ số đầu của CCCD phải là mã tỉnh, thành phố nơi đăng ký khai sinh; hãy kiểm tra lại.",
    en: "The first three digits of a CCCD are the code of the province of birth registration; check them."
  },
  century_gender: {
    vi: "Chữ số thứ tư của CCCD (thế kỷ sinh và giới tính) không hợp lệ; hãy kiểm tra lại.",
    en: "The fourth digit of a CCCD (century of birth and gender) is not valid; check it."
  },
  birth_year: {
    vi: "Năm sinh ghi trong CCCD (chữ số thứ năm và sáu) không hợp lệ; hãy kiểm tra lại.",
    en: "The birth year in the CCCD (digits 5 and 6) is not valid; check it."
  },
  sequence: { vi: "Mã số thuế không hợp lệ (các chữ số 3 đến 9 không thể đều bằng 0).", en: "The tax code is not valid (digits 3 to 9 cannot all be zero)." },
  check_digit: { vi: "Mã số thuế sai chữ số kiểm tra (chữ số thứ mười); hãy kiểm tra lại.", en: "The tax code's check digit (the tenth) is wrong; check it." },
  branch: { vi: "Phần đơn vị phụ thuộc của mã số thuế phải là 3 chữ số từ 001 đến 999.", en: "The dependent-unit part of a tax code is 3 digits from 001 to 999." },
  format: {
    vi: "Số định danh không có dạng của CCCD (12 chữ số), CMND (9 chữ số), hộ chiếu (1 chữ cái và 7 chữ số) hay mã số thuế (10 chữ số).",
    en: "The identity number is not shaped like a CCCD (12 digits), a CMND (9 digits), a passport (1 letter and 7 digits) or a tax code (10 digits)."
  }
}

const detail = (e: ApiError, key: string): string | undefined => {
  const v = e.details?.[key]
  return typeof v === "string" ? v : typeof v === "number" ? String(v) : undefined
}

const megabytes = (bytes: number): string => `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`

const byCode = (e: ApiError): Both | undefined => {
  const typed = detail(e, "typed") ?? ""
  switch (e.code) {
    case "missing_lookup_code":
      return { vi: "Hãy nhập mã tra cứu: 12 chữ cái và chữ số in trên biên lai.", en: "Enter the lookup code: the 12 letters and digits printed on the receipt." }
    case "invalid_lookup_code":
      return {
        vi: `"${typed}" không phải là mã tra cứu: mã tra cứu gồm 12 chữ cái và chữ số in trên biên lai.`,
        en: `"${typed}" is not a lookup code: a lookup code has 12 letters and digits, as printed on the receipt.`
      }
    case "not_found":
      return typed === ""
        ? { vi: "Không tìm thấy trang hoặc biên lai được yêu cầu.", en: "The page or receipt asked for was not found." }
        : {
          vi: `Không có biên lai nào có mã tra cứu ${typed}. Hãy kiểm tra lại mã in trên biên lai.`,
          en: `No receipt has the lookup code ${typed}. Check the code printed on the receipt.`
        }
    case "invalid_id_number": {
      const rule = detail(e, "rule") as IdentityRule | undefined
      return rule !== undefined && rule in idRules ? idRules[rule] : idRules.format
    }
    case "identity_check_locked": {
      const until = detail(e, "lockedUntil")
      const vi = until === undefined ? "một lúc" : vietnamTime(until)
      return {
        vi: `Đã nhập sai số định danh quá nhiều lần với mã tra cứu này. Để bảo vệ thông tin của người nộp, việc kiểm tra số định danh bị tạm khóa đến ${vi}. Hãy thử lại sau thời điểm đó, hoặc đến cơ quan thi hành án đã cấp biên lai để được hỗ trợ.`,
        en: `Too many wrong identity numbers were entered with this lookup code. To protect the payer, identity checks for it are locked until ${until === undefined ? "later" : `${vi} (Vietnam time)`}. Try again after that, or ask the enforcement agency that issued the receipt.`
      }
    }
    case "identity_required":
      return {
        vi: "Để tải biên lai (PDF), hãy nhập đúng số định danh của người nộp cùng với mã tra cứu.",
        en: "To download the receipt (PDF), enter the payer's identity number together with the lookup code."
      }
    case "identity_mismatch":
      return {
        vi: "Số định danh không khớp với biên lai này, nên không tải được biên lai (PDF).",
        en: "The identity number does not match this receipt, so the receipt (PDF) cannot be downloaded."
      }
    case "no_qr":
      return {
        vi: "Không tìm thấy mã QR trong ảnh. Hãy chụp lại gần hơn, để biên lai phẳng, đủ sáng và rõ nét.",
        en: "No QR code was found in the photo. Take it again closer, with the receipt flat, well lit and in focus."
      }
    case "not_bienlai":
      return {
        vi: "Ảnh có mã QR, nhưng đó không phải mã QR của biên lai thi hành án dân sự.",
        en: "The photo holds a QR code, but not the QR code of a civil judgment enforcement receipt."
      }
    case "missing_file":
      return { vi: "Hãy chọn ảnh chụp mã QR trên biên lai rồi bấm \"Kiểm tra ảnh\".", en: "Choose a photo of the receipt's QR code, then press \"Check photo\"." }
    case "empty_file":
      return { vi: "Tệp ảnh tải lên bị rỗng; hãy chọn lại ảnh.", en: "The uploaded file is empty; choose the photo again." }
    case "not_an_image":
    case "unsupported_media_type":
      return { vi: "Tệp tải lên không phải ảnh PNG, JPEG hay WebP; hãy chọn ảnh chụp mã QR.", en: "The uploaded file is not a PNG, JPEG or WebP image; choose a photo of the QR code." }
    case "body_too_large": {
      const limit = Number(detail(e, "limitBytes") ?? NaN)
      const size = Number.isFinite(limit) ? megabytes(limit) : undefined
      return {
        vi: `Tệp gửi lên quá lớn${size === undefined ? "" : `: tối đa ${size}`}. Hãy chụp lại ảnh với độ phân giải thấp hơn hoặc cắt lấy phần mã QR.`,
        en: `The file sent is too large${size === undefined ? "" : `: at most ${size}`}. Take the photo at a lower resolution or crop it to the QR code.`
      }
    }
    case "rate_limited": {
      const seconds = detail(e, "retryAfterSeconds") ?? "?"
      return {
        vi: `Có quá nhiều yêu cầu từ địa chỉ mạng của bạn. Hãy thử lại sau ${seconds} giây.`,
        en: `Too many requests came from your network address. Try again in ${seconds} s.`
      }
    }
    case "invalid_form":
      return { vi: "Không đọc được dữ liệu của biểu mẫu; hãy tải lại trang và thử lại.", en: "The form's data could not be read; reload the page and try again." }
    case "pdf_unavailable":
      return { vi: "Tạm thời chưa tạo được biên lai (PDF); hãy thử lại sau.", en: "The receipt (PDF) cannot be made right now; try again later." }
  }
  return undefined
}

const byStatus = (status: number): Both =>
  status === 503
    ? { vi: "Hệ thống đang tạm thời không phục vụ được; hãy thử lại sau ít phút.", en: "The service is temporarily unavailable; try again in a few minutes." }
    : status >= 500
    ? { vi: "Đã có lỗi phía hệ thống; hãy thử lại sau.", en: "Something went wrong on our side; try again later." }
    : { vi: "Yêu cầu không thực hiện được.", en: "The request could not be carried out." }

// Codes whose API message only repeats the sentence: no technical detail is added.
const selfExplained = new Set(["missing_lookup_code", "invalid_lookup_code", "not_found", "identity_check_locked", "identity_required", "identity_mismatch", "missing_file", "empty_file", "rate_limited", "body_too_large"])

/** The sentence for a refusal on a public page, in `lang`, and the technical detail worth adding. */
export const pageMessage = (e: unknown, lang: Lang): PageMessage => {
  if (!(e instanceof ApiError)) return { text: byStatus(500)[lang] }
  const known = byCode(e)
  const text = (known ?? byStatus(e.status))[lang]
  // Detail that would repeat the sentence, or that a server error should not show, is left out.
  if (e.code === "internal_error") {
    const id = detail(e, "requestId")
    return id === undefined ? { text } : { text, technical: `request id ${id}` }
  }
  if (e.code === "no_qr") {
    // The scanner's own reason, when it says more than "no QR code" (an unreadable file, say).
    const reason = detail(e, "reason")
    return reason === undefined || /^no QR code was found/.test(reason) ? { text } : { text, technical: reason }
  }
  if (e.code === "not_bienlai") {
    const held = detail(e, "text")
    return held === undefined ? { text } : { text, technical: `QR: ${held}` }
  }
  if (selfExplained.has(e.code) || e.status >= 500 || (lang === "en" && known === undefined && e.message === text)) return { text }
  return { text, technical: e.message }
}
