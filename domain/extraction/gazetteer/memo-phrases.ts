/**
 * A word of a transfer content's set phrase split in two, a letter read on
 * both sides of the split ("THI HA ANH AN" for "THI HANH AN"): both pieces
 * are real words ("HA", "ANH" make a name), so no vocabulary rule may join
 * them; the phrase can. Between the phrase's word before and its word after
 * ("THI" … "AN"), two tokens that make its middle word, joined or with the
 * letter read twice once, become that word. A name is never between them.
 */
import type { Correction } from "./correction.ts"

// The set phrases banks and payers type in a transfer to an enforcement office.
const phrases = ["NOP TIEN THI HANH AN", "THI HANH AN DAN SU", "NOP TIEN AN PHI", "NOP TIEN THA THEO QD", "TIEN BOI THUONG", "LAI CHAM THI HANH AN"]

// Each middle word with the words around it: "THI HANH AN" → before THI, word HANH, after AN.
const triples = [
  ...new Map(
    phrases.flatMap((p) => {
      const w = p.split(" ")
      return w.slice(1, -1).map((word, i) => [`${w[i]} ${word} ${w[i + 2]}`, { before: w[i] ?? "", word, after: w[i + 2] ?? "" }] as const)
    })
  ).values()
].filter((t) => t.word.length >= 3)

const makes = (a: string, b: string, word: string): boolean =>
  a !== word && b !== word && (a + b === word || (a.at(-1) === b[0] && a + b.slice(1) === word))

export const mendMemoPhrases = (text: string, against: string): { readonly value: string; readonly corrections: ReadonlyArray<Correction> } => {
  const tokens = text.split(" ")
  const corrections: Array<Correction> = []
  for (let i = 1; i + 2 < tokens.length; i++) {
    const [before, a, b, after] = [tokens[i - 1], tokens[i] ?? "", tokens[i + 1] ?? "", tokens[i + 2]]
    const t = triples.find((t) => t.before === before && t.after === after && makes(a, b, t.word))
    if (t === undefined) continue
    corrections.push({ from: `${a} ${b}`, to: t.word, against })
    tokens.splice(i, 2, t.word)
  }
  return { value: tokens.join(" "), corrections }
}
