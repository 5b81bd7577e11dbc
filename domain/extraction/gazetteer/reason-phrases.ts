/**
 * Word pairs of the phrases payment reasons are made of on THADS receipts,
 * treasury and bank slips (Luật Thi hành án dân sự 2008, amended: tiền thi
 * hành án, án phí, lệ phí, chi phí cưỡng chế / định giá / thẩm định giá,
 * tạm ứng, bồi thường thiệt hại, cấp dưỡng nuôi con, lãi chậm thi hành án,
 * sung công quỹ nhà nước …), and a correction by them: a word that is a
 * real word but makes no known pair with either neighbour ("Nộp liền",
 * "chi phi", "tạm ứng chủ phí") is changed to the one reason word one slip
 * away (a mark, or one letter on the unmarked form) that makes a known pair
 * with a neighbour, if exactly one does. Each change is returned.
 */
import { fold } from "../fold.ts"
import type { Correction } from "./correction.ts"
import { editDistance } from "./edit-distance.ts"
import { reasonWords } from "./reason-words.ts"

const phrases = [
  "nộp tiền thi hành án", "nộp tiền án phí", "nộp tiền tạm ứng", "nộp tiền bồi thường", "nộp tiền cấp dưỡng", "nộp tiền lãi chậm",
  "nộp tiền phạt", "nộp tiền trả nợ", "nộp tiền thi hành án dân sự", "án phí dân sự sơ thẩm", "án phí dân sự phúc thẩm",
  "án phí hình sự sơ thẩm", "án phí hình sự phúc thẩm", "án phí kinh doanh thương mại", "án phí lao động", "án phí hôn nhân gia đình",
  "lệ phí thi hành án", "chi phí cưỡng chế", "chi phí định giá tài sản", "chi phí thẩm định giá tài sản", "tạm ứng chi phí",
  "tạm ứng án phí", "bồi thường thiệt hại", "cấp dưỡng nuôi con", "lãi chậm thi hành án", "trả nợ theo bản án",
  "trả nợ theo hợp đồng vay", "trả nợ ngân hàng", "thanh toán tiền trả nợ", "theo bản án", "theo quyết định",
  "hợp đồng mua bán", "sung công quỹ nhà nước", "truy thu sung công", "tịch thu sung công", "tiền phạt", "hoàn trả tiền"
]

const pairs: ReadonlySet<string> = new Set(
  phrases.flatMap((p) => {
    const w = p.split(" ")
    return w.slice(1).map((b, i) => `${w[i]} ${b}`)
  })
)
const inPairs: ReadonlySet<string> = new Set(phrases.flatMap((p) => p.split(" ")))
const vocabulary = [...new Set(reasonWords)]

const known = (a: string | undefined, b: string | undefined): boolean => a !== undefined && b !== undefined && pairs.has(`${a} ${b}`)

/** Whether `a b` (in lower case) is a word pair of the phrases above. */
export const knownPair = (a: string, b: string): boolean => known(a.toLowerCase(), b.toLowerCase())

/** Reason words one slip from `word`: the same letters with other marks, or one letter apart without marks. */
const nearby = (word: string): ReadonlyArray<string> => {
  const plain = fold(word)
  return vocabulary.filter((v) => v !== word && inPairs.has(v) && (fold(v) === plain || (plain.length >= 3 && editDistance(fold(v), plain) === 1 && v.length === word.length)))
}

const AGAINST = "word pairs of payment reasons"

/**
 * The words (as printed; compared in lower case) with the pair corrections
 * above, repeated until a pass changes nothing: a corrected word makes new
 * pairs, so its neighbour may now be the one slip that pairs ("cho chi lao"
 * → "cho phí lao" → "chi phí lao"), and correcting the result again must
 * change nothing. It ends: a word that makes a known pair is never changed,
 * so every change adds a pair and no pair is ever undone.
 */
export const correctByPairs = (words: ReadonlyArray<string>): { readonly words: ReadonlyArray<string>; readonly corrections: ReadonlyArray<Correction> } => {
  const out = [...words]
  const corrections: Array<Correction> = []
  for (let pass = 0; pass <= out.length; pass++) {
    const before = corrections.length
    correctPass(out, corrections)
    if (corrections.length === before) break
  }
  return { words: out, corrections }
}

/** One pass from left to right over `out`, changed in place, each change added to `corrections`. */
const correctPass = (out: Array<string>, corrections: Array<Correction>): void => {
  const lower = (i: number) => out[i]?.toLowerCase()
  for (let i = 0; i < out.length; i++) {
    const word = lower(i)
    if (word === undefined || !/^\p{Ll}+$/u.test(word)) continue
    // Only a word that pairs with neither neighbour, between neighbours a pair could hold.
    if (known(lower(i - 1), word) || known(word, lower(i + 1))) continue
    const fits = nearby(word).filter((c) => known(lower(i - 1), c) || known(c, lower(i + 1)))
    if (fits.length !== 1) continue
    const to = fits[0] as string
    const printed = out[i] as string
    const cased = /^\p{Lu}/u.test(printed) ? to.charAt(0).toUpperCase() + to.slice(1) : to
    corrections.push({ from: printed, to: cased, against: AGAINST })
    out[i] = cased
  }
}
