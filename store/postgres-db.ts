/**
 * The PostgreSQL driver (postgres.js). A `schema` option puts every table of
 * this connection pool in its own schema through `search_path`, which is how
 * each test run gets a private, disposable database.
 */
import { finished } from "node:stream/promises"
import postgres from "postgres"
import type { Db, Sql } from "./db.ts"

export interface PostgresOptions {
  readonly url: string
  /** Pool size; group issuance needs few connections, bulk jobs one each. */
  readonly max?: number
  readonly schema?: string
  readonly applicationName?: string
}

type Client = postgres.Sql | postgres.TransactionSql

const wrap = (client: Client): Sql => ({
  query: async <Row,>(text: string, params: ReadonlyArray<unknown> = []) =>
    (await client.unsafe(text, params as Array<postgres.ParameterOrJSON<never>>)) as unknown as Array<Row>,
  copyIn: async (table, columns, data) => {
    const stream = await client.unsafe(`COPY ${table} (${columns.join(", ")}) FROM STDIN`).writable()
    stream.end(data)
    await finished(stream)
  },
  exec: async (script) => {
    await client.unsafe(script).simple()
  }
})

export const openPostgres = (options: PostgresOptions): Db => {
  const connection: Record<string, string> = { application_name: options.applicationName ?? "bienlai" }
  if (options.schema !== undefined) connection["search_path"] = options.schema
  const sql = postgres(options.url, {
    max: options.max ?? 10,
    onnotice: () => {},
    connection,
    // Time and int8 come back as text (see db.ts), so no type parsing is needed.
    fetch_types: false
  })
  return {
    driver: "postgres",
    ...wrap(sql),
    transaction: async <A,>(body: (tx: Sql) => Promise<A>) => (await sql.begin((tx) => body(wrap(tx)))) as A,
    close: () => sql.end({ timeout: 5 })
  }
}
