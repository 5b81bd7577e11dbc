/**
 * Type-level test, checked by `npm run typecheck` (not run by `bun test`):
 * a failure the edge has no HTTP answer for does not compile, so a new
 * error type cannot reach a client as a 500. Each `@ts-expect-error` below
 * fails the typecheck if the line under it ever compiles.
 */
import { Effect, Result, Schema } from "effect"
import { ReceiptNotFound, StoreUnavailable } from "../../domain/ports/receipt-store.ts"
import { type HttpMapping, httpOf, type MappedFailure, refuseWithHttp, resultOrThrow } from "../../edge/http/domain-errors.ts"
import type { Bridge } from "../../edge/services.ts"

// The bridge handlers run their effects through (EdgeServices["run"]).
declare const run: Bridge

class PayoutRefused extends Schema.TaggedError<PayoutRefused>()("PayoutRefused", { message: Schema.String }) {}

const unmapped: Effect.Effect<number, PayoutRefused | StoreUnavailable> = Effect.fail(new PayoutRefused({ message: "no" }))
const mapped: Effect.Effect<number, ReceiptNotFound | StoreUnavailable> = Effect.succeed(1)

// Every mapped failure runs through the bridges.
export const fine = [run(mapped), refuseWithHttp(mapped), resultOrThrow(Result.succeed(1) as Result.Result<number, ReceiptNotFound>)]

// @ts-expect-error PayoutRefused has no HTTP answer in edge/http/domain-errors.ts
export const refusedByRun = run(unmapped)
// @ts-expect-error the same through the Effect combinator
export const refusedByCombinator = refuseWithHttp(unmapped)
// @ts-expect-error and through a Result
export const refusedByResult = resultOrThrow(Result.fail(new PayoutRefused({ message: "no" })) as Result.Result<number, PayoutRefused>)

// A mapping that leaves a tag out does not compile either.
const { SigningError: _left, ...withoutSigning } = httpOf
// @ts-expect-error SigningError's answer is missing
export const incomplete: HttpMapping<MappedFailure> = withoutSigning
