/**
 * The PostgreSQL driver (postgres.js). A `schema` option puts every table of
 * this connection pool in its own schema through `search_path`, which is how
 * each test run gets a private, disposable database.
 *
 * Transactions do not use postgres.js's `begin()`. When the server drops a
 * connection mid-transaction (pg_terminate_backend, a failover, a proxy),
 * postgres.js 3.4.9 keeps writing to that connection: `begin()` sends its own
 * ROLLBACK, which lands on a socket that is already gone, throws an
 * uncatchable TypeError from a setImmediate callback ("socket.write" on
 * null) and leaves the connection's write buffer stuck, so later queries on
 * it hang (porsager/postgres#1066, #1208; Node and Bun alike). Instead each
 * transaction runs on a "lane": a one-connection pool whose `onclose` marks
 * it lost. Nothing is written to a lost lane, it is discarded and a fresh
 * one replaces it, and every transaction has a deadline after which it is
 * treated as a lost connection too. Single statements run on lanes as well:
 * a pooled postgres.js connection that reconnects after being killed
 * mid-query can hand the rows it had already received to the next query
 * (docs/STORAGE.md).
 */
import { once } from "node:events"
import { finished } from "node:stream/promises"
import postgres from "postgres"
import type { Db, QueryOptions, Sql, TransactionOptions } from "./db.ts"

export interface PostgresOptions {
  readonly url: string
  /** Most connections open at once (one per transaction or statement in flight). */
  readonly max?: number
  readonly schema?: string
  readonly applicationName?: string
  /** Default deadline of a transaction, in milliseconds (60 s). */
  readonly transactionTimeoutMs?: number
}

/** The connection failed or the deadline passed: a COMMIT in flight may or may not have happened. */
export class ConnectionLost extends Error {
  readonly code: "CONNECTION_LOST" | "CONNECTION_TIMEOUT"
  constructor(code: "CONNECTION_LOST" | "CONNECTION_TIMEOUT", message: string) {
    super(message)
    this.code = code
  }
}

type Client = postgres.Sql

const plain = (client: Client): Sql => ({
  query: async <Row,>(text: string, params: ReadonlyArray<unknown> = [], options: QueryOptions = {}) =>
    (await client.unsafe(text, params as Array<postgres.ParameterOrJSON<never>>, { prepare: options.prepare === true })) as unknown as Array<Row>,
  copyIn: async (table, columns, data) => {
    const stream = await client.unsafe(`COPY ${table} (${columns.join(", ")}) FROM STDIN`).writable()
    try {
      if (typeof data === "string") stream.end(data)
      else {
        for await (const chunk of data) {
          if (!stream.write(chunk)) await once(stream, "drain")
        }
        stream.end()
      }
      await finished(stream)
    } catch (error) {
      // Sends CopyFail, so the server ends the COPY and the transaction rolls back.
      stream.on("error", () => {})
      stream.destroy(error instanceof Error ? error : new Error(String(error)))
      throw error
    }
  },
  exec: async (script) => {
    await client.unsafe(script).simple()
  }
})

interface Lane {
  readonly sql: Client
  /** Rejects when the connection closes: a statement in flight then may never settle by itself. */
  readonly closed: Promise<never>
  /** The statements in flight, told when the connection closes (see `settled`). */
  readonly inFlight: Set<(error: ConnectionLost) => void>
  lost: boolean
  discarded: boolean
}

const noop = () => {}

