/**
 * The words a bank transfer's content (and a bank's account name) is typed
 * with, in capitals without marks: "VO THU MINH NOP TIEN THA THEO QD
 * 757/QD-PTHADS". Built from the project's vocabularies with their marks
 * stripped, so it grows with them: the words of payment reasons
 * (reason-words.ts), the abbreviations of memos, the family, middle and given
 * names (surnames.ts, given-names.ts) and the names of the 2025
 * administrative units and the provinces (units.ts). A word of this list is a
 * real word and is never changed (see correct-memo.ts).
 */
import { stripDiacritics } from "../../text.ts"
import { givenNames, middleNames } from "./given-names.ts"
import { reasonWords } from "./reason-words.ts"
import { familyNames } from "./surnames.ts"
import { allProvinceNames, units } from "./units.ts"

const plain = (words: ReadonlyArray<string>): ReadonlyArray<string> =>
  words.flatMap((w) => stripDiacritics(w).toUpperCase().split(/[\s-]+/u)).filter((w) => /^[A-Z]+$/u.test(w))

/**
 * What transfer contents abbreviate or add to the reason words: THA (thi hành
 * án), QD (quyết định), BA (bản án), the offices' symbols (THADS, CTHADS,
 * PTHADS, TAND), identity papers (CCCD, CMND, HC, MST), the transfer itself
 * (CK, CT, TK, STK, ND, VND, IBFT, NAPAS), and the words around a payer's name
 * (HO TEN, NGUOI, GUI, NOI DUNG, GIUM, ONG, ANH, CHI, EM).
 */
export const memoAbbreviations: ReadonlyArray<string> = (
  "THA THADS CTHADS PTHADS CCTHADS TAND VKS CHV QD QDTHA BA DS HS KT HNGD ST PT GDT TT CCCD CMND HC MST DDCN " +
  "CK CT TK STK ND VND DONG IBFT NAPAS MBVCB HO TEN NGUOI GUI NOI DUNG GIUM HO ONG ANH CHI EM MA SO NGAY THANG NAM " +
  "VE VIEC LAN DOT PHI LE TRA NO THAY CUA CHO TAI DEN TU NHAN"
).split(" ")

/** Family, middle and given names without marks: what a name in capitals is corrected to. */
export const plainFamilyNames: ReadonlySet<string> = new Set(plain(familyNames))
export const plainNameWords: ReadonlySet<string> = new Set([...plainFamilyNames, ...plain(middleNames), ...plain(givenNames)])

/**
 * The words a memo is written with, without the places' names: what a word read partly in lower case in a
 * memo ("Ba" for "BA") may be; one only a place's name holds ("OC" of "Óc Eo") is no word there.
 */
export const memoCoreWords: ReadonlySet<string> = new Set([...plain(reasonWords), ...memoAbbreviations, ...plainNameWords])

/** Every word a memo or a name in unaccented capitals may hold: never changed. */
export const memoWords: ReadonlySet<string> = new Set([
  ...plain(reasonWords),
  ...memoAbbreviations,
  ...plainNameWords,
  ...plain(units.map((u) => u.name)),
  ...plain(allProvinceNames)
])
