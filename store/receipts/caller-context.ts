/**
 * The context of the `ReceiptStore.issue` call a request came with (its
 * tracer and its span), kept beside the request so that the signatures the
 * group issuer makes for it later, in one Effect for the whole group
 * (issuance.ts, numberAndSign), run as children of that call: a trace of an
 * approval then reads route → ReceiptStore.issue → Signer.sign. Held
 * weakly: it goes when the request does.
 */
import { type Context, Effect } from "effect"
import type { IssueRequest } from "../../domain/ports/receipt-store.ts"

const callers = new WeakMap<IssueRequest, Context.Context<never>>()

export const rememberCaller = (request: IssueRequest, context: Context.Context<never>): void => {
  callers.set(request, context)
}

/** `effect` in the context of the call that made `request`, or as it is. */
export const inCallerContext = <A, E>(request: IssueRequest | undefined, effect: Effect.Effect<A, E>): Effect.Effect<A, E> => {
  const context = request === undefined ? undefined : callers.get(request)
  return context === undefined ? effect : Effect.provideContext(effect, context)
}
