/**
 * VietQR: NAPAS's EMVCo merchant-presented QR for transfers to a bank account,
 * which every Vietnamese banking app scans.
 *
 *   00 payload format "01"           01 initiation: 11 static, 12 dynamic
 *   38 { 00 GUID "A000000727", 01 { 00 bank BIN, 01 account }, 02 QRIBFTTA (account) | QRIBFTTC (card) }
 *   53 currency "704" (VND)           54 amount (whole đồng)
 *   58 country "VN"                   59 merchant name, 60 merchant city (optional)
 *   62 { 01 bill number, 05 reference label, 08 purpose of transaction, … }
 *   63 CRC-16/CCITT-FALSE over everything before its value, "6304" included
 *
 * `encodeVietQr` writes the data objects in ascending ID order (as NAPAS's
 * and the banks' own codes do) and the CRC in upper case; `decodeVietQr`
 * reads any order, accepts a lower-case CRC (MB Bank prints one) and keeps
 * data objects it does not know, so a published code re-encodes to itself.
 */
import { Result, Schema } from "effect"
import { type Bank, bankByBin } from "./banks.ts"
import { crc16Hex } from "./crc16.ts"
import { type DataObject, readDataObjects, writeDataObject } from "./emv-tlv.ts"

export const VIETQR_GUID = "A000000727"
/** The most a VND amount in tag 54 can have: 13 characters. */
export const VIETQR_MAX_AMOUNT = 10n ** 13n - 1n

export type VietQrService = "account" | "card"

export interface VietQrAdditionalData {
  readonly billNumber?: string
  readonly reference?: string
  readonly purpose?: string
  /** Other sub-objects of tag 62, by ID. */
  readonly other?: ReadonlyArray<DataObject>
}

export interface VietQr {
  readonly initiation: "static" | "dynamic"
  readonly bankBin: string
  readonly account: string
  readonly service: VietQrService
  readonly amount?: bigint
  readonly merchantName?: string
  readonly merchantCity?: string
  readonly additionalData?: VietQrAdditionalData
  /** Top-level data objects outside the VietQR profile (e.g. 80–99), by ID. */
  readonly other?: ReadonlyArray<DataObject>
}

export interface DecodedVietQr extends VietQr {
  readonly bank: Bank
}

export const vietQrReasons = ["format", "crc", "missing_field", "field", "not_vietqr", "unknown_bank"] as const

export class InvalidVietQr extends Schema.TaggedError<InvalidVietQr>()("InvalidVietQr", {
  reason: Schema.Literals(vietQrReasons),
  /** The data object concerned, e.g. "54" or "38.01.00". */
  field: Schema.optional(Schema.String),
  message: Schema.String
}) {}

const invalid = (reason: InvalidVietQr["reason"], message: string, field?: string) =>
  Result.fail(new InvalidVietQr(field === undefined ? { reason, message } : { reason, field, message }))

const serviceCodes: Record<VietQrService, string> = { account: "QRIBFTTA", card: "QRIBFTTC" }
// IDs the profile gives a meaning to; others are kept as they come.
const profileIds = new Set(["00", "01", "38", "53", "54", "58", "59", "60", "62", "63"])
const additionalIds = new Set(["01", "05", "08"])

// EMVCo's "ans" set that every banking app prints: printable ASCII.
const printable = /^[\x20-\x7e]+$/

const checkText = (field: string, label: string, value: string, max: number): InvalidVietQr | undefined => {
  if (value.length === 0 || value.length > max) {
    return new InvalidVietQr({ reason: "field", field, message: `VietQR ${label} must have 1 to ${max} characters, not ${value.length}` })
  }
  if (!printable.test(value)) {
    const bad = Array.from(value).find((c) => !printable.test(c)) ?? ""
    return new InvalidVietQr({
      reason: "field",
      field,
      message: `VietQR ${label} may hold only unaccented printable characters; ${JSON.stringify(bad)} is not one (write Vietnamese without diacritics)`
    })
  }
  return undefined
}

/**
 * Builds the VietQR text. A static code (no amount) is for an account that
 * takes any payment; a dynamic one is for one payment request.
 */
