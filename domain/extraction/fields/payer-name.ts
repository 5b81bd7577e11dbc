/** The payer's (or debtor's) name: letters only, each word capitalised as printed, specks and echoes gone. */
import { dropEchoes } from "../ocr-fixes.ts"
import type { Found, ReaderInput } from "./reader.ts"

// What follows a name in a sentence or a row: ", sinh năm 1980", " trú tại ...", " phải nộp ...".
const afterName = /[,;(]|\s(?:sinh|trú|cư trú|địa chỉ|phải|nộp|có|là)\s/iu

export const cleanName = (text: string): string => {
  // Names hold only letters and spaces: anything else is a speck read as a mark.
  const cleaned = (text.split(afterName)[0] ?? "")
    .replace(/^(?:ông\s*\/\s*bà|ông|bà)\s+(?=\p{Lu})/iu, "")
    .replace(/[^\p{L}\p{M}\s'-]/gu, " ")
    .replace(/\s+/g, " ")
    .trim()
  // No Vietnamese name has a word of one letter: such a token is a speck ("Lê Văn Khánh l").
  // Nor a capital inside a word: two words run together ("Hoàng ThịNam"). A name starts with a capital.
  const words = dropEchoes(cleaned.replace(/(\p{Ll})(\p{Lu})/gu, "$1 $2")).split(" ").filter((w) => !/^\p{L}$/u.test(w)).join(" ")
  return words.charAt(0).toUpperCase() + words.slice(1)
}

export const readPayerName = (input: ReaderInput, found: Found): void => {
  const name = input.raw.get("payerName")
  if (name === undefined) return
  const value = cleanName(name.text)
  if (value !== "" && /\p{L}/u.test(value)) found.set("payerName", value, name.confidence)
}
