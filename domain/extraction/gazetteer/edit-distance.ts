/** Levenshtein distance over code points, for short strings (names of places, words). */
export const editDistance = (a: string, b: string): number => {
  const x = Array.from(a)
  const y = Array.from(b)
  let previous = Array.from({ length: y.length + 1 }, (_, j) => j)
  for (let i = 1; i <= x.length; i++) {
    const current = [i]
    for (let j = 1; j <= y.length; j++) {
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + (x[i - 1] === y[j - 1] ? 0 : 1))
    }
    previous = current
  }
  return previous[y.length] ?? 0
}

/** Whether the text carries any Vietnamese mark (or đ): an unaccented text is never given marks. */
export const hasMarks = (s: string): boolean => /[^\u0000-\u007f]/u.test(s.normalize("NFC").replace(/[^\p{L}]/gu, ""))
