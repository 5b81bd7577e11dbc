/**
 * OpenTelemetry tracing that Effect's own tracing feeds: every
 * `Effect.fn("name")` and `Effect.withSpan` becomes an OpenTelemetry span
 * (through @effect/opentelemetry's OtelTracer), processed by an SDK tracer
 * provider and handed to the exporter given: an OTLP exporter in
 * production, an `InMemorySpanExporter` in tests (which can then read the
 * spans of a request through issuance).
 *
 * The provider is this layer's own (not registered globally), started when
 * the layer is built and shut down, after a flush, when it is released.
 */
import * as OtelTracer from "@effect/opentelemetry/OtelTracer"
import { resourceFromAttributes } from "@opentelemetry/resources"
import { BasicTracerProvider, BatchSpanProcessor, SimpleSpanProcessor, type SpanExporter } from "@opentelemetry/sdk-trace-base"
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from "@opentelemetry/semantic-conventions"
import { Context, Effect, Layer } from "effect"

export interface TracingOptions {
  readonly serviceName: string
  readonly serviceVersion?: string | undefined
  readonly exporter: SpanExporter
  /** Export in batches (production) rather than span by span (tests, development); true by default. */
  readonly batch?: boolean | undefined
}

export class Tracing extends Context.Service<Tracing, {
  /** Exports every finished span now. */
  readonly flush: Effect.Effect<void>
}>()("bienlai/adapters/observability/Tracing") {
  /** Provides Effect's Tracer backed by OpenTelemetry, and Tracing. */
  static readonly layer = (options: TracingOptions): Layer.Layer<Tracing | OtelTracer.OtelTracer> => {
    const provider = Layer.effect(
      OtelTracer.OtelTracerProvider,
      Effect.acquireRelease(
        Effect.sync(
          () =>
            new BasicTracerProvider({
              resource: resourceFromAttributes({
                [ATTR_SERVICE_NAME]: options.serviceName,
                ...(options.serviceVersion === undefined ? {} : { [ATTR_SERVICE_VERSION]: options.serviceVersion })
              }),
              spanProcessors: [options.batch === false ? new SimpleSpanProcessor(options.exporter) : new BatchSpanProcessor(options.exporter)]
            })
        ),
        (p) => Effect.promise(() => p.forceFlush().then(() => p.shutdown()))
      )
    )
    const tracing = Layer.effect(
      Tracing,
      Effect.gen(function*() {
        const p = (yield* OtelTracer.OtelTracerProvider) as unknown as BasicTracerProvider
        return Tracing.of({ flush: Effect.promise(() => p.forceFlush()) })
      })
    )
    return Layer.merge(OtelTracer.layer, tracing).pipe(Layer.provide(provider))
  }
}
