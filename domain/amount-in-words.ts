/**
 * Amounts in Vietnamese words ("bằng chữ"), as printed on receipts and read
 * back from scanned documents. The rules are in docs/MONEY.md.
 */
import { Result, Schema } from "effect"
import { checkVnd, MAX_VND, parseVnd } from "./money.ts"
import { stripDiacritics } from "./text.ts"

const digitWords = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"] as const

const digitWord = (d: number): string => digitWords[d] ?? ""

// Units after a tens word: 21 "hai mươi mốt", 24 "hai mươi tư", 25 "hai mươi
// lăm"; after "mười" only 5 changes: 15 "mười lăm", 11 "mười một", 14 "mười bốn".
const unitsAfterTens = (tens: number, units: number): ReadonlyArray<string> =>
  units === 0 ? [] :
  units === 5 ? ["lăm"] :
  tens >= 2 && units === 1 ? ["mốt"] :
  tens >= 2 && units === 4 ? ["tư"] :
  [digitWord(units)]

/**
 * Reads 0-999. `full` groups always say their hundreds ("không trăm") and
 * "linh" for an empty tens place; only the first group of a number is short.
 */
const readGroup = (n: number, full: boolean): ReadonlyArray<string> => {
  const hundreds = Math.floor(n / 100)
  const tens = Math.floor(n / 10) % 10
  const units = n % 10
  const words: Array<string> = []
  if (full || hundreds > 0) words.push(digitWord(hundreds), "trăm")
  if (tens === 0) {
    if (units > 0) words.push(...(words.length > 0 ? ["linh"] : []), digitWord(units))
  } else if (tens === 1) {
    words.push("mười", ...unitsAfterTens(1, units))
  } else {
    words.push(digitWord(tens), "mươi", ...unitsAfterTens(tens, units))
  }
  return words
}

const scaleWords = ["triệu", "nghìn", ""] as const

/** Reads 0-999,999,999; zero groups are skipped entirely. */
const readBelowBillion = (n: bigint, isFirst: boolean): ReadonlyArray<string> => {
  const groups = [n / 1_000_000n, (n / 1_000n) % 1_000n, n % 1_000n].map(Number)
  const words: Array<string> = []
  let seenNonZero = !isFirst
  groups.forEach((group, i) => {
    if (group === 0) return
    words.push(...readGroup(group, seenNonZero))
    const scale = scaleWords[i]
    if (scale) words.push(scale)
    seenNonZero = true
  })
  return words
}

/**
 * The amount in words as Vietnamese financial documents print it:
 * 125_500_000n → "Một trăm hai mươi lăm triệu năm trăm nghìn đồng".
 *
 * Amounts reach here already checked (a `Vnd`), so an amount outside
 * [0, 10^15) is a programming error and throws a RangeError.
 */
export const amountInWords = (amount: bigint): string => {
  if (amount < 0n || amount >= MAX_VND) {
    throw new RangeError(`amountInWords: ${amount} is outside [0, 10^15)`)
  }
  const billions = amount / 1_000_000_000n
  const rest = amount % 1_000_000_000n
  const words = amount === 0n
    ? ["không"]
    : billions === 0n
    ? readBelowBillion(rest, true)
    : [...readBelowBillion(billions, true), "tỷ", ...readBelowBillion(rest, false)]
  const text = [...words, "đồng"].join(" ")
  return text.charAt(0).toUpperCase() + text.slice(1)
}

// ---------------------------------------------------------------------------
// Reading words back

export class InvalidAmountInWords extends Schema.TaggedError<InvalidAmountInWords>()("InvalidAmountInWords", {
  input: Schema.String,
  reason: Schema.Literals(["empty", "unknown_word", "bad_sequence", "ambiguous", "too_large"]),
  message: Schema.String
}) {}

type Reason = InvalidAmountInWords["reason"]

/** Thrown only inside this module and turned into a Result at its edge. */
class Stop {
  readonly reason: Reason
  readonly problem: string
  constructor(reason: Reason, problem: string) {
    this.reason = reason
    this.problem = problem
  }
}

type Token =
  | { readonly kind: "digit"; readonly value: number; readonly text: string }
  | { readonly kind: "hundred"; readonly text: string }
  | { readonly kind: "ten"; readonly text: string } // "mười"/"mươi": without diacritics they are one word
  | { readonly kind: "linh"; readonly text: string }
  | { readonly kind: "scale"; readonly value: bigint; readonly text: string }

type Kind = Token["kind"]

