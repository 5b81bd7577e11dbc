/**
 * A transaction whose body answers with a Result: committed when it
 * succeeds, rolled back when it fails, and the failure handed back as a
 * value. `Db.transaction` rolls back only on a rejection, so the rejection
 * is made here, once, with a private wrapper that never leaves this
 * function; callers branch on the Result instead of catching their own
 * exceptions. Database errors (a refused statement, a lost connection) still
 * reject, as from `Db.transaction`.
 */
import { Result } from "effect"
import type { Db, Sql, TransactionOptions } from "./db.ts"

class RolledBack<E> {
  readonly failure: Result.Result<never, E>
  constructor(failure: Result.Result<never, E>) {
    this.failure = failure
  }
}

export const transactionResult = async <A, E>(
  db: Db,
  body: (tx: Sql) => Promise<Result.Result<A, E>>,
  options?: TransactionOptions
): Promise<Result.Result<A, E>> => {
  try {
    return await db.transaction(async (tx) => {
      const result = await body(tx)
      if (Result.isFailure(result)) throw new RolledBack(Result.fail(result.failure))
      return result
    }, options)
  } catch (error) {
    if (error instanceof RolledBack) return error.failure as Result.Result<never, E>
    throw error
  }
}
