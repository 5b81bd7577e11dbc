/** The bank's reference of the transfer (số tham chiếu, số bút toán): letters then digits. */
import { readBankReference } from "../readers.ts"
import type { Found, ReaderInput } from "./reader.ts"

export const readReference = (input: ReaderInput, found: Found): void => {
  const reference = input.raw.get("bankReference")
  const ref = reference === undefined ? undefined : readBankReference(reference.text)
  if (ref && reference) found.set("bankReference", ref.value, reference.confidence * (ref.fixed ? 0.85 : 1))
}
