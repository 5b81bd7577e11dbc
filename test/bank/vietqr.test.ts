import { describe, expect, test } from "bun:test"
import { Result } from "effect"
import fc from "fast-check"
import { QRPay } from "vietnam-qr-pay"
import { banks } from "../../domain/bank/banks.ts"
import { crc16CcittFalse, crc16Hex } from "../../domain/bank/crc16.ts"
import { readDataObjects } from "../../domain/bank/emv-tlv.ts"
import { decodeVietQr, encodeVietQr, type InvalidVietQr, type VietQr, VIETQR_MAX_AMOUNT } from "../../domain/bank/vietqr.ts"

const decoded = (text: string) => {
  const r = decodeVietQr(text)
  if (Result.isFailure(r)) throw new Error(`expected ${text} to decode: ${r.failure.message}`)
  return r.success
}
const refused = (text: string): InvalidVietQr => {
  const r = decodeVietQr(text)
  if (Result.isSuccess(r)) throw new Error(`expected ${text} to be refused`)
  return r.failure
}
const encoded = (qr: VietQr): string => {
  const r = encodeVietQr(qr)
  if (Result.isFailure(r)) throw new Error(`expected to encode: ${r.failure.message}`)
  return r.success
}

describe("CRC-16/CCITT-FALSE", () => {
  test("has the catalogue check value 0x29B1 for \"123456789\"", () => {
    expect(crc16CcittFalse("123456789")).toBe(0x29b1)
  })
  test("keeps leading zeros in hex", () => {
    expect(crc16Hex("00020101021138580010A000000727012800069704070114190304136010180208QRIBFTTA53037045802VN6304")).toBe("0283")
  })
})

// Published VietQR strings with what they mean. Source: the README and tests of
// the npm package vietnam-qr-pay (xuannghia/vietnam-qr-pay, MIT), commit 17a05d3:
// README.md "VietQR Tĩnh", "VietQR Động", MoMo and ZaloPay examples;
// test/test-vietqr.spec.ts and test/test-quick-gen-qr.spec.ts.
const published = [
  {
    what: "static ACB code (README)",
    text: "00020101021138530010A0000007270123000697041601092576788590208QRIBFTTA53037045802VN6304AE9F",
    expect: { initiation: "static", bankBin: "970416", account: "257678859", service: "account" }
  },
  {
    what: "dynamic ACB code, 10,000 đồng, purpose (README)",
    text: "00020101021238530010A0000007270123000697041601092576788590208QRIBFTTA53037045405100005802VN62150811Chuyen tien630453E6",
    expect: { initiation: "dynamic", bankBin: "970416", account: "257678859", amount: 10_000n, additionalData: { purpose: "Chuyen tien" } }
  },
  {
    what: "dynamic ACB code, 1,000 đồng (test-vietqr.spec.ts)",
    text: "00020101021238530010A0000007270123000697041601092576788590208QRIBFTTA5303704540410005802VN62150811Chuyen tien6304BBB8",
    expect: { amount: 1_000n, additionalData: { purpose: "Chuyen tien" } }
  },
  {
    what: "Techcombank code whose CRC starts with 0 (test-vietqr.spec.ts)",
    text: "00020101021138580010A000000727012800069704070114190304136010180208QRIBFTTA53037045802VN63040283",
    expect: { bankBin: "970407", account: "19030413601018" }
  },
  {
    what: "MoMo code with a reference label (README)",
    text: "00020101021138620010A000000727013200069710250118PSP1234567890000000208QRIBFTTA53037045802VN62190515MOMOW2W123456786304821F",
    expect: { bankBin: "971025", account: "PSP123456789000000", additionalData: { reference: "MOMOW2W12345678" } }
  },
  {
    what: "BVBank MoMo code with an unreserved field 80 (README)",
    text: "00020101021138620010A00000072701320006970454011899MM24011M348750800208QRIBFTTA53037045802VN62190515MOMOW2W3487508080030466304EBC8",
    expect: { bankBin: "970454", account: "99MM24011M34875080", other: [{ id: "80", value: "046" }] }
  },
  {
    what: "ZaloPay code at BVBank (README)",
    text: "00020101021138620010A00000072701320006970454011899ZP24009M072482670208QRIBFTTA53037045802VN6304073C",
    expect: { bankBin: "970454", account: "99ZP24009M07248267" }
  }
] as const

