/**
 * Operations metrics for engineers, in one module: a prom-client registry
 * of its own (never prom-client's global one, so two apps in one process,
 * or two tests, do not share counters) with the metrics issue 19 lists.
 *
 * | metric | type | labels |
 * |---|---|---|
 * | bienlai_http_requests_total | counter | method, route, status |
 * | bienlai_http_request_duration_seconds | histogram | method, route |
 * | bienlai_receipts_issued_total | counter | agency |
 * | bienlai_signatures_total | counter | agency, algorithm |
 * | bienlai_signing_duration_seconds | histogram | algorithm |
 * | bienlai_queue_depth | gauge | queue (ocr, notifications, …) |
 * | bienlai_queue_oldest_age_seconds | gauge | queue |
 * | bienlai_db_pool_connections | gauge | state (total, idle, waiting) |
 *
 * `route` is the route's pattern ("/v/:token"), never the path a client
 * sent: paths hold tokens and lookup codes, which must not reach a metrics
 * store, and every distinct value is a new time series. As a safety net,
 * once `maxRoutes` distinct routes are seen, further ones are counted as
 * "(other)". Agencies are bounded (34) and are not personal data.
 *
 * Serving `/metrics` (off the public port or behind a token) comes with the
 * application's wiring; `render` gives the Prometheus text to serve.
 */
import { Context, Effect, Layer } from "effect"
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client"

export interface MetricsOptions {
  /** Also export the process's own metrics (CPU, memory, event loop): prom-client's defaults prefixed bienlai_ (bienlai_process_cpu_seconds_total, bienlai_nodejs_heap_size_used_bytes, …) */
  readonly processMetrics?: boolean | undefined
  /** Distinct route labels kept before new ones are counted as "(other)"; 200 by default. */
  readonly maxRoutes?: number | undefined
}

export interface HttpObservation {
  readonly method: string
  /** The route pattern, e.g. "/api/verify/:token". */
  readonly route: string
  readonly status: number
  readonly seconds: number
}

export interface PoolState {
  readonly total: number
  readonly idle: number
  readonly waiting: number
}

const httpBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]
const signingBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1]
const methods = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"])

export const makeMetrics = (options: MetricsOptions = {}) => {
  const registry = new Registry()
  const registers = [registry]
  const requests = new Counter({
    name: "bienlai_http_requests_total",
    help: "HTTP requests answered, by method, route pattern and status code",
    labelNames: ["method", "route", "status"] as const,
    registers
  })
  const duration = new Histogram({
    name: "bienlai_http_request_duration_seconds",
    help: "Time to answer an HTTP request, by method and route pattern",
    labelNames: ["method", "route"] as const,
    buckets: httpBuckets,
    registers
  })
  const issued = new Counter({ name: "bienlai_receipts_issued_total", help: "Receipts issued (numbered and signed), by agency", labelNames: ["agency"] as const, registers })
  const signatures = new Counter({ name: "bienlai_signatures_total", help: "Signatures made with an agency's key, by agency and algorithm", labelNames: ["agency", "algorithm"] as const, registers })
  const signing = new Histogram({ name: "bienlai_signing_duration_seconds", help: "Time to make one signature, by algorithm", labelNames: ["algorithm"] as const, buckets: signingBuckets, registers })
  const depth = new Gauge({ name: "bienlai_queue_depth", help: "Items waiting in a queue (OCR scans, notifications)", labelNames: ["queue"] as const, registers })
  const oldest = new Gauge({ name: "bienlai_queue_oldest_age_seconds", help: "Age of the oldest item waiting in a queue", labelNames: ["queue"] as const, registers })
  const pool = new Gauge({ name: "bienlai_db_pool_connections", help: "Database connections by state: total, idle, and requests waiting for one", labelNames: ["state"] as const, registers })
  if (options.processMetrics === true) collectDefaultMetrics({ register: registry, prefix: "bienlai_" })

  const maxRoutes = options.maxRoutes ?? 200
  const routes = new Set<string>()
  const routeLabel = (route: string): string => {
    if (routes.has(route)) return route
    if (routes.size >= maxRoutes) return "(other)"
    routes.add(route)
    return route
  }

  return {
    registry,
    recordHttp: (o: HttpObservation): void => {
      const method = methods.has(o.method.toUpperCase()) ? o.method.toUpperCase() : "OTHER"
      const route = routeLabel(o.route)
      requests.inc({ method, route, status: String(o.status) })
      duration.observe({ method, route }, o.seconds)
    },
    receiptsIssued: (agency: string, count = 1): void => issued.inc({ agency }, count),
    signed: (agency: string, algorithm: string, seconds: number): void => {
      signatures.inc({ agency, algorithm })
      signing.observe({ algorithm }, seconds)
    },
    queue: (queue: string, items: number, oldestAgeSeconds: number): void => {
      depth.set({ queue }, items)
      oldest.set({ queue }, oldestAgeSeconds)
    },
    dbPool: (s: PoolState): void => {
      pool.set({ state: "total" }, s.total)
      pool.set({ state: "idle" }, s.idle)
      pool.set({ state: "waiting" }, s.waiting)
    },
    contentType: registry.contentType,
    render: (): Promise<string> => registry.metrics()
  }
}

export type MetricsRecorder = ReturnType<typeof makeMetrics>

export class Metrics extends Context.Service<Metrics, {
  /** The recording functions, synchronous for the hot paths (an HTTP middleware, the issuer). */
  readonly recorder: MetricsRecorder
  /** The Prometheus text exposition and its content type, to serve at /metrics. */
  readonly render: Effect.Effect<{ readonly contentType: string; readonly body: string }>
}>()("bienlai/adapters/observability/Metrics") {
  static readonly layer = (options: MetricsOptions = {}) =>
    Layer.sync(Metrics, () => {
      const recorder = makeMetrics(options)
      return Metrics.of({
        recorder,
        render: Effect.promise(() => recorder.render()).pipe(Effect.map((body) => ({ contentType: recorder.contentType, body })))
      })
    })
}
