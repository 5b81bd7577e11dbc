/**
 * The receipt's field rules as officers read them: each invalid field named
 * by the label it has on the console's form, and the domain's reason (an
 * English sentence from domain/receipt.ts, identity.ts, money.ts, dates.ts,
 * case-numbers.ts) said in Vietnamese. The English sentences are the
 * domain's contract; each known shape has its Vietnamese twin here, and a
 * shape not known yet is still said in Vietnamese ("không hợp lệ") with the
 * English reason after it as the technical detail. test/edge/messages.test.ts
 * checks, over generated inputs, that every rule the officer can break is
 * known.
 */
import { formatVnd } from "../../domain/money.ts"
import type { Localized } from "../http/language.ts"

/** The form label of each receipt field an officer fills in. */
export const fieldLabels: Readonly<Record<string, Localized>> = {
  "payer.name": { vi: "Họ tên người nộp", en: "Payer's name" },
  "payer.idNumber": { vi: "Số CCCD/CMND", en: "Identity number" },
  "payer.address": { vi: "Địa chỉ", en: "Address" },
  "case.judgmentNumber": { vi: "Số bản án", en: "Judgment number" },
  "case.judgmentDate": { vi: "Ngày bản án", en: "Judgment date" },
  "case.decisionNumber": { vi: "Số quyết định", en: "Decision number" },
  "case.decisionDate": { vi: "Ngày quyết định", en: "Decision date" },
  amount: { vi: "Số tiền (đồng)", en: "Amount (đồng)" },
  amountInWords: { vi: "Số tiền bằng chữ", en: "Amount in words" },
  reason: { vi: "Nội dung nộp tiền", en: "Reason for payment" },
  payment: { vi: "Hình thức nộp", en: "Payment method" },
  "payment.reference": { vi: "Mã giao dịch ngân hàng", en: "Bank reference" },
  "payment.method": { vi: "Hình thức nộp", en: "Payment method" },
  office: { vi: "Đơn vị", en: "Office" },
  agency: { vi: "Cơ quan", en: "Agency" },
  "series.form": { vi: "Mẫu số", en: "Form number" },
  "series.symbol": { vi: "Ký hiệu", en: "Series symbol" },
  value: { vi: "Giá trị đính chính", en: "Corrected value" },
  "voided.reason": { vi: "Lý do hủy", en: "Reason for voiding" },
  "voided.by": { vi: "Người hủy", en: "Voided by" },
  "voided.at": { vi: "Thời điểm hủy", en: "Voided at" },
  note: { vi: "Ghi chú", en: "Note" }
}

const labelOf = (path: string): Localized => fieldLabels[path] ?? { vi: path, en: path }

type Rule = readonly [RegExp, (m: RegExpExecArray) => string]

const digitsIn = (s: string): string => s