describe("decodeVietQr on published strings", () => {
  for (const p of published) {
    test(p.what, () => {
      const qr = decoded(p.text)
      expect(qr).toMatchObject(p.expect as object)
    })
    test(`${p.what}: encoding what was decoded gives the same text back`, () => {
      const { bank: _bank, ...qr } = decoded(p.text)
      expect(encoded(qr)).toBe(p.text)
    })
  }

  test("a lower-case CRC is accepted (MB Bank prints one); we write it in upper case", () => {
    const text = "00020101021138540010A00000072701240006970422011003523509170208QRIBFTTA53037045802VN630479db"
    const { bank, ...qr } = decoded(text)
    expect(bank.shortName).toBe("MB Bank")
    expect(qr.account).toBe("0352350917")
    expect(encoded(qr)).toBe(text.slice(0, -4) + "79DB")
  })
})

describe("encodeVietQr gives the published strings", () => {
  test("static code (README, VietQR Tĩnh)", () => {
    expect(encoded({ initiation: "static", bankBin: "970416", account: "257678859", service: "account" })).toBe(published[0].text)
  })
  test("dynamic code (README, VietQR Động)", () => {
    expect(
      encoded({ initiation: "dynamic", bankBin: "970416", account: "257678859", service: "account", amount: 10_000n, additionalData: { purpose: "Chuyen tien" } })
    ).toBe(published[1].text)
  })
})

describe("decodeVietQr refuses with a reason", () => {
  const good = published[2].text
  const withCrc = (body: string) => `${body}6304${crc16Hex(`${body}6304`)}`
  const cases: ReadonlyArray<readonly [string, string, InvalidVietQr["reason"], string]> = [
    ["a wrong CRC (test-vietqr.spec.ts: Invalid CRC)", good.slice(0, -4) + "BBB5", "crc", "BBB5"],
    ["a changed amount with the old CRC", good.replace("54041000", "54049000"), "crc", "altered"],
    ["no CRC at all", good.slice(0, -8), "missing_field", "checksum"],
    ["a CRC that is not hex", good.slice(0, -4) + "XYZ1", "crc", "hexadecimal"],
    ["a length that runs past the end", withCrc("00020101021238990010A000000727"), "format", "only"],
    ["a length that is not digits", withCrc("000201010212384X0010A000000727"), "format", "not two digits"],
    [
      "an unknown bank BIN",
      withCrc("00020101021238530010A0000007270123000699999901092576788590208QRIBFTTA53037045802VN"),
      "unknown_bank",
      "999999"
    ],
    [
      "a VNPay merchant code (published, not VietQR)",
      "00020101021126280010A0000007750110010215477853037045802VN5912TUGIACOMPANY62310315TU GIA COMPUTER0708TUGIACO16304DF44",
      "not_vietqr",
      "field 38"
    ],
    ["another currency", withCrc("00020101021138530010A0000007270123000697041601092576788590208QRIBFTTA53038405802VN"), "field", "704"],
    ["a fractional amount", withCrc("00020101021238530010A0000007270123000697041601092576788590208QRIBFTTA530370454061000.55802VN"), "field", "fraction"],
    ["a missing service code", withCrc("00020101021138410010A0000007270123000697041601092576788595303704" + "5802VN"), "field", "QRIBFTTA"],
    ["a duplicated field", withCrc("00020101021101021138530010A0000007270123000697041601092576788590208QRIBFTTA53037045802VN"), "format", "twice"]
  ]
  for (const [what, text, reason, fragment] of cases) {
    test(what, () => {
      const e = refused(text)
      expect(e.reason).toBe(reason)
      expect(e.message).toContain(fragment)
    })
  }
})

describe("encodeVietQr refuses what a bank app could not read", () => {
  const base: VietQr = { initiation: "dynamic", bankBin: "970436", account: "0071000123456", service: "account", amount: 500_000n }
  test.each([
    [{ bankBin: "123456" }, "unknown_bank"],
    [{ account: "0071-000" }, "field"],
    [{ amount: 0n }, "field"],
    [{ amount: VIETQR_MAX_AMOUNT + 1n }, "field"],
    [{ additionalData: { purpose: "Nộp tiền THA" } }, "field"],
    [{ additionalData: { reference: "X".repeat(26) } }, "field"]
  ] as const)("%p → %p", (change, reason) => {
    const r = encodeVietQr({ ...base, ...change } as VietQr)
    expect(Result.isFailure(r) && r.failure.reason).toBe(reason)
  })
  test("Vietnamese with diacritics is refused with advice to write it unaccented", () => {
    const r = encodeVietQr({ ...base, additionalData: { purpose: "Nộp tiền" } })
    expect(Result.isFailure(r) && r.failure.message).toContain("without diacritics")
  })
})

