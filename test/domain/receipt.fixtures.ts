/**
 * Hand-written receipts with real-looking Vietnamese data, in their JSON form,
 * shared by the receipt, canonical and lifecycle tests.
 */
import type { DraftInput } from "../../domain/lifecycle.ts"
import type { ReceiptJson } from "../../domain/receipt.ts"

/** A cash payment at a Ho Chi Minh City regional office, issued on 23 June 2025. */
export const issuedJson = {
  id: "3f2c9d1e-8b4a-4c7e-9f1a-2b3c4d5e6f70",
  agency: "HCM",
  office: "HCM-KV01",
  series: { form: "01-BLTHADS", symbol: "AA/25E" },
  number: 42,
  lookupCode: "7KQ2M9XH4T8P",
  payer: {
    name: "Nguyễn Văn An",
    idNumber: "079085001234",
    address: "Số 12 đường Lê Lợi, phường Bến Thành, TP. Hồ Chí Minh"
  },
  case: {
    judgmentNumber: "12/2025/DS-ST",
    judgmentDate: "2025-03-10",
    decisionNumber: "1234/QĐ-CTHADS",
    decisionDate: "2025-04-02"
  },
  reason: "Nộp tiền thi hành án theo Quyết định số 1234/QĐ-CTHADS",
  amount: "125500000",
  amountInWords: "Một trăm hai mươi lăm triệu năm trăm nghìn đồng",
  payment: { method: "cash" },
  maker: "tran.thi.binh",
  approver: "le.minh.cuong",
  createdAt: "2025-06-23T01:15:30.000Z",
  issuedAt: "2025-06-23T03:40:00.000Z",
  status: "issued",
  annotations: []
} satisfies ReceiptJson

/** The same receipt before approval. */
export const draftJson = (() => {
  const { number: _n, lookupCode: _l, approver: _a, issuedAt: _i, ...rest } = issuedJson
  return { ...rest, status: "draft" } satisfies ReceiptJson
})()

/** What the officer entered for `draftJson`. */
export const draftInput: DraftInput = {
  agency: "HCM",
  office: "HCM-KV01",
  series: { form: "01-BLTHADS", symbol: "AA/25E" },
  payer: issuedJson.payer,
  case: issuedJson.case,
  reason: issuedJson.reason,
  amount: 125_500_000n,
  payment: { method: "cash" }
}

/** A bank transfer by a company, in Hà Nội. */
export const bankTransferInput: DraftInput = {
  agency: "HNI",
  series: { form: "01-BLTHADS", symbol: "HN/25E" },
  payer: {
    name: "Công ty TNHH Xây dựng Hòa Bình Phát",
    idNumber: "0101245486",
    address: "Số 5 phố Tràng Tiền, phường Hoàn Kiếm, Hà Nội"
  },
  case: { decisionNumber: "56/QĐ-THADS", decisionDate: "2025-05-20" },
  reason: "Thi hành nghĩa vụ trả nợ theo hợp đồng tín dụng",
  amount: 2_350_000_000n,
  payment: { method: "bank_transfer", reference: "FT25174098321" }
}
