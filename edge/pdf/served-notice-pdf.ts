/**
 * The payout notice as a PDF for the creditor who looked it up (code and
 * identity number matched): the agency's letterhead, the notice's lines and
 * states, and its stored QR token drawn as the QR code (adapters/pdf/notice-pdf.ts).
 */
import { noticePdf } from "../../adapters/pdf/notice-pdf.ts"
import { agencyLetterhead } from "../../store/agencies/letterhead.ts"
import type { EdgeServices } from "../services.ts"
import type { NoticeLookupResult } from "../verification/notice-portal.ts"

const STATE_WORDS: Readonly<Record<string, string>> = {
  planned: "đang lập",
  approved: "đã duyệt, chờ chuyển tiền",
  sent: "đã chuyển cho ngân hàng",
  paid: "đã chi trả",
  returned: "ngân hàng trả lại",
  deposited: "đã gửi tiết kiệm"
}

export const servedNoticePdf = async (s: EdgeServices, r: NoticeLookupResult): Promise<{ readonly bytes: Uint8Array; readonly name: string }> => {
  const n = r.notice
  const [heading, qr] = await Promise.all([agencyLetterhead(s.db, n.agency), s.qr.png(r.qrContent, { scale: 4 })])
  const bytes = await noticePdf({
    agencyName: heading?.name ?? n.agencyName ?? `Cơ quan thi hành án dân sự ${n.agency}`,
    ...(heading?.parentName === undefined ? {} : { parentName: heading.parentName }),
    ...(heading?.place === undefined ? {} : { place: heading.place }),
    caseDecision: n.caseDecision,
    round: n.round,
    legalDate: n.legalDate,
    approvedAt: n.approvedAt,
    maskedName: n.creditor.maskedName,
    maskedIdNumber: n.creditor.maskedIdNumber,
    lines: n.lines.map((l) => ({
      label: l.kind === "catch_up" ? `Bù đợt ${l.forRound}` : `Đợt ${l.forRound}`,
      state: STATE_WORDS[l.state] ?? l.state,
      net: BigInt(l.net),
      fee: BigInt(l.fee)
    })),
    amount: BigInt(n.totals.amount),
    fee: BigInt(n.totals.fee),
    net: BigInt(n.totals.net),
    remaining: BigInt(n.remaining),
    lookupCode: n.lookupCode,
    verifyUrl: r.verifyUrl,
    qrPng: qr
  })
  return { bytes, name: `giay-bao-nhan-tien-dot-${n.round}-${n.lookupCode}.pdf` }
}
