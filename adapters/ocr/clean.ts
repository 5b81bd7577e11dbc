/**
 * What a fax or a bordered form adds to a page that is not text, removed
 * before tesseract sees it: isolated specks, streaks across the page (a fax
 * line dropping out), and table rules. tesseract reads specks as
 * punctuation ("Theo. Quyết", "85. 090, 000"), rules as "|" and "_", and a
 * streak through a line as other letters. All of it works on a black and
 * white page (0 ink, 255 paper), one byte per pixel, in place.
 */

const INK = 0
const PAPER = 255

/** A fax's pages are black and white already: almost no pixel lies between ink and paper. */
export const isBilevel = (data: Uint8Array): boolean => {
  const most = data.length * 0.01
  let between = 0
  // Indexed, and stopped as soon as the answer is known: most pages are not faxes.
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!
    if (v > 40 && v < 215 && ++between >= most) return false
  }
  return between < most
}

/**
 * Specks: an ink pixel with no other ink within `radius` pixels. Used at the
 * scan's own resolution, where a fax's speck is one pixel and the dots of
 * "i" and of the Vietnamese "nặng" mark touch or nearly touch their letter.
 */
export const removeSpecks = (data: Uint8Array, width: number, height: number, radius = 2): number => {
  let removed = 0
  for (let y = 0; y < height; y++) {
    const row = y * width
    for (let x = 0; x < width; x++) {
      if (data[row + x] !== INK) continue
      let alone = true
      for (let dy = -radius; dy <= radius && alone; dy++) {
        const yy = y + dy
        if (yy < 0 || yy >= height) continue
        for (let dx = -radius; dx <= radius; dx++) {
          if (dx === 0 && dy === 0) continue
          const xx = x + dx
          if (xx >= 0 && xx < width && data[yy * width + xx] === INK) {
            alone = false
            break
          }
        }
      }
      if (alone) {
        data[row + x] = PAPER
        removed++
      }
    }
  }
  return removed
}

const rowInk = (data: Uint8Array, width: number, y: number): number => {
  let n = 0
  const row = y * width
  for (let x = 0; x < width; x++) if (data[row + x] === INK) n++
  return n / width
}

/**
 * Streaks: a row inked over 40 % of its width (no line of text is) and far
 * darker than the rows `gap` above or below it (a fax streak is one or two
 * rows tall). Its ink is removed except where a letter crosses it (ink
 * `gap` rows above or below).
 */
export const removeStreaks = (data: Uint8Array, width: number, height: number, gap = 3): number => {
  const density = Array.from({ length: height }, (_, y) => rowInk(data, width, y))
  let rows = 0
  for (let y = gap; y < height - gap; y++) {
    const d = density[y] ?? 0
    // The lower of the two: a streak beside a table's rule is still a streak.
    const around = Math.min(density[y - gap] ?? 0, density[y + gap] ?? 0)
    if (d < 0.4 || d < 2.5 * around) continue
    rows++
    const row = y * width
    for (let x = 0; x < width; x++) {
      if (data[row + x] !== INK) continue
      if (data[(y - gap) * width + x] === INK || data[(y + gap) * width + x] === INK) continue
      data[row + x] = PAPER
    }
  }
  return rows
}

/**
 * Rules: thin strokes longer than any letter, horizontal (longer than
 * `minRun` pixels) or vertical (longer than `minRunVertical`), at most
 * `maxThickness` pixels thick. A rule left a little slanted by the scan
 * steps by a pixel every so often, so runs are measured with one pixel of
 * tolerance across them; a letter's stem crossing a rule is thicker than
 * the rule across it and stays. A table's borders and a form's underlines
 * go; the text beside them stays.
 */
// A rule is thin almost all along; the tops of a word in capitals, joined into one run, are
// crossed by the letters' stems every few pixels.
const RULE_THIN_SHARE = 0.85

/** Ink pixels in column x joined to (x, y) above and below, counted up to just past `most`. */
const verticalThickness = (data: Uint8Array, width: number, height: number, x: number, y: number, most: number): number => {
  let n = 1
  for (let yy = y - 1; n <= most && yy >= 0 && data[yy * width + x] === INK; yy--) n++
  for (let yy = y + 1; n <= most && yy < height && data[yy * width + x] === INK; yy++) n++
  return n
}

