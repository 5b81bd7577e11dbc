/**
 * `bienlai payout notices --agency A --case D --round N --out FILE [--public-url URL]`:
 * signs the QR token of every creditor's notice of an approved round with the
 * agency's token key (BIENLAI_KEYS_DIR, BIENLAI_KEY_PASSPHRASE), stores them
 * (a notice already asked for keeps its token), and writes a CSV for printing
 * the notices (mail merge): lookup code, claim, creditor, amounts, and the URL
 * the QR code holds (docs/PAYOUT.md, "Notices").
 */
import { writeFileSync } from "node:fs"
import { Effect } from "effect"
import { Signer } from "../../domain/ports/signer.ts"
import { noticeTokenClaims, signNoticeToken } from "../../domain/payout/notice-sign.ts"
import { decodeNoticeToken } from "../../domain/payout/notice-token.ts"
import { qrContent } from "../../domain/signing/url.ts"
import { signRoundNotices } from "../../store/payout/notice-batch.ts"
import { roundIdOf } from "../../store/payout/report.ts"
import { openAgencySigner } from "./agency-signer.ts"
import { type Fail, nowIso, stepTimer, withDb } from "./context.ts"

export interface NoticesFlags {
  readonly agency: string
  readonly caseDecision: string
  readonly round: number
  readonly out: string
  readonly publicUrl: string
  readonly schema: string | undefined
  readonly json: boolean
}

/** A CSV field, quoted when it must be (RFC 4180). */
const field = (s: string) => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s)

export const runNotices = async (flags: NoticesFlags, fail: Fail): Promise<number> => {
  const signer = await openAgencySigner(fail)
  if (typeof signer === "number") return signer
  return withDb(flags.schema, fail, async (db) => {
    const step = stepTimer("notices")
    const roundId = await roundIdOf(db, flags.agency, flags.caseDecision, flags.round)
    step("signing and storing the notices' QR tokens")
    let shown = -1
    const result = await signRoundNotices(db, {
      agency: flags.agency,
      roundId,
      now: nowIso(),
      sign: async (content, bytes, firstLine) => {
        const token = await Effect.runPromise(Effect.provideService(Effect.flatMap(noticeTokenClaims(content, bytes, firstLine), signNoticeToken), Signer, signer))
        const decoded = decodeNoticeToken(token)
        if (decoded._tag === "Failure") throw new Error(`a freshly signed notice token does not read: ${decoded.failure.message}`)
        return { token, keyId: decoded.success.keyId }
      },
      progress: (done, total) => {
        const percent = total === 0 ? 100 : Math.floor((done * 100) / total)
        if (percent !== shown && process.stderr.isTTY) process.stderr.write(`\rpayout notices: ${done} notices (${percent} % of the lines read)`)
        shown = percent
      }
    })
    if (process.stderr.isTTY) process.stderr.write("\n")
    step("writing the file")
    const header = "lookup_code,claim_id,creditor_name,amount,fee,net,qr_url"
    const rows = result.notices.map((n) => [n.lookupCode, n.claimId, n.creditorName, n.amount, n.fee, n.net, qrContent(flags.publicUrl, n.token)].map(field).join(","))
    writeFileSync(flags.out, `${[header, ...rows].join("\n")}\n`)
    step.done()
    if (flags.json) console.log(JSON.stringify({ roundId, notices: result.notices.length, signed: result.signed, out: flags.out }))
    else console.log(`${result.notices.length} notices of round ${flags.round} of case ${flags.caseDecision} in ${flags.out}; ${result.signed} tokens signed now, ${result.notices.length - result.signed} were stored before`)
    return 0
  })
}
