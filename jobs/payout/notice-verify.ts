/**
 * `bienlai verify` for a payout notice's QR token (kind 0x11): the same
 * checks and exit codes as for a receipt (jobs/cli/verify.ts), with the
 * round's notice status list from --status files (those that are notice
 * lists; receipts' lists are skipped) and, unless offline, from the
 * configured public service (never the host in the QR).
 *
 * Exit codes: 0 valid (authentic, with a fresh status: whatever state its
 * lines are in, which is printed); 1 not valid (forged, unknown key,
 * revoked, malformed); 3 authentic but status unknown.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs"
import { join } from "node:path"
import { Result } from "effect"
import { indexNoticeStatus, type NoticeStatusList, openNoticeStatus } from "../../domain/payout/notice-status.ts"
import { authenticateNotice, judgeNoticeStatus, type NoticeVerifyResult } from "../../domain/payout/notice-verify.ts"
import type { TrustAnchors } from "../../domain/signing/trust.ts"
import { publicServiceClient } from "../../adapters/public-service/client.ts"

const headline: Record<NoticeVerifyResult["_tag"], string> = {
  Valid: "GIẤY BÁO NHẬN TIỀN HỢP LỆ / VALID PAYOUT NOTICE",
  StatusUnknown: "GIẤY BÁO XÁC THỰC — CHƯA RÕ TÌNH TRẠNG / AUTHENTIC PAYOUT NOTICE, STATUS UNKNOWN",
  SignatureInvalid: "CHỮ KÝ KHÔNG HỢP LỆ / SIGNATURE INVALID",
  UnknownKey: "KHÓA KHÔNG RÕ / UNKNOWN KEY",
  CertificateNotValidAtIssueDate: "CHỨNG THƯ KHÔNG CÓ HIỆU LỰC VÀO NGÀY DUYỆT / CERTIFICATE NOT VALID AT APPROVAL DATE",
  CertificateRevoked: "CHỨNG THƯ ĐÃ BỊ THU HỒI / CERTIFICATE REVOKED",
  Malformed: "MÃ KHÔNG ĐÚNG ĐỊNH DẠNG / MALFORMED"
}

const exitOf = (r: NoticeVerifyResult): number => (r._tag === "Valid" ? 0 : r._tag === "StatusUnknown" ? 3 : 1)

const magic = new TextEncoder().encode("BLPN")
const isNoticeList = (bytes: Uint8Array) => magic.every((b, i) => bytes[i] === b)

const files = (paths: ReadonlyArray<string>): Array<string> =>
  paths.flatMap((p) => (existsSync(p) && statSync(p).isDirectory() ? readdirSync(p).filter((f) => f.endsWith(".bin")).map((f) => join(p, f)) : [p]))

interface Held {
  readonly list: NoticeStatusList
  readonly source: string
}

export const verifyNoticeToken = async (
  token: string,
  ctx: {
    readonly trust: TrustAnchors
    readonly service: string | undefined
    readonly statusPaths: ReadonlyArray<string>
    readonly json: boolean
    readonly qrHost: string | null
    readonly qrWarning: string | undefined
    readonly warn: (line: string) => void
  }
): Promise<number> => {
  const print = (r: NoticeVerifyResult, source: string | undefined) => {
    if (ctx.json) {
      console.log(JSON.stringify({ result: r._tag, kind: "payout-notice", ...r, qrHost: ctx.qrHost, statusSource: source ?? null }, (_, v) => (typeof v === "bigint" ? v.toString() : v)))
      return
    }
    const lines = [headline[r._tag], r.message]
    if (ctx.qrWarning !== undefined) lines.push(ctx.qrWarning)
    if ("notice" in r) {
      const n = r.notice
      lines.push(
        `  kind       payout notice (giấy báo nhận tiền)`,
        `  agency     ${n.agency}`,
        `  case       ${n.caseDecision}`,
        `  round      ${n.round}  (lines ${n.firstLine}–${n.firstLine + n.lineCount - 1})`,
        `  approved   ${n.approvedAt}`,
        `  amount     ${n.amount.toString()} đồng (fee ${n.fee.toString()}, net ${n.net.toString()})`,
        `  creditor   ${n.maskedName}`,
        `  key        ${n.keyId}`
      )
    }
    if (ctx.qrHost !== null) lines.push(`  QR host    ${ctx.qrHost}`)
    if (r._tag === "Valid") lines.push(`  status     ${r.state} (lines: ${r.lines.join(", ")}); as of ${r.statusAsOf} (${r.statusAgeSeconds} s old)${source === undefined ? "" : ` from ${source}`}`)
    else if (r._tag === "StatusUnknown") lines.push(r.statusAsOf === null ? "  status     unknown: no status list of this round" : `  status     unknown (${r.reason}); list as of ${r.statusAsOf}`)
    console.log(lines.join("\n"))
  }

  const authentic = await authenticateNotice(token, ctx.trust)
  if (authentic._tag !== "Authentic") {
    print(authentic, undefined)
    return exitOf(authentic)
  }
  const n = authentic.notice
  const held: Array<Held> = []
  for (const file of files(ctx.statusPaths)) {
    if (!existsSync(file)) continue
    const bytes = new Uint8Array(readFileSync(file))
    // Receipts' status lists may sit in the same folder: only notice lists are read here.
    if (!isNoticeList(bytes)) continue
    const opened = await openNoticeStatus(bytes, ctx.trust)
    if (Result.isFailure(opened)) ctx.warn(`warning: ${file}: ${opened.failure.message}`)
    else held.push({ list: opened.success, source: file })
  }
  if (ctx.service !== undefined) {
    try {
      const bytes = await publicServiceClient(ctx.service).noticeStatusList({ agency: n.agency, caseDecision: n.caseDecision, round: n.round })
      if (bytes === undefined) ctx.warn(`warning: ${ctx.service} has no notice status list of round ${n.round} of ${n.caseDecision}`)
      else {
        const opened = await openNoticeStatus(bytes, ctx.trust)
        if (Result.isFailure(opened)) ctx.warn(`warning: the notice status list from ${ctx.service} was refused: ${opened.failure.message}`)
        else held.push({ list: opened.success, source: `${ctx.service}/api/payout-status-list` })
      }
    } catch (e) {
      ctx.warn(`warning: no notice status list fetched: ${e instanceof Error ? e.message : String(e)}`)
    }
  }
  const result = judgeNoticeStatus(n, indexNoticeStatus(held.map((h) => h.list)), { now: new Date().toISOString() })
  const used = "statusAsOf" in result && result.statusAsOf !== null ? held.find((h) => h.list.issuedAt === result.statusAsOf && h.list.round === n.round && h.list.caseDecision === n.caseDecision) : undefined
  print(result, used?.source)
  return exitOf(result)
}
