/**
 * An address's commune, ward or special zone corrected to the nearest real
 * unit of 2025: a name whose letters match a unit's but whose marks slipped
 * ("phường Ninh Kiểu" → "phường Ninh Kiều"), or one letter off a unit's
 * name of 5 letters or more, or a capital I read as "l" ("xã la Ly"). Only when exactly one unit is that near (those
 * of the address's province first); a name that is a unit is never changed,
 * an address printed without marks never gets any, and every change is
 * returned to be reported.
 */
import { fold } from "../fold.ts"
import type { Correction } from "./correction.ts"
import { editDistance, hasMarks } from "./edit-distance.ts"
import { allProvinceNames, foldedUnitNames, type Unit, unitNames, unitsFolded } from "./units.ts"

const AGAINST = "2025 administrative units"
const unitPart = /^((?:[Pp]hường|[Xx]ã|[Đđ]ặc khu)\s+)(.+)$/u

// The province the address ends with, if it names one, to prefer its units.
const provinceOf = (parts: ReadonlyArray<string>): string | undefined => {
  const last = fold(parts.at(-1) ?? "").replace(/^(?:tinh|thanh pho|tp\.?)\s+/u, "")
  return allProvinceNames.find((p) => fold(p) === last)
}

const nearest = (name: string, province: string | undefined): string | undefined => {
  const folded = fold(name)
  const pick = (candidates: ReadonlyArray<Unit>): string | undefined => {
    const local = province === undefined ? [] : candidates.filter((u) => u.province === province)
    const pool = local.length > 0 ? local : candidates
    const names = [...new Set(pool.map((u) => u.name))]
    if (names.length === 0) return undefined
    const scored = names.map((n) => [n, editDistance(n, name)] as const).sort((a, b) => a[1] - b[1])
    const best = scored[0]
    const second = scored[1]
    return best !== undefined && (second === undefined || second[1] > best[1]) ? best[0] : undefined
  }
  // Same letters, marks slipped.
  const sameLetters = pick(unitsFolded(folded))
  if (sameLetters !== undefined) return sameLetters
  if (folded.length < 5) return undefined
  // One letter off: only a single such unit.
  const near = foldedUnitNames.filter((f) => Math.abs(f.length - folded.length) <= 1 && editDistance(f, folded) === 1)
  return near.length === 1 ? pick(unitsFolded(near[0] ?? "")) : undefined
}

export const correctAddress = (address: string): { readonly value: string; readonly corrections: ReadonlyArray<Correction> } => {
  if (!hasMarks(address)) return { value: address, corrections: [] }
  const parts = address.split(", ")
  const province = provinceOf(parts)
  const corrections: Array<Correction> = []
  const fixed = parts.map((part) => {
    const m = unitPart.exec(part)
    const name = m?.[2]
    if (m === null || name === undefined || unitNames.has(name)) return part
    // A name's capital I read as "l" or "1" ("xã la Ly" for Ia Ly): a unit's name never starts a word in lower case.
    const capitalI = name.replace(/(^|\s)[l1|](?=\p{Ll})/gu, "$1I")
    if (capitalI !== name && unitNames.has(capitalI)) {
      corrections.push({ from: part, to: `${m[1]}${capitalI}`, against: AGAINST })
      return `${m[1]}${capitalI}`
    }
    if (/^\d/.test(name) || !hasMarks(name)) return part
    const to = nearest(name, province)
    if (to === undefined || to === name) return part
    corrections.push({ from: part, to: `${m[1]}${to}`, against: AGAINST })
    return `${m[1]}${to}`
  })
  return { value: fixed.join(", "), corrections }
}
