/**
 * Ground truth for generated documents: plausible Vietnamese payers, valid
 * CCCDs, decision numbers, amounts and dates, drawn from a seeded generator.
 */
import { amountInWords } from "../../../domain/amount-in-words.ts"
import type { DocumentType } from "../../../domain/extraction/document-type.ts"
import type { FieldName } from "../../../domain/extraction/extraction.ts"
import { birthProvinces } from "../../../domain/provinces.ts"
import type { Random } from "./random.ts"

export type Truth = Partial<Record<FieldName, string>>

const surnames = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý"]
const middles = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Thanh", "Ngọc", "Quốc", "Thu", "Hoàng", "Xuân", "Thị Thanh", "Văn Minh"]
const givens = ["An", "Bình", "Cường", "Dũng", "Hà", "Hải", "Hạnh", "Hiếu", "Hòa", "Hùng", "Hương", "Khánh", "Lan", "Linh", "Long", "Mai", "Nam", "Nga", "Nhung", "Phúc", "Phương", "Quân", "Sơn", "Tâm", "Thảo", "Thắng", "Trang", "Tuấn", "Vy", "Yến"]
const streets = ["Lê Lợi", "Nguyễn Huệ", "Trần Hưng Đạo", "Hai Bà Trưng", "Điện Biên Phủ", "Lý Thường Kiệt", "Võ Văn Tần", "Cách Mạng Tháng Tám", "Phan Đình Phùng", "Nguyễn Trãi"]
const wards = ["Bến Thành", "Sài Gòn", "Tân Định", "Hoàn Kiếm", "Ba Đình", "Hải Châu", "Ninh Kiều", "Thủ Dầu Một", "Gia Định", "Cầu Giấy"]
const cities = ["Thành phố Hồ Chí Minh", "Thành phố Hà Nội", "Thành phố Đà Nẵng", "Thành phố Cần Thơ", "Thành phố Hải Phòng", "tỉnh Đồng Nai", "tỉnh Khánh Hòa"]
const villages = ["Thôn Đông", "Thôn Phú Mỹ", "Ấp 3", "Xóm Bãi", "Thôn Tân Lập"]
const communes = ["xã Tân Phú", "xã Hòa Bình", "xã Phước Sơn", "xã Quảng Yên"]
const agencies = ["CTHADS", "CCTHADS", "THADS"]

const pad = (n: number, width: number) => String(n).padStart(width, "0")

export const personName = (r: Random): string => `${r.pick(surnames)} ${r.pick(middles)} ${r.pick(givens)}`

export const address = (r: Random): string =>
  r.chance(0.6)
    ? `Số ${r.int(1, 350)} đường ${r.pick(streets)}, phường ${r.pick(wards)}, ${r.pick(cities)}`
    : `${r.pick(villages)}, ${r.pick(communes)}, ${r.pick(cities)}`

/** A CCCD that keeps every rule: province code, century-and-gender digit, birth year. */
export const cccd = (r: Random): string => {
  const year = r.int(1950, 2005)
  const centuryBase = year < 2000 ? 0 : 2
  return `${r.pick(birthProvinces).code}${centuryBase + r.int(0, 1)}${pad(year % 100, 2)}${pad(r.int(0, 999999), 6)}`
}

export const decisionNumber = (r: Random): string => `${r.int(1, 4999)}/QĐ-${r.pick(agencies)}`

const dayMs = 86_400_000
export const isoDate = (epochDay: number): string => new Date(epochDay * dayMs).toISOString().slice(0, 10)

export const amount = (r: Random): bigint => {
  const magnitude = r.int(5, 10)
  const base = BigInt(r.int(1, 999)) * 10n ** BigInt(magnitude - 2)
  return base - (base % 1000n)
}

export interface Draft {
  readonly documentType: Exclude<DocumentType, "unknown">
  readonly truth: Truth
}

/** Ground truth for one document of the given type; every field is present (blanking happens at layout). */
export const drawTruth = (r: Random, documentType: Draft["documentType"]): Draft => {
  const decisionDay = Math.floor(Date.UTC(2024, 0, 1) / dayMs) + r.int(0, 540)
  const paymentDay = decisionDay + r.int(1, 120)
  const money = amount(r) || 1_000_000n
  const decision = decisionNumber(r)
  const base: Truth = {
    payerName: personName(r),
    payerIdNumber: cccd(r),
    payerAddress: address(r),
    decisionNumber: decision,
    decisionDate: isoDate(decisionDay),
    amount: money.toString(),
    amountInWords: amountInWords(money)
  }
  switch (documentType) {
    case "payment_slip":
      return {
        documentType,
        truth: {
          ...base,
          reason: r.pick(["Nộp tiền thi hành án", "Nộp tiền án phí dân sự sơ thẩm", "Nộp tiền bồi thường thiệt hại", "Nộp tiền trả nợ theo bản án"]),
          paymentDate: isoDate(paymentDay)
        }
      }
    case "bank_advice":
      return {
        documentType,
        truth: {
          ...base,
          reason: `NOP TIEN THI HANH AN THEO QD ${decision.replace("Đ", "D")}`,
          bankReference: `FT${pad(paymentDay % 100000, 5)}${pad(r.int(0, 9999999), 7)}`,
          paymentDate: isoDate(paymentDay)
        }
      }
    case "decision":
      return { documentType, truth: base }
  }
}