// Keys are folded (lowercase, no diacritics), so "năm", "nam" and "NĂM" meet.
const vocabulary: ReadonlyMap<string, (text: string) => Token> = new Map<string, (text: string) => Token>([
  ...(
    [
      ["khong", 0], ["mot", 1], ["hai", 2], ["ba", 3], ["bon", 4], ["tu", 4], ["nam", 5], ["lam", 5],
      ["nham", 5], ["sau", 6], ["bay", 7], ["tam", 8], ["chin", 9]
    ] as const
  ).map(([word, value]) => [word, (text: string): Token => ({ kind: "digit", value, text })] as const),
  ["tram", (text) => ({ kind: "hundred", text })],
  ["muoi", (text) => ({ kind: "ten", text })],
  ["linh", (text) => ({ kind: "linh", text })],
  ["le", (text) => ({ kind: "linh", text })],
  ["nghin", (text) => ({ kind: "scale", value: 1_000n, text })],
  ["ngan", (text) => ({ kind: "scale", value: 1_000n, text })],
  ["trieu", (text) => ({ kind: "scale", value: 1_000_000n, text })],
  ["ty", (text) => ({ kind: "scale", value: 1_000_000_000n, text })],
  ["ti", (text) => ({ kind: "scale", value: 1_000_000_000n, text })]
])

const fold = (word: string): string => stripDiacritics(word.toLowerCase())

// Words that may close the phrase: "đồng", "VNĐ", "chẵn" (an even amount).
const closingWords = new Set(["dong", "vnd", "d", "chan"])

// Pieces a run of words that lost its spaces may be cut into. The lone "d"
// (from "đ") is left out: it would let almost any junk word through.
const segmentPieces = new Set([...vocabulary.keys(), "dong", "vnd", "chan"])

/**
 * Splits a run of words that lost their spaces ("haimươilămđồng") into known
 * words, preferring the fewest pieces; undefined when no split exists.
 */
const segment = (folded: string): ReadonlyArray<string> | undefined => {
  const best: Array<ReadonlyArray<string> | undefined> = [[]]
  for (let end = 1; end <= folded.length; end++) {
    for (let start = Math.max(0, end - 5); start < end; start++) {
      const head = best[start]
      const piece = folded.slice(start, end)
      if (head !== undefined && segmentPieces.has(piece)) {
        const candidate = [...head, piece]
        const current = best[end]
        if (current === undefined || candidate.length < current.length) best[end] = candidate
      }
    }
  }
  return best[folded.length]
}

// An optional label: "Bằng chữ:", "Số tiền bằng chữ:", "Viết bằng chữ:", "Số tiền:".
const labels = [
  ["so", "tien", "viet", "bang", "chu"],
  ["so", "tien", "bang", "chu"],
  ["viet", "bang", "chu"],
  ["bang", "chu"],
  ["so", "tien"]
]

const tokenize = (text: string): ReadonlyArray<Token> => {
  const words = text.normalize("NFC").split(/[^\p{L}\p{M}\p{N}]+/u).filter((w) => w !== "")
  const folded = words.map(fold)
  const label = labels.find((l) => l.every((w, i) => folded[i] === w))

  const pieces = folded.slice(label?.length ?? 0).flatMap((word, i) => {
    const original = words[i + (label?.length ?? 0)] ?? word
    if (vocabulary.has(word) || closingWords.has(word)) return [{ word, text: original }]
    const split = segment(word)
    if (split === undefined) throw new Stop("unknown_word", `Unknown word "${original}" in the amount in words`)
    return split.map((piece) => ({ word: piece, text: piece }))
  })
  let end = pieces.length
  while (end > 0 && closingWords.has(pieces[end - 1]?.word ?? "")) end--

  return pieces.slice(0, end).map(({ text, word }) => {
    const make = vocabulary.get(word)
    if (make === undefined) throw new Stop("bad_sequence", `"${text}" can only end the amount in words`)
    return make(text)
  })
}

const isKind = <K extends Kind>(token: Token | undefined, kind: K): token is Extract<Token, { kind: K }> =>
  token?.kind === kind

const badPair = (a: Token, b: Token): Stop => new Stop("bad_sequence", `"${a.text} ${b.text}" is not a valid sequence`)

/**
 * Reads one group of 0-999: [D trăm] then one of "linh D", "mười [D]",
 * "D mươi [D]" or a bare "D". `isRemainder` marks a group that follows a scale
 * word ("một nghìn năm"): there a bare digit is ambiguous, since in speech
 * "một nghìn năm" means 1,500 while the written form of 1,005 is
 * "một nghìn không trăm linh năm".
 */
