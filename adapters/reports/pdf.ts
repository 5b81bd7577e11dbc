/**
 * The money report as a PDF laid out like an administrative document
 * (Decree 30/2020/NĐ-CP, Appendix I): A4 landscape, since the table is wide
 * (the decree allows it for tables); margins top and bottom 20 mm, left
 * 30 mm, right 15 mm; the issuer under its superior with "Số: …" on the
 * left and the national motto with the place and date on the right; the
 * title; the table; the signer's title and full name, and "Nơi nhận".
 * Page numbers from the second page, centred at the top.
 *
 * Drawn with pdf-lib in the serif chosen by report-font.ts. The same report
 * gives the same bytes: the document dates are the report's cutoff, the
 * embedded fonts have fixed names (pdf-lib would otherwise add a suffix
 * from its seeded generator, which is deterministic but depends on call
 * order), and nothing else reads the clock.
 */
import fontkit from "@pdf-lib/fontkit"
import { PDFDocument, type PDFFont, type PDFPage, rgb } from "pdf-lib"
import { formatVndDigits } from "../../domain/money.ts"
import { documentDate, type OfficialHeader, placeAndDate, statusLine, unitName } from "../../domain/reports/document.ts"
import { eventKindLabel, type Figures, moneyColumns } from "../../domain/reports/figures.ts"
import { type Adjustment, type MoneyReport } from "../../domain/reports/money-report.ts"
import { formatPeriod, periodLabel } from "../../domain/reports/period.ts"
import { reportFontFiles } from "./report-font.ts"

const mm = 72 / 25.4
const PAGE: [number, number] = [841.89, 595.28]
const MARGIN = { top: 20 * mm, bottom: 20 * mm, left: 30 * mm, right: 15 * mm }
const INK = rgb(0, 0, 0)

interface Fonts {
  readonly regular: PDFFont
  readonly bold: PDFFont
  readonly italic: PDFFont
}

const wrap = (text: string, font: PDFFont, size: number, width: number): Array<string> => {
  const lines: Array<string> = []
  let line = ""
  for (const word of text.split(/\s+/).filter((w) => w !== "")) {
    const next = line === "" ? word : `${line} ${word}`
    if (font.widthOfTextAtSize(next, size) > width && line !== "") {
      lines.push(line)
      line = word
    } else line = next
  }
  if (line !== "") lines.push(line)
  return lines.length === 0 ? [""] : lines
}

/** The largest size up to `max` at which `text` fits `width`. */
const fitSize = (text: string, font: PDFFont, max: number, width: number): number => {
  const at1 = font.widthOfTextAtSize(text, 1)
  return at1 === 0 ? max : Math.min(max, width / at1)
}

const number = (n: bigint): string => formatVndDigits(n)

/** A writer that moves down the page and starts a new page when the next block does not fit. */
const makeWriter = (doc: PDFDocument, fonts: Fonts) => {
  const width = PAGE[0] - MARGIN.left - MARGIN.right
  let page: PDFPage = doc.addPage(PAGE)
  let pageNumber = 1
  let y = PAGE[1] - MARGIN.top

  const newPage = () => {
    page = doc.addPage(PAGE)
    pageNumber++
    const label = String(pageNumber)
    page.drawText(label, { x: (PAGE[0] - fonts.regular.widthOfTextAtSize(label, 11)) / 2, y: PAGE[1] - MARGIN.top / 2 - 4, size: 11, font: fonts.regular, color: INK })
    y = PAGE[1] - MARGIN.top
  }
  const ensure = (height: number): boolean => {
    if (y - height < MARGIN.bottom) {
      newPage()
      return true
    }
    return false
  }
  const text = (s: string, o: { font: PDFFont; size: number; x: number; y?: number }) =>
    page.drawText(s, { x: o.x, y: o.y ?? y, size: o.size, font: o.font, color: INK })
  /** Text centred on the span [x, x + w]. */
  const centred = (s: string, font: PDFFont, size: number, x: number, w: number, at = y) =>
    text(s, { font, size, x: x + (w - font.widthOfTextAtSize(s, size)) / 2, y: at })
  const line = (x1: number, y1: number, x2: number, y2: number, thickness = 0.5) =>
    page.drawLine({ start: { x: x1, y: y1 }, end: { x: x2, y: y2 }, thickness, color: INK })

  return {
    width,
    get y() {
      return y
    },
    set y(v: number) {
      y = v
    },
    get page() {
      return page
    },
    ensure,
    text,
    centred,
    line,
    down: (dy: number) => {
      y -= dy
    }
  }
}