export const openPostgres = (options: PostgresOptions): Db => {
  const max = options.max ?? 10
  const defaultTimeout = options.transactionTimeoutMs ?? 60_000
  const connection: Record<string, string> = {
    application_name: options.applicationName ?? "bienlai",
    // If this process vanishes mid-transaction, the server ends the transaction and frees its locks.
    idle_in_transaction_session_timeout: String(defaultTimeout + 5_000),
    // ... and notices within a second when a client that gave up on a long statement has gone (PostgreSQL 14+).
    client_connection_check_interval: "1000",
    // Short statements only: compiling one took 15 ms when stale statistics
    // made its estimate look large (store/migrations/0106_*.sql).
    jit: "off"
  }
  if (options.schema !== undefined) connection["search_path"] = options.schema
  const common = {
    onnotice: () => {},
    connection,
    // Time and int8 come back as text (see db.ts), so no type parsing is needed.
    fetch_types: false,
    connect_timeout: 10,
    max_lifetime: null
  }

  // Lanes: one connection each, at most `max`, reused while healthy.
  const idle: Array<Lane> = []
  const waiting: Array<(lane: Lane) => void> = []
  const all = new Set<Lane>()
  const endings: Array<Promise<void>> = []

  const openLane = (): Lane => {
    let fail: (error: ConnectionLost) => void = noop
    const closed = new Promise<never>((_, reject) => (fail = reject))
    closed.catch(noop)
    const onclose = () => {
      lane.lost = true
      const lost = new ConnectionLost("CONNECTION_LOST", "the database connection was lost")
      fail(lost)
      for (const reject of lane.inFlight) reject(lost)
    }
    const lane: Lane = { sql: postgres(options.url, { ...common, max: 1, onclose }), closed, inFlight: new Set(), lost: false, discarded: false }
    all.add(lane)
    return lane
  }
  const discard = (lane: Lane) => {
    if (lane.discarded) return
    lane.discarded = true
    lane.lost = true
    all.delete(lane)
    endings.push(lane.sql.end({ timeout: 0 }).catch(noop))
  }
  const acquire = (): Promise<Lane> => {
    for (let lane = idle.pop(); lane !== undefined; lane = idle.pop()) {
      if (!lane.lost) return Promise.resolve(lane)
      discard(lane)
    }
    if (all.size < max) return Promise.resolve(openLane())
    return new Promise((resolve) => waiting.push(resolve))
  }
  const release = (lane: Lane) => {
    if (lane.lost) discard(lane)
    const next = waiting.shift()
    if (next === undefined) {
      if (!lane.lost) idle.push(lane)
      return
    }
    next(lane.lost ? openLane() : lane)
  }

  /** Statements of one transaction; refuses to write to a lane whose connection is gone. */
  const onLane = (lane: Lane): Sql => {
    const guard = () => {
      if (lane.lost) throw new ConnectionLost("CONNECTION_LOST", "the database connection was lost during the transaction")
    }
    const inner = plain(lane.sql)
    // postgres.js settles a statement in flight when its connection closes
    // with an error event, but not always when the socket just closes (seen
    // on Bun after pg_terminate_backend); the lane's own signal settles it.
    // Not Promise.race with lane.closed: every race leaves a reaction on that
    // long-lived promise holding the statement's result, so a lane kept every
    // result it ever returned (1.4 GB after a million reconciled credits).
    const settled = <A,>(run: () => Promise<A>): Promise<A> => {
      guard()
      return new Promise<A>((resolve, reject) => {
        lane.inFlight.add(reject)
        run().then(resolve, reject).finally(() => lane.inFlight.delete(reject))
      })
    }
    return {
      query: (text, params, queryOptions) => settled(() => inner.query(text, params, queryOptions)),
      copyIn: (table, columns, data) => settled(() => inner.copyIn(table, columns, data)),
      exec: (script) => settled(() => inner.exec(script))
    }
  }

  /**
   * A deadline on a lane: past `timeoutMs`, its connection is closed (the
   * server then rolls back whatever it has not committed) and the returned
   * promise rejects as a lost connection, whatever the work is doing.
   */
  const deadlineFor = (lane: Lane, timeoutMs: number, what: string) => {
    let timer: ReturnType<typeof setTimeout> | undefined
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        discard(lane)
        reject(new ConnectionLost("CONNECTION_TIMEOUT", `${what} took longer than ${timeoutMs} ms and was abandoned`))
      }, timeoutMs)
    })
    expired.catch(noop)
    return { expired, clear: () => clearTimeout(timer) }
  }

  const transaction = async <A,>(body: (tx: Sql) => Promise<A>, txOptions: TransactionOptions = {}): Promise<A> => {
    const lane = await acquire()
    const tx = onLane(lane)
    const deadline = deadlineFor(lane, txOptions.timeoutMs ?? defaultTimeout, "the transaction")
    const work = (async () => {
      // BEGIN goes out with the body's first statement, in the same packet.
      const begun = tx.query("BEGIN")
      begun.catch(noop)
      const result = await body(tx)
      await begun
      await tx.query("COMMIT")
      return result
    })()
    work.catch(noop)
    try {
      return await Promise.race([work, deadline.expired])
    } catch (error) {
      if (!lane.lost) await Promise.race([tx.query("ROLLBACK"), deadline.expired]).catch(() => discard(lane))
      throw error
    } finally {
      deadline.clear()
      release(lane)
    }
  }

  /** A statement on its own (autocommit), on a lane like any transaction, with the same deadline. */
  const single = async <A,>(run: (sql: Sql) => Promise<A>): Promise<A> => {
    const lane = await acquire()
    const deadline = deadlineFor(lane, defaultTimeout, "the statement")
    const work = run(onLane(lane))
    work.catch(noop)
    try {
      return await Promise.race([work, deadline.expired])
    } finally {
      deadline.clear()
      release(lane)
    }
  }

  return {
    driver: "postgres",
    query: (text, params, queryOptions) => single((s) => s.query(text, params, queryOptions)),
    copyIn: (table, columns, data) => single((s) => s.copyIn(table, columns, data)),
    exec: (script) => single((s) => s.exec(script)),
    transaction,
    poolState: () => ({ total: all.size, idle: idle.length, waiting: waiting.length }),
    close: async () => {
      idle.length = 0
      await Promise.all([...[...all].map((lane) => lane.sql.end({ timeout: 5 })), ...endings])
    }
  }
}
