/**
 * The span of the request being answered, carried across the handler's
 * promises (AsyncLocalStorage, which Bun, Node and Deno all have), so that
 * every effect a handler runs through the bridge (`s.run`) is a child of
 * the request's span: a trace of an approval reads
 * "POST /api/officer/drafts/:id/approve" → ReceiptStore.issue → Signer.sign.
 * With tracing off no span is ever stored and nothing changes.
 */
import { AsyncLocalStorage } from "node:async_hooks"
import { Effect, type Tracer } from "effect"

const current = new AsyncLocalStorage<Tracer.AnySpan>()

/** Runs `body` with `span` as the request's span. */
export const withinRequestSpan = <A>(span: Tracer.AnySpan, body: () => Promise<A>): Promise<A> => current.run(span, body)

/** `effect` as a child of the current request's span, if there is one. */
export const underRequestSpan = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> => {
  const span = current.getStore()
  return span === undefined ? effect : Effect.withParentSpan(effect, span)
}