type Writer = ReturnType<typeof makeWriter>

const headerBlock = (w: Writer, fonts: Fonts, report: MoneyReport, header: OfficialHeader): void => {
  const leftW = w.width * 0.42
  const rightX = MARGIN.left + leftW
  const rightW = w.width - leftW
  const top = w.y - 12

  // Left: superior, issuer (bold, wrapped), a short rule, number and symbol.
  let ly = top
  if (header.superior !== undefined) {
    for (const l of wrap(header.superior.toUpperCase(), fonts.regular, 12, leftW)) {
      w.centred(l, fonts.regular, 12, MARGIN.left, leftW, ly)
      ly -= 15
    }
  }
  for (const l of wrap(header.issuer.toUpperCase(), fonts.bold, 12, leftW)) {
    w.centred(l, fonts.bold, 12, MARGIN.left, leftW, ly)
    ly -= 15
  }
  w.line(MARGIN.left + leftW / 2 - leftW / 6, ly + 10, MARGIN.left + leftW / 2 + leftW / 6, ly + 10)
  ly -= 8
  w.centred(`Số: ${header.number}`, fonts.regular, 13, MARGIN.left, leftW, ly)
  ly -= 15

  // Right: the national motto, its underline as long as the words, place and date.
  let ry = top
  w.centred("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", fonts.bold, 12, rightX, rightW, ry)
  ry -= 16
  const motto = "Độc lập - Tự do - Hạnh phúc"
  w.centred(motto, fonts.bold, 13, rightX, rightW, ry)
  const mottoW = fonts.bold.widthOfTextAtSize(motto, 13)
  w.line(rightX + (rightW - mottoW) / 2, ry - 4, rightX + (rightW + mottoW) / 2, ry - 4)
  ry -= 26
  w.centred(placeAndDate(header.place, documentDate(report, header)), fonts.italic, 13, rightX, rightW, ry)
  ry -= 15

  w.y = Math.min(ly, ry) - 18
  for (const l of wrap(report.form.title, fonts.bold, 14, w.width)) {
    w.centred(l, fonts.bold, 14, MARGIN.left, w.width)
    w.down(18)
  }
  w.centred(report.form.basis, fonts.italic, 12, MARGIN.left, w.width)
  w.down(17)
  w.centred(`Kỳ báo cáo: ${periodLabel(report.period)}`, fonts.bold, 13, MARGIN.left, w.width)
  w.down(16)
  const unit = `Biểu ${report.form.id} (bienlai) · ${report.form.unit}`
  w.text(unit, { font: fonts.italic, size: 10, x: PAGE[0] - MARGIN.right - fonts.italic.widthOfTextAtSize(unit, 10) })
  w.down(8)
}

/** Column x positions and widths of the figures table: the unit's name, then the columns of figures.ts. */
const tableColumns = (totalWidth: number, labelWidth: number) => {
  const counts = moneyColumns.filter((c) => c.unit === "count").length
  const countWidth = 32
  const amountWidth = (totalWidth - labelWidth - counts * countWidth) / (moneyColumns.length - counts)
  const cols: Array<{ x: number; w: number }> = [{ x: MARGIN.left, w: labelWidth }]
  let x = MARGIN.left + labelWidth
  for (const c of moneyColumns) {
    const w = c.unit === "count" ? countWidth : amountWidth
    cols.push({ x, w })
    x += w
  }
  return cols
}

