/**
 * Second opinions on the digits of a field: the value's words read again
 * under a few different treatments of its crop (scale, threshold), each
 * reading extracted by the same parsers, and a vote. A digit at 150 dpi is
 * easily one of its neighbours ("6" and "8", "8" and "9"); no treatment is
 * always right, but the same misreading twice in a row under different
 * treatments is rarer than the right reading twice.
 *
 * The rule (`decideReading`): only readings that pass the field's domain
 * checks vote (an identity number that breaks its rules, figures the words
 * contradict, a decision dated after its payment do not); the first reading
 * stands unless another value is read at least twice and more often than the
 * first reading's own value. Nothing is ever edited digit by digit: a value
 * is taken whole, as the engine read it, or not at all.
 */
import type { Extraction, FieldName } from "./extraction.ts"
import { foldWithMap } from "./fold.ts"
import { lineText, type OcrPage, type OcrWord } from "./ocr-output.ts"
import { findDates, findDecisionNumbers, readAmount, readIdentityNumber } from "./readers.ts"
import type { RereadTarget } from "./reread.ts"

/** The fields made of digits, whose misread glyphs the vote can settle. */
export const digitFields = ["payerIdNumber", "amount", "decisionNumber", "decisionDate", "paymentDate"] as const
export type DigitField = (typeof digitFields)[number]

export interface Reading {
  /** The field's value in this reading; undefined when this reading did not give one. */
  readonly value?: string
  /** Whether the value passes the field's domain checks. */
  readonly valid: boolean
}

export type Decision =
  | { readonly kind: "keep" }
  | {
    readonly kind: "replace"
    readonly value: string
    readonly votes: number
    /** Set when the value was taken on fewer than MIN_AGREEING votes: the most it may be trusted (see decideReading). */
    readonly confidenceAtMost?: number
  }

/** Fewest agreeing second readings that may overrule the first. */
export const MIN_AGREEING = 2

/**
 * How sure a value taken on a single vote may be: the first reading broke
 * the field's rules, so something is misread, and one treatment alone read a
 * value that keeps them; no other reading contradicts it, but none confirms it.
 */
export const LONE_READING_CONFIDENCE = 0.7

/**
 * The first reading stands unless another valid value was read at least
 * MIN_AGREEING times and strictly more often than the first's (which counts
 * itself when valid), and no other value ties with it. A valid first reading
 * that any second opinion confirmed always stands.
 *
 * A first reading that breaks the field's rules (a CCCD with a thirteenth
 * digit, a decision dated after its payment) is a misreading for sure: then
 * a value read valid by a single treatment is taken, if no other treatment
 * read a different valid value, at confidence LONE_READING_CONFIDENCE at most.
 */
export const decideReading = (first: Reading, others: ReadonlyArray<Reading>): Decision => {
  const votes = new Map<string, number>()
  for (const r of [first, ...others]) {
    if (r.value !== undefined && r.valid) votes.set(r.value, (votes.get(r.value) ?? 0) + 1)
  }
  const firstValid = first.value !== undefined && first.valid
  const firstVotes = firstValid ? (votes.get(first.value ?? "") ?? 0) : 0
  // The rivals of the first reading. A broken first reading's value, read valid by others, is one of them:
  // it ties or outvotes another value like any rival (never taken itself: it would change nothing).
  const ranked = [...votes.entries()].filter(([v]) => !(firstValid && v === first.value)).sort((a, b) => b[1] - a[1])
  const [best, runnerUp] = ranked
  if (best === undefined || best[0] === first.value) return { kind: "keep" }
  const [value, n] = best
  // A valid first reading that a second opinion read alike stands: the treatments scaled up from the
  // same crop misread alike (a photo's "8" read "6" at 2×, 3× and cut at 200, right at 1×).
  const confirmed = firstVotes >= 2
  if (!confirmed && n >= MIN_AGREEING && n > firstVotes && (runnerUp === undefined || runnerUp[1] < n)) return { kind: "replace", value, votes: n }
  const brokenFirst = first.value !== undefined && !first.valid
  // No competitor: every valid reading read this value (the first's own value read valid elsewhere competes too).
  if (brokenFirst && votes.size === 1) return { kind: "replace", value, votes: n, confidenceAtMost: LONE_READING_CONFIDENCE }
  return { kind: "keep" }
}

/**
 * The extraction of the reading a decision took, as the caller puts it in
 * place: the field's confidence no higher than the decision allows (a value
 * taken on a single vote), the rest as read.
 */
