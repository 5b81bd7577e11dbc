import { describe, expect, test } from "bun:test"
import { Effect } from "effect"
import { makeMetrics, Metrics } from "../../adapters/observability/metrics.ts"

// A line of the Prometheus text exposition format (version 0.0.4): a comment, or name{labels} value.
// Prometheus reads values with Go's ParseFloat, which takes NaN in any case (prom-client writes "Nan").
const sampleLine = /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*",?)*\})? -?(\d+(\.\d+)?(e[+-]?\d+)?|[+-]Inf|[Nn][Aa][Nn])$/
const commentLine = /^# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* .+$/

const scrape = () =>
  Effect.runPromise(
    Effect.provide(
      Metrics.use((m) =>
        Effect.gen(function*() {
          m.recorder.recordHttp({ method: "GET", route: "/v/:token", status: 200, seconds: 0.004 })
          m.recorder.recordHttp({ method: "get", route: "/v/:token", status: 200, seconds: 0.02 })
          m.recorder.recordHttp({ method: "POST", route: "/api/officer/receipts/:id/approve", status: 409, seconds: 0.3 })
          m.recorder.receiptsIssued("HCM", 3)
          m.recorder.signed("HCM", "Ed25519", 0.0007)
          m.recorder.queue("ocr", 12, 45.5)
          m.recorder.queue("notifications", 0, 0)
          m.recorder.dbPool({ total: 10, idle: 7, waiting: 1 })
          return yield* m.render
        })
      ),
      Metrics.layer({ processMetrics: true })
    )
  )

describe("the metrics registry", () => {
  test("renders the Prometheus text format with every metric the issue lists", async () => {
    const { contentType, body } = await scrape()
    expect(contentType).toStartWith("text/plain; version=0.0.4")
    const lines = body.split("\n").filter((l) => l !== "")
    for (const line of lines) expect(commentLine.test(line) || sampleLine.test(line)).toBe(true)

    for (const [name, type] of [
      ["bienlai_http_requests_total", "counter"],
      ["bienlai_http_request_duration_seconds", "histogram"],
      ["bienlai_receipts_issued_total", "counter"],
      ["bienlai_signatures_total", "counter"],
      ["bienlai_signing_duration_seconds", "histogram"],
      ["bienlai_queue_depth", "gauge"],
      ["bienlai_queue_oldest_age_seconds", "gauge"],
      ["bienlai_db_pool_connections", "gauge"]
    ]) {
      expect(lines).toContain(`# TYPE ${name} ${type}`)
    }
    expect(lines).toContain('bienlai_http_requests_total{method="GET",route="/v/:token",status="200"} 2')
    expect(lines).toContain('bienlai_http_requests_total{method="POST",route="/api/officer/receipts/:id/approve",status="409"} 1')
    expect(lines).toContain('bienlai_http_request_duration_seconds_bucket{le="0.005",method="GET",route="/v/:token"} 1')
    expect(lines).toContain('bienlai_http_request_duration_seconds_bucket{le="0.025",method="GET",route="/v/:token"} 2')
    expect(lines).toContain('bienlai_http_request_duration_seconds_count{method="GET",route="/v/:token"} 2')
    expect(lines).toContain('bienlai_receipts_issued_total{agency="HCM"} 3')
    expect(lines).toContain('bienlai_signatures_total{agency="HCM",algorithm="Ed25519"} 1')
    expect(lines).toContain('bienlai_queue_depth{queue="ocr"} 12')
    expect(lines).toContain('bienlai_queue_oldest_age_seconds{queue="ocr"} 45.5')
    expect(lines).toContain('bienlai_db_pool_connections{state="waiting"} 1')
    expect(lines.some((l) => l.startsWith("bienlai_process_"))).toBe(true)
  })

  test("route labels are bounded: beyond the limit new routes count as (other)", async () => {
    const m = makeMetrics({ maxRoutes: 2 })
    for (const route of ["/a", "/b", "/v/ABCDEF123", "/v/XYZ", "/a"]) m.recordHttp({ method: "GET", route, status: 200, seconds: 0.001 })
    const text = await m.render()
    expect(text).toContain('bienlai_http_requests_total{method="GET",route="/a",status="200"} 2')
    expect(text).toContain('bienlai_http_requests_total{method="GET",route="(other)",status="200"} 2')
    expect(text).not.toContain("ABCDEF123")
  })

  test("each Metrics has its own registry", async () => {
    const a = makeMetrics()
    const b = makeMetrics()
    a.receiptsIssued("HNI")
    expect(await a.render()).toContain('bienlai_receipts_issued_total{agency="HNI"} 1')
    expect(await b.render()).not.toContain('agency="HNI"')
  })
})
