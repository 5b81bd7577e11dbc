/**
 * The four documents of corpus B, each with the truth of what it prints
 * legibly: a State Treasury payment slip as a bordered table (labels and
 * values in separate cells, no colons), a bank deposit slip in two columns,
 * a bank credit advice as a table with an unaccented transfer memo, and an
 * enforcement decision that states the debtor and the amount in sentences.
 * Each signs off with a seal and a signature.
 */
import type { DocumentType } from "../../../domain/extraction/document-type.ts"
import type { FieldName } from "../../../domain/extraction/extraction.ts"
import { textWidth } from "../../../adapters/fonts/svg-text.ts"
import { formatVndDigits } from "../../../domain/money.ts"
import type { Random } from "../corpus/random.ts"
import { type Item, PAGE_WIDTH } from "./page.ts"
import { bankName, type FactsB, type KindB } from "./truth.ts"

export interface DocumentB {
  readonly kind: KindB
  readonly documentType: Exclude<DocumentType, "unknown">
  readonly items: ReadonlyArray<Item>
  readonly truth: Partial<Record<FieldName, string>>
}

const LEFT = 56
const RIGHT = PAGE_WIDTH - 56
const SIZE = 11.5

const d = (isoDate: string) => ({ day: Number(isoDate.slice(8, 10)), month: Number(isoDate.slice(5, 7)), year: isoDate.slice(0, 4) })
const inWords = (isoDate: string) => `ngày ${d(isoDate).day} tháng ${d(isoDate).month} năm ${d(isoDate).year}`
const slashed = (isoDate: string) => `${isoDate.slice(8, 10)}/${isoDate.slice(5, 7)}/${isoDate.slice(0, 4)}`

const text = (x: number, y: number, s: string, extra: Partial<Omit<Item & { kind: "text" }, "kind">> = {}): Item => ({ kind: "text", x, y, text: s, ...extra })
const rule = (x1: number, y1: number, x2: number, y2: number): Item => ({ kind: "rule", x1, y1, x2, y2 })

/** Words wrapped to `width` points in the corpus's reference face, so lines fit every face used. */
const wrap = (s: string, width: number, size = SIZE): ReadonlyArray<string> => {
  const lines: Array<string> = []
  let current = ""
  for (const w of s.split(" ")) {
    const next = current === "" ? w : `${current} ${w}`
    if (current !== "" && textWidth(next, { family: "Arimo", size }) * 1.08 > width) {
      lines.push(current)
      current = w
    } else current = next
  }
  if (current !== "") lines.push(current)
  return lines
}

// A table of label cells and value cells with ruled borders; long values wrap inside their cell.
const table = (top: number, split: number, rows: ReadonlyArray<readonly [string, string]>): { items: Array<Item>; bottom: number } => {
  const items: Array<Item> = []
  let y = top
  items.push(rule(LEFT, y, RIGHT, y))
  for (const [label, value] of rows) {
    const labelLines = wrap(label, split - LEFT - 12)
    const valueLines = wrap(value, RIGHT - split - 12)
    const height = Math.max(labelLines.length, valueLines.length) * 17 + 10
    labelLines.forEach((l, i) => items.push(text(LEFT + 6, y + 19 + i * 17, l)))
    valueLines.forEach((l, i) => items.push(text(split + 6, y + 19 + i * 17, l)))
    y += height
    items.push(rule(LEFT, y, RIGHT, y))
  }
  items.push(rule(LEFT, top, LEFT, y), rule(split, top, split, y), rule(RIGHT, top, RIGHT, y))
  return { items, bottom: y }
}

const paragraph = (x: number, y: number, s: string, width = RIGHT - x): { items: Array<Item>; bottom: number } => {
  const lines = wrap(s, width)
  return { items: lines.map((l, i) => text(x, y + i * 18, l)), bottom: y + lines.length * 18 }
}

const signOff = (r: Random, y: number, agency: string, left: string, right: string): Array<Item> => [
  text(150, y, left, { bold: true, anchor: "middle" }),
  text(430, y, right, { bold: true, anchor: "middle" }),
  { kind: "signature", x: 390, y: y + 30, width: 90 },
  { kind: "stamp", cx: 400 + r.int(-15, 15), cy: y + 38, r: 42, text: agency },
  text(430, y + 95, r.pick(["Nguyễn Hoàng Phúc", "Trần Minh Đức", "Lê Thị Hồng"]), { bold: true, anchor: "middle" })
]

const money = (n: bigint) => formatVndDigits(n)

