/**
 * What uploads may cost, through the app as shipped (buildApp, the officer
 * API) and the OCR worker (issue 12, item 11):
 *
 * - a blank 1800 × 140000 PNG is refused at upload, at once, by its header;
 * - a PDF of a few hundred bytes with three 3000-point pages is read at a
 *   lower resolution, quickly and in bounded memory, with a warning per page;
 * - a page over its time limit is given up, and the engine pool recovers;
 * - the database bounds pending scans per officer and per agency, also when
 *   uploads race (PGlite and PostgreSQL);
 * - the queue is fair between agencies: one officer's twenty uploads do not
 *   hold up another agency's one.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { grantToken, insertOfficer } from "../../edge/officers/tokens.ts"
import { makeSample } from "../support/corpus/corpus.ts"
import { defaultScanLimits } from "../../adapters/ocr/limits.ts"
import { createOcrPool, type OcrPool } from "../../adapters/ocr/pool.ts"
import { claimScans, finishScan } from "../../jobs/ocr-worker/queue.ts"
import { readBytes } from "../../adapters/ocr/read-document.ts"
import { runOnce } from "../../jobs/ocr-worker/worker.ts"
import { qrPng } from "../../adapters/qr/encode.ts"
import { setScanQueueLimits } from "../../store/scans/scan-queue.ts"
import { freshPglite, targets } from "../store/databases.ts"
import { blankPng, busyPdf, hugePagesPdf } from "../support/bombs.ts"
import { type Harness, makeHarness } from "./harness.ts"

const randomBytes = (n: number) => crypto.getRandomValues(new Uint8Array(n))

/** The process's peak resident memory while `work` runs, above what it was before, in MB. */
const peakGrowth = async <A>(work: () => Promise<A>): Promise<{ readonly result: A; readonly mb: number; readonly ms: number }> => {
  const before = process.memoryUsage().rss
  let peak = before
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10)
  const started = performance.now()
  try {
    const result = await work()
    peak = Math.max(peak, process.memoryUsage().rss)
    return { result, mb: Math.round((peak - before) / 1e6), ms: Math.round(performance.now() - started) }
  } finally {
    clearInterval(sampler)
  }
}

const setUp = async (h: Harness) => {
  await h.db.db.query("INSERT INTO agencies (code, name) VALUES ('HCM', 'Cục Thi hành án dân sự Thành phố Hồ Chí Minh'), ('HNI', 'Cục Thi hành án dân sự Thành phố Hà Nội')")
  const tokens: Record<string, string> = {}
  for (const o of [
    { id: "lan.nguyen", agency: "HCM", name: "Nguyễn Thị Lan" },
    { id: "binh.le", agency: "HCM", name: "Lê Văn Bình" },
    { id: "thu.pham", agency: "HNI", name: "Phạm Thị Thu" },
    { id: "minh.vo", agency: "HNI", name: "Võ Minh" }
  ]) {
    await insertOfficer(h.db.db, { ...o, role: "officer" })
    tokens[o.id] = await grantToken(h.db.db, o.id, "test", randomBytes)
  }
  return tokens
}

const upload = (h: Harness, token: string, draftId: string, bytes: Uint8Array, type = "image/png") =>
  h.app.request(`/api/officer/drafts/${draftId}/scans`, {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": type },
    body: bytes as Uint8Array<ArrayBuffer>
  })

