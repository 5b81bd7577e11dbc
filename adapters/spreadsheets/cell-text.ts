/**
 * A cell as the text an office would have typed: numbers in full when
 * exact, dates as YYYY-MM-DD, rich text joined, formulas by their result,
 * an error cell by its code ("#N/A").
 */
const pad = (n: number) => String(n).padStart(2, "0")

export const cellText = (value: unknown): string => {
  if (value === null || value === undefined) return ""
  if (typeof value === "string") return value
  if (typeof value === "number") {
    // A number cell past 2^53 has lost digits already: make it unreadable as an amount.
    if (Number.isInteger(value) && !Number.isSafeInteger(value)) return `${value} (not exact: over 15 digits in a number cell; format the column as text)`
    return String(value)
  }
  if (typeof value === "boolean") return value ? "TRUE" : "FALSE"
  if (value instanceof Date) return `${value.getUTCFullYear()}-${pad(value.getUTCMonth() + 1)}-${pad(value.getUTCDate())}`
  if (typeof value === "object") {
    const v = value as { richText?: Array<{ text: string }>; result?: unknown; text?: unknown; error?: string }
    if (Array.isArray(v.richText)) return v.richText.map((r) => r.text).join("")
    if ("result" in v) return cellText(v.result)
    if (typeof v.text === "string") return v.text
    if (typeof v.error === "string") return v.error
  }
  return String(value)
}

/** A row's cells as text, without exceljs's empty index 0. */
export const rowCells = (values: ReadonlyArray<unknown>): Array<string> => Array.from(values.slice(1), cellText)
