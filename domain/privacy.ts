/**
 * What of a payer's name may travel in public: the QR token is printed on
 * paper and readable by anyone holding the receipt, so it carries a masked
 * name, enough for the payer to recognise their own receipt and nothing a
 * stranger could use.
 *
 * Rule: the first word (the family name, e.g. Nguyễn, which a third of the
 * country shares) stays whole; every other word becomes its first letter
 * and a dot. "Nguyễn Văn Hòa" → "Nguyễn V. H.". The given name, the part that
 * singles out a person, never appears. Initials are upper-cased and keep
 * their diacritics ("đức" → "Đ."), the result is NFC, and it is cut to
 * `MAX_MASKED_NAME_BYTES` of UTF-8 on a word boundary so it fits the token.
 */

export const MAX_MASKED_NAME_BYTES = 24

const utf8 = new TextEncoder()

const firstLetter = (word: string): string => {
  // The first code point after NFC is the whole letter with its marks
  // (Vietnamese letters all have precomposed forms).
  const first = Array.from(word)[0] ?? ""
  return first.toLocaleUpperCase("vi")
}

export const maskName = (fullName: string): string => {
  const words = fullName.normalize("NFC").split(/\s+/).filter((w) => w !== "")
  const [family, ...rest] = words
  if (family === undefined) return ""
  let masked = family
  if (utf8.encode(masked).length > MAX_MASKED_NAME_BYTES) masked = `${firstLetter(family)}.`
  for (const word of rest) {
    const next = `${masked} ${firstLetter(word)}.`
    if (utf8.encode(next).length > MAX_MASKED_NAME_BYTES) break
    masked = next
  }
  return masked
}
