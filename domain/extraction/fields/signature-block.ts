/**
 * The signature block below a value, run on into it: a bank advice's "KẾ
 * TOÁN … KIỂM SOÁT", a slip's "Người nộp tiền … Thủ quỹ". OCR reads the row
 * under a long transfer content as its continuation, so a memo ends "… THEO
 * QD 2264/QD-CTHADS -„ KẾTOÁN -. ng vê KIẾM SOÁT". The block is cut when the
 * value's tail is nothing but signers' titles (read with or without marks,
 * spaced or run together) and scraps a stamp or a
 * signature leaves (signs, lower-case pieces of three letters or fewer):
 * a title inside a real reason ("NOP TIEN THAY GIAM DOC CONG TY …") has
 * words after it and stays.
 */
import { stripDiacritics } from "../../text.ts"

export interface SignatureCut {
  readonly value: string
  /** The tail that was cut, as read; undefined when nothing was. */
  readonly cut: string | undefined
}

// The titles under which people sign the documents that reach an office, without marks or spaces.
const titles = [
  "KETOAN", "KETOANTRUONG", "KIEMSOAT", "KIEMSOATVIEN", "THUQUY", "GIAMDOC", "GIAODICHVIEN", "NGUOINOPTIEN", "NGUOINOP",
  "NGUOILAPPHIEU", "NGUOILAP", "NGUOINHANTIEN", "NGUOINHAN", "TRUONGPHONG", "CHAPHUONG"
]

const key = (token: string): string => stripDiacritics(token).toUpperCase().replace(/[^A-Z]/g, "")

// A scrap: no letter at all, a short piece in lower case ("ng", "vê"), or one letter alone ("U": a signature's stroke).
const isScrap = (token: string): boolean => !/\p{L}/u.test(token) || /^\p{Ll}{1,3}[^\p{L}]*$/u.test(token) || /^[^\p{L}]*\p{L}[^\p{L}]*$/u.test(token)

/** How many tokens from `at` make a title (one to three tokens: "KẾ TOÁN", "KẾTOÁN", "GIAO DỊCH VIÊN"), or 0. */
const titleAt = (tokens: ReadonlyArray<string>, at: number): number => {
  for (let n = 3; n >= 1; n--) {
    if (at + n > tokens.length) continue
    const keys = tokens.slice(at, at + n).map(key)
    // Every token of a title has letters: a scrap beside it is a scrap, not part of it.
    if (keys.some((k) => k.length === 0)) continue
    const joined = keys.join("")
    if (joined.length >= 6 && titles.includes(joined)) return n
  }
  return 0
}

export const cutSignatureBlock = (text: string): SignatureCut => {
  const tokens = text.split(/\s+/).filter((t) => t.length > 0)
  // From the end backwards: the longest tail made of titles and scraps, holding at least one title.
  let start = tokens.length
  let sawTitle = false
  let i = tokens.length - 1
  while (i >= 0) {
    let matched = 0
    for (let n = 1; n <= 3 && i - n + 1 >= 0; n++) if (titleAt(tokens, i - n + 1) === n) matched = n
    if (matched > 0) {
      sawTitle = true
      i -= matched
      start = i + 1
      continue
    }
    if (!isScrap(tokens[i] ?? "")) break
    // A scrap joins the block only if a title stands before it too: `start` moves with titles alone.
    i--
  }
  // Scraps right before the block's first title ("-„ KẾTOÁN") go with it.
  while (sawTitle && start > 0 && !/\p{L}|\p{N}/u.test(tokens[start - 1] ?? "")) start--
  // At least two words of value before the block.
  if (!sawTitle || start < 2) return { value: text, cut: undefined }
  return { value: tokens.slice(0, start).join(" "), cut: tokens.slice(start).join(" ") }
}
