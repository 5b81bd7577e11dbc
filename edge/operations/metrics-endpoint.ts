/**
 * /metrics, the Prometheus text for engineers: request rates and latencies
 * per route, signatures and issued receipts (counted as they happen), and,
 * read at each scrape, the queues' depths (OCR, notifications when the
 * outbox is installed) and the database pool. Served by a listener of its
 * own (METRICS_PORT) or on the public port behind METRICS_TOKEN
 * (edge/program/observability.ts); never without one of them.
 */
import { Hono } from "hono"
import type { MetricsRecorder } from "../../adapters/observability/metrics.ts"
import { notificationBacklog, ocrQueue, outboxInstalled, type QueueFigures } from "../../store/operations/queues.ts"
import type { EdgeServices } from "../services.ts"

const depth = (rows: ReadonlyArray<QueueFigures>, nowMs: number) => ({
  items: rows.reduce((n, r) => n + Number(r.waiting) + Number(r.working), 0),
  age: rows.reduce((a, r) => (r.oldest === null ? a : Math.max(a, (nowMs - Date.parse(r.oldest)) / 1000)), 0)
})

/** Reads the gauges that are states, not events (queues, pool), then renders every metric. */
export const scrapeMetrics = async (s: EdgeServices, m: MetricsRecorder): Promise<{ readonly contentType: string; readonly body: string }> => {
  const now = s.now().getTime()
  try {
    const ocr = depth(await ocrQueue(s.db, null), now)
    m.queue("ocr", ocr.items, ocr.age)
    if (await outboxInstalled(s.db)) {
      const notes = depth(await notificationBacklog(s.db, null), now)
      m.queue("notifications", notes.items, notes.age)
    }
  } catch (e) {
    // A scrape during a database outage still answers with what the process knows.
    s.logger.warn({ err: e instanceof Error ? e.message : String(e) }, "metrics: queue depths unavailable")
  }
  const pool = s.db.poolState?.()
  if (pool !== undefined) m.dbPool(pool)
  return { contentType: m.contentType, body: await m.render() }
}

const sha256 = async (text: string) => new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)))

/** Whether the Authorization header carries exactly `token`; compared as hashes in constant time. */
export const bearerMatches = async (header: string | undefined, token: string): Promise<boolean> => {
  const given = /^Bearer (.+)$/.exec(header ?? "")?.[1]
  if (given === undefined) return false
  const [a, b] = [await sha256(given), await sha256(token)]
  let diff = 0
  for (let i = 0; i < a.length; i++) diff |= (a[i] ?? 0) ^ (b[i] ?? 0)
  return diff === 0
}

export const metricsRoutes = (s: EdgeServices, m: MetricsRecorder, token: string | undefined): Hono => {
  const app = new Hono()
  app.get("/metrics", async (c) => {
    if (token !== undefined && !(await bearerMatches(c.req.header("authorization"), token))) {
      return c.json({ error: "unauthenticated", message: "the metrics need Authorization: Bearer <METRICS_TOKEN>" }, 401, { "WWW-Authenticate": "Bearer" })
    }
    const { contentType, body } = await scrapeMetrics(s, m)
    return c.body(body, 200, { "Content-Type": contentType, "Cache-Control": "no-store" })
  })
  return app
}