describe("upload bombs, through the shipped app and the OCR worker", () => {
  let h: Harness
  let tokens: Record<string, string>
  let pool: OcrPool
  beforeAll(async () => {
    h = await makeHarness(await freshPglite(), { rateLimit: null })
    tokens = await setUp(h)
    pool = await createOcrPool({ size: 2 })
  }, 60_000)
  afterAll(async () => {
    await pool?.close()
    await h?.close()
  })

  test("a blank 1800 × 140000 PNG is refused at upload at once, by its header, with a clear message in both languages", async () => {
    const png = blankPng(1800, 140_000)
    const draft = await h.draft()
    const { result: res, mb, ms } = await peakGrowth(async () => upload(h, tokens["lan.nguyen"]!, draft.id, png))
    expect(res.status).toBe(413)
    const body = (await res.json()) as { error: string; message: string; vi: string }
    expect(body.error).toBe("scan_too_large")
    expect(body.message).toBe("the image is 1800 × 140000 pixels (252 megapixels); at most 60 megapixels per page are read")
    expect(body.vi).toStartWith("Ảnh có kích thước 1800 × 140000 điểm ảnh (252 megapixel); mỗi trang chỉ được đọc tối đa 60 megapixel.")
    expect(ms).toBeLessThan(2_000)
    expect(mb).toBeLessThan(100)
    // Nothing was queued.
    const scans = (await (await h.app.request(`/api/officer/drafts/${draft.id}/scans`, { headers: { Authorization: `Bearer ${tokens["lan.nguyen"]}` } })).json()) as { scans: Array<unknown> }
    expect(scans.scans).toEqual([])
    // Had it reached the worker some other way, the worker refuses it by its header too.
    const read = await peakGrowth(() => readBytes(pool, "strip.png", png))
    expect(read.result.error).toBe("the image is 1800 × 140000 pixels (252 megapixels); at most 60 megapixels per page are read")
    expect(read.ms).toBeLessThan(2_000)
    expect(read.mb).toBeLessThan(100)
  }, 30_000)

  test("a tiny PDF with three 3000-point pages is read at a lower resolution, quickly and in bounded memory, saying so per page", async () => {
    const pdf = await hugePagesPdf(3, 3000)
    expect(pdf.length).toBeLessThan(1_000)
    const draft = await h.draft()
    const res = await upload(h, tokens["lan.nguyen"]!, draft.id, pdf, "application/pdf")
    expect(res.status).toBe(201)
    // The measurement before the limits: 25.7 s and 0.75 GB for this file.
    const { result: outcomes, mb, ms } = await peakGrowth(() =>
      runOnce({ db: h.db.db, store: h.services.store, pool, worker: "test-worker", now: () => h.services.now() }, 1))
    expect(outcomes).toEqual(["done"])
    console.log(`3-page 3000-pt PDF read in ${ms} ms, peak memory +${mb} MB`)
    expect(ms).toBeLessThan(20_000)
    expect(mb).toBeLessThan(400)
    const scans = (await (await h.app.request(`/api/officer/drafts/${draft.id}/scans`, { headers: { Authorization: `Bearer ${tokens["lan.nguyen"]}` } })).json()) as {
      scans: Array<{ status: string; result: { pages: number; warnings: Array<{ code: string; message: string }> } }>
    }
    expect(scans.scans[0]?.status).toBe("done")
    expect(scans.scans[0]?.result.pages).toBe(3)
    const reduced = scans.scans[0]!.result.warnings.filter((w) => w.code === "page_reduced").map((w) => w.message)
    expect(reduced).toEqual([1, 2, 3].map((n) => `Page ${n} is 105.8 × 105.8 cm, larger than a form: it was read at 120 dpi instead of 300`))
  }, 60_000)

  test("a PDF with more pages than a document may have is refused at upload, before any page is drawn", async () => {
    const pdf = await hugePagesPdf(defaultScanLimits.maxPages + 1, 600)
    const draft = await h.draft()
    const res = await upload(h, tokens["lan.nguyen"]!, draft.id, pdf, "application/pdf")
    expect(res.status).toBe(413)
    expect(await res.json()).toMatchObject({
      error: "scan_too_many_pages",
      message: `the file has ${defaultScanLimits.maxPages + 1} pages; at most ${defaultScanLimits.maxPages} pages of one document are read`,
      vi: `Tệp có ${defaultScanLimits.maxPages + 1} trang; mỗi tài liệu chỉ được đọc tối đa ${defaultScanLimits.maxPages} trang.`
    })
  }, 30_000)

  test("a page over its time limit is given up with a warning, and the engines go on reading", async () => {
    const sample = await makeSample(7, 0)
    const hurried = await createOcrPool({ size: 1, pageTimeMs: 1 })
    try {
      const slow = await readBytes(hurried, "slip", sample.image, { currentYear: 2026, limits: { ...defaultScanLimits, pageTimeMs: 1_000_000 } })
      expect(slow.warnings).toContainEqual({ code: "ocr_failed", page: 1, message: "Page 1 could not be read: it took longer than 0.001 s to read and was given up" })
    } finally {
      await hurried.close()
    }
    // Drawing a PDF page has its own limit.
    const drawn = await readBytes(pool, "slow.pdf", await busyPdf(), { limits: { ...defaultScanLimits, pageTimeMs: 5 } })
    expect(drawn.error).toBe("page 1 took longer than 0.005 s to draw and was given up")
    // The shared pool still reads.
    const fine = await readBytes(pool, "slip", sample.image, { currentYear: 2026 })
    expect(fine.documentType).toBe(sample.documentType)
  }, 60_000)
})

