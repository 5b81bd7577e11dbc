/**
 * Vietnamese family names (họ), which open every Vietnamese personal name:
 * the common ones, as the lists of Vietnamese surnames give them (Nguyễn,
 * Trần, Lê … carried by most of the population, then the rarer ones).
 * A name's first word read with a slipped mark ("Đỉnh Tấn Lực") that is no
 * family name but has the letters of exactly one ("Đinh") takes its marks,
 * with a `corrected` warning. Words without marks (a memo in unaccented
 * capitals) and words that are a family name are never changed.
 */
import { fold } from "../fold.ts"
import type { Correction } from "./correction.ts"
import { hasMarks } from "./edit-distance.ts"

export const familyNames: ReadonlyArray<string> = (
  "Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Đinh Đoàn Trương Lâm Mai Trịnh Đào Cao " +
  "Lương Hà Tô Tạ Quách Lưu Châu Thái Kiều Hứa Vương Triệu Chu Giang Tôn Thân Diệp La Lã Phùng Mạc Lại Từ Khúc " +
  "Nghiêm Kim Đàm Lục Tăng Âu Ông Khổng Doãn Hàn Bạch Đồng Quan Phí Vi Lò Nông Hầu Khuất Ninh Đậu Tống Văn Mẫn " +
  "Lạc Cù Cam Chử Ứng Viên Hoa Sầm Yên Tiêu Thạch Trang Trình Phương Thiều Bế Dư Quang Khương Tiết Lạng Ma"
).split(" ")

const known: ReadonlySet<string> = new Set(familyNames)
const byFolded = new Map<string, Set<string>>()
for (const n of familyNames) byFolded.set(fold(n), (byFolded.get(fold(n)) ?? new Set()).add(n))

const AGAINST = "Vietnamese family names"

/** The name with its first word's marks corrected to the one family name with its letters, if any. */
export const correctFamilyName = (name: string): { readonly value: string; readonly corrections: ReadonlyArray<Correction> } => {
  const [first = "", ...rest] = name.split(" ")
  if (rest.length === 0 || known.has(first) || !hasMarks(first) || !/^\p{Lu}\p{Ll}*$/u.test(first)) return { value: name, corrections: [] }
  const candidates = byFolded.get(fold(first))
  if (candidates === undefined || candidates.size !== 1) return { value: name, corrections: [] }
  const to = [...candidates][0] ?? first
  return { value: [to, ...rest].join(" "), corrections: [{ from: first, to, against: AGAINST }] }
}
