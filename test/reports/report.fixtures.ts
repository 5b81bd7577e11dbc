/**
 * A realistic report for the exporters: the Ho Chi Minh City agency (its
 * own row and two regional offices) and Hà Nội, six months of the
 * statistical year 2025 closed on 3 April 2025, asked again on 1 May with a
 * payout recorded after the closing (an adjustment), and the seven-month
 * report that counts it (a late entry).
 */
import { Result } from "effect"
import type { OfficialHeader } from "../../domain/reports/document.ts"
import type { ReportEvent } from "../../domain/reports/events.ts"
import { type MoneyReport, moneyReport, type PeriodClosing } from "../../domain/reports/money-report.ts"

const ev = (
  id: string,
  kind: ReportEvent["kind"],
  agency: string,
  office: string | undefined,
  amount: bigint,
  at: string,
  recordedAt = at
): ReportEvent => ({ id, kind, agency, office, amount, at, recordedAt, ref: id, label: kind === "paid" || kind === "deposited" ? `Đợt 8 – dòng ${id}` : `AA/25E ${id.padStart(7, "0")}` })

export const fixtureEvents: ReadonlyArray<ReportEvent> = [
  ev("1", "issued", "HCM", undefined, 2_000_000_000_000n, "2024-10-02T02:00:00.000Z"),
  ev("2", "issued", "HCM", "HCM-KV01", 125_500_000n, "2024-11-15T03:00:00.000Z"),
  ev("3", "issued", "HCM", "HCM-KV01", 48_000_000n, "2025-01-20T03:00:00.000Z"),
  ev("4", "voided", "HCM", "HCM-KV01", 48_000_000n, "2025-01-21T03:00:00.000Z"),
  ev("5", "issued", "HCM", "HCM-KV02", 7_350_000n, "2025-03-31T16:30:00.000Z"), // 31/3 23:30 in Vietnam: still March
  ev("6", "replaced", "HCM", "HCM-KV01", 125_500_000n, "2025-02-03T03:00:00.000Z"),
  ev("7", "issued", "HCM", "HCM-KV01", 125_000_000n, "2025-02-03T03:00:00.000Z"),
  ev("8", "paid", "HCM", undefined, 1_500_000_000_000n, "2025-02-10T03:00:00.000Z"),
  ev("9", "deposited", "HCM", undefined, 9_000_000n, "2025-03-12T03:00:00.000Z"),
  ev("10", "issued", "HNI", "HNI-KV03", 2_350_000_000n, "2024-12-05T03:00:00.000Z"),
  // Paid on 28 March, recorded from the bank's statement on 5 April, after the closing.
  ev("11", "paid", "HCM", "HCM-KV02", 43_000_000n, "2025-03-28T03:00:00.000Z", "2025-04-05T02:00:00.000Z"),
  // Issued on 1 April (Vietnam): outside six months.
  ev("12", "issued", "HCM", "HCM-KV02", 1_000n, "2025-03-31T17:00:00.000Z")
]

export const fixtureClosing: PeriodClosing = { year: 2025, months: 6, closedAt: "2025-04-03T02:00:00.000Z" }

export const fixtureReport = (months = 6, asOf = "2025-05-01T00:00:00.000Z"): MoneyReport =>
  Result.getOrThrow(moneyReport({ period: { year: 2025, months }, asOf, closings: [fixtureClosing], events: fixtureEvents }))

export const fixtureHeader: OfficialHeader = {
  superior: "Bộ Tư pháp",
  issuer: "Thi hành án dân sự Thành phố Hồ Chí Minh",
  number: "15/BC-THADS",
  place: "TP. Hồ Chí Minh",
  signer: { title: ["KT. Cục trưởng", "Phó Cục trưởng"], name: "Nguyễn Thị Hồng Hà" },
  recipients: ["Cục Quản lý THADS (để báo cáo)", "Lưu: VT, KTTK"],
  unitNames: {
    HCM: "Thi hành án dân sự TP. Hồ Chí Minh",
    "HCM-KV01": "Phòng THADS khu vực 1",
    "HCM-KV02": "Phòng THADS khu vực 2",
    HNI: "Thi hành án dân sự TP. Hà Nội",
    "HNI-KV03": "Phòng THADS khu vực 3"
  }
}