for (const target of targets) {
  describe(`pending scans per officer and per agency, kept by the database (${target.name})`, () => {
    let h: Harness
    let tokens: Record<string, string>
    const png = async (n: number) => new Uint8Array(await qrPng(`giấy nộp tiền ${n}`, { scale: 3 }))
    beforeAll(async () => {
      h = await makeHarness(await target.make(), { rateLimit: null })
      tokens = await setUp(h)
    }, 60_000)
    afterAll(async () => {
      await h?.close()
    })
    // Each test starts with nothing waiting.
    const emptyQueue = () => h.db.db.query("UPDATE uploads SET ocr_status = 'failed', ocr_lease_until = NULL WHERE ocr_status IN ('queued', 'running')")

    test("an officer's fourth pending scan is refused with 429 in both languages; a read scan frees a place", async () => {
      await setScanQueueLimits(h.db.db, { perOfficer: 3, perAgency: 100 })
      const draft = await h.draft()
      for (let i = 0; i < 3; i++) expect((await upload(h, tokens["lan.nguyen"]!, draft.id, await png(i))).status).toBe(201)
      const refused = await upload(h, tokens["lan.nguyen"]!, draft.id, await png(3))
      expect(refused.status).toBe(429)
      expect(refused.headers.get("retry-after")).toBe("60")
      expect(await refused.json()).toMatchObject({
        error: "too_many_scans",
        scope: "officer",
        limit: 3,
        message: "3 of your scans are still waiting to be read; upload more when some are done (at most 3 wait at once)",
        vi: "Đã có 3 bản quét của bạn đang chờ đọc; hãy tải thêm khi có bản xong (tối đa 3 bản cùng lúc)."
      })
      // Another officer of the agency still has room.
      expect((await upload(h, tokens["binh.le"]!, (await h.draft({}, "binh.le")).id, await png(4))).status).toBe(201)
      // One of lan's is read: she may upload again.
      const [claimed] = (await claimScans(h.db.db, "w", 10, h.services.now())).filter((c) => c.uploadedBy === "lan.nguyen")
      expect(await finishScan(h.db.db, claimed!, "w", { fields: {} }, h.services.now())).toBe(true)
      expect((await upload(h, tokens["lan.nguyen"]!, draft.id, await png(5))).status).toBe(201)
      await emptyQueue()
    }, 30_000)

    test("ten uploads racing from one officer: exactly as many as the limit are stored", async () => {
      await setScanQueueLimits(h.db.db, { perOfficer: 3, perAgency: 100 })
      const draft = await h.draft({ agency: "HNI", office: "HNI-KV01" }, "thu.pham")
      const images = await Promise.all(Array.from({ length: 10 }, (_, i) => png(100 + i)))
      const statuses = await Promise.all(images.map((image) => Promise.resolve(upload(h, tokens["thu.pham"]!, draft.id, image)).then((r) => r.status)))
      expect(statuses.filter((s) => s === 201)).toHaveLength(3)
      expect(statuses.filter((s) => s === 429)).toHaveLength(7)
      const stored = await h.db.db.query<{ n: string }>("SELECT count(*)::text AS n FROM uploads WHERE uploaded_by = 'thu.pham'")
      expect(stored[0]?.n).toBe("3")
      // (thu.pham's three stay pending: the next test counts them against the agency.)
    }, 30_000)

    test("the agency's limit holds across its officers, racing", async () => {
      await setScanQueueLimits(h.db.db, { perOfficer: 10, perAgency: 4 })
      const drafts = await Promise.all([h.draft({ agency: "HNI", office: "HNI-KV01" }, "minh.vo")])
      // thu.pham has 3 pending from the test before: the agency has room for one more.
      const images = await Promise.all(Array.from({ length: 5 }, (_, i) => png(200 + i)))
      const responses = await Promise.all(images.map((image) => upload(h, tokens["minh.vo"]!, drafts[0]!.id, image)))
      expect(responses.filter((r) => r.status === 201)).toHaveLength(1)
      const refusal = (await responses.find((r) => r.status === 429)!.json()) as Record<string, unknown>
      expect(refusal).toMatchObject({ error: "too_many_scans", scope: "agency", limit: 4 })
      expect(String(refusal["vi"])).toStartWith("Cơ quan đang có 4 bản quét chờ đọc")
      await emptyQueue()
    }, 30_000)

    test("fair between agencies: with twenty of one officer's scans waiting, another agency's one is read in the first batch", async () => {
      await setScanQueueLimits(h.db.db, { perOfficer: 20, perAgency: 200 })
      const draft = await h.draft()
      const hcm: Array<string> = []
      for (let i = 0; i < 20; i++) {
        h.advance(1_000)
        const res = await upload(h, tokens["lan.nguyen"]!, draft.id, await png(300 + i))
        expect(res.status).toBe(201)
        hcm.push(((await res.json()) as { id: string }).id)
      }
      // The 21st and later are refused: one officer cannot fill the queue.
      expect((await upload(h, tokens["lan.nguyen"]!, draft.id, await png(320))).status).toBe(429)
      h.advance(1_000)
      const hniDraft = await h.draft({ agency: "HNI", office: "HNI-KV01" }, "thu.pham")
      const hni = ((await (await upload(h, tokens["thu.pham"]!, hniDraft.id, await png(321))).json()) as { id: string }).id

      // Two workers' first claims: HCM's oldest and HNI's only scan, not HCM's two oldest.
      const first = await claimScans(h.db.db, "w1", 2, h.services.now())
      expect(first.map((c) => c.id).sort()).toEqual([hcm[0]!, hni].sort())
      const next = await claimScans(h.db.db, "w2", 3, h.services.now())
      expect(next.map((c) => c.id)).toEqual(hcm.slice(1, 4))
      for (const c of [...first, ...next]) await finishScan(h.db.db, c, c === first[0] || c === first[1] ? "w1" : "w2", { fields: {} }, h.services.now())
    }, 60_000)
  })
}
