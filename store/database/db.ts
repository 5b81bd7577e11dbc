/**
 * The thin database adapter the store is written against. Two drivers sit
 * behind it, running the same SQL: postgres.js for a PostgreSQL server
 * (`DATABASE_URL`) and embedded PGlite for a single machine. Everything the
 * store needs fits in four operations, so the drivers stay small and the
 * contract tests exercise both the same way.
 *
 * Parameters are always cast in the SQL (`$1::uuid`), and results that the
 * drivers would type differently (int8, timestamptz) are cast to text there
 * too, so both drivers return the same JavaScript values.
 */

export interface QueryOptions {
  /**
   * Keep the statement prepared on its connection and reuse its plan
   * (PostgreSQL; PGlite ignores it). For the hot statements of issuance,
   * whose plan does not depend on their parameters: parsing and planning
   * them took about 0.7 ms a group. Not for queries whose best plan depends
   * on the values (searches), as a reused plan ignores them.
   */
  readonly prepare?: boolean
}

/** Queries inside or outside a transaction. */
export interface Sql {
  readonly query: <Row = Record<string, unknown>>(
    text: string,
    params?: ReadonlyArray<unknown>,
    options?: QueryOptions
  ) => Promise<Array<Row>>
  /**
   * Bulk load with COPY ... FROM STDIN in text format; `data` is already
   * escaped (see copyLine). Given chunks, each is sent as soon as it is
   * ready, so producing rows and loading them overlap.
   */
  readonly copyIn: (table: string, columns: ReadonlyArray<string>, data: string | AsyncIterable<string>) => Promise<void>
  /** Runs a multi-statement script without parameters (migrations). */
  readonly exec: (script: string) => Promise<void>
}

export interface TransactionOptions {
  /**
   * Deadline in milliseconds (PostgreSQL; PGlite runs in-process). Past it the
   * transaction is abandoned and fails as a lost connection: it may or may not
   * have committed, and its connection is closed so the server rolls back
   * whatever it has not committed.
   */
  readonly timeoutMs?: number
}

export interface Db extends Sql {
  readonly driver: "postgres" | "pglite"
  /** Runs `body` in one transaction: commits if it resolves, rolls back if it rejects. */
  readonly transaction: <A>(body: (tx: Sql) => Promise<A>, options?: TransactionOptions) => Promise<A>
  readonly close: () => Promise<void>
  /** The connection pool now, for the metrics (PostgreSQL; PGlite has one in-process connection and no pool). */
  readonly poolState?: () => { readonly total: number; readonly idle: number; readonly waiting: number }
}

const escapeCopy = (value: string): string => value.replace(/[\\\t\n\r]/g, (c) => (c === "\\" ? "\\\\" : c === "\t" ? "\\t" : c === "\n" ? "\\n" : "\\r"))

/** One line of COPY text format: tab-separated, `\N` for null. */
export const copyLine = (values: ReadonlyArray<string | number | null | undefined>): string =>
  values.map((v) => (v === null || v === undefined ? "\\N" : escapeCopy(String(v)))).join("\t") + "\n"

/** SQLSTATE of a database error, when the driver reports one. */
export const sqlState = (error: unknown): string | undefined => {
  const code = (error as { code?: unknown } | null)?.code
  return typeof code === "string" && /^[0-9A-Z]{5}$/.test(code) ? code : undefined
}

/**
 * Whether the connection itself failed (server gone, backend terminated), in
 * which case a COMMIT in flight may or may not have happened.
 */
export const isConnectionLoss = (error: unknown): boolean => {
  const code = (error as { code?: unknown } | null)?.code
  if (typeof code !== "string") return false
  return code.startsWith("CONNECTION_") || code === "ECONNRESET" || code === "EPIPE" || code === "ECONNREFUSED" ||
    code.startsWith("08") || code === "57P01" || code === "57P02" || code === "57P03"
}

export const errorMessage = (error: unknown): string => (error instanceof Error ? error.message : String(error))
