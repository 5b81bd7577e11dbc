/**
 * An address as OCR read it → as it was printed. Specks and quotes go, the
 * commas between administrative units come back, unit words get their marks
 * ("Thành phô" → "Thành phố"), and the province that ends an address is
 * matched against the provinces' names, so a slipped mark or a lost last
 * letter ("tỉnh Đông Nai", "tỉnh Đồng Na") is read as the province it can
 * only be. Nothing is added that OCR did not read at least in part.
 */
import { fold } from "./fold.ts"
import { dropEchoes } from "./ocr-fixes.ts"
import { birthProvinces } from "../provinces.ts"
import { editDistance } from "./gazetteer/edit-distance.ts"

// The words that name administrative units, spelled right: tesseract slips on their marks
// ("Thành phô", "phưởng"), but before a name or a number such a word can only be the unit.
// Single words only when lower case, so a name ("Dương Quảng Hàm") is never taken for "đường".
const unitPairs: Readonly<Record<string, string>> = { "thanh pho": "phố", "thi xa": "xã", "thi tran": "trấn" }
const unitPairFirst: Readonly<Record<string, string>> = { "thanh pho": "thành", "thi xa": "thị", "thi tran": "thị" }
const unitWords: Readonly<Record<string, string>> = { phuong: "phường", duong: "đường", tinh: "tỉnh", huyen: "huyện", quan: "quận" }
const canonicalUnits = (address: string): string => {
  const tokens = address.split(" ")
  for (let i = 0; i < tokens.length - 1; i++) {
    if (!/^[\p{Lu}\d]/u.test(tokens[i + 1] ?? "")) continue
    const word = tokens[i] ?? ""
    const previous = tokens[i - 1]
    const pair = previous === undefined ? undefined : `${fold(previous)} ${fold(word)}`
    const second = pair === undefined ? undefined : unitPairs[pair]
    if (pair !== undefined && second !== undefined && previous !== undefined) {
      const first = unitPairFirst[pair] ?? previous
      tokens[i - 1] = /^\p{Lu}/u.test(previous) ? first.charAt(0).toUpperCase() + first.slice(1) : first
      tokens[i] = second
    } else if (/^\p{Ll}/u.test(word)) {
      tokens[i] = unitWords[fold(word)] ?? word
    }
  }
  return tokens.join(" ")
}

const provinceNames: ReadonlyArray<readonly [string, string]> = [...new Set(birthProvinces.map((p) => p.name))].map((n) => [fold(n), n] as const)

/** The province name `written` stands for: same letters without marks, or one letter off; undefined when unsure. */
export const provinceNamed = (written: string): string | undefined => {
  const f = fold(written)
  if (f.length < 4) return undefined
  const exact = provinceNames.find(([folded]) => folded === f)
  if (exact) return exact[1]
  const near = provinceNames.filter(([folded]) => editDistance(folded, f) === 1)
  return near.length === 1 ? near[0]?.[1] : undefined
}

export const fixProvince = (address: string): string =>
  // The name runs to the end; a comma inside figures (an amount run on after it) does not end it.
  address.replace(/((?:^|, )(?:[Tt]ỉnh|[Tt]hành phố) )((?:[^,]|,(?=\d))+)$/u, (whole, unit: string, name: string) => {
    const province = provinceNamed(name.trim()) ?? provinceBeforeRunOn(name.trim())
    return province === undefined ? whole : `${unit}${province}`
  })

/**
 * A province followed by what the next row left on the line, figures in it ("Nghệ An 56 tiền ghỉ cú
 * 50,010,000,000 VND": the amount's row of a fax): the province, the rest cut. Words without a figure
 * after a name are left to the rules above.
 */
const provinceBeforeRunOn = (name: string): string | undefined => {
  const words = name.split(" ")
  for (let k = words.length - 1; k >= 1; k--) {
    const province = provinceNamed(words.slice(0, k).join(" "))
    if (province !== undefined) return /\d/.test(words.slice(k).join(" ")) ? province : undefined
  }
  return undefined
}

const numberedUnits: ReadonlySet<string> = new Set(["ap", "thon", "to", "xom", "khu", "so", "phuong", "quan", "ngo", "hem", "kiet", "doi", "khom"])

/** The address tidied, its province not yet matched against the provinces' names. */
export const tidyAddressText = (raw: string): string => {
  const text = raw
    .replace(/(\p{L})[:;|ˆ](?=\s)/gu, "$1")
    // A modifier letter or accent standing alone is a speck ("tỉnh ˆ Lâm Đồng").
    .replace(/\s[\p{Lm}\p{Sk}]+(?=\s)/gu, "")
    // Quotes are specks here: an address holds none.
    .replace(/[“”"‘’`]/gu, "")
    // So is a backslash standing apart ("tỉnh Đồng \\ Nai"): no address is written with one.
    .replace(/\s\\+(?=\s)/gu, "")
    // A speck beside a comma: "Điện Biên Phủ, ; phường" → "Điện Biên Phủ, phường".
    .replace(/,(?:\s*[;:|.,])+(?=\s)/gu, ",")
    // A full stop inside a name is a speck ("Bến. Thành", "Thành phố. Đà Nẵng"); abbreviations ("TP.", "Q.") keep theirs.
    .replace(/(\p{Ll}{2,})\.(?= \p{L})/gu, "$1")
    // Before a unit's word it stood for the comma, put back next ("phường Thượng Hồng. tỉnh Hưng Yên").
    // Administrative units are always comma-separated; OCR drops the comma more often than the word.
    .replace(/(\p{L})(?<!(?:^|\s)[Tt]h[ịi]) (?=(?:[Pp]hường|[Xx]ã|[Tt]hành phố|[Tt]ỉnh|[Qq]uận|[Hh]uyện|[Tt]hị xã|[Tt]hị trấn) \p{Lu})/gu, "$1, ")
    // "Thành phối Hải Phòng": a unit's word with a letter added (corpus A seed 69431).
    .replace(/([Tt]hành) ph[ốôồổoó][iíì](?= \p{Lu})/gu, "$1 phố")
    // "SỐ 326", "Sô 315", "5ố 368": the house number's word.
    .replace(/^[S5][ỐốÔôỒồỔổ](?= \d)/u, "Số")
    .replace(/\s+/g, " ")
    // Specks after the province: "... Hồ Chí Minh | 1"; a number after a unit word ("Ấp 1") stays.
    .replace(/(\p{L}{2,})(?:\s+[|!1l.,;:])+$/u, (whole, word: string) => (numberedUnits.has(fold(word)) ? whole : word))
    .replace(/[.;]+$/u, "")
    // Specks read as short unmarked lower-case words after the province: "... tỉnh Lào Cai s mm mm".
    .replace(/(?:\s+[a-z]{1,2})+$/u, "")
    .trim()
  return canonicalUnits(dropEchoes(text))
}

export const tidyAddress = (raw: string): string => fixProvince(tidyAddressText(raw))