/** Ink pixels in row y joined to (x, y) left and right, counted up to just past `most`. */
const horizontalThickness = (data: Uint8Array, width: number, x: number, y: number, most: number): number => {
  let n = 1
  for (let xx = x - 1; n <= most && xx >= 0 && data[y * width + xx] === INK; xx--) n++
  for (let xx = x + 1; n <= most && xx < width && data[y * width + xx] === INK; xx++) n++
  return n
}

export const removeRules = (data: Uint8Array, width: number, height: number, minRun: number, minRunVertical: number, maxThickness: number): void => {
  const gone = new Uint8Array(data.length)
  // The span of pixels marked, so that applying the marks does not walk a page that has none.
  let first = data.length
  let last = -1
  const mark = (i: number) => {
    gone[i] = 1
    if (i < first) first = i
    if (i > last) last = i
  }
  const apply = () => {
    for (let i = first; i <= last; i++) if (gone[i] === 1) data[i] = PAPER
    first = data.length
    last = -1
  }
  // A run at least \`step\` long covers one of every \`step\`-th pixel: only those pixels are looked at
  // first, and a run is followed both ways from one that is near ink. Most of a page is paper, so
  // most pixels are never read (every pixel, 3 reads each, was ~60 ms a page); the runs found are the
  // same maximal runs, and nothing is marked until a pass has looked at all of them.
  // Horizontal: row y, ink in rows y-1..y+1 counts as the run's.
  const nearH = (row: number, x: number) => data[row + x] === INK || data[row - width + x] === INK || data[row + width + x] === INK
  const stepH = Math.max(1, minRun)
  for (let y = 1; y < height - 1; y++) {
    const row = y * width
    // Past the end of the last run followed: a probe inside it finds the same run again.
    let done = 0
    for (let probe = 0; probe < width; probe += stepH) {
      if (probe < done || !nearH(row, probe)) continue
      let start = probe
      while (start > 0 && nearH(row, start - 1)) start--
      let end = probe + 1
      while (end < width && nearH(row, end)) end++
      done = end
      if (end - start < minRun) continue
      // Counted first and marked in a second pass, not gathered in an array: on a page of
      // solid ink every row is one long run, and an array per run was a gigabyte of garbage
      // on the upload-bomb test's 3000-point pages.
      let inked = 0
      let thin = 0
      for (let k = start; k < end; k++) {
        if (data[row + k] !== INK) continue
        inked++
        if (verticalThickness(data, width, height, k, y, maxThickness) <= maxThickness) thin++
      }
      if (thin >= RULE_THIN_SHARE * inked) {
        for (let k = start; k < end; k++) {
          if (data[row + k] === INK && verticalThickness(data, width, height, k, y, maxThickness) <= maxThickness) mark(row + k)
        }
      }
    }
  }
  // Horizontal rules go before vertical ones are looked for: where two cross, the crossing is thick
  // both ways until one of them is gone.
  apply()
  // Vertical: column x, ink in columns x-1..x+1 counts as the run's. Probed a row at a time, every
  // \`stepV\`-th row; \`doneV\` holds, per column, the end of the last run followed down it.
  const nearV = (x: number, y: number) => {
    const i = y * width + x
    return data[i] === INK || data[i - 1] === INK || data[i + 1] === INK
  }
  const stepV = Math.max(1, minRunVertical)
  const doneV = new Int32Array(width)
  for (let probe = 0; probe < height; probe += stepV) {
    for (let x = 1; x < width - 1; x++) {
      if (probe < doneV[x]! || !nearV(x, probe)) continue
      let start = probe
      while (start > 0 && nearV(x, start - 1)) start--
      let end = probe + 1
      while (end < height && nearV(x, end)) end++
      doneV[x] = end
      if (end - start < minRunVertical) continue
      let inked = 0
      let thin = 0
      for (let k = start; k < end; k++) {
        if (data[k * width + x] !== INK) continue
        inked++
        if (horizontalThickness(data, width, x, k, maxThickness) <= maxThickness) thin++
      }
      if (thin >= RULE_THIN_SHARE * inked) {
        for (let k = start; k < end; k++) {
          const j = k * width + x
          if (data[j] === INK && horizontalThickness(data, width, x, k, maxThickness) <= maxThickness) mark(j)
        }
      }
    }
  }
  apply()
}
