/** The bank's reference of the transfer (số tham chiếu, số bút toán): letters then digits. */
import { correctionWarning } from "../gazetteer/correction.ts"
import { readBankReference } from "../readers.ts"
import type { Found, ReaderInput } from "./reader.ts"

/**
 * The letters a reference starts with, as the core banking systems of
 * Vietnamese banks print them (T24's application codes: FT funds transfer,
 * TT teller, LD loans and deposits). A prefix outside this list is not
 * wrong in itself (another bank, another system): it is only fixed when a
 * single look-alike letter makes it one of these.
 */
export const REFERENCE_PREFIXES: ReadonlyArray<string> = ["FT", "TT", "LD"]

// A letter a scan reads for another at the start of a reference: F with a speck on its foot is E,
// a faint F's bowl-less top a P; a T that lost its bar is I.
const lookalikes: Readonly<Record<string, string>> = { E: "F", P: "F", I: "T" }

/** The known prefix one look-alike letter away from `prefix`, when exactly one is; undefined otherwise. */
export const knownPrefixOf = (prefix: string): string | undefined => {
  if (REFERENCE_PREFIXES.includes(prefix)) return undefined
  const near = new Set<string>()
  for (let i = 0; i < prefix.length; i++) {
    const to = lookalikes[prefix[i] ?? ""]
    if (to === undefined) continue
    const fixed = prefix.slice(0, i) + to + prefix.slice(i + 1)
    if (REFERENCE_PREFIXES.includes(fixed)) near.add(fixed)
  }
  return near.size === 1 ? [...near][0] : undefined
}

// As sure as a reference whose digits were fixed: a look-alike was read for the real letter.
const FIXED = 0.85

export const readReference = (input: ReaderInput, found: Found): void => {
  const reference = input.raw.get("bankReference")
  const ref = reference === undefined ? undefined : readBankReference(reference.text)
  if (ref === undefined || reference === undefined) return
  const prefix = /^[A-Z]*/.exec(ref.value)?.[0] ?? ""
  const known = knownPrefixOf(prefix)
  if (known === undefined) {
    found.set("bankReference", ref.value, reference.confidence * (ref.fixed ? FIXED : 1))
    return
  }
  const value = known + ref.value.slice(prefix.length)
  found.set("bankReference", value, reference.confidence * FIXED * (ref.fixed ? FIXED : 1))
  found.warn(correctionWarning("bankReference", { from: ref.value, to: value, against: "known prefixes of bank references (FT, TT, LD)" }))
}
