/**
 * The columns a bulk file may carry (docs/INGEST.md). Headers are matched
 * after folding case, accents, spaces and dashes, so "Số tiền", "so_tien" and
 * "amount" all name the amount: offices export from many different tools.
 */
import { foldForSearch } from "../../domain/text.ts"

export const columns = [
  "external_id",
  "agency",
  "office",
  "form",
  "symbol",
  "payer_name",
  "payer_id_number",
  "payer_address",
  "judgment_number",
  "judgment_date",
  "decision_number",
  "decision_date",
  "reason",
  "amount",
  "amount_in_words",
  "payment_method",
  "bank_reference",
  "maker",
  "created_at"
] as const

export type Column = (typeof columns)[number]

/** One input row by column; absent and empty cells are both missing. */
export type RowFields = Partial<Record<Column, string>>

const aliases: Record<Column, ReadonlyArray<string>> = {
  external_id: ["external id", "ma ngoai", "ma he thong cu", "id"],
  agency: ["co quan", "ma co quan"],
  office: ["phong", "ma phong", "don vi"],
  form: ["mau so"],
  symbol: ["ky hieu"],
  payer_name: ["ho ten", "nguoi nop", "ten nguoi nop", "ho ten nguoi nop"],
  payer_id_number: ["cccd", "so cccd", "so giay to", "so dinh danh", "ma so thue"],
  payer_address: ["dia chi"],
  judgment_number: ["so ban an"],
  judgment_date: ["ngay ban an"],
  decision_number: ["so quyet dinh"],
  decision_date: ["ngay quyet dinh"],
  reason: ["ly do", "noi dung", "ly do nop"],
  amount: ["so tien"],
  amount_in_words: ["bang chu", "so tien bang chu"],
  payment_method: ["hinh thuc", "hinh thuc thanh toan"],
  bank_reference: ["so tham chieu", "ma giao dich"],
  maker: ["nguoi lap", "can bo lap"],
  created_at: ["ngay lap", "thoi diem lap"]
}

const fold = (header: string): string => foldForSearch(header).replace(/[\s_.-]+/g, " ").trim()

const byFolded = new Map<string, Column>(
  columns.flatMap((c) => [[fold(c), c] as const, ...aliases[c].map((a) => [fold(a), c] as const)])
)

/** The column a header names, or undefined for a column bienlai does not read. */
export const columnOf = (header: string): Column | undefined => byFolded.get(fold(header))

/** For every position of the header, the column it feeds (undefined: ignored). */
export const mapHeader = (header: ReadonlyArray<string>): Array<Column | undefined> => header.map(columnOf)

/** The fields of one row from its cells, given `mapHeader`'s result. */
export const fieldsOf = (mapping: ReadonlyArray<Column | undefined>, cells: ReadonlyArray<string>): RowFields => {
  const fields: RowFields = {}
  for (let i = 0; i < mapping.length; i++) {
    const column = mapping[i]
    const value = cells[i]?.trim()
    if (column !== undefined && value !== undefined && value !== "") fields[column] = value
  }
  return fields
}
