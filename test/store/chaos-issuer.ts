/**
 * One "server process" of the concurrency test: issues receipts from many
 * concurrent issuers through its own pool while the test kills its backends,
 * then prints what it was told on stdout as JSON. Run by concurrency.test.ts.
 *
 * Any uncaught exception fails the run: postgres.js 3.4.9 throws one from a
 * timer when a transaction keeps writing to a terminated connection
 * (porsager/postgres#1208), and the store must never let that happen.
 */
import { Effect, Result } from "effect"
import { openPostgres } from "../../store/database/postgres-db.ts"
import { withReservedRange } from "../../store/receipts/range-issuance.ts"
import { makeReceiptStore } from "../../store/receipts/receipt-repository.ts"
import { makeDraft, requestFor } from "./fixtures.ts"
import { makeTestSigner } from "./test-signer.ts"

process.on("uncaughtException", (error) => {
  console.error("uncaught exception in a chaos issuer:", error)
  process.exit(3)
})

const [url, schema, applicationName, issuersArg, roundsArg, offsetArg] = process.argv.slice(2)
const issuers = Number(issuersArg)
const rounds = Number(roundsArg)
const offset = Number(offsetArg)
const symbols = ["AA/25E", "AB/25E", "AC/25E"]

const db = openPostgres({ url: url as string, schema: schema as string, applicationName: applicationName as string, max: 6 })
const keys = await makeTestSigner()
// A short deadline, so that a hang would show up as failures rather than a stuck test.
// The second process keeps two groups per series in flight, so that way is tested under fire too.
const store = makeReceiptStore(db, keys.sign, { transactionTimeoutMs: 5_000, maxInFlight: offset === 0 ? 1 : 2 })
const successes: Array<[string, string, number]> = []
let aborted = 0
let refused = 0
let unavailable = 0

await Promise.all(Array.from({ length: issuers }, async (_, i) => {
  const issuer = i + offset
  for (let round = 0; round < rounds; round++) {
    const series = { form: "01-BLTHADS", symbol: symbols[(issuer + round) % symbols.length] as string }
    const kind = (issuer * 7 + round) % 10
    if (kind === 0) {
      // Abort on purpose after taking a number: nothing may be consumed.
      await withReservedRange(db, { agency: "HCM", ...series }, 1, async () => {
        throw new Error("abort on purpose")
      }).catch(() => aborted++)
      continue
    }
    const request = requestFor(makeDraft({ series }), kind === 1 ? { approver: "lan.nguyen" } : {})
    const r = await Effect.runPromise(Effect.result(store.issue(request)))
    if (Result.isSuccess(r)) successes.push([series.symbol, r.success.id, r.success.number])
    else if (r.failure._tag === "StoreUnavailable") unavailable++
    else refused++
  }
}))
await db.close()
console.log(JSON.stringify({ successes, aborted, refused, unavailable }))
process.exit(0)
