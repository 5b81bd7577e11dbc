/**
 * `npm run bench:report [-- --receipts 300000]`: the statistical money
 * report of one large agency's year, and what closing a period costs the
 * receipts table, on PostgreSQL (DATABASE_URL or TEST_DATABASE_URL) in a
 * schema of its own.
 *
 * Synthetic data: N issued receipts over the statistical year 2025 (01/10/2024
 * – 30/09/2025; Ho Chi Minh City issues about 90,000 a year), one in ten
 * voided three days later, across 12 regional offices.
 *
 *   report    ours: `computeMoneyReport` (read the year's events, compute the
 *             12-month report) and the PDF, XLSX and CSV of it;
 *             baseline: one SQL aggregate of the same counts and sums by
 *             office and month (what the database alone needs to read them);
 *   closing   asking and approving the closing of 2025/12 (each computes the
 *             report again);
 *   inserts   loading N more receipts (the next year) while no period is
 *             closed (baseline) and while 2025/12 is closed (ours): the cost
 *             of the closed-period trigger on bulk loads.
 *
 * Goals: the year's report and its three files under 10 s for 300,000
 * receipts; the closed report's files byte-identical when made again; the
 * closed-period check adding under 25 % to a bulk insert. The final line is JSON.
 */
import { parseArgs } from "node:util"
import { renderReportFile } from "../adapters/reports/report-file.ts"
import { migrate } from "../store/database/migrate.ts"
import { openPostgres } from "../store/database/postgres-db.ts"
import type { Db } from "../store/database/db.ts"
import { computeMoneyReport, decideClosing, reportHeader, requestClosing } from "../store/reports/money-reports.ts"

const { values } = parseArgs({ options: { receipts: { type: "string", default: "300000" } } })
const N = Number(values.receipts)
const url = process.env["DATABASE_URL"] || process.env["TEST_DATABASE_URL"]
if (url === undefined) throw new Error("bench:report needs DATABASE_URL or TEST_DATABASE_URL (a PostgreSQL server)")
const schema = `bench_report_${Date.now().toString(36)}`

const seconds = async <A>(f: () => Promise<A>): Promise<{ value: A; s: number }> => {
  const t = performance.now()
  const value = await f()
  return { value, s: (performance.now() - t) / 1000 }
}

/** N receipts spread evenly over the statistical year ending 30 September `year`, numbered from `offset`, in statements of 20,000. */
const load = async (db: Db, year: number, offset: number) => {
  for (let from = 0; from < N; from += CHUNK) await loadChunk(db, year, offset, from, Math.min(CHUNK, N - from))
}
const CHUNK = 20_000
const loadChunk = (db: Db, year: number, offset: number, from: number, count: number) =>
  db.query(
    `WITH g AS (
       SELECT i, timestamptz '${year - 1}-09-30T17:00:00Z' + (i - $1::integer) * (interval '365 days' / $2::integer) + interval '1 minute' AS at
         FROM generate_series($1::integer + $3::integer, $1::integer + $3::integer + $4::integer - 1) i)
     INSERT INTO receipts (agency, id, office, form, symbol, number, lookup_code, status, amount, maker, approver, created_at, issued_at,
                           canonical, seal_algorithm, seal_key_id, seal_signature, voided_reason, voided_by, voided_at, status_by, status_at)
     SELECT 'HCM', gen_random_uuid(), 'HCM-KV' || lpad(((i % 12) + 1)::text, 2, '0'), '01-BLTHADS',
            'AA/' || right(vietnam_year(at)::text, 2) || 'E', i + 1, lpad(upper(to_hex(i + 1)), 12, '0'),
            CASE WHEN i % 10 = 0 THEN 'voided' ELSE 'issued' END, 100000 + (i % 997) * 1000, 'lan.nguyen', 'hung.tran', at, at,
            '{}', 'Ed25519', 'k1', 'sig',
            CASE WHEN i % 10 = 0 THEN 'sai' END, CASE WHEN i % 10 = 0 THEN 'hung.tran' END,
            CASE WHEN i % 10 = 0 THEN least(at + interval '3 days', timestamptz '${year}-09-30T16:59:00Z') END, 'hung.tran', at
       FROM g`,
    [offset, N, from, count]
  )