export const withDecision = (chosen: Extraction, field: DigitField, decision: Decision): Extraction => {
  if (decision.kind === "keep" || decision.confidenceAtMost === undefined) return chosen
  const c = chosen.confidence[field]
  return c === undefined || c <= decision.confidenceAtMost ? chosen : { ...chosen, confidence: { ...chosen.confidence, [field]: decision.confidenceAtMost } }
}

/**
 * Whether an extraction's value of `field` passes its domain checks (a missing value never does).
 * `currentYear`, when given, rules out dates in a later year: no decision or payment is dated ahead.
 */
export const validIn = (extraction: Extraction, field: DigitField, currentYear?: number): boolean => {
  if (extraction.fields[field] === undefined) return false
  const flagged = (code: string) => extraction.warnings.some((w) => w.code === code)
  switch (field) {
    case "payerIdNumber":
      return !flagged("invalid_identity_number")
    case "amount":
      // Figures the words contradict, or taken from the words, are no reading of the figures.
      return !flagged("amount_words_mismatch") && !flagged("amount_from_words")
    case "decisionDate":
    case "paymentDate":
      return !flagged("decision_after_payment") && (currentYear === undefined || Number(extraction.fields[field]?.slice(0, 4)) <= currentYear)
    case "decisionNumber":
      return true
  }
}

export const readingOf = (extraction: Extraction, field: DigitField, currentYear?: number): Reading => {
  const value = extraction.fields[field]
  return { ...(value === undefined ? {} : { value }), valid: validIn(extraction, field, currentYear) }
}

/** Index of the word holding character `offset` of the line's text (words joined by single spaces). */
const wordAt = (words: ReadonlyArray<OcrWord>, offset: number): number => {
  let start = 0
  for (let i = 0; i < words.length; i++) {
    const end = start + (words[i]?.text.length ?? 0)
    if (offset < end + 1) return i
    start = end + 1
  }
  return words.length - 1
}

const span = (page: number, line: number, words: ReadonlyArray<OcrWord>, field: DigitField, start: number, end: number, whitelist?: string): RereadTarget => ({
  page,
  line,
  fields: [field],
  fromWord: wordAt(words, start),
  toWord: wordAt(words, Math.max(start, end - 1)) + 1,
  tight: true,
  ...(whitelist === undefined ? {} : { whitelist })
})

const DIGITS = "0123456789"

/**
 * Where each digit field's value was read: the words of the first place
 * whose reading gives the extracted value. Each target is one field, its
 * crop tight around those words.
 */
export const digitTargets = (pages: ReadonlyArray<OcrPage>, extraction: Extraction, fields: ReadonlyArray<DigitField>): ReadonlyArray<RereadTarget> => {
  const targets: Array<RereadTarget> = []
  for (const field of fields) {
    const value = extraction.fields[field]
    if (value === undefined) continue
    let target: RereadTarget | undefined
    pages.forEach((page, p) => {
      page.lines.forEach((line, l) => {
        if (target !== undefined) return
        const text = lineText(line)
        if (field === "decisionNumber") {
          const d = findDecisionNumbers(text).find((d) => d.value === value)
          if (d !== undefined) target = span(p, l, line.words, field, d.index, d.end)
        } else if (field === "decisionDate" || field === "paymentDate") {
          const folded = foldWithMap(text)
          const d = findDates(text).find((d) => d.iso === value)
          if (d !== undefined) {
            const start = folded.origin[d.index] ?? 0
            const end = (folded.origin[d.end - 1] ?? text.length - 1) + 1
            // A date in figures reads with digits and slashes only; one in words needs its words.
            const numeric = /^\d{1,2}\s*[/.-]/.test(fold(text.slice(start, end)))
            target = span(p, l, line.words, field, start, end, numeric ? `${DIGITS}/.-` : undefined)
          }
        } else {
          line.words.forEach((w, i) => {
            if (target !== undefined || !/\d/.test(w.text)) return
            const read = field === "amount" ? readAmount(w.text)?.value.toString() : readIdentityNumber(w.text)?.value
            if (read === value) target = { page: p, line: l, fields: [field], fromWord: i, toWord: i + 1, tight: true, whitelist: field === "amount" ? `${DIGITS}.,` : DIGITS }
          })
        }
      })
    })
    if (target !== undefined) targets.push(target)
  }
  return targets
}

const fold = (s: string): string => foldWithMap(s).text
