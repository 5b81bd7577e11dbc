/**
 * The printed labels that introduce each field, as folded text (no marks,
 * lower case). Each must be followed by ":" or ";" (tesseract's usual reading
 * of a colon), or by "." and a space, so a signature caption such as
 * "Người nộp tiền" with nothing after it is never taken for a field.
 */

export type LabelledField =
  | "payerName"
  | "payerIdNumber"
  | "payerAddress"
  | "amount"
  | "amountInWords"
  | "reason"
  | "bankReference"
  | "paymentDate"
  | "decisionDate"

const labelSources: Readonly<Record<LabelledField, ReadonlyArray<string>>> = {
  // Words first: "Số tiền bằng chữ" must not be read as the figures' label.
  amountInWords: ["(?:so tien )?(?:viet )?bang chu"],
  payerName: [
    "ho (?:va )?ten (?:cua )?(?:nguoi nop(?: tien)?|nguoi chuyen(?: tien)?|nguoi phai thi hanh an|nguoi tra tien)",
    "(?:ten )?(?:nguoi|don vi) (?:nop|chuyen|tra)(?: tien)?",
    "nguoi phai thi hanh an",
    "ong ?/ ?ba",
    "ong \\(ba\\)",
    "ho (?:va )?ten"
  ],
  payerIdNumber: [
    // "CCCD" is often read "CCCTD" or "CCD".
    "so (?:CCCD|cmnd|CCCD ?/ ?cmnd|cmnd ?/ ?CCCD|can cuoc(?: cong dan)?|dinh danh(?: ca nhan)?|ho chieu|giay to tuy than)",
    "(?:CCCD|cmnd|CCCD ?/ ?cmnd|can cuoc cong dan|ma so thue|mst|so dinh danh ca nhan)"
  ],
  payerAddress: ["dia chi(?: thuong tru| cu tru| lien he| nguoi nop| nguoi chuyen| cua nguoi nop)?", "noi cu tru", "tru so"],
  amount: [
    "(?:tong )?so tien(?: nop| da nop| chuyen| phai thi hanh(?: an)?| phai nop| giao dich| bang so)?",
    "so tien \\(bang so\\)"
  ],
  reason: ["noi dung(?: nop tien| nop| chuyen tien| chuyen khoan| giao dich| thu)?", "ly do(?: nop(?: tien)?)?", "dien giai"],
  bankReference: ["so (?:tham chieu|but toan|giao dich|chung tu|ct)", "ma (?:giao dich|tham chieu)", "ref(?:erence)?"],
  paymentDate: ["ngay (?:nop(?: tien)?|giao dich|hach toan|chuyen(?: tien)?|thanh toan)", "ngay"],
  decisionDate: ["ngay (?:ra |ky )?quyet dinh"]
}

// Tesseract splits words ("N gười nộp tiền") and joins them ("§ốCCCD"): a space
// may appear between any two letters of a label and may vanish between words, where a speck
// may stand too ("Tên người. chuyển tiền"), or a letter read twice ("Số định danh c cá nhân").
const tolerant = (source: string): string =>
  source
    .replace(/ /g, "[\\s.,']*(?:[a-z][\\s.,']+)?")
    .replace(/([a-z])(?=[a-z])/g, "$1 ?")
    .replaceAll("CCCD", "c{2,3}t?d")

// Scanner dirt before a label ("_ ", "' ", "- ") is skipped; the colon may be read as ";" or ".".
const compile = (source: string): RegExp => new RegExp(`^[^\\p{L}]*(?:${tolerant(source)})\\s*(?:[:;]+|\\.(?=\\s))\\s*`, "u")

export const labelPatterns: ReadonlyArray<readonly [LabelledField, RegExp]> = Object.entries(labelSources).flatMap(
  ([field, sources]) => sources.map((s) => [field as LabelledField, compile(s)] as const)
)

/** The field whose label starts this folded line, and where its value begins in the folded text. */
export const matchLabel = (foldedLine: string): { readonly field: LabelledField; readonly valueStart: number } | undefined => {
  // Tesseract reads the "S" of "Số" as "§" or "$"; same length, so offsets hold.
  const line = foldedLine.replace(/^([^\p{L}]*)[§$]/u, "$1s")
  for (const [field, pattern] of labelPatterns) {
    const m = pattern.exec(line)
    if (m) return { field, valueStart: m[0].length }
  }
  return undefined
}