export const treasurySlip = (r: Random, f: FactsB): DocumentB => {
  const items: Array<Item> = [
    text(LEFT, 60, "KHO BẠC NHÀ NƯỚC", { bold: true }),
    text(RIGHT, 60, "Mẫu số C1-02/NS", { anchor: "end" }),
    text(PAGE_WIDTH / 2, 100, "GIẤY NỘP TIỀN VÀO NGÂN SÁCH NHÀ NƯỚC", { bold: true, size: 14, anchor: "middle" }),
    text(PAGE_WIDTH / 2, 120, "Tiền mặt [ ]    Chuyển khoản [x]", { anchor: "middle" })
  ]
  const t = table(140, 230, [
    ["Người nộp thuế", f.person.name],
    ["Số định danh cá nhân/CCCD", f.person.id],
    ["Địa chỉ", f.person.address],
    ["Nội dung khoản nộp NS", f.reason],
    ["Theo Quyết định số", `${f.decisionNumber} ngày ${slashed(f.decisionDate)}`],
    ["Số tiền", `${money(f.amount)} đồng`],
    ["Số tiền bằng chữ", f.words]
  ])
  items.push(...t.items)
  items.push(text(RIGHT, t.bottom + 30, `Lập ${inWords(f.paymentDate)}`, { anchor: "end" }))
  items.push(...signOff(r, t.bottom + 60, "KHO BẠC NHÀ NƯỚC", "NGƯỜI NỘP TIỀN", "KẾ TOÁN TRƯỞNG"))
  return {
    kind: "treasury_slip",
    documentType: "payment_slip",
    items,
    truth: {
      payerName: f.person.name,
      payerIdNumber: f.person.id,
      payerAddress: f.person.address,
      reason: f.reason,
      decisionNumber: f.decisionNumber,
      decisionDate: f.decisionDate,
      amount: f.amount.toString(),
      amountInWords: f.words,
      paymentDate: f.paymentDate
    }
  }
}

export const depositSlip = (r: Random, f: FactsB): DocumentB => {
  const bank = r.pick(["NGÂN HÀNG TMCP ĐẦU TƯ VÀ PHÁT TRIỂN VIỆT NAM", "NGÂN HÀNG TMCP QUÂN ĐỘI", "NGÂN HÀNG TMCP Á CHÂU"])
  const mid = 330
  const items: Array<Item> = [
    text(LEFT, 60, bank, { bold: true, size: 10.5 }),
    text(PAGE_WIDTH / 2, 100, "GIẤY NỘP TIỀN", { bold: true, size: 15, anchor: "middle" }),
    text(PAGE_WIDTH / 2, 118, "(Kiêm phiếu thu)", { anchor: "middle" }),
    text(LEFT, 150, `Họ và tên người nộp tiền: ${f.person.name}`),
    text(mid + 20, 150, `Số CMND/CCCD/HC: ${f.person.id}`)
  ]
  const address = paragraph(LEFT, 174, `Địa chỉ: ${f.person.address}`)
  items.push(...address.items)
  let y = address.bottom + 8
  items.push(text(LEFT, y, `Số tiền bằng số: ${money(f.amount)} VND`), text(mid + 20, y, `Ngày nộp: ${slashed(f.paymentDate)}`))
  const words = paragraph(LEFT, y + 24, `Số tiền bằng chữ: ${f.words}`)
  items.push(...words.items)
  y = words.bottom + 6
  const reason = paragraph(LEFT, y, `Nội dung nộp: ${f.reason}`)
  items.push(...reason.items)
  y = reason.bottom + 6
  items.push(text(LEFT, y, `Theo Quyết định thi hành án số ${f.decisionNumber} ${inWords(f.decisionDate)}`))
  items.push(...signOff(r, y + 50, bank.split(" ").slice(-2).join(" "), "NGƯỜI NỘP TIỀN", "GIAO DỊCH VIÊN"))
  return {
    kind: "deposit_slip",
    documentType: "payment_slip",
    items,
    truth: {
      payerName: f.person.name,
      payerIdNumber: f.person.id,
      payerAddress: f.person.address,
      amount: f.amount.toString(),
      amountInWords: f.words,
      reason: f.reason,
      decisionNumber: f.decisionNumber,
      decisionDate: f.decisionDate,
      paymentDate: f.paymentDate
    }
  }
}

