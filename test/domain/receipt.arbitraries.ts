/**
 * fast-check generators for receipts in every state, shared by every test that
 * needs realistic receipts (store contracts, QR payloads, exports).
 *
 * They build the receipt objects directly, following the rules of
 * docs/RECEIPT.md (symbol year = issue year in Vietnam's time zone, judgment ≤
 * decision ≤ issue day, approver ≠ maker, words = figures), without going
 * through domain/lifecycle.ts, so lifecycle tests can compare against them.
 */
import fc from "fast-check"
import { amountInWords } from "../../domain/amount-in-words.ts"
import type { DraftInput } from "../../domain/lifecycle.ts"
import type { Annotation, IssuedReceipt, Receipt, ReceiptRef } from "../../domain/receipt.ts"
import { validIdentityArbitrary } from "./identity.arbitraries.ts"

const HOUR = 3_600_000
const DAY = 24 * HOUR

const familyNames = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý"]
const middleNames = ["Văn", "Thị", "Minh", "Ngọc", "Đức", "Thanh", "Hữu", "Quốc", "Thị Thu", "Hoàng"]
const givenNames = ["An", "Bình", "Cường", "Dũng", "Hà", "Hạnh", "Hùng", "Lan", "Long", "Mai", "Nam", "Phương", "Quân", "Thảo", "Trung", "Tuấn", "Yến", "Khôi"]
const companies = [
  "Công ty TNHH Xây dựng Hòa Bình Phát",
  "Công ty Cổ phần Đầu tư Bất động sản Sài Gòn Mới",
  "Ngân hàng TMCP Á Châu",
  "Công ty TNHH Thương mại Dịch vụ Vạn Xuân"
]
const streets = ["Lê Lợi", "Nguyễn Huệ", "Trần Hưng Đạo", "Hai Bà Trưng", "Điện Biên Phủ", "Lý Thường Kiệt", "Cách Mạng Tháng Tám"]
const wards = ["phường Bến Thành", "phường Sài Gòn", "phường Hoàn Kiếm", "phường Ba Đình", "phường Hải Châu", "xã Bình Chánh"]
const cities = ["TP. Hồ Chí Minh", "Hà Nội", "Đà Nẵng", "Cần Thơ", "Hải Phòng"]

export const agencyArbitrary = fc.constantFrom("HCM", "HNI", "DNG", "CTO", "HPG")
export const officerArbitrary = fc.constantFrom(
  "nguyen.van.an",
  "tran.thi.binh",
  "le.minh.cuong",
  "pham.thu.ha",
  "hoang.duc.long",
  "vo.thanh.mai"
)

export const payerNameArbitrary: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(fc.constantFrom(...familyNames), fc.constantFrom(...middleNames), fc.constantFrom(...givenNames)).map((p) => p.join(" ")) },
  { weight: 1, arbitrary: fc.constantFrom(...companies) }
)

export const addressArbitrary: fc.Arbitrary<string> = fc
  .tuple(fc.integer({ min: 1, max: 999 }), fc.constantFrom(...streets), fc.constantFrom(...wards), fc.constantFrom(...cities))
  .map(([n, street, ward, city]) => `Số ${n} đường ${street}, ${ward}, ${city}`)

/** Amounts from a few đồng to above 10^12, below 10^15; large ones are common on real receipts. */
export const amountArbitrary: fc.Arbitrary<bigint> = fc.oneof(
  fc.bigInt({ min: 0n, max: 10n ** 7n }),
  fc.bigInt({ min: 10n ** 7n, max: 10n ** 12n }),
  fc.bigInt({ min: 10n ** 12n, max: 10n ** 15n - 1n }),
  fc.integer({ min: 1, max: 999_999 }).map((k) => BigInt(k) * 1000n)
)

const isoDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10)
const vietnamDay = (instantMs: number): number => Math.floor((instantMs + 7 * HOUR) / DAY) * DAY

/** An issue instant whose Vietnamese calendar year is `year`. */
const issueInstantIn = (year: number): fc.Arbitrary<number> => {
  const start = Date.UTC(year, 0, 1) - 7 * HOUR
  const end = Date.UTC(year + 1, 0, 1) - 7 * HOUR - 1
  return fc.integer({ min: start, max: end })
}

