/**
 * The embedded driver (PGlite): PostgreSQL compiled to WebAssembly, running
 * in this process with its data under a directory. One connection, so
 * transactions queue behind each other; the SQL is the same as on a server.
 */
import { PGlite } from "@electric-sql/pglite"
import type { Db, Sql } from "./db.ts"

interface PgliteLike {
  readonly query: <Row>(text: string, params?: Array<unknown>, options?: { blob?: Blob }) => Promise<{ rows: Array<Row> }>
  readonly exec: (script: string) => Promise<unknown>
}

const wrap = (client: PgliteLike): Sql => ({
  query: async <Row,>(text: string, params: ReadonlyArray<unknown> = []) =>
    (await client.query<Row>(text, [...params])).rows,
  copyIn: async (table, columns, data) => {
    const parts: Array<string> = []
    if (typeof data === "string") parts.push(data)
    else for await (const chunk of data) parts.push(chunk)
    await client.query(`COPY ${table} (${columns.join(", ")}) FROM '/dev/blob'`, [], { blob: new Blob(parts) })
  },
  exec: async (script) => {
    await client.exec(script)
  }
})

/** `dataDir` undefined means in memory (tests). */
export const openPglite = async (dataDir?: string): Promise<Db> => {
  const pg = dataDir === undefined ? new PGlite() : new PGlite(dataDir)
  await pg.waitReady
  return {
    driver: "pglite",
    ...wrap(pg as unknown as PgliteLike),
    transaction: (body, _options) => pg.transaction((tx) => body(wrap(tx as unknown as PgliteLike))),
    close: () => pg.close()
  }
}
