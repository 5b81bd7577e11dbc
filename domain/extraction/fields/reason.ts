/**
 * The reason for the payment (nội dung), as printed: a transfer's unaccented
 * capitals stay unaccented (a mark there is OCR's invention, removed with a
 * warning), and words with slipped marks are corrected against the words of
 * payment reasons, each correction reported.
 */
import { stripDiacritics } from "../../text.ts"
import { correctionWarning, notPartOfReason } from "../gazetteer/correction.ts"
import { correctMemo } from "../gazetteer/correct-memo.ts"
import { correctReason } from "../gazetteer/correct-words.ts"
import type { Found, ReaderInput } from "./reader.ts"
import { maybeSyllable } from "../gazetteer/syllables.ts"
import { cutRunOn } from "./reason-run-on.ts"
import { cutSignatureBlock } from "./signature-block.ts"

// Transfer contents are typed without marks in capitals; a mark there is OCR's invention.
export const isUnaccentedCapitals = (text: string): boolean => {
  const letters = text.match(/\p{L}/gu) ?? []
  const unmarked = letters.filter((c) => /[A-Z]/.test(c)).length
  // A letter or two read in lower case ("TlEN": l for I) leave a line in capitals.
  const lower = letters.filter((c) => c !== c.toUpperCase()).length
  return letters.length > 0 && unmarked / letters.length >= 0.85 && lower <= Math.floor(letters.length / 20)
}

/** A reason as read, without a speck before it ("` KIEU …") or a stop after it. */
export const memoText = (text: string): string => text.replace(/^[^\p{L}\p{N}]+/u, "").replace(/[\s.]+$/u, "")

/**
 * Whether a value read where a reason stands holds a word or a figure: a
 * blank leader's dots and a stamp's strokes ("ồ.ồ.ồ..ccc.sss") hold
 * neither, and are no reason at all.
 */
export const holdsWords = (text: string): boolean =>
  /\p{N}/u.test(text) || (stripDiacritics(text).match(/\p{L}+/gu) ?? []).some((w) => w.length >= 2 && maybeSyllable(w))

export const readReason = (input: ReaderInput, found: Found): void => {
  const reason = input.raw.get("reason")
  if (reason === undefined) return
  const printed = memoText(reason.text)
  if (!holdsWords(printed)) return
  // The signers' titles under a long content, read as its continuation (signature-block.ts), cut and said.
  const block = cutSignatureBlock(printed)
  if (block.cut !== undefined) found.warn(correctionWarning("reason", { from: printed, to: block.value, against: notPartOfReason(block.cut) }))
  const read = block.value
  if (isUnaccentedCapitals(read)) {
    const plain = stripDiacritics(read)
    if (plain !== read) found.warn(correctionWarning("reason", { from: read, to: plain, against: "unaccented capitals of a transfer's content" }))
    // Doubled, run-together and look-alike letters of the memo's words ("NOOP", "NOPTIEN"), against its vocabulary.
    const words = correctMemo(plain)
    for (const c of words.corrections) found.warn(correctionWarning("reason", c))
    found.set("reason", words.value, reason.confidence * (words.corrections.length > 0 || block.cut !== undefined ? 0.9 : 1))
    return
  }
  // What the row below, the cell beside or the label before left in the value (reason-run-on.ts), cut and said.
  const runOn = cutRunOn(read)
  for (const piece of runOn.cut) found.warn(correctionWarning("reason", { from: read, to: runOn.value, against: notPartOfReason(piece) }))
  const { value, corrections } = correctReason(runOn.value)
  for (const c of corrections) found.warn(correctionWarning("reason", c))
  found.set("reason", value, reason.confidence * (corrections.length + runOn.cut.length > 0 || block.cut !== undefined ? 0.9 : 1))
}