export const encodeVietQr = (qr: VietQr): Result.Result<string, InvalidVietQr> => {
  if (bankByBin(qr.bankBin) === undefined) return invalid("unknown_bank", `VietQR bank BIN ${JSON.stringify(qr.bankBin)} is not in the NAPAS bank list`, "38.01.00")
  if (!/^[A-Za-z0-9]{1,19}$/.test(qr.account)) {
    return invalid("field", `VietQR account ${JSON.stringify(qr.account)} must be 1 to 19 letters or digits`, "38.01.01")
  }
  if (qr.amount !== undefined && (qr.amount <= 0n || qr.amount > VIETQR_MAX_AMOUNT)) {
    return invalid("field", `VietQR amount must be from 1 to ${VIETQR_MAX_AMOUNT} đồng, not ${qr.amount}`, "54")
  }
  const texts: Array<readonly [string, string, string | undefined, number]> = [
    ["59", "merchant name", qr.merchantName, 25],
    ["60", "merchant city", qr.merchantCity, 15],
    ["62.01", "bill number", qr.additionalData?.billNumber, 25],
    ["62.05", "reference", qr.additionalData?.reference, 25],
    ["62.08", "purpose", qr.additionalData?.purpose, 25]
  ]
  for (const [field, label, value, max] of texts) {
    const problem = value === undefined ? undefined : checkText(field, label, value, max)
    if (problem !== undefined) return Result.fail(problem)
  }
  const extra = [...(qr.other ?? []), ...(qr.additionalData?.other ?? [])]
  for (const o of extra) {
    const problem = checkText(o.id, `data object ${o.id}`, o.value, 99)
    if (problem !== undefined) return Result.fail(problem)
  }
  const clash = (qr.other ?? []).find((o) => profileIds.has(o.id)) ?? (qr.additionalData?.other ?? []).find((o) => additionalIds.has(o.id))
  if (clash !== undefined) return invalid("field", `VietQR data object ${clash.id} is set twice`, clash.id)

  const provider = writeDataObject("00", VIETQR_GUID) +
    writeDataObject("01", writeDataObject("00", qr.bankBin) + writeDataObject("01", qr.account)) +
    writeDataObject("02", serviceCodes[qr.service])
  const additional = sortById([
    ...(qr.additionalData?.billNumber === undefined ? [] : [{ id: "01", value: qr.additionalData.billNumber }]),
    ...(qr.additionalData?.reference === undefined ? [] : [{ id: "05", value: qr.additionalData.reference }]),
    ...(qr.additionalData?.purpose === undefined ? [] : [{ id: "08", value: qr.additionalData.purpose }]),
    ...(qr.additionalData?.other ?? [])
  ]).map((o) => writeDataObject(o.id, o.value)).join("")
  if (additional.length > 99) {
    return invalid("field", `VietQR additional data (tag 62) must fit in 99 characters, these fields need ${additional.length}`, "62")
  }
  const objects = sortById([
    { id: "00", value: "01" },
    { id: "01", value: qr.initiation === "static" ? "11" : "12" },
    { id: "38", value: provider },
    { id: "53", value: "704" },
    ...(qr.amount === undefined ? [] : [{ id: "54", value: qr.amount.toString() }]),
    { id: "58", value: "VN" },
    ...(qr.merchantName === undefined ? [] : [{ id: "59", value: qr.merchantName }]),
    ...(qr.merchantCity === undefined ? [] : [{ id: "60", value: qr.merchantCity }]),
    ...(additional === "" ? [] : [{ id: "62", value: additional }]),
    ...(qr.other ?? [])
  ])
  const body = objects.map((o) => writeDataObject(o.id, o.value)).join("") + "6304"
  return Result.succeed(body + crc16Hex(body))
}

const sortById = (objects: ReadonlyArray<DataObject>): Array<DataObject> => [...objects].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))

const readTemplate = (text: string, field: string): Result.Result<Map<string, string>, InvalidVietQr> => {
  const objects = readDataObjects(text)
  if (Result.isFailure(objects)) {
    return invalid("format", `VietQR field ${field} is malformed at character ${objects.failure.offset + 1}: ${objects.failure.problem}`, field)
  }
  const map = new Map<string, string>()
  for (const o of objects.success) {
    if (map.has(o.id)) return invalid("format", `VietQR field ${field === "" ? o.id : `${field}.${o.id}`} appears twice`, field === "" ? o.id : `${field}.${o.id}`)
    map.set(o.id, o.value)
  }
  return Result.succeed(map)
}

