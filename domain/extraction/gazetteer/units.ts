/**
 * The 2025 administrative units (units-2025.ts) indexed for correction:
 * commune-level names by their folded letters, per province, and the
 * provinces' names (the 34 of 2025 and the 63 before, which addresses
 * printed earlier still carry).
 */
import { birthProvinces } from "../../provinces.ts"
import { fold } from "../fold.ts"
import { provinces2025 } from "./units-2025.ts"

export interface Unit {
  readonly code: string
  /** "Phường", "Xã" or "Đặc khu". */
  readonly kind: string
  readonly name: string
  readonly province: string
}

const kinds = /^(Phường|Xã|Đặc khu) (.+)$/u
const shortProvince = (name: string): string => name.replace(/^(?:Tỉnh|Thành phố) /u, "")

export const units: ReadonlyArray<Unit> = provinces2025.flatMap((p) =>
  p.units.split("|").map((entry) => {
    const [code = "", ...rest] = entry.split(" ")
    const m = kinds.exec(rest.join(" "))
    return { code, kind: m?.[1] ?? "", name: m?.[2] ?? rest.join(" "), province: shortProvince(p.name) }
  })
)

export const unitNames: ReadonlySet<string> = new Set(units.map((u) => u.name))

const byFolded = new Map<string, Array<Unit>>()
for (const u of units) {
  const key = fold(u.name)
  byFolded.set(key, [...(byFolded.get(key) ?? []), u])
}
export const unitsFolded = (folded: string): ReadonlyArray<Unit> => byFolded.get(folded) ?? []
export const foldedUnitNames: ReadonlyArray<string> = [...byFolded.keys()]

export const provinceNames2025: ReadonlyArray<string> = provinces2025.map((p) => shortProvince(p.name))
export const allProvinceNames: ReadonlyArray<string> = [...new Set([...provinceNames2025, ...birthProvinces.map((p) => p.name)])]
