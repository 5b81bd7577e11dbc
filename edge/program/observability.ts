/**
 * Operations metrics and traces for engineers, from the environment; both
 * are off unless configured (docs/OPERATIONS.md):
 *
 *   METRICS_PORT     serve Prometheus metrics at /metrics on this port, a listener of its own
 *                    (never the public one), bound to METRICS_HOST (default 127.0.0.1)
 *   METRICS_TOKEN    serve /metrics on the public port too, to `Authorization: Bearer <token>` only
 *                    (at least 32 characters; also required on METRICS_PORT when both are set)
 *   OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, or OTEL_EXPORTER_OTLP_ENDPOINT (+ /v1/traces)
 *                    export OpenTelemetry traces over OTLP/HTTP (JSON) there
 *   OTEL_SERVICE_NAME  the traces' service name (default bienlai)
 *
 * With metrics on, every signature (count, time, algorithm) and every issued
 * receipt is counted by wrapping the Signer and the ReceiptStore, so the
 * store itself knows nothing of metrics.
 */
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http"
import type { SpanExporter } from "@opentelemetry/sdk-trace-base"
import { Effect, Layer } from "effect"
import { makeMetrics, type MetricsRecorder } from "../../adapters/observability/metrics.ts"
import { Tracing } from "../../adapters/observability/tracing.ts"
import { ReceiptStore } from "../../domain/ports/receipt-store.ts"
import { Signer } from "../../domain/ports/signer.ts"
import type { Seal } from "../../domain/receipt.ts"

type Env = Readonly<Record<string, string | undefined>>

export interface ObservabilitySettings {
  readonly metricsPort: number | undefined
  readonly metricsHost: string
  readonly metricsToken: string | undefined
  /** Where OTLP/HTTP traces go, or undefined: no tracing. */
  readonly tracesUrl: string | undefined
  readonly serviceName: string
}

/** The settings, or a one-line error naming the variable. */
export const observabilityFromEnv = (env: Env): ObservabilitySettings => {
  const portText = env["METRICS_PORT"]
  let metricsPort: number | undefined
  if (portText !== undefined && portText !== "") {
    metricsPort = Number(portText)
    if (!/^\d+$/.test(portText) || metricsPort > 65535) throw new Error(`METRICS_PORT=${portText.slice(0, 20)} is not a port number`)
    if (portText === env["PORT"]) throw new Error(`METRICS_PORT=${portText} is the public port (PORT): metrics are served off the public port, or behind METRICS_TOKEN`)
  }
  const token = env["METRICS_TOKEN"]
  if (token !== undefined && token !== "" && token.length < 32) throw new Error("METRICS_TOKEN is shorter than 32 characters: use a long random token (e.g. openssl rand -hex 32)")
  const traces = env["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"]
  const base = env["OTEL_EXPORTER_OTLP_ENDPOINT"]
  const tracesUrl = traces !== undefined && traces !== "" ? traces : base !== undefined && base !== "" ? `${base.replace(/\/+$/, "")}/v1/traces` : undefined
  if (tracesUrl !== undefined && !/^https?:\/\/[^\s]+$/.test(tracesUrl)) throw new Error(`the OTLP endpoint ${tracesUrl.slice(0, 80)} is not an http(s) URL (OTEL_EXPORTER_OTLP_ENDPOINT)`)
  return {
    metricsPort,
    metricsHost: env["METRICS_HOST"] !== undefined && env["METRICS_HOST"] !== "" ? env["METRICS_HOST"] : "127.0.0.1",
    metricsToken: token === undefined || token === "" ? undefined : token,
    tracesUrl,
    serviceName: env["OTEL_SERVICE_NAME"] !== undefined && env["OTEL_SERVICE_NAME"] !== "" ? env["OTEL_SERVICE_NAME"] : "bienlai"
  }
}

export const metricsWanted = (o: ObservabilitySettings): boolean => o.metricsPort !== undefined || o.metricsToken !== undefined

/** The recorder when metrics are wanted (with the process's own metrics: CPU, memory, event loop). */
export const metricsFor = (o: ObservabilitySettings): MetricsRecorder | undefined => (metricsWanted(o) ? makeMetrics({ processMetrics: true }) : undefined)

/** Tracing over OTLP/HTTP when an endpoint is set; or over the exporter given (tests). */
export const tracingLayer = (o: ObservabilitySettings, exporter?: SpanExporter) => {
  if (exporter === undefined && o.tracesUrl === undefined) return undefined
  return Tracing.layer({ serviceName: o.serviceName, exporter: exporter ?? new OTLPTraceExporter({ url: o.tracesUrl }), batch: exporter === undefined })
}

/** The Signer, each signature counted and timed, and a span ("Signer.sign") when tracing is on. */
export const observedSigner = (metrics: MetricsRecorder | undefined) =>
  Layer.effect(
    Signer,
    Effect.gen(function*() {
      const inner = yield* Signer
      const timed = <E>(agency: string, effect: Effect.Effect<Seal, E>) =>
        Effect.suspend(() => {
          const started = performance.now()
          return effect.pipe(
            Effect.tap((seal) => Effect.sync(() => metrics?.signed(agency, seal.algorithm, (performance.now() - started) / 1000))),
            Effect.withSpan("Signer.sign", { attributes: { "bienlai.agency": agency } })
          )
        })
      return Signer.of({
        sign: (agency, bytes) => timed(agency, inner.sign(agency, bytes)),
        signWith: (agency, purpose, message) => timed(agency, inner.signWith(agency, purpose, message))
      })
    })
  )

/** The ReceiptStore, each issued receipt counted per agency. */
export const observedStore = (metrics: MetricsRecorder) =>
  Layer.effect(
    ReceiptStore,
    Effect.gen(function*() {
      const inner = yield* ReceiptStore
      return ReceiptStore.of({
        ...inner,
        issue: (request) => inner.issue(request).pipe(Effect.tap((r) => Effect.sync(() => metrics.receiptsIssued(r.agency)))),
        issueRange: (requests) =>
          inner.issueRange(requests).pipe(Effect.tap((issued) =>
            Effect.sync(() => {
              for (const r of issued) metrics.receiptsIssued(r.agency)
            })
          ))
      })
    })
  )
