/**
 * `npm run bench:edge-search`: the officers' search at scale, on PostgreSQL
 * (DATABASE_URL or TEST_DATABASE_URL; a fresh schema, dropped afterwards).
 * Loads BENCH_ROWS receipts (default 1,000,000, 60% in one agency) with
 * Vietnamese names, lets the database index them (the search triggers, fold_for_search), then
 * times each kind of search through the real `searchReceipts` (first page
 * of 20) and prints a final JSON line with the median and worst times.
 */
import { migrate } from "../store/database/migrate.ts"
import { openPostgres } from "../store/database/postgres-db.ts"
import { parseSearch, searchReceipts } from "../edge/officers/search.ts"

const url = process.env.DATABASE_URL || process.env.TEST_DATABASE_URL
if (!url) {
  console.error("bench:edge-search needs PostgreSQL: set DATABASE_URL or TEST_DATABASE_URL")
  process.exit(2)
}
const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000)
const schema = `bench_search_${Date.now().toString(36)}`
const admin = openPostgres({ url, max: 1 })
await admin.exec(`CREATE SCHEMA ${schema}`)
const db = openPostgres({ url, max: 2, schema })

const family = ["Nguyễn", "Nguyễn", "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý"]
const middle = ["Văn", "Thị", "Hữu", "Minh", "Quốc", "Thanh", "Ngọc", "Đức", "Thị Thanh", "Văn Minh", "Thị Bích", "Hoàng"]
const given = ["An", "Bình", "Châu", "Dũng", "Hà", "Hải", "Hòa", "Hùng", "Hương", "Lan", "Linh", "Long", "Mai", "Nam", "Ngọc", "Phúc", "Quang", "Sơn", "Tâm", "Thảo", "Trang", "Tuấn", "Vy", "Yến", "Khánh", "Nhung", "Thắng", "Đạt", "Hiếu", "Phương"]
const sqlArray = (xs: ReadonlyArray<string>) => `ARRAY[${xs.map((x) => `'${x}'`).join(",")}]`

try {
  const t0 = performance.now()
  await migrate(db)
  // Drafts are enough to exercise every index the search uses; 60% of the rows in HCM, the rest over 33 agencies.
  await db.exec(`
    SELECT setseed(0.42);
    CREATE TEMP TABLE gen AS
    SELECT g AS n,
           CASE WHEN g % 10 < 6 THEN 'HCM' ELSE 'A' || lpad((g % 33)::text, 2, '0') END AS agency,
           1 + floor(random() * ${family.length})::int AS f, 1 + floor(random() * ${middle.length})::int AS m,
           1 + floor(random() * ${given.length})::int AS gv, 1000000 + floor(power(random(), 3) * 5000000000)::bigint AS amount,
           gen_random_uuid() AS id,
           timestamptz '2025-01-01' + (g || ' seconds')::interval AS at
      FROM generate_series(1::bigint, ${ROWS}::bigint) g;
    INSERT INTO receipts (agency, id, form, symbol, status, amount, maker, created_at, draft, status_by, status_at)
    SELECT agency, id, '01-BLTHADS', 'AA/25E', 'draft', amount, 'lan.nguyen', at,
           jsonb_build_object('payer', jsonb_build_object('name',
             (${sqlArray(family)})[f] || ' ' || (${sqlArray(middle)})[m] || ' ' || (${sqlArray(given)})[gv],
             'idNumber', '0791' || lpad((n % 100000000)::text, 8, '0')),
             'case', jsonb_build_object('decisionNumber', (n % 50000) || '/QĐ-CTHADS')),
           'lan.nguyen', at
      FROM gen;
    ANALYZE receipts; ANALYZE receipt_search;
  `)
  const loadSeconds = (performance.now() - t0) / 1000
  console.error(`loaded ${ROWS} receipts in ${loadSeconds.toFixed(1)} s`)

  const cases: Record<string, Record<string, string>> = {
    "common name (nguyen van)": { name: "nguyen van" },
    "full name, no accents (nguyen van hoa)": { name: "nguyen van hoa" },
    "rare name (ly thi bich nhung)": { name: "ly thi bich nhung" },
    "no such name (nguyen xyz)": { name: "nguyen xyz" },
    "identity number": { idNumber: "079100012345" },
    "decision number": { decisionNumber: "1234/QĐ-CTHADS" },
    "amount range": { minAmount: "2000000000", maxAmount: "2000100000" },
    "status, newest first": { status: "draft" },
    "name + amount range": { name: "tran thi", minAmount: "1000000", maxAmount: "500000000" }
  }
  const results: Record<string, { p50: number; max: number; hits: number }> = {}
  for (const [label, query] of Object.entries(cases)) {
    const filters = parseSearch(query)
    const times: Array<number> = []
    let hits = 0
    for (let i = 0; i < 7; i++) {
      const t = performance.now()
      hits = (await searchReceipts(db, "HCM", filters)).items.length
      times.push(performance.now() - t)
    }
    times.sort((a, b) => a - b)
    results[label] = { p50: Math.round(times[3]! * 10) / 10, max: Math.round(times[6]! * 10) / 10, hits }
    console.error(`${label.padEnd(42)} p50 ${results[label]!.p50} ms, max ${results[label]!.max} ms, ${hits} on the first page`)
  }
  console.log(JSON.stringify({ rows: ROWS, hcmRows: Math.round(ROWS * 0.6), loadSeconds: Math.round(loadSeconds), searches: results }))
} finally {
  await db.close()
  if (process.env.BENCH_KEEP === "1") console.error(`kept schema ${schema}`)
  else await admin.exec(`DROP SCHEMA ${schema} CASCADE`)
  await admin.close()
}