const figuresTable = (
  w: Writer,
  fonts: Fonts,
  firstHeading: string,
  rows: ReadonlyArray<{ readonly label: string; readonly figures: Figures; readonly bold: boolean; readonly indent: boolean }>
): void => {
  const cols = tableColumns(w.width, 122)
  const headingSize = 7
  const headingLines = [firstHeading, ...moneyColumns.map((c) => c.heading)].map((h, i) => wrap(h, fonts.bold, headingSize, cols[i]!.w - 4))
  const headingHeight = Math.max(...headingLines.map((l) => l.length)) * (headingSize + 1.5) + 6

  const cellBorders = (top: number, height: number) => {
    for (const c of cols) {
      w.page.drawRectangle({ x: c.x, y: top - height, width: c.w, height, borderColor: INK, borderWidth: 0.5 })
    }
  }
  const drawHeading = () => {
    const top = w.y
    cellBorders(top, headingHeight)
    headingLines.forEach((lines, i) => {
      const c = cols[i]!
      const block = lines.length * (headingSize + 1.5)
      let ly = top - (headingHeight - block) / 2 - headingSize
      for (const l of lines) {
        w.centred(l, fonts.bold, headingSize, c.x, c.w, ly)
        ly -= headingSize + 1.5
      }
    })
    w.down(headingHeight)
    const numbersTop = w.y
    cellBorders(numbersTop, 11)
    cols.forEach((c, i) => w.centred(i === 0 ? "A" : String(i), fonts.italic, 7, c.x, c.w, numbersTop - 8))
    w.down(11)
  }

  w.ensure(headingHeight + 11 + 16)
  drawHeading()
  for (const row of rows) {
    const font = row.bold ? fonts.bold : fonts.regular
    const labelLines = wrap(row.label, font, 8, cols[0]!.w - 6 - (row.indent ? 8 : 0)).slice(0, 2)
    const height = labelLines.length * 10 + 5
    if (w.ensure(height)) drawHeading()
    const top = w.y
    cellBorders(top, height)
    labelLines.forEach((l, i) => w.text(l, { font, size: 8, x: cols[0]!.x + 3 + (row.indent ? 8 : 0), y: top - 9 - i * 10 }))
    moneyColumns.forEach((c, i) => {
      const col = cols[i + 1]!
      const s = number(c.value(row.figures))
      const size = fitSize(s, font, 8, col.w - 4)
      w.text(s, { font, size, x: col.x + col.w - 2 - font.widthOfTextAtSize(s, size), y: top - 9 })
    })
    w.down(height)
  }
}

const adjustmentList = (w: Writer, fonts: Fonts, header: OfficialHeader, title: string, items: ReadonlyArray<Adjustment>): void => {
  w.ensure(40)
  w.down(14)
  w.text(title, { font: fonts.bold, size: 11, x: MARGIN.left })
  w.down(14)
  if (items.length === 0) {
    w.text("(không có)", { font: fonts.italic, size: 10, x: MARGIN.left + 10 })
    w.down(12)
    return
  }
  const local = (iso: string) => {
    const t = new Date(Date.parse(iso) + 7 * 3600_000).toISOString()
    return `${t.slice(8, 10)}/${t.slice(5, 7)}/${t.slice(0, 4)} ${t.slice(11, 16)}`
  }
  for (const a of items) {
    const line =
      `Ghi nhận ${local(a.recordedAt)} · phát sinh ${local(a.at)} (tháng ${a.month.slice(5, 7)}/${a.month.slice(0, 4)}) · ${eventKindLabel[a.kind]} ` +
      `${a.label} · ${unitName(header, a.agency, a.office)} · ${number(a.amount)} đồng` +
      (a.missingFrom.length === 0 ? "" : ` · chưa có trong báo cáo đã khóa: ${a.missingFrom.map(formatPeriod).join(", ")}`)
    for (const l of wrap(line, fonts.regular, 9, w.width - 10)) {
      w.ensure(12)
      w.text(l, { font: fonts.regular, size: 9, x: MARGIN.left + 10 })
      w.down(11)
    }
  }
}

