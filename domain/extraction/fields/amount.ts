/**
 * The amount in figures and in words, checked against each other: agreement
 * raises both confidences, disagreement lowers the figures' and warns, and
 * unsure figures a digit or two off the words are taken as misread.
 */
import { formatVnd } from "../../money.ts"
import { readAmount, readAmountInWords } from "../readers.ts"
import { corroborated, type Found, type ReaderInput, roundConfidence } from "./reader.ts"

// Figures that differ from the words' amount in one or two digits of the same length are an
// OCR slip (3095 read 3025); words seldom garble into another amount that still parses.
const digitSlips = (figures: bigint, words: bigint): boolean => {
  const a = figures.toString()
  const b = words.toString()
  if (a.length !== b.length) return false
  let differ = 0
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) differ++
  return differ > 0 && differ <= 2
}

// The words may stand in brackets after the figures: "5.000.000 đồng (Năm triệu đồng)".
const inlineWords = (amountText: string): string | undefined => {
  const inline = /\((?:bằng chữ\s*:?)?\s*([^)]*\p{L}[^)]*)\)?/iu.exec(amountText)?.[1]
  return inline !== undefined && /đồng|dong/iu.test(inline) ? inline : undefined
}

export const readAmounts = (input: ReaderInput, found: Found): void => {
  const amountRaw = input.raw.get("amount")
  const wordsRaw = input.raw.get("amountInWords")
  const figures = amountRaw === undefined ? undefined : readAmount(amountRaw.text.split(/\(|bằng chữ/iu)[0] ?? "")
  let wordsText = wordsRaw?.text ?? (amountRaw === undefined ? undefined : inlineWords(amountRaw.text))
  // The words end with "đồng" (or "đồng chẵn"): what follows is specks.
  if (wordsText !== undefined) wordsText = wordsText.replace(/(đồng(?:\s+chẵn)?)\W.*$/iu, "$1")
  // Specks between the words ("không. trăm. mười") are no part of them.
  if (wordsText !== undefined) wordsText = wordsText.replace(/^\(|\)\.?$/gu, "").replace(/(\p{L})[.,:;|]+(?=\s)/gu, "$1").trim()
  const wordsValue = wordsText === undefined ? undefined : readAmountInWords(wordsText)
  if (wordsText !== undefined && wordsText !== "") {
    found.set("amountInWords", wordsText, (wordsRaw?.confidence ?? amountRaw?.confidence ?? 0) * (wordsValue === undefined ? 0.5 : 1))
  }
  if (figures && amountRaw) {
    let figuresTaken = true
    let c = amountRaw.confidence * (figures.fixed ? 0.85 : 1)
    if (wordsValue !== undefined && wordsValue === figures.value) {
      c = corroborated(c)
      const wordsConfidence = found.confidence.amountInWords
      if (wordsConfidence !== undefined) found.confidence.amountInWords = roundConfidence(corroborated(wordsConfidence))
    } else if (wordsValue !== undefined) {
      c *= 0.5
      // Only figures OCR was unsure of, or had to repair, are overruled; sure figures stand with the warning.
      const misread = (figures.fixed || amountRaw.confidence < 0.85) && digitSlips(figures.value, wordsValue)
      found.warn({
        code: "amount_words_mismatch",
        field: "amount",
        message: `The amount in figures (${formatVnd(figures.value)}) disagrees with the amount in words (${formatVnd(wordsValue)})` +
          (misread ? `; the figures look misread (${formatVnd(wordsValue)} was taken, as the words say)` : "")
      })
      if (misread) {
        found.set("amount", wordsValue.toString(), c)
        figuresTaken = false
      }
    } else if (wordsText !== undefined && wordsText !== "") {
      found.warn({
        code: "amount_words_unreadable",
        field: "amountInWords",
        message: `The amount in words could not be read to check the figures: "${wordsText}"`
      })
    }
    if (figuresTaken) found.set("amount", figures.value.toString(), c)
  } else if (wordsValue !== undefined) {
    found.set("amount", wordsValue.toString(), (found.confidence.amountInWords ?? 0) * 0.6)
    found.warn({
      code: "amount_from_words",
      field: "amount",
      message: `No amount in figures was found; the amount ${formatVnd(wordsValue)} was read from the words`
    })
  }
}