const ascii = fc.string({ unit: fc.constantFrom(..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 ./-"), minLength: 1, maxLength: 25 })
  .filter((s) => s.trim() === s && s.length > 0)
const vietQrArbitrary: fc.Arbitrary<VietQr> = fc.record(
  {
    initiation: fc.constantFrom("static" as const, "dynamic" as const),
    bankBin: fc.constantFrom(...banks.map((b) => b.bin)),
    account: fc.string({ unit: fc.constantFrom(..."0123456789"), minLength: 6, maxLength: 19 }),
    service: fc.constantFrom("account" as const, "card" as const),
    amount: fc.bigInt({ min: 1n, max: VIETQR_MAX_AMOUNT }),
    additionalData: fc.record({ billNumber: ascii, reference: ascii, purpose: ascii }, { requiredKeys: [] })
  },
  { requiredKeys: ["initiation", "bankBin", "account", "service"] }
).filter((qr) => {
  const a = qr.additionalData
  const size = a === undefined ? 0 : [a.billNumber, a.reference, a.purpose].reduce((n, v) => n + (v === undefined ? 0 : v.length + 4), 0)
  return size <= 99
}).map((qr) => (qr.additionalData !== undefined && Object.keys(qr.additionalData).length === 0 ? { ...qr, additionalData: undefined } : qr))
  .map((qr) => Object.fromEntries(Object.entries(qr).filter(([, v]) => v !== undefined)) as unknown as VietQr)

describe("VietQR properties", () => {
  test("decode(encode(qr)) = qr", () => {
    fc.assert(
      fc.property(vietQrArbitrary, (qr) => {
        const { bank: _bank, ...back } = decoded(encoded(qr))
        expect(back).toEqual(qr)
      }),
      { numRuns: 500 }
    )
  })

  test("any single changed character is caught (by the CRC or the structure)", () => {
    fc.assert(
      fc.property(vietQrArbitrary, fc.nat(), fc.constantFrom(..."0123456789ABCDEFXZ"), (qr, at, replacement) => {
        const text = encoded(qr)
        const i = at % text.length
        fc.pre(text[i] !== replacement)
        const damaged = text.slice(0, i) + replacement + text.slice(i + 1)
        // A lower/upper swap inside the CRC itself is not damage.
        fc.pre(damaged.toUpperCase() !== text.toUpperCase())
        expect(Result.isFailure(decodeVietQr(damaged))).toBe(true)
      }),
      { numRuns: 500 }
    )
  })

  test("the vietnam-qr-pay library reads what we write, field for field", () => {
    fc.assert(
      fc.property(vietQrArbitrary, (qr) => {
        const theirs = new QRPay(encoded(qr))
        expect(theirs.isValid).toBe(true)
        expect(theirs.consumer.bankBin).toBe(qr.bankBin)
        expect(theirs.consumer.bankNumber).toBe(qr.account)
        expect(theirs.amount).toBe(qr.amount?.toString())
        expect(theirs.additionalData.purpose).toBe(qr.additionalData?.purpose)
        expect(theirs.additionalData.reference).toBe(qr.additionalData?.reference)
      }),
      { numRuns: 200 }
    )
  })

  test("we read what the vietnam-qr-pay library writes", () => {
    fc.assert(
      fc.property(fc.constantFrom(...banks.map((b) => b.bin)), fc.string({ unit: fc.constantFrom(..."0123456789"), minLength: 6, maxLength: 19 }), fc.bigInt({ min: 1n, max: 10n ** 12n }), ascii, (bin, account, amount, purpose) => {
        const text = QRPay.initVietQR({ bankBin: bin, bankNumber: account, amount: amount.toString(), purpose }).build()
        const qr = decoded(text)
        expect([qr.bankBin, qr.account, qr.amount, qr.additionalData?.purpose, qr.initiation]).toEqual([bin, account, amount, purpose, "dynamic"])
      }),
      { numRuns: 200 }
    )
  })
})

describe("EMV data objects", () => {
  test("split a published code into its top-level objects", () => {
    const objects = Result.getOrThrow(readDataObjects(published[0].text))
    expect(objects.map((o) => o.id)).toEqual(["00", "01", "38", "53", "58", "63"])
  })
})
