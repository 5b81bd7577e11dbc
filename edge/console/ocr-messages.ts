/**
 * What OCR says about a scan, in the page's language: the extractor's and
 * the engine's warnings (domain/extraction/extract.ts, adapters/ocr/
 * read-document.ts: an English sentence with a code) and why a scan could
 * not be read (jobs/ocr-worker/worker.ts). Each known code is worded in Vietnamese
 * with the values it carries (page, amounts, dates); the engine's own
 * technical detail, when there is one, follows in parentheses.
 */
import { reasonVi } from "../officers/field-messages.ts"
import type { Lang } from "./i18n.ts"

type Say = (m: RegExpExecArray) => string

const correctedAgainstVi: Record<string, string> = {
  "2025 administrative units": "danh mục đơn vị hành chính từ 1/7/2025",
  "provinces' names": "tên các tỉnh, thành phố",
  "payment-reason words": "từ ngữ của nội dung nộp tiền",
  "unaccented capitals of the line": "dòng in hoa không dấu",
  "unaccented capitals of a transfer's content": "nội dung chuyển khoản in hoa không dấu",
  "word pairs of payment reasons": "các cặp từ thường gặp của nội dung nộp tiền",
  "words of transfer contents, without marks": "từ ngữ của nội dung chuyển khoản, không dấu",
  "words of addresses": "từ ngữ của địa chỉ",
  "names of streets": "tên đường, phố",
  "Vietnamese family names": "họ của người Việt",
  "Vietnamese family names, without marks": "họ của người Việt, không dấu",
  "Vietnamese middle and given names": "tên đệm và tên của người Việt",
  "Vietnamese middle and given names, without marks": "tên đệm và tên của người Việt, không dấu",
  "known prefixes of bank references (FT, TT, LD)": "các tiền tố của số tham chiếu ngân hàng (FT, TT, LD)",
  // adapters/ocr/reread.ts (SECOND_OPINIONS_SOURCE): a digit field read again, two readings or more agreeing.
  "value's second readings, read alike two times or more": "các lần đọc lại giá trị này, có ít nhất hai lần đọc ra như nhau"
}

const warningsVi: Record<string, readonly [RegExp, Say]> = {
  empty_page: [/^Page (\d+) is empty$/, (m) => `Trang ${m[1]} trống`],
  ocr_failed: [/^Page (\d+) could not be read: (.*)$/s, (m) => `Không đọc được trang ${m[1]} (${m[2]})`],
  no_text: [/^No text was found/, () => "Không tìm thấy chữ nào: trang trống, hoặc không phải văn bản được quét"],
  unknown_document: [/^Not recognised/, () => "Không nhận ra loại giấy tờ (giấy nộp tiền, giấy báo có hay lệnh chuyển tiền của ngân hàng, quyết định thi hành án)"],
  invalid_identity_number: [
    /^The identity number (\S+) breaks its rules: (.*)$/s,
    (m) => `Số giấy tờ đọc được (${m[1]}) không hợp lệ: ${reasonVi(m[2] ?? "") ?? m[2]}`
  ],
  amount_words_mismatch: [
    /^The amount in figures \((.+?)\) disagrees with the amount in words \((.+?)\)(; the figures look misread)?/s,
    (m) => `Số tiền bằng số (${m[1]}) không khớp số tiền bằng chữ (${m[2]})${m[3] === undefined ? "" : `; có vẻ số bị đọc nhầm nên đã lấy ${m[2]} theo chữ`}`
  ],
  amount_words_unreadable: [/^The amount in words could not be read to check the figures: "(.*)"$/s, (m) => `Không đọc được số tiền bằng chữ để đối chiếu: "${m[1]}"`],
  amount_from_words: [/^No amount in figures was found; the amount (.+) was read from the words$/, (m) => `Không thấy số tiền bằng số; đã lấy ${m[1]} từ số tiền bằng chữ`],
  decision_after_payment: [/^The decision date (\S+) is after the payment date (\S+)$/, (m) => `Ngày quyết định ${m[1]} sau ngày nộp tiền ${m[2]}`],
  corrected: [
    /^Corrected "(.*)" to "(.*)" \((?:nearest in the (.*)|no part of a reason: "(.*)")\)$/s,
    (m) =>
      m[4] !== undefined
        ? `Đã sửa "${m[1]}" thành "${m[2]}" (bỏ "${m[4]}": không thuộc nội dung nộp tiền)`
        : `Đã sửa "${m[1]}" thành "${m[2]}" (gần nhất trong ${correctedAgainstVi[m[3] ?? ""] ?? m[3]})`
  ],
  unreadable_file: [/^The file could not be read: (.*)$/s, (m) => `Không đọc được tệp (${m[1]})`]
}

/** One warning as the reviewing officer reads it. */
export const warningText = (lang: Lang, w: { readonly code: string; readonly message: string }): string => {
  if (lang === "en") return w.message
  const known = warningsVi[w.code]
  const m = known?.[0].exec(w.message)
  return known !== undefined && m !== null && m !== undefined ? known[1](m) : `Cảnh báo (${w.code}): ${w.message}`
}

/** Why a scan was not read (the queue's error), as the inbox shows it. */
export const scanErrorText = (lang: Lang, error: string): string => {
  if (lang === "en") return error
  const unreadable = /^the scan could not be read: (.*)$/s.exec(error)
  if (unreadable !== null) return `Không đọc được bản quét (${unreadable[1]})`
  const attempt = /^attempt (\d+) failed: (.*)$/s.exec(error)
  if (attempt !== null) return `Lần đọc thứ ${attempt[1]} bị lỗi; sẽ thử lại (${attempt[2]})`
  return `Không đọc được bản quét (${error})`
}
