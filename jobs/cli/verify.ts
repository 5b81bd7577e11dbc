/**
 * `bienlai verify <token | url | image file>`: checks a receipt's QR token
 * with the trust list and the status lists, and prints the result and how
 * old the status it used is.
 *
 * "Valid" needs a status list of the receipt's series within the freshness
 * its agency stated; without one the answer is "authentic, status unknown".
 * Online, the command fetches the series' current list from the configured
 * public service (never from the host in the QR); --offline fetches nothing.
 *
 * Exit codes: 0 valid; 1 not valid (forged, unknown key, revoked, voided,
 * replaced, not a receipt QR); 3 authentic but status unknown; 2 usage or
 * setup error.
 */
import { existsSync, readFileSync, statSync } from "node:fs"
import { join } from "node:path"
import { formatReceiptNumber } from "../../domain/receipt.ts"
import { sameSeries, seriesOf } from "../../domain/series-key.ts"
import { indexStatusLists } from "../../domain/signing/status-list.ts"
import { extractToken, qrHost } from "../../domain/signing/url.ts"
import { authenticate, judgeStatus } from "../../domain/signing/verify.ts"
import type { VerifyResult } from "../../domain/signing/verify.ts"
import { defaultKeysDir } from "../../adapters/keys/keystore.ts"
import { scanReceiptQr } from "../../adapters/qr/decode.ts"
import { readCommandLine } from "../bin/command-line.ts"
import { isNoticeToken } from "../../domain/payout/notice-token.ts"
import { verifyNoticeToken } from "../payout/notice-verify.ts"
import { fetchedStatusList, fetchedTrust, heldRoots, type HeldStatus, type HeldTrust, localStatusLists, localTrust, VerifySetupError } from "../verify/sources.ts"

export const summary = "verify a receipt or payout notice QR (token, URL or image); exit 0 valid, 1 not valid, 3 authentic but status unknown"

export const exitCodes = { valid: 0, invalid: 1, usage: 2, statusUnknown: 3 } as const

const usage = `usage: bienlai verify <token | url | image file> [--trust trust-list.json] [--status FILE_OR_DIR]...
                      [--service URL | --offline] [--root root.crt.pem] [--json]

--trust    the trust list, signed by the root (default: BIENLAI_TRUST_LIST, else <BIENLAI_KEYS_DIR>/trust-list.json);
           without one, it is fetched from the service; either way an unsigned or altered list is refused
--status   signed status lists (.bin files, or a directory of them; default: BIENLAI_STATUS_DIR if set)
--service  the public service to fetch the receipt's current status list from (default: BIENLAI_SERVICE_URL,
           else the service the trust list names); never the host written in the QR code
--offline  fetch nothing: use only the files given
--root     the root certificate whose signature the trust list must carry (default: <BIENLAI_KEYS_DIR>/root.crt.pem;
           required to fetch one)

"Valid" needs a status list of the receipt's series that is within the freshness its agency stated;
otherwise the answer is "authentic, status unknown".
exit codes: 0 valid, 1 not valid, 3 authentic but status unknown, 2 usage or setup error`

const headline: Record<VerifyResult["_tag"], string> = {
  Valid: "HỢP LỆ / VALID",
  StatusUnknown: "XÁC THỰC — CHƯA RÕ TRẠNG THÁI / AUTHENTIC, STATUS UNKNOWN",
  SignatureInvalid: "CHỮ KÝ KHÔNG HỢP LỆ / SIGNATURE INVALID",
  UnknownKey: "KHÓA KHÔNG RÕ / UNKNOWN KEY",
  CertificateNotValidAtIssueDate: "CHỨNG THƯ KHÔNG CÓ HIỆU LỰC VÀO NGÀY LẬP / CERTIFICATE NOT VALID AT ISSUE DATE",
  CertificateRevoked: "CHỨNG THƯ ĐÃ BỊ THU HỒI / CERTIFICATE REVOKED",
  Voided: "BIÊN LAI ĐÃ HỦY / VOIDED",
  Replaced: "BIÊN LAI ĐÃ BỊ THAY THẾ / REPLACED",
  Malformed: "MÃ KHÔNG ĐÚNG ĐỊNH DẠNG / MALFORMED"
}

export const exitCodeOf = (r: VerifyResult): number =>
  r._tag === "Valid" ? exitCodes.valid : r._tag === "StatusUnknown" ? exitCodes.statusUnknown : exitCodes.invalid

const statusLine = (r: VerifyResult, source: string | undefined): string | undefined => {
  if (!("receipt" in r)) return undefined
  if (r.statusAsOf === null) return "  status     unknown: no status list of this series"
  const vouched = r._tag === "StatusUnknown" && r.freshForSeconds !== null ? `; vouched for ${r.freshForSeconds} s` : ""
  return `  status     as of ${r.statusAsOf} (${r.statusAgeSeconds} s old${vouched})${source === undefined ? "" : ` from ${source}`}`
}

const describe = (r: VerifyResult, extra: { readonly source: string | undefined; readonly qrHost: string | null; readonly qrWarning: string | undefined }): Array<string> => {
  const lines = [headline[r._tag], r.message]
  if (extra.qrWarning !== undefined) lines.push(extra.qrWarning)
  if ("receipt" in r) {
    const s = r.receipt
    lines.push(
      `  agency     ${s.agency}`,
      `  series     ${s.series.form} ${s.series.symbol}  số ${formatReceiptNumber(s.number)}`,
      `  issued     ${s.issuedAt}`,
      `  amount     ${s.amount.toString()} đồng`,
      `  payer      ${s.maskedName}`,
      `  key        ${s.keyId}`
    )
  }
  if (extra.qrHost !== null) lines.push(`  QR host    ${extra.qrHost}`)
  const status = statusLine(r, extra.source)
  if (status !== undefined) lines.push(status)
  return lines
}

