/**
 * Every notice of an approved round signed at once, for printing (`bienlai
 * payout notices`): each creditor's notice is built from the stored lines
 * (the same `noticeContentOfLines` as `noticeFor`, so the same bytes), its QR
 * token signed by the caller's `sign` and kept in payout_notice_tokens
 * (migration 0470). A notice whose token is already stored keeps it: the
 * portal and the printed notice show the same QR, whichever came first, and
 * running the command again signs nothing.
 */
import { canonicalJson } from "../../domain/canonical.ts"
import type { Claim } from "../../domain/payout/claim.ts"
import { type NoticeRound, noticeContentOfLines } from "../../domain/payout/notice.ts"
import type { PayoutLine } from "../../domain/payout/plan.ts"
import type { Db } from "../database/db.ts"
import { readClaims } from "./claims.ts"
import { refused } from "./errors.ts"
import { LINE_COLUMNS, type LineRow, payoutLineOf } from "./notices.ts"

export type NoticeContent = NonNullable<ReturnType<typeof noticeContentOfLines>>

/** Signs one notice's token: its content, its canonical bytes and its first line (1-based). */
export type SignNotice = (content: NoticeContent, bytes: Uint8Array, firstLine: number) => Promise<{ readonly token: string; readonly keyId: string }>

export interface SignedRoundNotice {
  readonly lookupCode: string
  readonly claimId: string
  readonly creditorName: string
  readonly amount: string
  readonly fee: string
  readonly net: string
  readonly token: string
}

export interface RoundNoticesSummary {
  readonly notices: ReadonlyArray<SignedRoundNotice>
  /** Signed by this run; the others were stored before. */
  readonly signed: number
}

const PAGE = 20_000
const INSERT_CHUNK = 5_000

const toHex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("")
const sha256Hex = async (bytes: Uint8Array) => toHex(new Uint8Array(await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>)))

export const signRoundNotices = async (
  db: Db,
  input: { readonly agency: string; readonly roundId: string; readonly now: string; readonly sign: SignNotice; readonly progress?: (done: number, total: number) => void }
): Promise<RoundNoticesSummary> => {
  const [r] = await db.query<{ case_decision: string; round: number; status: string; legal_date: string; approved_sha256: string | null; approver: string | null; approved_at: string | null; line_count: number }>(
    `SELECT case_decision, round, status, terms->>'legalDate' AS legal_date, approved_sha256, approver, iso_instant(approved_at) AS approved_at, line_count
       FROM payout_rounds WHERE agency = $1::text AND id = $2::uuid`,
    [input.agency, input.roundId]
  )
  if (r === undefined) throw refused("round_not_found", `agency ${input.agency} has no payout round ${input.roundId}`)
  if (r.status !== "approved") throw refused("not_approved", `round ${r.round} of case ${r.case_decision} is not approved: its notices do not exist yet`)
  const round: NoticeRound = {
    agency: input.agency,
    caseDecision: r.case_decision,
    round: Number(r.round),
    legalDate: r.legal_date,
    plan: { id: input.roundId, sha256: r.approved_sha256!, approver: r.approver!, approvedAt: r.approved_at! }
  }
  const claims = new Map<string, Claim>((await readClaims(db, input.agency, r.case_decision)).map((c) => [c.id, c]))
  const stored = new Map(
    (await db.query<{ lookup_code: string; token: string }>(
      "SELECT lookup_code, token FROM payout_notice_tokens WHERE agency = $1::text AND round_id = $2::uuid",
      [input.agency, input.roundId]
    )).map((x) => [x.lookup_code, x.token])
  )

  const notices: Array<SignedRoundNotice> = []
  const fresh: Array<{ lookup_code: string; claim_id: string; notice_sha256: string; token: string; key_id: string }> = []
  let signed = 0
  // Many rows a statement as one JSON parameter (as store/reconciliation does): no statement with thousands of parameters.
  const flush = async () => {
    for (let i = 0; i < fresh.length; i += INSERT_CHUNK) {
      await db.query(
        `INSERT INTO payout_notice_tokens (agency, lookup_code, round_id, claim_id, notice_sha256, token, key_id, signed_at)
         SELECT $1::text, x.lookup_code, $2::uuid, x.claim_id, x.notice_sha256, x.token, x.key_id, $3::timestamptz
           FROM jsonb_to_recordset($4::text::jsonb) AS x(lookup_code text, claim_id text, notice_sha256 text, token text, key_id text)
         ON CONFLICT (agency, lookup_code) DO NOTHING`,
        [input.agency, input.roundId, input.now, JSON.stringify(fresh.slice(i, i + INSERT_CHUNK))]
      )
    }
    fresh.length = 0
  }

  // One claim's lines are consecutive in plan order (catch-ups, then its own line).
  let group: Array<{ line: PayoutLine; lookupCode: string | null; lineNo: number }> = []
  const close = async () => {
    if (group.length === 0) return
    const own = group.find((g) => g.lookupCode !== null)
    const lines = group.map((g) => g.line)
    const firstLine = group[0]!.lineNo
    group = []
    if (own === undefined) return
    const code = own.lookupCode!
    const content = noticeContentOfLines(round, lines, { lookupCode: code })
    if (content === undefined) return
    let token = stored.get(code)
    if (token === undefined) {
      const bytes = new TextEncoder().encode(canonicalJson(content))
      const made = await input.sign(content, bytes, firstLine)
      token = made.token
      fresh.push({ lookup_code: code, claim_id: own.line.claim.id, notice_sha256: await sha256Hex(bytes), token, key_id: made.keyId })
      signed++
    }
    notices.push({ lookupCode: code, claimId: own.line.claim.id, creditorName: content.creditor.name, amount: content.totals.amount, fee: content.totals.fee, net: content.totals.net, token })
  }

  let after = 0
  for (;;) {
    const rows = await db.query<LineRow & { claim_id: string; lookup_code: string | null }>(
      `SELECT ${LINE_COLUMNS}, claim_id, lookup_code FROM payout_lines
        WHERE agency = $1::text AND round_id = $2::uuid AND line_no > $3::integer ORDER BY line_no LIMIT ${PAGE}`,
      [input.agency, input.roundId, after]
    )
    for (const row of rows) {
      const claim = claims.get(row.claim_id)
      if (claim === undefined) throw refused("round_not_found", `line ${row.line_id} names claim ${row.claim_id}, which the case does not have`)
      if (group.length > 0 && group[0]!.line.claim.id !== row.claim_id) await close()
      group.push({ line: payoutLineOf(row, claim), lookupCode: row.lookup_code, lineNo: Number(row.line_no) })
    }
    input.progress?.(notices.length, Number(r.line_count))
    if (fresh.length >= INSERT_CHUNK) await flush()
    if (rows.length < PAGE) break
    after = Number(rows[rows.length - 1]!.line_no)
  }
  await close()
  await flush()
  // A notice first asked for on the portal while this ran keeps the portal's token: the stored one is the one.
  const kept = new Map(
    (await db.query<{ lookup_code: string; token: string }>(
      "SELECT lookup_code, token FROM payout_notice_tokens WHERE agency = $1::text AND round_id = $2::uuid",
      [input.agency, input.roundId]
    )).map((x) => [x.lookup_code, x.token])
  )
  return { notices: notices.map((n) => ({ ...n, token: kept.get(n.lookupCode) ?? n.token })), signed }
}
