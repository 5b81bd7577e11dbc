/**
 * CSV cells of one record (RFC 4180: double quotes around a cell, "" for a
 * quote inside it). The delimiter is read from the header, because Excel in
 * a Vietnamese locale saves with ";" as often as with ",".
 */

export type Delimiter = "," | ";" | "\t"

/** The delimiter the header uses most outside quotes; "," when none. */
export const detectDelimiter = (header: string): Delimiter => {
  const counts = { ",": 0, ";": 0, "\t": 0 }
  let inQuotes = false
  for (const c of header) {
    if (c === "\"") inQuotes = !inQuotes
    else if (!inQuotes && (c === "," || c === ";" || c === "\t")) counts[c]++
  }
  return counts[";"] > counts[","] && counts[";"] >= counts["\t"] ? ";" : counts["\t"] > counts[","] ? "\t" : ","
}

/** Splits one record into its cells; a stray quote inside a bare cell is kept as text. */
export const parseCsvRecord = (record: string, delimiter: Delimiter): Array<string> => {
  const cells: Array<string> = []
  let i = 0
  const n = record.length
  while (true) {
    if (record.charCodeAt(i) === 34) {
      let cell = ""
      i++
      while (i < n) {
        const q = record.indexOf("\"", i)
        if (q < 0) {
          cell += record.slice(i)
          i = n
          break
        }
        cell += record.slice(i, q)
        if (record.charCodeAt(q + 1) === 34) {
          cell += "\""
          i = q + 2
        } else {
          i = q + 1
          break
        }
      }
      // Anything between the closing quote and the delimiter belongs to the cell.
      const end = record.indexOf(delimiter, i)
      cell += end < 0 ? record.slice(i) : record.slice(i, end)
      cells.push(cell)
      if (end < 0) return cells
      i = end + 1
    } else {
      const end = record.indexOf(delimiter, i)
      if (end < 0) {
        cells.push(record.slice(i))
        return cells
      }
      cells.push(record.slice(i, end))
      i = end + 1
    }
  }
}

const needsQuotes = /[",;\t\r\n]/

/** One CSV record from cells (the writer the tests and the benchmark use). */
export const formatCsvRecord = (cells: ReadonlyArray<string>, delimiter: Delimiter = ","): string =>
  cells.map((c) => (needsQuotes.test(c) || c !== c.trim() ? `"${c.replaceAll("\"", "\"\"")}"` : c)).join(delimiter)