const signatureBlock = (w: Writer, fonts: Fonts, header: OfficialHeader): void => {
  const height = 16 * header.signer.title.length + 100
  w.ensure(Math.max(height, 14 * ((header.recipients?.length ?? 0) + 2)) + 10)
  w.down(18)
  const rightX = MARGIN.left + w.width * 0.55
  const rightW = w.width * 0.45
  const top = w.y
  let ry = top
  for (const t of header.signer.title) {
    w.centred(t.toUpperCase(), fonts.bold, 13, rightX, rightW, ry)
    ry -= 16
  }
  w.centred("(Ký, ghi rõ họ tên, đóng dấu)", fonts.italic, 11, rightX, rightW, ry)
  ry -= 72
  w.centred(header.signer.name, fonts.bold, 13, rightX, rightW, ry)

  let ly = top
  if (header.recipients !== undefined && header.recipients.length > 0) {
    w.text("Nơi nhận:", { font: fonts.bold, size: 12, x: MARGIN.left, y: ly })
    ly -= 14
    for (const [i, r] of header.recipients.entries()) {
      w.text(`- ${r}${i === header.recipients.length - 1 ? "." : ";"}`, { font: fonts.regular, size: 11, x: MARGIN.left, y: ly })
      ly -= 13
    }
  }
  w.y = Math.min(ry, ly) - 10
}

/** The report's PDF bytes; the same report and header give the same bytes. */
export const reportPdf = async (report: MoneyReport, header: OfficialHeader): Promise<Uint8Array> => {
  const files = reportFontFiles()
  const doc = await PDFDocument.create()
  doc.registerFontkit(fontkit)
  const fonts: Fonts = {
    regular: await doc.embedFont(files.regular, { subset: true, customName: "BienlaiReport-Regular" }),
    bold: await doc.embedFont(files.bold, { subset: true, customName: "BienlaiReport-Bold" }),
    italic: await doc.embedFont(files.italic, { subset: true, customName: "BienlaiReport-Italic" })
  }
  const stamp = new Date(Date.parse(report.cutoff))
  doc.setTitle(`${report.form.title} – ${periodLabel(report.period)}`)
  doc.setSubject(`${header.issuer} – ${header.number}`)
  doc.setProducer("bienlai")
  doc.setCreator("bienlai")
  doc.setLanguage("vi-VN")
  doc.setCreationDate(stamp)
  doc.setModificationDate(stamp)

  const w = makeWriter(doc, fonts)
  headerBlock(w, fonts, report, header)

  const rows = report.groups.flatMap((g) => [
    { label: unitName(header, g.agency, undefined), figures: g.total, bold: true, indent: false },
    ...g.rows.filter((r) => r.office !== undefined).map((r) => ({ label: unitName(header, r.agency, r.office), figures: r.total, bold: false, indent: true }))
  ])
  figuresTable(w, fonts, "Đơn vị", [...rows, { label: "TỔNG CỘNG", figures: report.total, bold: true, indent: false }])
  w.down(14)
  w.ensure(14)
  w.text(statusLine(report), { font: fonts.italic, size: 11, x: MARGIN.left })
  w.down(20)

  w.ensure(60)
  w.text("SỐ LIỆU THEO THÁNG (toàn bộ đơn vị trong báo cáo)", { font: fonts.bold, size: 11, x: MARGIN.left })
  w.down(8)
  figuresTable(w, fonts, "Tháng", [
    ...report.months.map((m, i) => ({ label: m.label, figures: report.monthly[i]!, bold: false, indent: false })),
    { label: `Cộng ${report.period.months} tháng`, figures: report.total, bold: true, indent: false }
  ])

  adjustmentList(w, fonts, header, "ĐIỀU CHỈNH SAU KHI KHÓA SỔ (không tính vào số liệu của kỳ này)", report.adjustments)
  adjustmentList(w, fonts, header, "SỐ LIỆU GHI NHẬN MUỘN ĐÃ TÍNH VÀO KỲ NÀY", report.lateEntries)
  signatureBlock(w, fonts, header)

  return doc.save({ useObjectStreams: false })
}
