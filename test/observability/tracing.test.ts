import { describe, expect, test } from "bun:test"
import { InMemorySpanExporter, type ReadableSpan } from "@opentelemetry/sdk-trace-base"
import { Effect, Schema } from "effect"
import { Tracing } from "../../adapters/observability/tracing.ts"

class SigningFailed extends Schema.TaggedError<SigningFailed>()("SigningFailed", { message: Schema.String }) {}

const sign = Effect.fn("Signer.sign")(function*(agency: string, fail: boolean) {
  yield* Effect.annotateCurrentSpan("bienlai.agency", agency)
  if (fail) return yield* new SigningFailed({ message: "the token is locked" })
  return "signature"
})
const store = Effect.fn("ReceiptStore.insert")(function*() {
  yield* Effect.sleep("1 millis")
})
const issueReceipt = Effect.fn("issueReceipt")(function*(agency: string, fail = false) {
  yield* Effect.annotateCurrentSpan("bienlai.agency", agency)
  yield* sign(agency, fail)
  yield* store()
  return "issued"
})

const spansOf = <A, E>(program: Effect.Effect<A, E>): Promise<ReadonlyArray<ReadableSpan>> => {
  const exporter = new InMemorySpanExporter()
  return Effect.runPromise(
    Effect.provide(
      Effect.gen(function*() {
        yield* Effect.exit(program)
        yield* Tracing.use((t) => t.flush)
        return exporter.getFinishedSpans()
      }),
      Tracing.layer({ serviceName: "bienlai-test", serviceVersion: "0.1.0", exporter, batch: false })
    )
  )
}

describe("OpenTelemetry tracing fed by Effect", () => {
  test("a traced Effect.fn and the functions it calls become spans of one trace, parent and children", async () => {
    const spans = await spansOf(Effect.withSpan(issueReceipt("HCM"), "POST /api/officer/receipts/:id/approve"))
    const byName = new Map(spans.map((s) => [s.name, s]))
    expect([...byName.keys()].sort()).toEqual(["POST /api/officer/receipts/:id/approve", "ReceiptStore.insert", "Signer.sign", "issueReceipt"])
    const request = byName.get("POST /api/officer/receipts/:id/approve")!
    const issue = byName.get("issueReceipt")!
    const traceId = request.spanContext().traceId
    for (const s of spans) expect(s.spanContext().traceId).toBe(traceId)
    expect(request.parentSpanContext).toBeUndefined()
    expect(issue.parentSpanContext?.spanId).toBe(request.spanContext().spanId)
    expect(byName.get("Signer.sign")!.parentSpanContext?.spanId).toBe(issue.spanContext().spanId)
    expect(byName.get("ReceiptStore.insert")!.parentSpanContext?.spanId).toBe(issue.spanContext().spanId)
    expect(issue.attributes["bienlai.agency"]).toBe("HCM")
    expect(issue.resource.attributes["service.name"]).toBe("bienlai-test")
    expect(issue.status.code).not.toBe(2)
  })

  test("a failure marks its span and the spans above it as errors", async () => {
    const spans = await spansOf(issueReceipt("HNI", true))
    const byName = new Map(spans.map((s) => [s.name, s]))
    expect(byName.has("ReceiptStore.insert")).toBe(false)
    expect(byName.get("Signer.sign")!.status.code).toBe(2)
    expect(byName.get("issueReceipt")!.status.code).toBe(2)
  })
})
