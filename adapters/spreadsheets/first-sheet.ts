/**
 * The rows of a workbook's first worksheet, one at a time, never the whole
 * workbook in memory: bulk receipts, creditor lists and bank statements
 * arrive as XLSX.
 *
 * exceljs's streaming WorkbookReader reads the archive in one pass in the
 * order its entries are stored, and needs `xl/workbook.xml` (the sheets'
 * names) before a worksheet; exceljs itself, and other writers, store that
 * entry last, and on Bun and Node ≥ 18 the one-pass reader now and then
 * parses a worksheet before it ("undefined is not an object (evaluating
 * 'this.model.sheets')": 1 read in 400 of the same file here; exceljs issue
 * 3064). So the archive is opened by its central directory (unzipper, the
 * zip library exceljs uses) and its parts are handed to exceljs's own
 * parsers in the order they depend on each other: relationships, workbook,
 * shared strings, styles, then the worksheet, still parsed row by row.
 * Those parsers are exceljs's internal methods (pinned at 4.4 in the lock
 * file); test/adapters/first-sheet.test.ts reads files written by exceljs
 * and by hand-made archives in every entry order.
 */
import ExcelJS from "exceljs"
import type { Readable } from "node:stream"
import unzipper from "unzipper"

/** A worksheet row as exceljs gives it: `values` is 1-based, index 0 always empty. */
export interface SheetRow {
  readonly number: number
  readonly values: ReadonlyArray<unknown>
}

/** What of exceljs's WorkbookReader is used: its parsers, one per part of the archive. */
interface ReaderParts {
  model?: { readonly sheets?: ReadonlyArray<{ readonly id: number; readonly rId: string; readonly name: string }> }
  workbookRels?: ReadonlyArray<{ readonly Id: string; readonly Target: string }>
  _parseRels(entry: Readable): Promise<void>
  _parseWorkbook(entry: Readable): Promise<void>
  _parseSharedStrings(entry: Readable): AsyncIterable<unknown>
  _parseStyles(entry: Readable): Promise<void>
  _parseWorksheet(entry: Readable, sheetNo: string): Iterable<{ readonly eventType: string; readonly value: AsyncIterable<SheetRow> }>
}

/** The archive is no workbook: named in what a person can act on. */
export class NotAWorkbook extends Error {
  override readonly name = "NotAWorkbook"
}

const worksheetPath = /^xl\/worksheets\/sheet(\d+)\.xml$/

/** The first worksheet's rows, in order, each with its row number (empty rows are not stored, so not given). */
export async function* firstSheetRows(file: string): AsyncGenerator<SheetRow> {
  let directory: unzipper.CentralDirectory
  try {
    directory = await unzipper.Open.file(file)
  } catch (e) {
    throw new NotAWorkbook(`it is not an XLSX workbook (a zip archive): ${e instanceof Error ? e.message : String(e)}`)
  }
  const part = (path: string) => directory.files.find((f) => f.type === "File" && f.path === path)
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(file, {
    worksheets: "emit",
    sharedStrings: "cache",
    styles: "cache",
    hyperlinks: "ignore",
    entries: "ignore"
  }) as unknown as ReaderParts
  const rels = part("xl/_rels/workbook.xml.rels")
  const workbook = part("xl/workbook.xml")
  if (rels === undefined || workbook === undefined) throw new NotAWorkbook("it has no workbook part (xl/workbook.xml): save it again as an Excel workbook")
  await reader._parseRels(rels.stream())
  await reader._parseWorkbook(workbook.stream())
  const strings = part("xl/sharedStrings.xml")
  if (strings !== undefined) for await (const _ of reader._parseSharedStrings(strings.stream())) void _
  const styles = part("xl/styles.xml")
  if (styles !== undefined) await reader._parseStyles(styles.stream())

  // The first sheet is the first tab, as the workbook lists them; failing that, the lowest numbered part.
  const firstTab = reader.model?.sheets?.[0]
  const target = reader.workbookRels?.find((r) => r.Id === firstTab?.rId)?.Target.replace(/^\/?(?:xl\/)?/, "")
  const sheets = directory.files
    .flatMap((f) => {
      const m = worksheetPath.exec(f.path)
      return m === null ? [] : [{ file: f, number: m[1] ?? "", listed: `worksheets/sheet${m[1]}.xml` === target }]
    })
    .sort((a, b) => Number(b.listed) - Number(a.listed) || Number(a.number) - Number(b.number))
  const sheet = sheets[0]
  if (sheet === undefined) throw new NotAWorkbook("it has no worksheet")
  for (const event of reader._parseWorksheet(sheet.file.stream(), sheet.number)) {
    if (event.eventType === "worksheet") yield* event.value
  }
}
