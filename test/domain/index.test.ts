/** The domain's public surface: what other layers and other teams import. */
import { expect, test } from "bun:test"
import * as domain from "../../domain/index.ts"

test("domain/index.ts exports the documented core", () => {
  const functions = [
    "parseVnd", "formatVnd", "amountInWords", "parseAmountInWords", "amountsAgree",
    "validateCccd", "validateCmnd", "validatePassport", "validateTaxCode", "validateIdentityNumber", "maskIdentityNumber",
    "decodeReceipt", "encodeReceipt",
    "createDraft", "editDraft", "deleteDraft", "issue", "voidReceipt", "draftReplacement", "markReplaced", "annotate",
    "canonicalBytes", "canonicalJson",
    "verify", "decodeToken", "encodeBase45", "decodeBase45", "maskName", "extractFields"
  ] as const
  for (const name of functions) expect(typeof (domain as Record<string, unknown>)[name]).toBe("function")
  for (const schema of ["Receipt", "Vnd", "VndFromString", "IdentityNumberString"] as const) {
    expect((domain as Record<string, unknown>)[schema]).toBeDefined()
  }
  expect(domain.amountInWords(1_005_000n)).toBe("Một triệu không trăm linh năm nghìn đồng")
})