export const seriesFor = (year: number) =>
  fc.record({
    form: fc.constantFrom("01-BLTHADS", "02-BLTHADS", "01/BL-THA"),
    symbol: fc
      .tuple(fc.constantFrom(..."ABCDEFGHKLMNPQ"), fc.constantFrom(..."ABCDEFGHKLMNPQ"))
      .map(([a, b]) => `${a}${b}/${String(year % 100).padStart(2, "0")}E`)
  })

const caseFor = (issueDayMs: number) =>
  fc
    .record({
      decisionBack: fc.integer({ min: 0, max: 400 }),
      judgmentBack: fc.integer({ min: 0, max: 700 }),
      decisionSerial: fc.integer({ min: 1, max: 9999 }),
      decisionAuthority: fc.constantFrom("CTHADS", "THADS", "CCTHADS"),
      judgmentSerial: fc.integer({ min: 1, max: 999 }),
      judgmentKind: fc.constantFrom("DS-ST", "DS-PT", "KDTM-ST", "HS-ST", "HNGĐ-ST"),
      keep: fc.record({ jn: fc.boolean(), jd: fc.boolean(), dn: fc.boolean(), dd: fc.boolean() })
    })
    .map((c) => {
      const decisionMs = issueDayMs - c.decisionBack * DAY
      const judgmentMs = decisionMs - c.judgmentBack * DAY
      const judgmentYear = new Date(judgmentMs).getUTCFullYear()
      return {
        ...(c.keep.jn ? { judgmentNumber: `${c.judgmentSerial}/${judgmentYear}/${c.judgmentKind}` } : {}),
        ...(c.keep.jd ? { judgmentDate: isoDay(judgmentMs) } : {}),
        ...(c.keep.dn ? { decisionNumber: `${c.decisionSerial}/QĐ-${c.decisionAuthority}` } : {}),
        ...(c.keep.dd ? { decisionDate: isoDay(decisionMs) } : {})
      }
    })

const reasons = [
  "Nộp tiền thi hành án",
  "Nộp tiền bồi thường thiệt hại theo bản án",
  "Nộp án phí dân sự sơ thẩm",
  "Nộp tiền phạt và truy thu số tiền thu lợi bất chính",
  "Thi hành nghĩa vụ trả nợ theo hợp đồng tín dụng",
  "Nộp chi phí cưỡng chế thi hành án"
]

const paymentArbitrary = fc.oneof(
  fc.constant({ method: "cash" as const }),
  fc
    .tuple(fc.constantFrom("FT", "TT", "UNC"), fc.integer({ min: 10_000_000, max: 99_999_999 }))
    .map(([prefix, n]) => ({ method: "bank_transfer" as const, reference: `${prefix}${n}` }))
)

/** What an officer would enter for a draft in the given symbol year, with case dates before `issueDayMs`. */
export const draftInputArbitrary = (year: number, issueDayMs: number): fc.Arbitrary<DraftInput & { amountInWords: string }> =>
  fc
    .record({
      agency: agencyArbitrary,
      officeNumber: fc.option(fc.integer({ min: 1, max: 20 }), { nil: undefined }),
      series: seriesFor(year),
      name: payerNameArbitrary,
      idNumber: fc.option(validIdentityArbitrary.map((i) => i.value), { nil: undefined }),
      address: fc.option(addressArbitrary, { nil: undefined }),
      case: caseFor(issueDayMs),
      reason: fc.constantFrom(...reasons),
      amount: amountArbitrary,
      payment: paymentArbitrary
    })
    .map((d) => ({
      agency: d.agency,
      ...(d.officeNumber === undefined ? {} : { office: `${d.agency}-KV${String(d.officeNumber).padStart(2, "0")}` }),
      series: d.series,
      payer: {
        name: d.name,
        ...(d.idNumber === undefined ? {} : { idNumber: d.idNumber }),
        ...(d.address === undefined ? {} : { address: d.address })
      },
      case: d.case,
      reason: d.reason,
      amount: d.amount,
      amountInWords: amountInWords(d.amount),
      payment: d.payment
    }))

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
export const lookupCodeArbitrary: fc.Arbitrary<string> = fc
  .array(fc.constantFrom(...CROCKFORD), { minLength: 12, maxLength: 12 })
  .map((cs) => cs.join(""))

export const yearArbitrary = fc.integer({ min: 2023, max: 2035 })

