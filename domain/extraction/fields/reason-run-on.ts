/**
 * What a reason's value picks up from around it on a fax or in a table, and
 * is no part of the reason:
 *  - the next row run on into it, a citation of the decision opening with a
 *    capital in mid-value ("… hợp đồng vay Theo Quyết định thi hành án số
 *    2519/QĐ-THADS ngày …", "… Căn cứ Quyết định số …"): a sentence starts
 *    on a new row, never inside a reason;
 *  - the next cell's decision number and date, bare ("… chậm thi hành án
 *    2054/QĐ-THADS ngày 04/07/2026"): a reason citing its decision says so
 *    ("theo Quyết định số …", "THEO QD …"), and those are kept;
 *  - the end of its label before it ("nôn: Nộp tiền …", the "Nội dung:" of a
 *    fax): a short lower-case word and a colon before a capitalised value.
 * Each cut is returned, to be reported with what was read.
 */
import { findDecisionNumbers } from "../readers.ts"

export interface RunOnCut {
  readonly value: string
  readonly cut: ReadonlyArray<string>
}

// A citation opening a new row: "Theo Quyết định", "Căn cứ", with a decision number after it.
const rowCitation = /\s+(?:Theo|Căn cứ)\s+(?:Quyết|QĐ|Bản án).*$/u
// A bare decision number, with its date, closing the value.
const bareCitation = /\s+(\S+\s*\/\s*\S*Q\s*[ĐDÐ]\S*)(?:\s+ngày\s+\S+(?:\s+tháng\s+\S+\s+năm\s+\S+)?)?\s*$/u
// Words a reason cites its decision with: what stands before a number that belongs to it.
const citing = /(?:theo|số|qđ|qd|định|quyết)[:.]?$/iu
// A label's tail: one short lower-case word (no digit) and a colon, then the value's capital.
const labelTail = /^(\p{Ll}{1,6})\s*:\s*(?=\p{Lu})/u

export const cutRunOn = (text: string): RunOnCut => {
  let value = text
  const cut: Array<string> = []
  const tail = labelTail.exec(value)
  if (tail !== null) {
    cut.push(tail[0].trim())
    value = value.slice(tail[0].length)
  }
  const row = rowCitation.exec(value)
  // At least two words of reason before it, and a decision number in it.
  if (row !== null && row.index > 0 && value.slice(0, row.index).trim().split(/\s+/).length >= 2 && findDecisionNumbers(row[0]).length > 0) {
    cut.push(row[0].trim())
    value = value.slice(0, row.index)
  }
  const bare = bareCitation.exec(value)
  if (bare !== null && findDecisionNumbers(bare[1] ?? "").length > 0) {
    const before = value.slice(0, bare.index).trim()
    if (before.split(/\s+/).length >= 2 && !citing.test(before)) {
      cut.push(bare[0].trim())
      value = before
    }
  }
  return { value, cut }
}
