/**
 * CSV records from text that arrives in chunks (RFC 4180: a cell in double
 * quotes may hold the delimiter, line breaks and "" for a quote). The
 * delimiter is ",", ";" or tab; with "auto" it is the one the first line uses
 * most outside quotes (Excel in a Vietnamese locale saves with ";").
 */

export type CsvDelimiter = "," | ";" | "\t"

export interface CsvRecord {
  /** 1-based record number: the row number a spreadsheet shows when no cell holds a line break. */
  readonly row: number
  readonly cells: ReadonlyArray<string>
}

export const detectCsvDelimiter = (firstLine: string): CsvDelimiter => {
  const counts = { ",": 0, ";": 0, "\t": 0 }
  let quoted = false
  for (const c of firstLine) {
    if (c === "\"") quoted = !quoted
    else if (!quoted && (c === "," || c === ";" || c === "\t")) counts[c]++
  }
  return counts[";"] > counts[","] && counts[";"] >= counts["\t"] ? ";" : counts["\t"] > counts[","] ? "\t" : ","
}

export interface CsvSplitter {
  readonly push: (chunk: string) => ReadonlyArray<CsvRecord>
  readonly end: () => ReadonlyArray<CsvRecord>
}

export const createCsvSplitter = (delimiter: CsvDelimiter | "auto"): CsvSplitter => {
  let sep: CsvDelimiter | undefined = delimiter === "auto" ? undefined : delimiter
  let pending = ""
  let cells: Array<string> = []
  let cell = ""
  let quoted = false
  let afterQuote = false
  let row = 0
  let started = false

  const finishRecord = (out: Array<CsvRecord>) => {
    cells.push(cell)
    row++
    out.push({ row, cells })
    cells = []
    cell = ""
    afterQuote = false
  }

  /** Reads text into records; returns what must wait for the next chunk (a quote that may be the first of ""). */
  const consume = (text: string, out: Array<CsvRecord>, final: boolean): string => {
    for (let i = 0; i < text.length; i++) {
      const c = text[i] as string
      if (quoted) {
        if (c === "\"") {
          if (i + 1 === text.length && !final) return "\""
          if (text[i + 1] === "\"") {
            cell += "\""
            i++
          } else {
            quoted = false
            afterQuote = true
          }
        } else {
          cell += c
        }
      } else if (c === "\"" && cell === "" && !afterQuote) {
        quoted = true
      } else if (c === sep) {
        cells.push(cell)
        cell = ""
        afterQuote = false
      } else if (c === "\n") {
        if (cell.endsWith("\r")) cell = cell.slice(0, -1)
        finishRecord(out)
      } else {
        cell += c
      }
    }
    return ""
  }

  const start = (text: string): string => {
    if (!started) {
      started = true
      return text.replace(/^\uFEFF/, "")
    }
    return text
  }

  return {
    push: (chunk) => {
      const out: Array<CsvRecord> = []
      let text = start(chunk)
      if (sep === undefined) {
        pending += text
        const nl = pending.indexOf("\n")
        if (nl < 0) return out
        sep = detectCsvDelimiter(pending.slice(0, nl))
        text = pending
        pending = ""
      }
      pending = consume(pending + text, out, false)
      return out
    },
    end: () => {
      const out: Array<CsvRecord> = []
      if (sep === undefined) {
        sep = detectCsvDelimiter(pending)
      }
      consume(pending, out, true)
      pending = ""
      if (cell !== "" || cells.length > 0) finishRecord(out)
      return out
    }
  }
}

/** All records of a whole text (for tests and small files). */
export const splitCsv = (text: string, delimiter: CsvDelimiter | "auto" = "auto"): Array<CsvRecord> => {
  const s = createCsvSplitter(delimiter)
  return [...s.push(text), ...s.end()]
}

const needsQuotes = /[",;\t\r\n]/

/** One CSV record (the writer the tests use). */
export const formatCsvRecord = (cells: ReadonlyArray<string>, delimiter: CsvDelimiter = ","): string =>
  cells.map((c) => (needsQuotes.test(c) || c !== c.trim() ? `"${c.replaceAll("\"", "\"\"")}"` : c)).join(delimiter)
