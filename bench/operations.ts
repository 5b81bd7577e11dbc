/**
 * `npm run bench:operations`: the operations view's reading at scale, on
 * PostgreSQL (DATABASE_URL or TEST_DATABASE_URL; a fresh schema, dropped
 * afterwards). Loads BENCH_ROWS issued receipts (default 1,000,000, half a
 * year of 34 agencies, 40% in HCM), then times, side by side in the same run:
 *
 *   - the national snapshot and one agency's (store/operations/snapshot.ts): cold (every
 *     part read, as once a minute) and warm (the period's slow parts held, as a live
 *     screen reads it every 2 s: edge/operations/feed.ts);
 *   - the baseline: what the same figures cost without store/operations, the agency
 *     dashboard's queries for every agency plus the full numbering audit
 *     (store/receipts/numbering-audit.ts, gap by gap) of the country.
 *
 * Goal: the warm national snapshot in under 200 ms at 1,000,000 receipts (a
 * wall screen refreshes every 2 s), the cold one well under the baseline.
 * Prints a table and a final JSON line.
 */
import { openPostgres } from "../store/database/postgres-db.ts"
import { migrate } from "../store/database/migrate.ts"
import { operationsSnapshot } from "../store/operations/snapshot.ts"
import { makeHeld } from "../edge/operations/feed.ts"
import { auditNumbering } from "../store/receipts/numbering-audit.ts"
import { countsByStatus, figuresPerDay } from "../store/receipts/agency-figures.ts"

const url = process.env.DATABASE_URL || process.env.TEST_DATABASE_URL
if (!url) {
  console.error("bench:operations needs PostgreSQL: set DATABASE_URL or TEST_DATABASE_URL")
  process.exit(2)
}
const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000)
const GOAL_MS = 200
const now = "2025-06-30T03:00:00.000Z"
const schema = `bench_operations_${Date.now().toString(36)}`
const admin = openPostgres({ url, max: 1 })
await admin.exec(`CREATE SCHEMA ${schema}`)
const db = openPostgres({ url, max: 2, schema })

const median = async (n: number, f: () => Promise<unknown>) => {
  const times: Array<number> = []
  for (let i = 0; i < n; i++) {
    const t = performance.now()
    await f()
    times.push(performance.now() - t)
  }
  times.sort((a, b) => a - b)
  return Math.round(times[Math.floor(n / 2)]! * 10) / 10
}

try {
  const t0 = performance.now()
  await migrate(db)
  // Issued rows written directly (the triggers that guard the store's own writes are off for the load):
  // 2025-01-01 to 2025-06-30, numbered per agency without gaps, and their series counters.
  await db.transaction(async (tx) => {
    await tx.exec(`
      SET LOCAL session_replication_role = replica;
      INSERT INTO agencies (code, name)
      SELECT 'HCM', 'Cục THADS TP. Hồ Chí Minh' UNION ALL SELECT 'A' || lpad(g::text, 2, '0'), 'Cục THADS ' || g FROM generate_series(1, 33) g;
      SELECT setseed(0.19);
      CREATE TEMP TABLE gen AS
      SELECT g AS n, CASE WHEN g % 10 < 4 THEN 'HCM' ELSE 'A' || lpad((1 + g % 33)::text, 2, '0') END AS agency,
             timestamptz '2025-01-01 00:00+07' + ((g::double precision / ${ROWS}) * interval '180 days') AS at,
             1000000 + floor(power(random(), 3) * 5000000000)::bigint AS amount,
             CASE WHEN g % 50 = 0 THEN 'voided' ELSE 'issued' END AS status
        FROM generate_series(1::bigint, ${ROWS}::bigint) g;
      INSERT INTO receipts (agency, id, office, form, symbol, number, lookup_code, status, amount, maker, approver, created_at, issued_at,
                            canonical, seal_algorithm, seal_key_id, seal_signature, voided_reason, voided_by, voided_at, status_by, status_at)
      SELECT agency, gen_random_uuid(), agency || '-KV0' || (n % 7 + 1), '01-BLTHADS', 'AA/25E',
             row_number() OVER (PARTITION BY agency ORDER BY n), upper(lpad(to_hex(n), 12, '0')), status, amount,
             'lan.nguyen', 'hung.tran', at, at, '{}', 'ECDSA-P256', 'bench', 'sig',
             CASE WHEN status = 'voided' THEN 'bench' END, CASE WHEN status = 'voided' THEN 'hung.tran' END, CASE WHEN status = 'voided' THEN at END,
             'hung.tran', at
        FROM gen;
      INSERT INTO series_counter (agency, form, symbol, last_number, last_block)
      SELECT agency, '01-BLTHADS', 'AA/25E', count(*), 1 FROM gen GROUP BY agency;
    `)
  }, { timeoutMs: 1_800_000 })
  await db.exec("ANALYZE receipts; ANALYZE series_counter")
  const loadSeconds = (performance.now() - t0) / 1000
  console.error(`loaded ${ROWS} receipts in ${loadSeconds.toFixed(1)} s`)

  const agencies = (await db.query<{ code: string }>("SELECT code FROM agencies ORDER BY code")).map((a) => a.code)
  const national = await operationsSnapshot(db, { kind: "national" }, now)
  if (BigInt(national.receipts.periodIssued) !== BigInt(ROWS) || !national.numbering.healthy) throw new Error("the snapshot does not count what was loaded")
  const since = new Date(Date.parse(now) - 30 * 86_400_000).toISOString()
  const held = makeHeld(3_600_000)
  await operationsSnapshot(db, { kind: "national" }, now, held)
  await operationsSnapshot(db, { kind: "agency", agency: "HCM" }, now, held)
  const results = {
    nationalColdMs: await median(5, () => operationsSnapshot(db, { kind: "national" }, now)),
    nationalWarmMs: await median(9, () => operationsSnapshot(db, { kind: "national" }, now, held)),
    agencyColdMs: await median(5, () => operationsSnapshot(db, { kind: "agency", agency: "HCM" }, now)),
    agencyWarmMs: await median(9, () => operationsSnapshot(db, { kind: "agency", agency: "HCM" }, now, held)),
    // The baseline: the dashboard's queries per agency, and the numbering audit of the country.
    baselineMs: await median(3, async () => {
      for (const a of agencies) {
        await figuresPerDay(db, a, since)
        await countsByStatus(db, a)
      }
      await auditNumbering(db, {})
    })
  }
  const ratio = Math.round((results.nationalColdMs / results.baselineMs) * 1000) / 1000
  console.error(`national snapshot     cold ${results.nationalColdMs} ms, warm ${results.nationalWarmMs} ms (goal < ${GOAL_MS} ms)`)
  console.error(`HCM snapshot          cold ${results.agencyColdMs} ms, warm ${results.agencyWarmMs} ms`)
  console.error(`baseline (dashboards + full audit) ${results.baselineMs} ms`)
  console.log(JSON.stringify({ rows: ROWS, agencies: agencies.length, loadSeconds: Math.round(loadSeconds), ...results, nationalColdToBaseline: ratio, goalMs: GOAL_MS, goalMet: results.nationalWarmMs < GOAL_MS }))
} finally {
  await db.close()
  if (process.env.BENCH_KEEP === "1") console.error(`kept schema ${schema}`)
  else await admin.exec(`DROP SCHEMA ${schema} CASCADE`)
  await admin.close()
}
