/**
 * Vietnamese text helpers shared by parsers and search.
 *
 * Vietnamese arrives in every Unicode shape: precomposed (NFC) from most
 * keyboards, decomposed (NFD) from macOS file names and some OCR engines, and
 * with the tone mark on either vowel of "oa", "oe", "uy" ("Hòa" / "Hoà").
 * Folding removes every mark, so all of those compare equal.
 */

/** The canonical composed form; store and compare text in this form. */
export const nfc = (s: string): string => s.normalize("NFC")

// Combining diacritical marks (U+0300-U+036F) hold every Vietnamese tone and
// vowel mark once the text is decomposed; đ/Đ is a letter of its own and has
// no decomposition, so it is mapped by hand.
const combiningMarks = /[\u0300-\u036f]/g

/** "Nguyễn Văn Hòa" → "Nguyen Van Hoa"; đ/Đ → d/D. Case is kept. */
export const stripDiacritics = (s: string): string =>
  s.normalize("NFD").replace(combiningMarks, "").replace(/đ/g, "d").replace(/Đ/g, "D").normalize("NFC")

/**
 * Key for accent- and case-insensitive search: lowercase, no diacritics,
 * runs of whitespace (including NBSP) collapsed to one space, trimmed.
 */
export const foldForSearch = (s: string): string =>
  stripDiacritics(s.normalize("NFD").toLowerCase()).replace(/\s+/g, " ").trim()
