/**
 * Tesseract's usual slips inside numbers: O/o/Q/D for 0, l/I/i/|/! for 1,
 * S for 5, B for 8, Z for 2, G for 6. They are only undone where a digit is
 * expected, never in names or words.
 */
import { fold } from "./fold.ts"

const lookalikes: Readonly<Record<string, string>> = {
  // "Ö": a zero with a speck or two above it, as a fax prints it.
  O: "0", o: "0", Q: "0", D: "0", "Ø": "0", "ø": "0", "Ö": "0", "ö": "0",
  l: "1", I: "1", i: "1", "|": "1", "!": "1", "í": "1", "ì": "1",
  S: "5", s: "5", B: "8", Z: "2", z: "2", G: "6", b: "6"
}

/** Replaces look-alikes with digits; reports whether anything changed. */
export const fixDigits = (s: string): { readonly text: string; readonly fixed: boolean } => {
  let fixed = false
  const text = Array.from(s)
    .map((c) => {
      const d = lookalikes[c]
      if (d === undefined) return c
      fixed = true
      return d
    })
    .join("")
  return { text, fixed }
}

export const lookalikeClass = "0-9OoQDØøÖölIi|!íìSsBZzGb"

/**
 * A run that reads as a number once look-alikes are fixed: starts and ends on a
 * digit-like character, may hold "." "," and spaces between groups, and holds
 * at least one real digit (so a plain word like "Số" is never a number).
 */
export const numberLike = new RegExp(`[${lookalikeClass}](?:[${lookalikeClass}]|[.,](?=[${lookalikeClass}])| (?=[${lookalikeClass}]{3}\\b))*`, "gu")

export const hasRealDigit = (s: string): boolean => /\d/.test(s)

// Tesseract sometimes reads a glyph twice, the echo standing apart: "tỉnh h Đồng N Nai", "Số 179 9 đường".
// No name or address holds a lone letter or digit repeating the edge of its neighbour.
export const dropEchoes = (text: string): string => {
  const tokens = text.split(" ")
  return tokens
    .filter((t, i) => {
      if (!/^[\p{L}\d]$/u.test(t)) return true
      // Some communes' names start with a lone capital ("xã A Sào", "xã A Ngo"): kept after the unit word.
      if (/^\p{Lu}$/u.test(t) && /^(?:xa|phuong)$/.test(fold(tokens[i - 1] ?? ""))) return true
      const c = fold(t)
      return !(fold(tokens[i - 1] ?? "").endsWith(c) || fold(tokens[i + 1] ?? "").startsWith(c))
    })
    .join(" ")
}

