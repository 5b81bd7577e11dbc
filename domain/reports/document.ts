/**
 * What makes a report an official document (Decree 30/2020/NĐ-CP, Appendix
 * I): the issuing body under its superior, the document's number and
 * symbol, place and date, the signer's title and full name, and where the
 * copies go. The exporters print these; everything here is a value, so the
 * same report and header always give the same file.
 */
import { vietnamDateOf } from "../dates.ts"
import type { MoneyReport } from "./money-report.ts"

export interface OfficialHeader {
  /** The body the issuer belongs to, printed above it: "BỘ TƯ PHÁP". */
  readonly superior?: string | undefined
  /** The issuing body: "THI HÀNH ÁN DÂN SỰ THÀNH PHỐ HỒ CHÍ MINH". */
  readonly issuer: string
  /** Number and symbol, without "Số:": "15/BC-THADS". */
  readonly number: string
  /** The place in the date line: "TP. Hồ Chí Minh". */
  readonly place: string
  /** The document's date (YYYY-MM-DD); the report's cutoff day in Vietnam when absent. */
  readonly date?: string | undefined
  readonly signer: {
    /** "CỤC TRƯỞNG", or "KT. CỤC TRƯỞNG" and "PHÓ CỤC TRƯỞNG" on two lines. */
    readonly title: ReadonlyArray<string>
    readonly name: string
  }
  /** "Nơi nhận": who gets a copy. */
  readonly recipients?: ReadonlyArray<string> | undefined
  /** Names to print for agency and office codes ("HCM", "HCM-KV01"). */
  readonly unitNames?: Readonly<Record<string, string>> | undefined
}

/** The document's date: the header's, or the day the figures were cut off. */
export const documentDate = (report: MoneyReport, header: OfficialHeader): string => header.date ?? vietnamDateOf(report.cutoff)

/**
 * "TP. Hồ Chí Minh, ngày 05 tháng 02 năm 2025": Decree 30 writes a zero
 * before days below 10 and before months 1 and 2, and only there.
 */
export const placeAndDate = (place: string, isoDate: string): string => {
  const [y, m, d] = isoDate.split("-").map(Number) as [number, number, number]
  const day = d < 10 ? `0${d}` : String(d)
  const month = m < 3 ? `0${m}` : String(m)
  return `${place}, ngày ${day} tháng ${month} năm ${y}`
}

/** How a row is named: the header's name for the unit, else its code; the agency's own row says so. */
export const unitName = (header: OfficialHeader, agency: string, office: string | undefined): string =>
  office === undefined
    ? header.unitNames?.[agency] ?? `Cơ quan THADS ${agency}`
    : header.unitNames?.[office] ?? `Phòng THADS khu vực ${office}`

/** The line that says how final the figures are. */
export const statusLine = (report: MoneyReport): string => {
  const at = (iso: string) => {
    const local = new Date(Date.parse(iso) + 7 * 3600_000).toISOString()
    return `${local.slice(11, 16)} ngày ${local.slice(8, 10)}/${local.slice(5, 7)}/${local.slice(0, 4)}`
  }
  return report.status === "closed"
    ? `Số liệu chính thức: kỳ báo cáo đã khóa sổ lúc ${at(report.closedAt ?? report.cutoff)} (giờ Việt Nam).`
    : `Số liệu tạm thời, tính đến ${at(report.cutoff)} (giờ Việt Nam); kỳ báo cáo chưa khóa sổ.`
}