const parseGroup = (tokens: ReadonlyArray<Token>, isRemainder: boolean): bigint => {
  let i = 0
  let hundreds = 0
  const hasHundreds = isKind(tokens[0], "digit") && isKind(tokens[1], "hundred")
  if (hasHundreds) {
    hundreds = (tokens[0] as Extract<Token, { kind: "digit" }>).value
    i = 2
  }
  let tens = 0
  let units = 0
  const first = tokens[i]
  const second = tokens[i + 1]
  let unitsAllowed = false
  if (first === undefined) {
    // nothing after the hundreds
  } else if (first.kind === "linh") {
    const next = tokens[i + 1]
    if (!isKind(next, "digit") || next.value === 0) {
      throw next === undefined
        ? new Stop("bad_sequence", `"${first.text}" must be followed by a digit`)
        : badPair(first, next)
    }
    units = next.value
    i += 2
  } else if (first.kind === "ten") {
    tens = 1
    i += 1
    unitsAllowed = true
  } else if (first.kind === "digit" && isKind(second, "ten")) {
    if (first.value === 0) throw badPair(first, second)
    tens = first.value
    i += 2
    unitsAllowed = true
  } else if (first.kind === "digit") {
    if (hasHundreds || isRemainder) {
      throw new Stop(
        "ambiguous",
        `"${[...(hasHundreds ? tokens.slice(0, 2) : []), first].map((t) => t.text).join(" ")}" is ambiguous ` +
          `(write "linh ${first.text}" for a missing tens place, or say the tens)`
      )
    }
    units = first.value
    i += 1
  } else {
    const previous = tokens[i - 1]
    throw previous === undefined
      ? new Stop("bad_sequence", `"${first.text}" needs a digit before it`)
      : badPair(previous, first)
  }
  if (unitsAllowed && isKind(tokens[i], "digit")) {
    const unit = tokens[i] as Extract<Token, { kind: "digit" }>
    if (unit.value === 0) throw badPair(tokens[i - 1] as Token, unit)
    units = unit.value
    i += 1
  }
  const extra = tokens[i]
  if (extra !== undefined) throw badPair(tokens[i - 1] as Token, extra)
  return BigInt(hundreds * 100 + tens * 10 + units)
}

const scalesFromLargest = [1_000_000_000n, 1_000_000n, 1_000n] as const

/**
 * Splits at the largest scale word present: "<multiplier> scale <remainder>".
 * Each scale appears at most once per level; "nghìn tỷ" works because the
 * multiplier of "tỷ" is read again with the smaller scales.
 */
const parseScaled = (tokens: ReadonlyArray<Token>, level: number, isRemainder: boolean): bigint => {
  const scale = scalesFromLargest[level]
  if (scale === undefined) return parseGroup(tokens, isRemainder)
  const positions = tokens.flatMap((t, i) => (t.kind === "scale" && t.value === scale ? [i] : []))
  const at = positions[0]
  if (at === undefined) return parseScaled(tokens, level + 1, isRemainder)
  const word = tokens[at] as Token
  if (positions.length > 1) throw new Stop("bad_sequence", `"${word.text}" appears twice`)
  const multiplierTokens = tokens.slice(0, at)
  if (multiplierTokens.length === 0) throw new Stop("bad_sequence", `"${word.text}" needs a number before it`)
  const multiplier = parseScaled(multiplierTokens, level + 1, false)
  if (scale < 1_000_000_000n && multiplier >= 1_000n) {
    throw new Stop("bad_sequence", `a larger scale comes before "${word.text}"`)
  }
  return multiplier * scale + parseScaled(tokens.slice(at + 1), level + 1, true)
}

/**
 * Reads an amount in words, tolerating regional forms (ngàn, lẻ, tư, nhăm),
 * missing diacritics, mixed case, punctuation, lost spaces, a leading
 * "Bằng chữ:" label and a trailing "đồng", "VNĐ" or "chẵn".
 */
export const parseAmountInWords = (text: string): Result.Result<bigint, InvalidAmountInWords> => {
  const fail = (reason: Reason, problem: string) =>
    Result.fail(new InvalidAmountInWords({ input: text, reason, message: `${problem}: ${JSON.stringify(text)}` }))
  try {
    const tokens = tokenize(text)
    const first = tokens[0]
    if (first === undefined) return fail("empty", "The amount in words is empty")
    if (first.kind === "linh") throw new Stop("bad_sequence", `"${first.text}" cannot start an amount`)
    const amount = parseScaled(tokens, 0, false)
    return amount >= MAX_VND ? fail("too_large", "The amount in words is 10^15 đồng or more") : Result.succeed(amount)
  } catch (e) {
    if (e instanceof Stop) return fail(e.reason, e.problem)
    throw e
  }
}

/**
 * Whether the figures and the words name the same amount. Figures may be a
 * bigint or text as written ("125.500.000 đ"); false when either side fails.
 */
export const amountsAgree = (figures: bigint | string, words: string): boolean => {
  const fromFigures = typeof figures === "bigint" ? checkVnd(figures) : parseVnd(figures)
  const fromWords = parseAmountInWords(words)
  return Result.isSuccess(fromFigures) && Result.isSuccess(fromWords) && fromFigures.success === fromWords.success
}