// The reason of each identity rule (domain/identity.ts), after "<kind> <number>: ".
const identityRules: ReadonlyArray<Rule> = [
  [/^the number is empty$/, () => "đang trống"],
  [/^character "(.+)" at position (\d+) is not a digit$/, (m) => `ký tự "${m[1]}" ở vị trí ${m[2]} không phải chữ số`],
  [/^has (\d+) digits, a (CCCD|CMND) has (\d+)$/, (m) => `có ${m[1]} chữ số, nhưng số ${m[2]} có ${m[3]} chữ số`],
  [/^province code "(\d+)" is not on the official list$/, (m) => `mã tỉnh "${m[1]}" (3 chữ số đầu) không có trong danh mục chính thức`],
  [
    /^century digit "(\d)" means born in the 1800s \((male|female)\), which is implausible; the digit is probably misread$/,
    (m) => `chữ số thứ 4 là "${m[1]}", nghĩa là sinh vào thế kỷ 19 — không hợp lý, có lẽ bị đọc nhầm`
  ],
  [/^digits 4–6 "(\d+)" give birth year (\d+), which is after (\d+)$/, (m) => `chữ số 4–6 "${m[1]}" cho năm sinh ${m[2]}, sau năm ${m[3]}`],
  [/^character "(.+)" at position (\d+) is neither a Latin letter nor a digit$/, (m) => `ký tự "${m[1]}" ở vị trí ${m[2]} không phải chữ cái Latinh hay chữ số`],
  [/^has (\d+) characters, a passport number has 8 \(1 letter \+ 7 digits\)$/, (m) => `có ${m[1]} ký tự, số hộ chiếu có 8 (1 chữ cái và 7 chữ số)`],
  [/^a passport number is one letter followed by 7 digits, e\.g\. C1234567$/, () => "số hộ chiếu gồm 1 chữ cái và 7 chữ số, ví dụ C1234567"],
  [/^character "(.+)" is not a digit or a branch hyphen$/, (m) => `ký tự "${m[1]}" không phải chữ số hay dấu gạch nối của mã chi nhánh`],
  [
    /^has (\d+) digits, a tax code has 10, or 10 \+ "-" \+ 3 for a dependent unit$/,
    (m) => `có ${m[1]} chữ số; mã số thuế có 10 chữ số, hoặc 10 + "-" + 3 chữ số của đơn vị phụ thuộc`
  ],
  [/^digits 3–9 \(the sequence number\) are all zero$/, () => "chữ số 3–9 (số thứ tự) đều là 0"],
  [/^digits 1–9 "(\d+)" admit no check digit .*$/, (m) => `chín chữ số đầu "${digitsIn(m[1] ?? "")}" không cho ra chữ số kiểm tra nào`],
  [/^check digit is "(\d)" but digits 1–9 "(\d+)" require "(\d)"$/, (m) => `chữ số kiểm tra là "${m[1]}" nhưng chín chữ số đầu "${m[2]}" đòi hỏi "${m[3]}"`],
  [/^branch "000" is not a dependent unit; branches run 001–999$/, () => `mã chi nhánh "000" không phải đơn vị phụ thuộc; mã chi nhánh từ 001 đến 999`],
  [/^has (\d+) digits; expected .*$/, (m) => `có ${m[1]} chữ số; ${shapesVi}`],
  [/^character "(.+)" belongs to no identity number; expected .*$/, (m) => `ký tự "${m[1]}" không có trong số giấy tờ nào; ${shapesVi}`],
  [/^not a recognised shape; expected .*$/, () => `không đúng dạng số giấy tờ nào; ${shapesVi}`]
]

const shapesVi =
  "số giấy tờ phải là CCCD (12 chữ số), CMND (9 chữ số), hộ chiếu (1 chữ cái và 7 chữ số, ví dụ C1234567) " +
  "hoặc mã số thuế (10 chữ số, hoặc 10 chữ số + \"-\" + 3 chữ số của đơn vị phụ thuộc)"

const kindsVi: Record<string, string> = { CCCD: "Số CCCD", CMND: "Số CMND", passport: "Số hộ chiếu", "tax code": "Mã số thuế", "identity number": "Số giấy tờ" }

// "<kind> <number as read>: <reason>"; the number may itself hold ": ", so every split is tried.
const identityVi = (message: string): string | undefined => {
  for (let i = message.indexOf(": "); i >= 0; i = message.indexOf(": ", i + 1)) {
    const m = /^(CCCD|CMND|passport|tax code|identity number)(?: (.+))?$/s.exec(message.slice(0, i))
    const reason = m === null ? undefined : translate(identityRules, message.slice(i + 2))
    if (m !== null && reason !== undefined) return `${kindsVi[m[1] ?? ""] ?? "Số giấy tờ"}${m[2] === undefined ? "" : ` ${m[2]}`}: ${reason}`
  }
  return undefined
}

