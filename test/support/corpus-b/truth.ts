/**
 * Corpus B's people, places and money, written apart from corpus A's
 * generator (test/support/corpus/): other names, addresses in the 2025
 * communes and wards, CMNDs beside CCCDs, regional decision symbols, other
 * reasons for paying. Drawn from its own seeded generator.
 */
import { amountInWords } from "../../../domain/amount-in-words.ts"
import { units } from "../../../domain/extraction/gazetteer/units.ts"
import { birthProvinces } from "../../../domain/provinces.ts"
import { stripDiacritics } from "../../../domain/text.ts"
import type { Random } from "../corpus/random.ts"

const familyNames = ["Lương", "Trịnh", "Đinh", "Mai", "Tạ", "Quách", "Lâm", "Châu", "Kiều", "Thái", "Nguyễn", "Trần", "Võ", "Đoàn", "Hà", "Tô", "Cao", "La"]
const middleNames = ["Thị", "Văn", "Gia", "Bảo", "Kim", "Mỹ", "Công", "Tấn", "Thị Mỹ", "Đình", "Như", "Trọng"]
const givenNames = ["Ánh", "Bảo", "Chi", "Duyên", "Giang", "Hậu", "Khoa", "Lộc", "Mận", "Nghĩa", "Oanh", "Phát", "Quyên", "Sang", "Tài", "Uyên", "Vĩnh", "Xuyến", "Yên", "Đạt", "Thư", "Tín", "Lực", "Kiệt"]
const roads = ["Nguyễn Văn Cừ", "Trần Phú", "Quang Trung", "Lạc Long Quân", "Hùng Vương", "Tôn Đức Thắng", "Phạm Văn Đồng", "Lê Duẩn", "Ngô Quyền", "Bạch Đằng"]
const hamlets = ["Thôn Trung", "Ấp Tân Lợi", "Tổ dân phố 4", "Khu phố 2", "Bản Nà Sài", "Xóm Chùa"]
const cities = new Set(["Hà Nội", "Hồ Chí Minh", "Hải Phòng", "Đà Nẵng", "Huế", "Cần Thơ"])
const reasons = [
  "Nộp tiền bồi thường thiệt hại theo bản án",
  "Nộp tiền cấp dưỡng nuôi con",
  "Nộp tiền án phí hình sự sơ thẩm",
  "Nộp tiền lãi chậm thi hành án",
  "Nộp tiền tạm ứng chi phí định giá tài sản",
  "Thanh toán tiền trả nợ theo hợp đồng vay"
]
const symbols = ["CTHADS", "PTHADS", "THADS"]

export type KindB = "treasury_slip" | "deposit_slip" | "credit_advice" | "decision_sentences"

export interface PersonB {
  readonly name: string
  readonly id: string
  readonly address: string
}

export interface FactsB {
  readonly person: PersonB
  readonly decisionNumber: string
  readonly decisionDate: string
  readonly paymentDate: string
  readonly amount: bigint
  readonly words: string
  readonly reason: string
  readonly reference: string
  readonly birthYear: number
}

const pad = (n: number, w: number) => String(n).padStart(w, "0")

const identity = (r: Random, birthYear: number): string => {
  if (r.chance(0.2)) return `${r.int(1, 3)}${pad(r.int(0, 99_999_999), 8)}`
  const century = birthYear < 2000 ? 0 : 2
  return `${r.pick(birthProvinces).code}${century + r.int(0, 1)}${pad(birthYear % 100, 2)}${pad(r.int(0, 999_999), 6)}`
}

const place = (r: Random): string => {
  const u = r.pick(units)
  const unit = `${u.kind.toLowerCase()} ${u.name}`
  const province = cities.has(u.province) ? `thành phố ${u.province}` : `tỉnh ${u.province}`
  const street = r.chance(0.55) ? `Số ${r.int(2, 420)} đường ${r.pick(roads)}` : r.pick(hamlets)
  return `${street}, ${unit}, ${province}`
}

const money = (r: Random): bigint => {
  const digits = r.int(6, 11)
  return BigInt(r.int(11, 99)) * 10n ** BigInt(digits - 2) + BigInt(r.int(0, 9)) * 10n ** BigInt(Math.max(3, digits - 4))
}

const dayMs = 86_400_000
const iso = (day: number) => new Date(day * dayMs).toISOString().slice(0, 10)

export const drawFacts = (r: Random): FactsB => {
  const birthYear = r.int(1955, 2004)
  const decisionDay = Math.floor(Date.UTC(2025, 6, 1) / dayMs) + r.int(0, 400)
  const amount = money(r)
  return {
    person: { name: `${r.pick(familyNames)} ${r.pick(middleNames)} ${r.pick(givenNames)}`, id: identity(r, birthYear), address: place(r) },
    decisionNumber: `${r.int(1, 2999)}/QĐ-${r.pick(symbols)}`,
    decisionDate: iso(decisionDay),
    paymentDate: iso(decisionDay + r.int(2, 90)),
    amount,
    words: amountInWords(amount),
    reason: r.pick(reasons),
    reference: `${r.pick(["FT", "TT", "LD"])}${pad(r.int(0, 99_999), 5)}${pad(r.int(0, 999_999), 6)}`,
    birthYear
  }
}

/** A name as a bank prints the payer of a transfer: capitals without marks. */
export const bankName = (name: string): string => stripDiacritics(name).toUpperCase()