export const creditAdvice = (r: Random, f: FactsB): DocumentB => {
  const memo = `${bankName(f.person.name)} NOP TIEN THA THEO QD ${f.decisionNumber.replace("Đ", "D")}`
  const items: Array<Item> = [
    text(LEFT, 60, r.pick(["NGÂN HÀNG NÔNG NGHIỆP VÀ PHÁT TRIỂN NÔNG THÔN VIỆT NAM", "NGÂN HÀNG TMCP CÔNG THƯƠNG VIỆT NAM"]), { bold: true, size: 10 }),
    text(PAGE_WIDTH / 2, 100, "GIẤY BÁO CÓ", { bold: true, size: 15, anchor: "middle" }),
    text(PAGE_WIDTH / 2, 118, "Kính gửi: Phòng Thi hành án dân sự khu vực", { anchor: "middle" })
  ]
  const t = table(140, 250, [
    ["Ngày hạch toán", slashed(f.paymentDate)],
    ["Số bút toán", f.reference],
    ["Tên tài khoản chuyển", bankName(f.person.name)],
    ["Số định danh cá nhân", f.person.id],
    ["Địa chỉ người chuyển", f.person.address],
    ["Số tiền ghi có", `${money(f.amount).replaceAll(".", ",")} VND`],
    ["Số tiền bằng chữ", f.words],
    ["Diễn giải", memo]
  ])
  items.push(...t.items)
  items.push(...signOff(r, t.bottom + 50, "CHI NHÁNH", "KẾ TOÁN", "KIỂM SOÁT"))
  return {
    kind: "credit_advice",
    documentType: "bank_advice",
    items,
    truth: {
      paymentDate: f.paymentDate,
      bankReference: f.reference,
      payerName: bankName(f.person.name),
      payerIdNumber: f.person.id,
      payerAddress: f.person.address,
      amount: f.amount.toString(),
      amountInWords: f.words,
      reason: memo,
      decisionNumber: f.decisionNumber
    }
  }
}

export const decisionInSentences = (r: Random, f: FactsB): DocumentB => {
  const region = r.pick(["THÀNH PHỐ HỒ CHÍ MINH", "TỈNH LÂM ĐỒNG", "THÀNH PHỐ HẢI PHÒNG", "TỈNH NGHỆ AN"])
  const items: Array<Item> = [
    text(150, 56, "THI HÀNH ÁN DÂN SỰ", { bold: true, size: 10.5, anchor: "middle" }),
    text(150, 72, region, { bold: true, size: 10.5, anchor: "middle" }),
    text(420, 56, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", { bold: true, size: 10.5, anchor: "middle" }),
    text(420, 72, "Độc lập - Tự do - Hạnh phúc", { bold: true, size: 10.5, anchor: "middle" }),
    text(150, 100, `Số: ${f.decisionNumber}`, { anchor: "middle" }),
    text(RIGHT, 100, `${r.pick(["Đà Lạt", "Hải Phòng", "Vinh", "Thủ Đức"])}, ${inWords(f.decisionDate)}`, { anchor: "end" }),
    text(PAGE_WIDTH / 2, 140, "QUYẾT ĐỊNH", { bold: true, size: 14, anchor: "middle" }),
    text(PAGE_WIDTH / 2, 158, "Về việc thi hành án theo yêu cầu", { anchor: "middle" }),
    text(PAGE_WIDTH / 2, 186, "TRƯỞNG PHÒNG THI HÀNH ÁN DÂN SỰ KHU VỰC", { bold: true, anchor: "middle" })
  ]
  let y = 214
  const add = (s: string, gap = 4) => {
    const p = paragraph(LEFT, y, s)
    items.push(...p.items)
    y = p.bottom + gap
  }
  add(`Căn cứ Bản án số ${r.int(1, 250)}/${f.decisionDate.slice(0, 4)}/DS-PT ngày ${r.int(1, 28)} tháng ${r.int(1, 12)} năm ${f.decisionDate.slice(0, 4)} của Tòa án nhân dân;`)
  add("Căn cứ Luật Thi hành án dân sự;", 10)
  items.push(text(PAGE_WIDTH / 2, y + 8, "QUYẾT ĐỊNH:", { bold: true, anchor: "middle" }))
  y += 30
  const style = r.int(0, 1)
  const intro = style === 0 ? `Điều 1. Cho thi hành án đối với ông/bà: ${f.person.name}, sinh năm ${f.birthYear};` : `Điều 1. Buộc ông/bà ${f.person.name}, sinh năm ${f.birthYear},`
  add(intro)
  add(`Số định danh cá nhân: ${f.person.id};`)
  add(`Nơi cư trú: ${f.person.address}.`)
  add(style === 0
    ? `Phải nộp số tiền ${money(f.amount)} đồng (${f.words}) để bồi thường cho người được thi hành án.`
    : `phải nộp cho người được thi hành án số tiền ${money(f.amount)} đồng (${f.words}).`, 10)
  add("Điều 2. Chấp hành viên có trách nhiệm tổ chức thi hành quyết định này.", 20)
  items.push(...signOff(r, y + 10, "THI HÀNH ÁN DÂN SỰ", "Nơi nhận:", "TRƯỞNG PHÒNG"))
  return {
    kind: "decision_sentences",
    documentType: "decision",
    items,
    truth: {
      decisionNumber: f.decisionNumber,
      decisionDate: f.decisionDate,
      payerName: f.person.name,
      payerIdNumber: f.person.id,
      payerAddress: f.person.address,
      amount: f.amount.toString(),
      amountInWords: f.words
    }
  }
}