// Field rules of domain/receipt.ts and the parsers it uses, whatever the field.
const fieldRules: ReadonlyArray<Rule> = [
  [/^.+ must not be empty$/, () => "không được để trống"],
  [/^.+ must not start or end with spaces$/, () => "không được bắt đầu hay kết thúc bằng dấu cách"],
  [/^.+ is longer than (\d+) characters$/, (m) => `dài quá ${m[1]} ký tự`],
  [/^An amount must be .*10\^15$/, () => "số tiền phải là số đồng nguyên, từ 0 đến dưới 10^15 (một triệu tỷ) đồng, chỉ gồm chữ số"],
  [/^the amount in words does not say (\d+) đồng$/, (m) => `số tiền bằng chữ không khớp với số tiền ${formatVnd(BigInt(m[1] ?? "0"))}`],
  [/^the enforcement decision is dated before the judgment$/, () => "quyết định thi hành án có ngày trước ngày bản án"],
  [/^the enforcement decision is dated after the receipt$/, () => "quyết định thi hành án có ngày sau ngày lập biên lai"],
  [/^the symbol's year does not match the issue year (\d+)$/, (m) => `năm trong ký hiệu không khớp năm phát hành ${m[1]}`],
  [/^the receipt is issued before it was created$/, () => "thời điểm phát hành trước thời điểm lập"],
  [/^the approver must not be the maker \(maker-checker\)$/, () => "người duyệt không được là người lập (nguyên tắc hai người)"],
  [/^expected a date "YYYY-MM-DD", got "(.*)"$/, (m) => `phải là ngày dạng YYYY-MM-DD (nhận được "${m[1]}")`],
  [/^year (\d+) is outside 1900–2199$/, (m) => `năm ${m[1]} nằm ngoài 1900–2199`],
  [/^month (\d+) does not exist$/, (m) => `không có tháng ${m[1]}`],
  [/^day (\d+) does not exist in (\d+)\/(\d+)$/, (m) => `không có ngày ${m[1]} trong tháng ${m[2]}/${m[3]}`],
  [/^the decision number is empty$/, () => "số quyết định đang trống"],
  [/^"(.*)" is not a decision number; expected a form like "1234\/QĐ-CTHADS"$/, (m) => `"${m[1]}" không phải số quyết định; số quyết định có dạng như "1234/QĐ-CTHADS"`],
  [/^the judgment number is empty$/, () => "số bản án đang trống"],
  [/^"(.*)" is not a judgment number; expected a form like "12\/2025\/DS-ST"$/, (m) => `"${m[1]}" không phải số bản án; số bản án có dạng như "12/2025/DS-ST"`],
  [/^expected an office code .*$/, () => "mã đơn vị gồm chữ in hoa, chữ số và dấu gạch, ví dụ HCM-KV01"],
  [/^expected a series symbol like AA\/25E.*$/, () => "ký hiệu có dạng AA/25E (hai chữ cái, /, hai chữ số của năm, E)"],
  [/^expected a form number .*$/, () => "mẫu số gồm chữ in hoa, chữ số và / . -, ví dụ 01-BLTHADS"],
  [/^expected an agency code .*$/, () => "mã cơ quan gồm 2–16 chữ in hoa hoặc chữ số, ví dụ HCM"],
  [/^expected the amount in whole đồng as a digit string.*$/, () => "số tiền phải là chuỗi chữ số đồng nguyên, ví dụ \"125500000\""],
  [/^is required$/, () => "bắt buộc phải có"],
  [/^unknown field; the fields are (.*)$/, (m) => `không phải trường của biên lai; các trường là ${m[1]}`]
]

/** A figure typed where an amount goes (domain/money.ts parseVnd) that is not one, by its reason. */
export const amountProblemText = (e: { readonly reason: string; readonly input: string }): Localized => {
  const typed = JSON.stringify(e.input)
  switch (e.reason) {
    case "empty":
      return { vi: "số tiền đang trống", en: "the amount is empty" }
    case "negative":
      return { vi: "số tiền không được âm", en: "an amount cannot be negative" }
    case "fractional":
      return { vi: "số tiền phải là số đồng nguyên, không có phần lẻ thập phân", en: "an amount is whole đồng, without a decimal part" }
    case "too_large":
      return { vi: "số tiền phải dưới 10^15 (một triệu tỷ) đồng", en: "an amount must be below 10^15 đồng" }
    default:
      return {
        vi: `${typed} không phải số tiền viết bằng chữ số (ví dụ 125.500.000; sau nhóm đầu, mỗi nhóm đủ 3 chữ số)`,
        en: `${typed} is not an amount in figures (like 125.500.000; groups after the first have 3 digits)`
      }
  }
}

const translate = (rules: ReadonlyArray<Rule>, text: string): string | undefined => {
  for (const [pattern, say] of rules) {
    const m = pattern.exec(text)
    if (m !== null) return say(m)
  }
  return undefined
}

/** One field's reason in Vietnamese, or undefined when its shape is not known here. */
export const reasonVi = (message: string): string | undefined => identityVi(message) ?? translate(fieldRules, message)

/** One invalid field, in both languages: its form label, then the reason (Vietnamese first; unknown shapes keep the English after). */
export const issueText = (issue: { readonly path: string; readonly message: string }): Localized => {
  const label = labelOf(issue.path)
  const vi = reasonVi(issue.message)
  return {
    vi: `${label.vi} — ${vi ?? `không hợp lệ (${issue.message})`}`,
    en: `${label.en} — ${issue.message}`
  }
}

/** Every invalid field of an InvalidReceipt, in both languages. */
export const invalidReceiptText = (issues: ReadonlyArray<{ readonly path: string; readonly message: string }>): Localized => {
  const parts = issues.map(issueText)
  return {
    vi: `Chưa lưu được, vì các trường sau chưa hợp lệ: ${parts.map((p) => p.vi).join("; ")}`,
    en: `Not saved; these fields are not valid: ${parts.map((p) => p.en).join("; ")}`
  }
}
