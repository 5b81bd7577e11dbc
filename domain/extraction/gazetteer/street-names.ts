/**
 * The names streets carry most often across Vietnam's towns: the heroes,
 * kings, scholars and revolutionaries every city names a street after (Trần
 * Hưng Đạo, Lê Lợi, Quang Trung, Hùng Vương …), and the dates and places
 * of history (Điện Biên Phủ, Cách Mạng Tháng Tám, Bạch Đằng). A street's
 * name after "đường" or "phố" read with slipped marks ("đường Lê Duấn") whose
 * letters are those of exactly one of them, every word, takes its marks,
 * with a `corrected` warning; so does one read with a word split in two,
 * two words run together or its "m" read as "rn" or "ru" (without marks if read without them). A name that is one of them, a name with other
 * letters (any street not listed) and a name without marks are left as read.
 */
import { stripDiacritics } from "../../text.ts"
import { fold } from "../fold.ts"
import type { Correction } from "./correction.ts"
import { hasMarks } from "./edit-distance.ts"

export const streetNames: ReadonlyArray<string> = [
  "Trần Hưng Đạo", "Lê Lợi", "Nguyễn Huệ", "Hai Bà Trưng", "Lý Thường Kiệt", "Quang Trung", "Hùng Vương", "Lê Duẩn",
  "Nguyễn Trãi", "Trần Phú", "Lê Thánh Tông", "Nguyễn Du", "Phan Chu Trinh", "Phan Bội Châu", "Nguyễn Thị Minh Khai",
  "Điện Biên Phủ", "Cách Mạng Tháng Tám", "Võ Thị Sáu", "Nguyễn Văn Cừ", "Lạc Long Quân", "Tôn Đức Thắng",
  "Phạm Văn Đồng", "Ngô Quyền", "Bạch Đằng", "Lê Hồng Phong", "Nguyễn Văn Linh", "Võ Văn Kiệt", "Trường Chinh",
  "Lê Văn Sỹ", "Hoàng Văn Thụ", "Nguyễn Đình Chiểu", "Nam Kỳ Khởi Nghĩa", "Nguyễn Thái Học", "Lý Tự Trọng",
  "Đinh Tiên Hoàng", "Lê Đại Hành", "Trần Quang Khải", "Trần Nhân Tông", "Lý Thái Tổ", "Lê Quý Đôn", "Chu Văn An",
  "Nguyễn Chí Thanh", "Võ Nguyên Giáp", "Nguyễn Tất Thành", "Tô Hiến Thành", "Hoàng Diệu", "Hàm Nghi", "Duy Tân",
  "Thành Thái", "Đồng Khởi", "Nguyễn Bỉnh Khiêm", "Bà Triệu", "Hoàng Hoa Thám", "Mạc Đĩnh Chi", "Nguyễn Công Trứ",
  "Phan Đình Phùng", "Phan Văn Trị", "Cao Thắng", "Kim Mã", "Giải Phóng", "Nguyễn Hữu Cảnh", "Huỳnh Thúc Kháng",
  "Lê Văn Lương", "Trần Duy Hưng", "Phạm Hùng", "Nguyễn Văn Trỗi", "Lý Chính Thắng", "Trần Quốc Toản", "Ngô Gia Tự",
  "Lê Lai", "Mai Hắc Đế", "Nguyễn Trung Trực", "Nguyễn Đức Cảnh", "Tạ Quang Bửu", "Trần Cao Vân", "Ông Ích Khiêm",
  "An Dương Vương", "Âu Cơ", "Kinh Dương Vương", "Nguyễn Thị Định", "Nguyễn An Ninh", "Phạm Ngũ Lão", "Đề Thám",
  "Trần Khánh Dư", "Nguyễn Khuyến", "Hoàng Quốc Việt", "Xuân Thủy", "Lê Trọng Tấn", "Nguyễn Lương Bằng", "Tây Sơn",
  "Trần Bình Trọng", "Hồ Tùng Mậu", "Lê Văn Việt", "Kha Vạn Cân", "Đỗ Xuân Hợp", "Nguyễn Thị Thập", "Huỳnh Tấn Phát",
  "Lê Văn Thịnh", "Trần Văn Giàu", "Tô Ngọc Vân", "Nguyễn Oanh", "Phan Đăng Lưu", "Bùi Thị Xuân", "Lê Thị Hồng Gấm",
  "Nguyễn Văn Cừ", "Trần Quý Cáp", "Nguyễn Văn Thoại", "Hồ Xuân Hương", "Nguyễn Sinh Sắc", "Hà Huy Tập", "Lê Hoàn",
  "Lý Nam Đế", "Ngô Sĩ Liên", "Triệu Quang Phục", "Yết Kiêu", "Dã Tượng", "Phạm Ngọc Thạch", "Tôn Thất Tùng",
  "Hoàng Hoa Thám", "Trần Não", "Nguyễn Cơ Thạch", "Xô Viết Nghệ Tĩnh", "Ba Tháng Hai", "Nguyễn Thượng Hiền"
]