/** Reads a VietQR text, refusing a wrong CRC, a broken length, a foreign or incomplete code, an unknown bank. */
export const decodeVietQr = (input: string): Result.Result<DecodedVietQr, InvalidVietQr> => {
  const text = input.trim()
  if (text.length > 512) return invalid("format", `A VietQR text has at most 512 characters, this one has ${text.length}`)
  const crcAt = text.length - 8
  if (crcAt < 0 || text.slice(crcAt, crcAt + 4) !== "6304") {
    return invalid("missing_field", "The VietQR text does not end with its checksum (data object 63 of length 04)", "63")
  }
  const written = text.slice(crcAt + 4)
  if (!/^[0-9A-Fa-f]{4}$/.test(written)) return invalid("crc", `The VietQR checksum ${JSON.stringify(written)} is not 4 hexadecimal digits`, "63")
  const expected = crc16Hex(text.slice(0, crcAt + 4))
  if (written.toUpperCase() !== expected) {
    return invalid("crc", `The VietQR checksum is ${written.toUpperCase()} but the content gives ${expected}: the code is damaged or was altered`, "63")
  }
  const top = readTemplate(text.slice(0, crcAt), "")
  if (Result.isFailure(top)) return Result.fail(top.failure)
  const fields = top.success
  if (fields.has("63")) return invalid("format", "VietQR field 63 (checksum) must come last and only once", "63")
  if (fields.get("00") !== "01" || !text.startsWith("000201")) {
    return invalid("field", "A VietQR text starts with payload format indicator 000201", "00")
  }
  const init = fields.get("01")
  if (init === undefined) return invalid("missing_field", "VietQR field 01 (static 11 or dynamic 12) is missing", "01")
  if (init !== "11" && init !== "12") return invalid("field", `VietQR field 01 must be 11 (static) or 12 (dynamic), not ${JSON.stringify(init)}`, "01")
  const providerText = fields.get("38")
  if (providerText === undefined) return invalid("not_vietqr", "This EMV QR has no VietQR account information (field 38); it is not a VietQR transfer code", "38")
  const provider = readTemplate(providerText, "38")
  if (Result.isFailure(provider)) return Result.fail(provider.failure)
  const guid = provider.success.get("00")
  if (guid?.toUpperCase() !== VIETQR_GUID) {
    return invalid("not_vietqr", `Field 38 names provider ${JSON.stringify(guid ?? "")}, not NAPAS VietQR (${VIETQR_GUID})`, "38.00")
  }
  const beneficiaryText = provider.success.get("01")
  if (beneficiaryText === undefined) return invalid("missing_field", "VietQR field 38.01 (bank and account) is missing", "38.01")
  const beneficiary = readTemplate(beneficiaryText, "38.01")
  if (Result.isFailure(beneficiary)) return Result.fail(beneficiary.failure)
  const bin = beneficiary.success.get("00")
  const account = beneficiary.success.get("01")
  if (bin === undefined) return invalid("missing_field", "VietQR field 38.01.00 (bank BIN) is missing", "38.01.00")
  if (account === undefined) return invalid("missing_field", "VietQR field 38.01.01 (account number) is missing", "38.01.01")
  if (!/^\d{6}$/.test(bin)) return invalid("field", `VietQR bank BIN ${JSON.stringify(bin)} is not 6 digits`, "38.01.00")
  const bank = bankByBin(bin)
  if (bank === undefined) return invalid("unknown_bank", `VietQR bank BIN ${bin} is not in the NAPAS bank list`, "38.01.00")
  if (!/^[A-Za-z0-9]{1,19}$/.test(account)) {
    return invalid("field", `VietQR account ${JSON.stringify(account)} must be 1 to 19 letters or digits`, "38.01.01")
  }
  const serviceCode = provider.success.get("02")
  const service = serviceCode === "QRIBFTTA" ? "account" : serviceCode === "QRIBFTTC" ? "card" : undefined
  if (service === undefined) {
    return invalid("field", `VietQR field 38.02 must be QRIBFTTA (to an account) or QRIBFTTC (to a card), not ${JSON.stringify(serviceCode ?? "")}`, "38.02")
  }
  if (fields.get("53") !== "704") return invalid(fields.has("53") ? "field" : "missing_field", `VietQR currency (field 53) must be 704 (VND), not ${JSON.stringify(fields.get("53") ?? "")}`, "53")
  if (fields.get("58") !== "VN") return invalid(fields.has("58") ? "field" : "missing_field", `VietQR country (field 58) must be VN, not ${JSON.stringify(fields.get("58") ?? "")}`, "58")
  const amountText = fields.get("54")
  let amount: bigint | undefined
  if (amountText !== undefined) {
    if (/^\d+[.,]\d*[1-9]\d*$/.test(amountText)) return invalid("field", `VietQR amount ${amountText} has a fraction; VND amounts are whole đồng`, "54")
    if (!/^\d+$/.test(amountText)) return invalid("field", `VietQR amount ${JSON.stringify(amountText)} is not a whole number of đồng`, "54")
    amount = BigInt(amountText)
    if (amount === 0n) return invalid("field", "VietQR amount 0 is not a payment", "54")
  }
  let additionalData: VietQrAdditionalData | undefined
  const additionalText = fields.get("62")
  if (additionalText !== undefined) {
    const additional = readTemplate(additionalText, "62")
    if (Result.isFailure(additional)) return Result.fail(additional.failure)
    const sub = additional.success
    const other = [...sub].filter(([id]) => !additionalIds.has(id)).map(([id, value]) => ({ id, value }))
    additionalData = {
      ...(sub.has("01") ? { billNumber: sub.get("01") as string } : {}),
      ...(sub.has("05") ? { reference: sub.get("05") as string } : {}),
      ...(sub.has("08") ? { purpose: sub.get("08") as string } : {}),
      ...(other.length > 0 ? { other: sortById(other) } : {})
    }
  }
  const other = [...fields].filter(([id]) => !profileIds.has(id)).map(([id, value]) => ({ id, value }))
  return Result.succeed({
    initiation: init === "11" ? "static" : "dynamic",
    bankBin: bin,
    bank,
    account,
    service,
    ...(amount === undefined ? {} : { amount }),
    ...(fields.has("59") ? { merchantName: fields.get("59") as string } : {}),
    ...(fields.has("60") ? { merchantCity: fields.get("60") as string } : {}),
    ...(additionalData === undefined ? {} : { additionalData }),
    ...(other.length > 0 ? { other: sortById(other) } : {})
  })
}