type Input = { readonly token: string; readonly text: string } | { readonly exit: number }

const readInput = async (input: string, json: boolean): Promise<Input> => {
  if (existsSync(input) && statSync(input).isFile()) {
    const scan = await scanReceiptQr(new Uint8Array(readFileSync(input)))
    if (scan._tag === "NoQr") {
      console.log(json ? JSON.stringify({ result: "NoQr", message: scan.message }) : `KHÔNG TÌM THẤY MÃ QR / NO QR FOUND\n${scan.message}`)
      return { exit: exitCodes.invalid }
    }
    if (scan._tag === "NotBienlai") {
      console.log(json ? JSON.stringify({ result: "NotBienlai", text: scan.text }) : `KHÔNG PHẢI MÃ QR BIÊN LAI / NOT A BIENLAI QR\n${scan.message}: ${scan.text}`)
      return { exit: exitCodes.invalid }
    }
    return { token: scan.token, text: scan.text }
  }
  const source = extractToken(input)
  if (source._tag === "NotBienlai") {
    console.log(json ? JSON.stringify({ result: "NotBienlai", text: input }) : `KHÔNG PHẢI MÃ BIÊN LAI / NOT A BIENLAI TOKEN OR URL\n${input}`)
    return { exit: exitCodes.invalid }
  }
  return { token: source.token, text: input }
}

const hostOf = (url: string | undefined): string | null => (url === undefined ? null : qrHost(url))

export const run = async (args: ReadonlyArray<string>): Promise<number> => {
  const env = process.env
  const parsed = readCommandLine("verify", usage, args, {
    trust: { type: "string" },
    status: { type: "string", multiple: true },
    service: { type: "string" },
    offline: { type: "boolean" },
    root: { type: "string" },
    json: { type: "boolean" }
  })
  if (typeof parsed === "number") return parsed
  const { values, positionals } = parsed
  const input = positionals[0]
  if (input === undefined || positionals.length > 1) {
    console.error(`${usage}\n\n(quote a token: it may contain spaces)`)
    return exitCodes.usage
  }
  if (values.offline === true && values.service !== undefined) {
    console.error(`bienlai verify: --offline and --service contradict each other\n\n${usage}`)
    return exitCodes.usage
  }
  const warn = (line: string) => console.error(line)
  const json = values.json === true

  try {
    const read = await readInput(input, json)
    if ("exit" in read) return read.exit

    const keysDir = defaultKeysDir(env)
    const trustPath = values.trust ?? env.BIENLAI_TRUST_LIST ?? join(keysDir, "trust-list.json")
    // A root already held (--root, or the key store's) pins whose signature the trust list must carry.
    const roots = heldRoots(values.root, keysDir)
    const local = await localTrust(trustPath, roots, warn)
    const configured = values.service ?? (env.BIENLAI_SERVICE_URL || undefined) ?? local?.serviceUrl
    const service = values.offline === true ? undefined : configured
    let trust: HeldTrust
    if (local !== undefined) trust = local
    else if (service !== undefined) trust = await fetchedTrust(service, roots, warn)
    else throw new VerifySetupError(`no trust list at ${trustPath} (give --trust, run \`bienlai keys init\`, or name a public service with --service)`)

    const authentic = await authenticate(read.token, trust.anchors)
    const host = qrHost(read.text)
    const serviceHost = hostOf(configured)
    const qrWarning = host !== null && serviceHost !== null && host !== serviceHost
      ? `CẢNH BÁO / WARNING: the QR code points to ${host}, not to the public service ${serviceHost}: it may be a copy on another site`
      : undefined
    const extra = { qrHost: host, qrWarning }
    const statusPaths = values.status ?? (env.BIENLAI_STATUS_DIR ? [env.BIENLAI_STATUS_DIR] : [])
    // A payout notice's token (kind 0x11) has its own reader and status lists; the checks and exit codes are the same.
    if (isNoticeToken(read.token)) return await verifyNoticeToken(read.token, { trust: trust.anchors, service, statusPaths, json, qrHost: host, qrWarning, warn })
    if (authentic._tag !== "Authentic") {
      console.log(json ? JSON.stringify({ result: authentic._tag, ...authentic, qrHost: host }) : describe(authentic, { ...extra, source: undefined }).join("\n"))
      return exitCodeOf(authentic)
    }

    const held: Array<HeldStatus> = await localStatusLists(statusPaths, trust.anchors, warn)
    const { receipt } = authentic
    if (service !== undefined) {
      const fetched = await fetchedStatusList(service, { agency: receipt.agency, ...receipt.series }, trust.anchors, warn)
      if (fetched !== undefined) held.push(fetched)
    }
    const lists = indexStatusLists(held.map((h) => h.list))
    const result = judgeStatus(receipt, lists, { now: new Date().toISOString() })
    const used = "statusAsOf" in result && result.statusAsOf !== null
      ? held.find((h) => sameSeries(h.list, seriesOf(receipt)) && h.list.issuedAt === result.statusAsOf)
      : undefined
    if (json) {
      console.log(JSON.stringify({ result: result._tag, ...result, qrHost: host, statusSource: used?.source ?? null }, (_, v) => (typeof v === "bigint" ? v.toString() : v)))
    } else {
      console.log(describe(result, { ...extra, source: used?.source }).join("\n"))
    }
    return exitCodeOf(result)
  } catch (e) {
    if (e instanceof VerifySetupError) {
      console.error(`bienlai verify: ${e.message}`)
      return exitCodes.usage
    }
    throw e
  }
}