const known: ReadonlySet<string> = new Set(streetNames)
const byFolded = new Map<string, Set<string>>()
for (const n of streetNames) byFolded.set(fold(n), (byFolded.get(fold(n)) ?? new Set<string>()).add(n))

const AGAINST = "names of streets"
// "đường" or "phố" and the capitalised words after it, up to a comma or the end.
const street = /((?<=^|\s)(?:đường|phố|Đường|Phố)\s+)(\p{Lu}[\p{L}]*(?:\s+\p{Lu}[\p{L}]*)*)/gu

// The same names by their letters alone, spaces dropped: a name read with a word split or two joined.
const byLetters = new Map<string, Set<string>>()
for (const n of streetNames) {
  const k = fold(n).replace(/\s+/g, "")
  byLetters.set(k, (byLetters.get(k) ?? new Set<string>()).add(n))
}

// "đường" or "phố", then up to six tokens of the name as read, up to a comma or the end.
const streetTokens = /((?<=^|\s)(?:đường|phố|Đường|Phố)\s+)([^\s,]+(?:\s+[^\s,]+){0,5})/gu

// OCR reads an "m" as "rn" or "ru" ("Phạru Văn Đông"): the letters with each such pair read as "m".
const withM = (letters: string): string => letters.replace(/r[nu]/g, "m")

/**
 * A listed name read with one of its words split or two run together ("Trần
 * Hư ng Đạo", "TrầnHưng Đạo"), or with its "m" read as "rn" or "ru": the
 * longest run of tokens after "đường" whose letters, marks and spaces aside,
 * are exactly one listed name's (in another number of words, or once "rn"
 * and "ru" are read as "m"), takes that name.
 */
const joinSplitWords = (address: string, corrections: Array<Correction>): string =>
  address.replace(streetTokens, (whole, before: string, run: string) => {
    const tokens = run.split(/\s+/)
    for (let n = tokens.length; n >= 1; n--) {
      const read = tokens.slice(0, n).join(" ")
      const letters = fold(read).replace(/\s+/g, "")
      const exact = byLetters.get(letters)
      const candidates = exact ?? (withM(letters) === letters ? undefined : byLetters.get(withM(letters)))
      if (candidates === undefined) continue
      const listed = [...candidates][0] ?? read
      // The same letters in as many words: a name with slipped marks at most, for the rule below.
      if (candidates.size !== 1 || (exact !== undefined && listed.split(" ").length === n)) return whole
      // Read without marks, it stays without them: only the spaces and letters are mended.
      const to = hasMarks(read) ? listed : stripDiacritics(listed)
      corrections.push({ from: read, to, against: AGAINST })
      return before + [to, ...tokens.slice(n)].join(" ")
    }
    return whole
  })

export const correctStreetName = (address: string): { readonly value: string; readonly corrections: ReadonlyArray<Correction> } => {
  const corrections: Array<Correction> = []
  const value = joinSplitWords(address, corrections).replace(street, (whole, before: string, name: string) => {
    if (known.has(name) || !hasMarks(name)) return whole
    const candidates = byFolded.get(fold(name))
    if (candidates === undefined || candidates.size !== 1) return whole
    const to = [...candidates][0] ?? name
    corrections.push({ from: name, to, against: AGAINST })
    return before + to
  })
  return { value, corrections }
}
