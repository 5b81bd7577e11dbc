/**
 * The drafts the console lists, within one agency: a maker's drafts made
 * from scans (the inbox) and the drafts submitted for approval (the
 * approval queue). Whether a draft is submitted is its status, kept by the
 * store and the database (migration 0200), never an entry of the console's
 * own.
 */
import { NOT_READ } from "../../domain/submission.ts"
import type { Sql } from "../database/db.ts"
import { hasScanSql } from "../scans/scan-reads.ts"

export interface DraftRow {
  readonly id: string
  readonly maker: string
  readonly status: "draft" | "submitted"
  readonly payerName: string
  readonly amount: string
  readonly createdAt: string
  /** When its maker submitted it (null while it is a draft). */
  readonly submittedAt: string | null
  /** The hash of the content submitted, which an approval names (null while it is a draft). */
  readonly contentSha256: string | null
  readonly hasScan: boolean
  /** A required field still holds the unread placeholder: its maker must fill it before submitting. */
  readonly unread: boolean
}

type Raw = {
  id: string
  maker: string
  status: "draft" | "submitted"
  payer_name: string
  amount: string
  created_at: string
  submitted_at: string | null
  content_sha256: string | null
  has_scan: boolean | string
  unread: boolean | string
}

// A constant of the domain, quoted as an SQL literal.
const notRead = `'${NOT_READ.replace(/'/g, "''")}'`

const draftsSql = (where: string) => `
SELECT r.id::text AS id, r.maker, r.status, r.draft -> 'payer' ->> 'name' AS payer_name, r.amount::text AS amount,
       iso_instant(r.created_at) AS created_at,
       CASE WHEN r.status = 'submitted' THEN iso_instant(r.status_at) END AS submitted_at, r.content_sha256,
       ${hasScanSql("r")} AS has_scan,
       (r.draft -> 'payer' ->> 'name' = ${notRead} OR r.draft ->> 'reason' = ${notRead}) AS unread
  FROM receipts r
 WHERE r.agency = $1::text ${where}
 ORDER BY r.created_at DESC, r.id DESC
 LIMIT 500`

const truthy = (v: boolean | string): boolean => v === true || v === "t"

const toDraftRow = (r: Raw): DraftRow => ({
  id: r.id,
  maker: r.maker,
  status: r.status,
  payerName: r.payer_name,
  amount: r.amount,
  createdAt: r.created_at,
  submittedAt: r.submitted_at,
  contentSha256: r.content_sha256,
  hasScan: truthy(r.has_scan),
  unread: truthy(r.unread)
})

/** Drafts made from scans by this officer, submitted or not, newest first. */
export const inboxDrafts = async (db: Sql, agency: string, officer: string): Promise<ReadonlyArray<DraftRow>> =>
  (await db.query<Raw>(
    draftsSql(`AND r.status IN ('draft', 'submitted') AND r.maker = $2::text AND ${hasScanSql("r")}`),
    [agency, officer]
  )).map(toDraftRow)

/** The drafts submitted for approval: the approval queue, newest first. */
export const submittedDrafts = async (db: Sql, agency: string): Promise<ReadonlyArray<DraftRow>> =>
  (await db.query<Raw>(draftsSql("AND r.status = 'submitted'"), [agency])).map(toDraftRow)

/** How many drafts of the agency wait for their makers (not submitted yet): the queue says so. */
export const unsubmittedCount = async (db: Sql, agency: string): Promise<number> =>
  Number((await db.query<{ n: string }>("SELECT count(*)::text AS n FROM receipts WHERE agency = $1::text AND status = 'draft'", [agency]))[0]?.n ?? 0)
