/**
 * Finding the labels of label-data.ts in a line of folded text (no marks,
 * lower case). A label is found anywhere on the line after a word boundary,
 * possibly joined to others of its field with "/" or "và" ("Số định danh cá
 * nhân/CCCD"); followed by ":" or ";" (tesseract's usual reading of a colon)
 * or by "." and a space it stands anywhere; without a colon it must start
 * the line or a table cell, and not be a caption in capitals ("NGƯỜI NỘP
 * TIỀN"), so a signature caption or a sentence is never taken for a field.
 */
import { type LabelEntry, labelData, type LabelledField, type LabelTarget } from "./label-data.ts"

export type { LabelledField, LabelTarget } from "./label-data.ts"

// Tesseract splits words ("N gười nộp tiền") and joins them ("§ốCCCD"): a space
// may appear between any two letters of a label and may vanish between words, where a speck
// may stand too ("Tên người. chuyển tiền"), or a letter read twice, apart ("Số định danh c cá nhân") or
// together, a vowel's mark read on both copies ("cá nhầân").
const tolerant = (source: string): string =>
  source
    .replace(/ /g, "[\\s.,']*(?:[a-z][\\s.,']+)?")
    .replace(/([a-z])(?=[a-z])/g, "$1+ ?")
    .replaceAll("CCCD", "c{2,3}t?d")

// Words joined to a label of the same field: "CMND/CCCD/Hộ chiếu", "Số CCCD và ngày cấp" is not one (other field).
const joinExtras: Partial<Record<LabelTarget, ReadonlyArray<string>>> = {
  // "HC" may carry a speck before it, read as a letter ("CMND/CCCD/IHC").
  payerIdNumber: ["CCCD", "cmnd", "(?:[|!]|i|l)?h[cg]", "ho chieu", "can cuoc", "dinh danh ca nhan", "ma so thue", "mst"],
  payerName: ["ten", "nguoi nop", "don vi"]
}
const join = "(?:\\s*/\\s*|\\s+va\\s+)"

interface Compiled {
  readonly entry: LabelEntry
  readonly pattern: RegExp
}

const compiled: ReadonlyArray<Compiled> = labelData.map((entry) => {
  const sameField = labelData.filter((e) => e.field === entry.field).map((e) => tolerant(e.pattern))
  const joined = [...sameField, ...(joinExtras[entry.field] ?? []).map(tolerant)].join("|")
  const source = `(?<![\\p{L}\\d])(?:${tolerant(entry.pattern)})(?:${join}(?:${joined}))*(?![\\p{L}\\d])(\\s*(?:[:;]+|\\.(?=\\s)))?\\s*`
  return { entry, pattern: new RegExp(source, "gu") }
})

export interface LabelMatch {
  readonly field: LabelTarget
  /** Where the label starts, and where its value starts, in the folded line. */
  readonly start: number
  readonly valueStart: number
  readonly colon: boolean
}

export interface MatchContext {
  /** Folded offsets where a table cell starts (a wide gap between words): a label without a colon may start there. */
  readonly cellStarts?: ReadonlySet<number>
  /** The line as printed: a label without a colon in capitals is a caption, not a field. */
  readonly original?: string
  readonly originAt?: (foldedIndex: number) => number
}

const atLineStart = (line: string, start: number): boolean => /^[^\p{L}]*$/u.test(line.slice(0, start))

/** Every label on the folded line, left to right, none overlapping (the longest wins where two start together). */
export const matchLabels = (foldedLine: string, context: MatchContext = {}): ReadonlyArray<LabelMatch> => {
  // Tesseract reads the "S" of "Số" as "§" or "$", and a fax's speck between two words of a label as a
  // hyphen ("Số định-danh cá nhân"): same length, so offsets hold.
  // "Số" read "Sũ", "5ố", "5u" or "56" before a label's next word: the same length again.
  const line = foldedLine
    .replace(/[§$](?=\s?\p{L})/gu, "s")
    .replace(/(?<=\p{Ll}{2})-(?=\p{Ll}{2})/gu, " ")
    .replace(/(?<![\p{L}\d])(?:su|5o|5u|56)(?= (?:dinh|cmnd|cccd|tien|tham|but|giao|tai|chung|gd|ct|ho chieu|giay))/gu, "so")
  const candidates: Array<LabelMatch & { readonly end: number }> = []
  for (const { entry, pattern } of compiled) {
    for (const m of line.matchAll(pattern)) {
      const start = m.index
      const labelEnd = start + m[0].length - (m[0].length - m[0].trimEnd().length) - (m[1]?.length ?? 0)
      const colon = m[1] !== undefined
      const startsCell = atLineStart(line, start) || (context.cellStarts?.has(start) ?? false)
      if (entry.lineStartOnly === true && !startsCell) continue
      if (!colon && entry.anywhere !== true) {
        if (!startsCell) continue
        const printed = context.original === undefined || context.originAt === undefined
          ? undefined
          : context.original.slice(context.originAt(start), context.originAt(labelEnd))
        if (printed !== undefined && /\p{Lu}{2}/u.test(printed) && printed === printed.toUpperCase()) continue
      }
      candidates.push({ field: entry.field, start, valueStart: start + m[0].length, colon, end: start + m[0].length })
    }
  }
  candidates.sort((a, b) => a.start - b.start || b.end - a.end)
  const chosen: Array<LabelMatch> = []
  let reached = 0
  for (const c of candidates) {
    if (c.start < reached) continue
    chosen.push({ field: c.field, start: c.start, valueStart: c.valueStart, colon: c.colon })
    reached = c.end
  }
  return chosen
}

/** The first label of a field bienlai reads on this folded line, and where its value begins. */
export const matchLabel = (
  foldedLine: string,
  context: MatchContext = {}
): { readonly field: LabelledField; readonly valueStart: number } | undefined => {
  for (const m of matchLabels(foldedLine, context)) {
    if (m.field !== "other") return { field: m.field, valueStart: m.valueStart }
  }
  return undefined
}
