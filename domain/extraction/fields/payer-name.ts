/** The payer's (or debtor's) name: letters only, each word capitalised as printed, specks and echoes gone. */
import { stripDiacritics } from "../../text.ts"
import { correctCapitalName, memoPayerName } from "../gazetteer/correct-memo.ts"
import { plainNameWords } from "../gazetteer/memo-words.ts"
import { correctionWarning } from "../gazetteer/correction.ts"
import { correctNameWords } from "../gazetteer/name-words.ts"
import { hasMarks } from "../gazetteer/edit-distance.ts"
import { correctFamilyName } from "../gazetteer/surnames.ts"
import { dropEchoes } from "../ocr-fixes.ts"
import { isUnaccentedCapitals, memoText } from "./reason.ts"
import type { Found, ReaderInput } from "./reader.ts"

// What follows a name in a sentence or a row: ", sinh năm 1980", " trú tại ...", " phải nộp ...".
const afterName = /[,;(]|\.\s|\s(?:sinh|trú|cư trú|địa chỉ|phải|nộp|có|là|số)\s/iu

/** A lone capital after a capitals word that becomes a name word with it ("NGHI" + "A"). */
const splitOffEnd = (before: string | undefined, letter: string): boolean =>
  before !== undefined && /^[A-Z]+$/.test(before) && /^[A-Z]$/.test(letter) && plainNameWords.has(before + letter)

export const cleanName = (text: string): string => {
  // Names hold only letters and spaces: anything else is a speck read as a mark.
  // Specks before the name ("ˆ. KIEU CONG ANH": a modifier letter and a stop a fax left) are no part of it,
  // and must not end it either (". " ends a name in a sentence).
  const cleaned = (text.replace(/^(?:[^\p{L}\p{N}]|\p{Lm})+/u, "").split(afterName)[0] ?? "")
    .replace(/^(?:ông\s*\/\s*bà|ông|bà)\s+(?=\p{Lu})/iu, "")
    .replace(/[^\p{L}\p{M}\s'-]/gu, " ")
    .replace(/\s+/g, " ")
    .trim()
  // No Vietnamese name has a word of one letter: such a token is a speck ("Lê Văn Khánh l").
  // Nor a capital inside a word: two words run together ("Hoàng ThịNam"). A name starts with a capital.
  // Except the end of a capitals name word split off ("TRAN VAN NGHI A"): kept for correctCapitalName to join, and say so.
  const tokens = dropEchoes(cleaned.replace(/(\p{Ll})(\p{Lu})/gu, "$1 $2")).split(" ")
  const kept = tokens.filter((w, i) => !/^\p{L}$/u.test(w) || splitOffEnd(tokens[i - 1], w))
  // Every word of a name is capitalised: lower-case words after it are specks read as letters ("Tô Kim Oanh si").
  while (kept.length > 1 && /^\p{Ll}/u.test(kept.at(-1) ?? "")) kept.pop()
  const words = kept.join(" ")
  return words.charAt(0).toUpperCase() + words.slice(1)
}

// A bank's transfer content opens with the payer's name: read from there when no name line was read
// (a credit advice whose account-name cell was lost), a little less sure than from its own line.
const readNameFromMemo = (input: ReaderInput, found: Found): void => {
  const memo = input.raw.get("reason")
  if (memo === undefined) return
  const text = memoText(memo.text)
  if (!isUnaccentedCapitals(text)) return
  const name = memoPayerName(stripDiacritics(text))
  if (name !== undefined) found.set("payerName", name, memo.confidence * 0.8)
}

export const readPayerName = (input: ReaderInput, found: Found): void => {
  const name = input.raw.get("payerName")
  if (name === undefined) {
    readNameFromMemo(input, found)
    return
  }
  const cleaned = cleanName(name.text)
  if (cleaned === "" || !/\p{L}/u.test(cleaned)) return
  // A name printed in unaccented capitals (a bank memo: "VO THU MINH") keeps none of the marks OCR gave it;
  // so does a name in capitals on a document whose transfer content is typed in unaccented capitals
  // (a bank's account name: "THÁI CỘNG DUYEN", where two marks of three words pass the first test).
  const memo = input.raw.get("reason")
  const bankCapitals = cleaned === cleaned.toUpperCase() && memo !== undefined && isUnaccentedCapitals(memo.text)
  const value = isUnaccentedCapitals(cleaned) || bankCapitals ? stripDiacritics(cleaned) : cleaned
  if (value !== cleaned) found.warn(correctionWarning("payerName", { from: cleaned, to: value, against: "unaccented capitals of the line" }))
  // A name in unaccented capitals: doubled or look-alike letters against the names' vocabulary ("QUAACH" → "QUACH").
  const capitals = isUnaccentedCapitals(value) && !hasMarks(value) ? correctCapitalName(value) : { value, corrections: [] }
  for (const c of capitals.corrections) found.warn(correctionWarning("payerName", c))
  // A family name read with a slipped mark ("Đỉnh" for "Đinh"): corrected, said, and a little less sure.
  const family = correctFamilyName(capitals.value)
  // And so may the other words of the name ("Hà Văn Chị" for "Chi").
  const rest = correctNameWords(family.value)
  const corrections = [...capitals.corrections, ...family.corrections, ...rest.corrections]
  for (const c of [...family.corrections, ...rest.corrections]) found.warn(correctionWarning("payerName", c))
  found.set("payerName", rest.value, corrections.length > 0 ? name.confidence * 0.9 : name.confidence)
}
