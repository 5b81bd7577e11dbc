/**
 * The payer's address, tidied (see ../address.ts), its province and its
 * commune-level unit matched against the names of real ones; each name
 * changed is reported with what was read.
 */
import { fixProvince, tidyAddressText } from "../address.ts"
import { correctAddressWords } from "../gazetteer/address-words.ts"
import { correctAddress } from "../gazetteer/correct-address.ts"
import { correctionWarning } from "../gazetteer/correction.ts"
import { correctStreetName } from "../gazetteer/street-names.ts"
import { hasMarks } from "../gazetteer/edit-distance.ts"
import { stripDiacritics } from "../../text.ts"
import type { Found, ReaderInput } from "./reader.ts"

// A corrected name is likelier right than wrong, but less sure than one read cleanly.
const CORRECTED = 0.9

export const readPayerAddress = (input: ReaderInput, found: Found): void => {
  const address = input.raw.get("payerAddress")
  if (address === undefined) return
  // An address read without marks (a bank memo) is kept without them: tidying spells unit words with marks.
  if (!hasMarks(address.text)) {
    found.set("payerAddress", stripDiacritics(tidyAddressText(address.text)), address.confidence)
    return
  }
  const words = correctAddressWords(tidyAddressText(address.text))
  const street = correctStreetName(words.value)
  const tidied = street.value
  const withProvince = fixProvince(tidied)
  const corrections = [
    ...words.corrections,
    ...street.corrections,
    ...(withProvince === tidied ? [] : [{ from: tidied.split(", ").at(-1) ?? tidied, to: withProvince.split(", ").at(-1) ?? withProvince, against: "provinces' names" }]),
    ...correctAddress(withProvince).corrections
  ]
  const value = correctAddress(withProvince).value
  for (const c of corrections) found.warn(correctionWarning("payerAddress", c))
  found.set("payerAddress", value, address.confidence * (corrections.length > 0 ? CORRECTED : 1))
}