const makerAndApprover = officerArbitrary.chain((maker) =>
  officerArbitrary.filter((a) => a !== maker).map((approver) => ({ maker, approver }))
)

/** A valid issued receipt (status "issued", no annotations). */
export const issuedReceiptArbitrary: fc.Arbitrary<IssuedReceipt> = yearArbitrary
  .chain((year) => issueInstantIn(year).map((issuedMs) => ({ year, issuedMs })))
  .chain(({ year, issuedMs }) =>
    fc.record({
      id: fc.uuid({ version: 4 }),
      input: draftInputArbitrary(year, vietnamDay(issuedMs)),
      people: makerAndApprover,
      draftedBefore: fc.integer({ min: 0, max: 10 * DAY }),
      number: fc.integer({ min: 1, max: 9_999_999 }),
      lookupCode: lookupCodeArbitrary,
      issuedMs: fc.constant(issuedMs)
    })
  )
  .map((g) => ({
    id: g.id,
    ...g.input,
    maker: g.people.maker,
    createdAt: new Date(g.issuedMs - g.draftedBefore).toISOString(),
    status: "issued" as const,
    number: g.number,
    lookupCode: g.lookupCode,
    approver: g.people.approver,
    issuedAt: new Date(g.issuedMs).toISOString(),
    annotations: []
  }))

/** A valid draft: an issued receipt's content before issuance. */
export const draftReceiptArbitrary: fc.Arbitrary<Receipt> = issuedReceiptArbitrary.map(
  ({ number: _n, lookupCode: _l, approver: _a, issuedAt: _i, ...rest }) => ({ ...rest, status: "draft" as const })
)

export const receiptRefArbitrary: fc.Arbitrary<ReceiptRef> = fc.record({
  id: fc.uuid({ version: 4 }),
  series: yearArbitrary.chain(seriesFor),
  number: fc.integer({ min: 1, max: 9_999_999 })
})

const annotationsAfter = (issuedAt: string): fc.Arbitrary<Array<Annotation>> =>
  fc.array(
    fc.record({
      field: fc.constantFrom("payerName" as const, "payerAddress" as const),
      name: payerNameArbitrary,
      address: addressArbitrary,
      note: fc.option(fc.constantFrom("Sửa theo đơn đề nghị của người nộp tiền", "Sai chính tả họ tên"), { nil: undefined }),
      by: officerArbitrary,
      after: fc.integer({ min: 0, max: 30 * DAY })
    }).map((a) => ({
      field: a.field,
      value: a.field === "payerName" ? a.name : a.address,
      ...(a.note === undefined ? {} : { note: a.note }),
      by: a.by,
      at: new Date(Date.parse(issuedAt) + a.after).toISOString()
    })),
    { maxLength: 3 }
  )

/**
 * A valid receipt in any status after issuance — issued, voided or replaced —
 * possibly a replacement itself, possibly annotated.
 */
export const laterReceiptArbitrary: fc.Arbitrary<IssuedReceipt> = issuedReceiptArbitrary.chain((r) =>
  fc
    .record({
      status: fc.constantFrom("issued" as const, "voided" as const, "replaced" as const),
      replaces: fc.option(receiptRefArbitrary.filter((ref) => ref.id !== r.id), { nil: undefined }),
      replacedBy: receiptRefArbitrary,
      voidedBy: officerArbitrary,
      voidReason: fc.constantFrom("Lập sai số tiền, người nộp đã được hoàn trả", "Trùng biên lai đã lập"),
      after: fc.integer({ min: 0, max: 30 * DAY }),
      annotations: annotationsAfter(r.issuedAt)
    })
    .map((x): IssuedReceipt => ({
      ...r,
      status: x.status,
      ...(x.replaces === undefined ? {} : { replaces: x.replaces }),
      ...(x.status === "replaced" ? { replacedBy: x.replacedBy } : {}),
      ...(x.status === "voided"
        ? { voided: { reason: x.voidReason, by: x.voidedBy, at: new Date(Date.parse(r.issuedAt) + x.after).toISOString() } }
        : {}),
      annotations: x.annotations
    }))
)

/** Any valid receipt, draft or later. */
export const anyReceiptArbitrary: fc.Arbitrary<Receipt> = fc.oneof(draftReceiptArbitrary, laterReceiptArbitrary)
