/**
 * Payment requests carry a dynamic VietQR: encode and decode both ways, the
 * reference read back from the code and from the memo a banking app writes,
 * and the published VietQR strings the bank tests already check, reused here
 * through the request reader. Bad input (a wrong CRC, a fractional amount)
 * is refused naming what is wrong.
 */
import { describe, expect, test } from "bun:test"
import { Result } from "effect"
import fc from "fast-check"
import { crc16Hex } from "../../domain/bank/crc16.ts"
import { decodeVietQr } from "../../domain/bank/vietqr.ts"
import { readMemo } from "../../domain/reconciliation/memo.ts"
import { formatPaymentReference } from "../../domain/reconciliation/payment-reference.ts"
import { makePaymentRequest, paymentPurpose, paymentRequestVietQr, readPaymentRequestVietQr } from "../../domain/reconciliation/payment-request.ts"

const alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
const ref = fc.array(fc.constantFrom(...alphabet), { minLength: 10, maxLength: 10 }).map((cs) => formatPaymentReference(cs.join("")))
const request = (amount: string, reference: string) =>
  makePaymentRequest({ agency: "HCM", bankBin: "970436", account: "0071000123456", amount, payerName: "Nguyễn Văn A", decisionNumber: "757/QD-PTHADS", reference })

describe("payment requests with a dynamic VietQR", () => {
  test("encode → decode gives the account, the amount and the reference back; the memo carries the reference", () => {
    fc.assert(fc.property(ref, fc.bigInt({ min: 1n, max: 10n ** 13n - 1n }), (reference, amount) => {
      const r = Result.getOrThrow(request(amount.toString(), reference))
      const text = Result.getOrThrow(paymentRequestVietQr(r))
      const q = Result.getOrThrow(decodeVietQr(text))
      expect(q).toMatchObject({ initiation: "dynamic", bankBin: "970436", account: "0071000123456", service: "account", amount })
      expect(q.additionalData?.reference).toBe(reference)
      expect(Result.getOrThrow(readPaymentRequestVietQr(text))).toEqual({ bankBin: "970436", account: "0071000123456", amount, reference })
      expect(readMemo(`${q.additionalData?.purpose} FT25167001234`).references).toEqual([reference])
    }))
  })

  test("the code's layout: tag 38 with the NAPAS GUID, BIN, account, QRIBFTTA; 54; 62 with 05 and 08; the CRC over everything", () => {
    const r = Result.getOrThrow(request("1.250.000", "BL7K2M9QX4TR" + formatPaymentReference("7K2M9QX4TR").slice(-1)))
    const text = Result.getOrThrow(paymentRequestVietQr(r))
    expect(text).toStartWith("000201010212")
    expect(text).toContain("38570010A00000072701270006970436011300710001234560208QRIBFTTA")
    expect(text).toContain("54071250000")
    expect(text).toContain(`0513${r.reference}0821${paymentPurpose(r)}`)
    expect(text.slice(-4)).toBe(crc16Hex(text.slice(0, -4)))
    expect(r.decisionNumber).toBe("757/QĐ-PTHADS")
  })

  test("published VietQR strings read through the request reader (vectors of test/bank/vietqr.test.ts)", () => {
    const dynamic = "00020101021238530010A0000007270123000697041601092576788590208QRIBFTTA53037045405100005802VN62150811Chuyen tien630453E6"
    expect(Result.getOrThrow(readPaymentRequestVietQr(dynamic))).toEqual({ bankBin: "970416", account: "257678859", amount: 10_000n })
    const momo = "00020101021138620010A00000072701320006970454011899MM24011M348750800208QRIBFTTA53037045802VN62190515MOMOW2W3487508080030466304EBC8"
    expect(Result.getOrThrow(readPaymentRequestVietQr(momo))).toEqual({ bankBin: "970454", account: "99MM24011M34875080" })
  })

  test("a wrong CRC is refused, naming both checksums", () => {
    const text = Result.getOrThrow(paymentRequestVietQr(Result.getOrThrow(request("500000", formatPaymentReference("0000000001")))))
    const broken = text.slice(0, -4) + (text.endsWith("0000") ? "1111" : "0000")
    const r = readPaymentRequestVietQr(broken)
    expect(Result.isFailure(r) && r.failure.reason).toBe("crc")
    expect(Result.isFailure(r) && r.failure.message).toContain("checksum")
  })

  test("a fractional amount, a bad account, an empty name and a bad reference are refused together", () => {
    const r = makePaymentRequest({ agency: "HCM", bankBin: "999999", account: "00-71", amount: "1250000,50", payerName: " ", decisionNumber: "abc", reference: "BL123" })
    expect(Result.isFailure(r)).toBe(true)
    const problems = Result.isFailure(r) ? r.failure.problems.join("\n") : ""
    expect(problems).toContain("amount")
    expect(problems).toMatch(/whole đồng|decimal/)
    expect(problems).toContain("account")
    expect(problems).toContain("payerName")
    expect(problems).toContain("decisionNumber")
    expect(problems).toContain("reference")
  })
})
