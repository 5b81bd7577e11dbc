/**
 * Writes test/vectors/canonical.json from the receipts below.
 *
 *   node_modules/.bin/bun test/vectors/generate.ts
 *
 * Run it only when the canonical form changes on purpose (and then bump
 * CANONICAL_VERSION): test/domain/canonical.test.ts fails whenever the code
 * and the committed vectors disagree, which is the point of committing them.
 */
import { createHash } from "node:crypto"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { Result } from "effect"
import { amountInWords } from "../../domain/amount-in-words.ts"
import { canonicalJson, canonicalReceipt } from "../../domain/canonical.ts"
import { decodeReceipt, isIssued, type ReceiptJson } from "../../domain/receipt.ts"
import { issuedJson } from "../domain/receipt.fixtures.ts"

const words = (amount: bigint) => amountInWords(amount)

const vectors: ReadonlyArray<{ name: string; description: string; receipt: ReceiptJson }> = [
  {
    name: "cash",
    description: "Cash payment at a Ho Chi Minh City regional office, every optional field present",
    receipt: issuedJson
  },
  {
    name: "bank-transfer",
    description: "Bank transfer by a company (tax code), Hà Nội, decision only, no office",
    receipt: {
      id: "5b1e7c2a-4d3f-4e8a-9b6c-0d1e2f3a4b5c",
      agency: "HNI",
      series: { form: "01-BLTHADS", symbol: "HN/25E" },
      number: 1187,
      lookupCode: "M3T9QH2XK7WP",
      payer: {
        name: "Công ty TNHH Xây dựng Hòa Bình Phát",
        idNumber: "0101245486",
        address: "Số 5 phố Tràng Tiền, phường Hoàn Kiếm, Hà Nội"
      },
      case: { decisionNumber: "56/QĐ-THADS", decisionDate: "2025-05-20" },
      reason: "Thi hành nghĩa vụ trả nợ theo hợp đồng tín dụng",
      amount: "2350000000",
      amountInWords: words(2_350_000_000n),
      payment: { method: "bank_transfer", reference: "FT25174098321" },
      maker: "pham.thu.ha",
      approver: "hoang.duc.long",
      createdAt: "2025-06-23T02:00:00.000Z",
      issuedAt: "2025-06-23T07:05:12.345Z",
      status: "issued",
      annotations: []
    }
  },
  {
    name: "replacement",
    description: "Replacement of receipt AA/25E 0000042 whose amount was wrong",
    receipt: {
      ...issuedJson,
      id: "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
      number: 57,
      lookupCode: "Q4M8ZT2K9HXP",
      amount: "152500000",
      amountInWords: words(152_500_000n),
      createdAt: "2025-07-01T02:00:00.000Z",
      issuedAt: "2025-07-01T03:30:00.000Z",
      replaces: { id: issuedJson.id, series: { form: "01-BLTHADS", symbol: "AA/25E" }, number: 42 }
    }
  },
  {
    name: "huge-amount",
    description: "A payout above 10^12 đồng (beyond 2^53 would still be exact: amounts are digit strings)",
    receipt: {
      id: "c0ffee00-1234-4abc-8def-0123456789ab",
      agency: "HCM",
      office: "HCM-KV07",
      series: { form: "01-BLTHADS", symbol: "AB/25E" },
      number: 9,
      lookupCode: "0123456789AB",
      payer: { name: "Ngân hàng TMCP Á Châu", idNumber: "0301452948" },
      case: { judgmentNumber: "1/2024/HS-PT", judgmentDate: "2024-12-03", decisionNumber: "1024/QĐ-CTHADS", decisionDate: "2025-01-15" },
      reason: "Nộp tiền khắc phục hậu quả để chi trả cho các bị hại",
      amount: "1234567890123",
      amountInWords: words(1_234_567_890_123n),
      payment: { method: "bank_transfer", reference: "UNC20250301" },
      maker: "vo.thanh.mai",
      approver: "le.minh.cuong",
      createdAt: "2025-03-01T01:00:00.000Z",
      issuedAt: "2025-03-01T02:00:00.000Z",
      status: "issued",
      annotations: []
    }
  },
  {
    name: "minimal",
    description: "Every optional field absent: no office, payer without id number or address, no case references",
    receipt: {
      id: "00000000-0000-4000-8000-000000000001",
      agency: "DNG",
      series: { form: "01-BLTHADS", symbol: "DN/26E" },
      number: 1,
      lookupCode: "ZZZZZZZZZZZZ",
      payer: { name: "Lê Thị Hạnh" },
      case: {},
      reason: "Nộp án phí dân sự sơ thẩm",
      amount: "300000",
      amountInWords: words(300_000n),
      payment: { method: "cash" },
      maker: "nguyen.van.an",
      approver: "tran.thi.binh",
      createdAt: "2025-12-31T16:59:59.999Z",
      issuedAt: "2025-12-31T17:00:00.000Z",
      status: "issued",
      annotations: []
    }
  },
  {
    name: "voided-annotated-nfd",
    description:
      "The cash receipt, later voided and annotated, its payer name typed in decomposed Unicode (NFD): same bytes as \"cash\"",
    receipt: {
      ...issuedJson,
      payer: { ...issuedJson.payer, name: "Nguyễn Văn An".normalize("NFD") },
      status: "voided",
      voided: { reason: "Lập trùng biên lai", by: "le.minh.cuong", at: "2025-06-24T02:00:00.000Z" },
      annotations: [{ field: "payerAddress", value: "Số 14 đường Lê Lợi, phường Bến Thành, TP. Hồ Chí Minh", by: "le.minh.cuong", at: "2025-06-24T01:00:00.000Z" }]
    }
  }
]

const out = vectors.map(({ name, description, receipt }) => {
  const decoded = decodeReceipt(receipt)
  if (Result.isFailure(decoded)) throw new Error(`${name}: ${decoded.failure.message}`)
  if (!isIssued(decoded.success)) throw new Error(`${name}: not issued`)
  const canonical = canonicalJson(canonicalReceipt(decoded.success))
  const bytes = Buffer.from(canonical, "utf8")
  return {
    name,
    description,
    receipt,
    canonical,
    utf8Base64: bytes.toString("base64"),
    byteLength: bytes.length,
    sha256: createHash("sha256").update(bytes).digest("hex")
  }
})

const file = join(import.meta.dir, "canonical.json")
writeFileSync(
  file,
  JSON.stringify(
    {
      description: "Canonical form test vectors for bienlai receipts; see docs/CANONICAL.md. Each receipt (JSON form) → canonical UTF-8 text → SHA-256.",
      canonicalVersion: 1,
      vectors: out
    },
    null,
    2
  ) + "\n"
)
console.log(`wrote ${out.length} vectors to ${file}`)