const main = async () => {
  const admin = openPostgres({ url, max: 1 })
  await admin.exec(`CREATE SCHEMA ${schema}`)
  const db = openPostgres({ url, max: 4, schema, applicationName: "bienlai-bench-report" })
  try {
    await migrate(db)
    await db.query("INSERT INTO agencies (code, name, parent_name, place) VALUES ('HCM', 'Thi hành án dân sự Thành phố Hồ Chí Minh', 'BỘ TƯ PHÁP', 'TP. Hồ Chí Minh')")
    await load(db, 2025, 0)
    await db.exec("ANALYZE receipts")
    const period = { year: 2025, months: 12 }
    const asOf = "2025-10-02T03:00:00.000Z"

    const baseline = await seconds(() =>
      db.query(
        `SELECT office, date_trunc('month', issued_at AT TIME ZONE 'Asia/Ho_Chi_Minh') AS m, count(*), sum(amount),
                count(*) FILTER (WHERE voided_at IS NOT NULL), sum(amount) FILTER (WHERE voided_at IS NOT NULL)
           FROM receipts WHERE agency = 'HCM' AND issued_at >= '2024-09-30T17:00:00Z' AND issued_at < '2025-09-30T17:00:00Z'
          GROUP BY 1, 2`
      )
    )
    const ours = await seconds(() => computeMoneyReport(db, { agencies: ["HCM"], period, asOf }))
    const report = ours.value
    if (report.total.issued.count !== N) throw new Error(`the report counts ${report.total.issued.count} receipts, not ${N}`)
    const header = await reportHeader(db, report, ["HCM"])
    const files = await seconds(async () => {
      const out: Record<string, Uint8Array> = {}
      for (const f of ["pdf", "xlsx", "csv"] as const) out[f] = (await renderReportFile(report, header, f, "HCM")).bytes
      return out
    })

    const closing = await seconds(async () => {
      const { request } = await requestClosing(db, { officer: "hung.tran", agency: "HCM", role: "approver" }, period, asOf, crypto.randomUUID())
      await decideClosing(db, { officer: "bao.pham", agency: "HCM", role: "admin" }, request.id, request.snapshotSha256, "closed", "2025-10-02T04:00:00.000Z")
    })
    const closed = await computeMoneyReport(db, { agencies: ["HCM"], period, asOf: "2025-11-01T00:00:00.000Z" })
    const closedHeader = await reportHeader(db, closed, ["HCM"])
    const first: Record<string, Buffer> = {}
    let identical = true
    for (const round of [0, 1]) {
      for (const f of ["pdf", "xlsx", "csv"] as const) {
        const bytes = Buffer.from((await renderReportFile(closed, closedHeader, f, "HCM")).bytes)
        if (round === 0) first[f] = bytes
        else identical &&= bytes.equals(first[f]!)
      }
    }

    // Inserts into the next year: first with the closing hidden (no period closed), then with it.
    await db.exec("ALTER TABLE report_closings DISABLE TRIGGER report_closings_guard")
    await db.query("UPDATE report_closings SET decision = NULL, decided_by = NULL, decided_at = NULL")
    const insertsOpen = await seconds(() => load(db, 2026, N))
    await db.query("UPDATE report_closings SET decision = 'closed', decided_by = 'bao.pham', decided_at = '2025-10-02T04:00:00Z'")
    await db.exec("ALTER TABLE report_closings ENABLE TRIGGER report_closings_guard")
    const insertsClosed = await seconds(() => load(db, 2027, 2 * N))

    const result = {
      bench: "report",
      receipts: N,
      report_s: Number(ours.s.toFixed(3)),
      baseline_sql_aggregate_s: Number(baseline.s.toFixed(3)),
      files_s: Number(files.s.toFixed(3)),
      file_bytes: Object.fromEntries(Object.entries(files.value).map(([k, v]) => [k, v.byteLength])),
      closing_s: Number(closing.s.toFixed(3)),
      closed_files_identical: identical,
      insert_no_closed_period_s: Number(insertsOpen.s.toFixed(3)),
      insert_with_closed_period_s: Number(insertsClosed.s.toFixed(3)),
      goals: {
        report_and_files_under_10s: ours.s + files.s < 10,
        closed_files_identical: identical,
        closed_period_check_under_25pct: insertsClosed.s < insertsOpen.s * 1.25
      }
    }
    console.log(JSON.stringify(result))
  } finally {
    await db.close()
    await admin.exec(`DROP SCHEMA ${schema} CASCADE`)
    await admin.close()
  }
}

await main()
