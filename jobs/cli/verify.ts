/**
 * `bienlai verify <token | url | image file>`: checks a receipt's QR token
 * offline, with the trust list and any status lists, and prints the result.
 * The exit code is 0 only when the receipt is valid (1 for every other
 * verdict, 2 for a usage error).
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs"
import { join } from "node:path"
import { Result } from "effect"
import { formatReceiptNumber } from "../../domain/receipt.ts"
import { indexStatusLists, openStatusList } from "../../domain/signing/status-list.ts"
import type { StatusList } from "../../domain/signing/status-list.ts"
import { extractToken } from "../../domain/signing/url.ts"
import { verify } from "../../domain/signing/verify.ts"
import type { VerifyResult } from "../../domain/signing/verify.ts"
import { defaultKeysDir } from "../keys/keystore.ts"
import { loadTrustList } from "../keys/trust-list.ts"
import { scanReceiptQr } from "../qr/decode.ts"
import { readCommandLine } from "../bin/command-line.ts"

export const summary = "verify a receipt QR (token, URL or image) offline; exit 0 only when valid"

const usage = `usage: bienlai verify <token | url | image file> [--trust trust-list.json] [--status FILE_OR_DIR]... [--json]

--trust   the published trust list (default: BIENLAI_TRUST_LIST, else <BIENLAI_KEYS_DIR>/trust-list.json)
--status  signed status lists (.bin files, or a directory of them; default: BIENLAI_STATUS_DIR if set)`

const headline: Record<VerifyResult["_tag"], string> = {
  Valid: "HỢP LỆ / VALID",
  SignatureInvalid: "CHỮ KÝ KHÔNG HỢP LỆ / SIGNATURE INVALID",
  UnknownKey: "KHÓA KHÔNG RÕ / UNKNOWN KEY",
  CertificateNotValidAtIssueDate: "CHỨNG THƯ KHÔNG CÓ HIỆU LỰC VÀO NGÀY LẬP / CERTIFICATE NOT VALID AT ISSUE DATE",
  CertificateRevoked: "CHỨNG THƯ ĐÃ BỊ THU HỒI / CERTIFICATE REVOKED",
  Voided: "BIÊN LAI ĐÃ HỦY / VOIDED",
  Replaced: "BIÊN LAI ĐÃ BỊ THAY THẾ / REPLACED",
  Malformed: "MÃ KHÔNG ĐÚNG ĐỊNH DẠNG / MALFORMED"
}

const statusFiles = (paths: ReadonlyArray<string>): Array<string> =>
  paths.flatMap((p) =>
    existsSync(p) && statSync(p).isDirectory()
      ? readdirSync(p).filter((f) => f.endsWith(".bin")).map((f) => join(p, f))
      : [p]
  )

const describe = (r: VerifyResult): Array<string> => {
  const lines = [headline[r._tag], r.message]
  if ("receipt" in r) {
    const s = r.receipt
    lines.push(
      `  agency     ${s.agency}`,
      `  series     ${s.series.form} ${s.series.symbol}  số ${formatReceiptNumber(s.number)}`,
      `  issued     ${s.issuedAt}`,
      `  amount     ${s.amount.toString()} đồng`,
      `  payer      ${s.maskedName}`,
      `  key        ${s.keyId}`,
      `  status as of ${r.statusAsOf ?? "(no status list for this series)"}`
    )
  }
  return lines
}

export const run = async (args: ReadonlyArray<string>): Promise<number> => {
  const parsed = readCommandLine("verify", usage, args, {
    trust: { type: "string" }, status: { type: "string", multiple: true }, json: { type: "boolean" }
  })
  if (typeof parsed === "number") return parsed
  const { values, positionals } = parsed
  const input = positionals[0]
  if (input === undefined || positionals.length > 1) {
    console.error(`${usage}\n\n(quote a token: it may contain spaces)`)
    return 2
  }

  const trustPath = values.trust ?? process.env.BIENLAI_TRUST_LIST ?? join(defaultKeysDir(), "trust-list.json")
  if (!existsSync(trustPath)) {
    console.error(`bienlai verify: no trust list at ${trustPath} (give --trust, or run \`bienlai keys init\`)`)
    return 2
  }
  let trustJson: unknown
  try {
    trustJson = JSON.parse(readFileSync(trustPath, "utf8"))
  } catch {
    console.error(`bienlai verify: ${trustPath} is not JSON`)
    return 2
  }
  const loaded = await loadTrustList(trustJson)
  if (Result.isFailure(loaded)) {
    console.error(`bienlai verify: ${loaded.failure.message}`)
    return 2
  }
  const trust = loaded.success.anchors
  for (const r of loaded.success.rejected) console.error(`warning: trust list entry ${r.keyId} ignored: ${r.reason}`)

  const lists: Array<StatusList> = []
  const statusPaths = values.status ?? (process.env.BIENLAI_STATUS_DIR ? [process.env.BIENLAI_STATUS_DIR] : [])
  for (const file of statusFiles(statusPaths)) {
    const opened = existsSync(file) ? await openStatusList(new Uint8Array(readFileSync(file)), trust) : undefined
    if (opened === undefined) console.error(`warning: status list ${file} does not exist`)
    else if (Result.isFailure(opened)) console.error(`warning: ${file}: ${opened.failure.message}`)
    else lists.push(opened.success)
  }

  let token: string
  if (existsSync(input) && statSync(input).isFile()) {
    const scan = await scanReceiptQr(new Uint8Array(readFileSync(input)))
    if (scan._tag === "NoQr") {
      console.log(values.json ? JSON.stringify({ result: "NoQr", message: scan.message }) : `KHÔNG TÌM THẤY MÃ QR / NO QR FOUND\n${scan.message}`)
      return 1
    }
    if (scan._tag === "NotBienlai") {
      console.log(values.json ? JSON.stringify({ result: "NotBienlai", text: scan.text }) : `KHÔNG PHẢI MÃ QR BIÊN LAI / NOT A BIENLAI QR\n${scan.message}: ${scan.text}`)
      return 1
    }
    token = scan.token
  } else {
    const source = extractToken(input)
    if (source._tag === "NotBienlai") {
      console.log(values.json ? JSON.stringify({ result: "NotBienlai", text: input }) : `KHÔNG PHẢI MÃ BIÊN LAI / NOT A BIENLAI TOKEN OR URL\n${input}`)
      return 1
    }
    token = source.token
  }

  const result = await verify(token, trust, indexStatusLists(lists))
  if (values.json) {
    console.log(JSON.stringify({ result: result._tag, ...result }, (_, v) => (typeof v === "bigint" ? v.toString() : v)))
  } else {
    console.log(describe(result).join("\n"))
  }
  return result._tag === "Valid" ? 0 : 1
}
