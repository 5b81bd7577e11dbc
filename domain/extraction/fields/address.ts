/** The payer's address, tidied (see ../address.ts). */
import { tidyAddress } from "../address.ts"
import type { Found, ReaderInput } from "./reader.ts"

export const readPayerAddress = (input: ReaderInput, found: Found): void => {
  const address = input.raw.get("payerAddress")
  if (address) found.set("payerAddress", tidyAddress(address.text), address.confidence)
}
