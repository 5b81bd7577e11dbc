/**
 * Officers' search within their agency as SQL: every filter (already checked
 * and normalised by the edge's parser, edge/officers/search.ts) becomes a
 * clause served by an index (store/migrations/0100_edge.sql). Keyset
 * pagination on (created_at, id), newest first, so page 1,000 costs what
 * page 1 costs.
 */
import type { Sql } from "../database/db.ts"

export interface SearchFilters {
  readonly name?: string
  readonly lookupCode?: string
  readonly number?: number
  readonly idNumber?: string
  readonly decisionNumber?: string
  readonly from?: string
  readonly to?: string
  readonly minAmount?: bigint
  readonly maxAmount?: bigint
  readonly status?: "draft" | "submitted" | "issued" | "voided" | "replaced"
  readonly limit: number
  readonly cursor?: { readonly createdAt: string; readonly id: string }
}

export interface SearchItem {
  readonly id: string
  readonly status: string
  readonly series: { readonly form: string; readonly symbol: string }
  readonly number: number | null
  readonly lookupCode: string | null
  readonly amount: string
  readonly payerName: string | null
  readonly maker: string
  readonly createdAt: string
  readonly issuedAt: string | null
}

interface Row {
  readonly id: string
  readonly status: string
  readonly form: string
  readonly symbol: string
  readonly number: number | string | null
  readonly lookup_code: string | null
  readonly amount: string
  readonly payer_name: string | null
  readonly maker: string
  readonly created_at: string
  readonly issued_at: string | null
}

/** A PostgreSQL text[] literal: {"nguyen","van"}. */
const arrayLiteral = (items: ReadonlyArray<string>): string =>
  `{${items.map((w) => `"${w.replace(/["\\]/g, (ch) => `\\${ch}`)}"`).join(",")}}`

const vietnamMidnight = (day: string): string => new Date(Date.parse(`${day}T00:00:00+07:00`)).toISOString()
const nextDay = (day: string): string => new Date(Date.parse(`${day}T00:00:00+07:00`) + 86_400_000).toISOString()

/** One page of the agency's receipts matching `f`, and the cursor of the next page when there is one. */
export const searchReceiptRows = async (
  sql: Sql,
  agency: string,
  f: SearchFilters
): Promise<{ items: Array<SearchItem>; next: SearchFilters["cursor"] | null }> => {
  const params: Array<unknown> = [agency]
  const where = ["r.agency = $1::text"]
  const add = (clause: (n: string) => string, value: unknown) => {
    params.push(value)
    where.push(clause(`$${params.length}`))
  }
  // The words go in as an array literal, not a subquery, so the planner sees
  // them and can choose between the GIN index (rare names) and walking the
  // newest receipts (common names).
  if (f.name !== undefined) add((n) => `s.payer_words @> ${n}::text::text[]`, arrayLiteral(f.name.split(" ")))
  if (f.lookupCode !== undefined) add((n) => `r.lookup_code = ${n}::text`, f.lookupCode)
  if (f.number !== undefined) add((n) => `r.number = ${n}::integer`, f.number)
  if (f.idNumber !== undefined) add((n) => `s.id_number = ${n}::text`, f.idNumber)
  if (f.decisionNumber !== undefined) add((n) => `s.decision_number = ${n}::text`, f.decisionNumber)
  if (f.from !== undefined) add((n) => `r.issued_at >= ${n}::timestamptz`, vietnamMidnight(f.from))
  if (f.to !== undefined) add((n) => `r.issued_at < ${n}::timestamptz`, nextDay(f.to))
  if (f.minAmount !== undefined) add((n) => `r.amount >= ${n}::bigint`, f.minAmount.toString())
  if (f.maxAmount !== undefined) add((n) => `r.amount <= ${n}::bigint`, f.maxAmount.toString())
  if (f.status !== undefined) add((n) => `r.status = ${n}::text`, f.status)
  if (f.cursor !== undefined) {
    params.push(f.cursor.createdAt, f.cursor.id)
    where.push(`(r.created_at, r.id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`)
  }
  params.push(f.limit + 1)
  const rows = await sql.query<Row>(
    `SELECT r.id::text AS id, r.status, r.form, r.symbol, r.number, r.lookup_code, r.amount::text AS amount,
            coalesce(r.draft -> 'payer' ->> 'name', r.canonical::jsonb -> 'payer' ->> 'name') AS payer_name,
            r.maker, iso_instant(r.created_at) AS created_at, iso_instant(r.issued_at) AS issued_at
       FROM receipts r LEFT JOIN receipt_search s ON s.agency = r.agency AND s.id = r.id
      WHERE ${where.join(" AND ")}
      ORDER BY r.created_at DESC, r.id DESC
      LIMIT $${params.length}::integer`,
    params
  )
  const page = rows.slice(0, f.limit)
  const last = page[page.length - 1]
  return {
    items: page.map((r) => ({
      id: r.id,
      status: r.status,
      series: { form: r.form, symbol: r.symbol },
      number: r.number === null ? null : Number(r.number),
      lookupCode: r.lookup_code,
      amount: r.amount,
      payerName: r.payer_name,
      maker: r.maker,
      createdAt: r.created_at,
      issuedAt: r.issued_at
    })),
    next: rows.length > f.limit && last !== undefined ? { createdAt: last.created_at, id: last.id } : null
  }
}
