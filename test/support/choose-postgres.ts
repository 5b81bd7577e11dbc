/**
 * Which PostgreSQL server the PostgreSQL tests run on (see local-postgres.ts,
 * which `bun test` preloads), and the one line that says so:
 *
 * - TEST_DATABASE_URL set: that server (`none` turns the PostgreSQL tests off).
 * - Unset, and a server answers on 127.0.0.1:5432 as user postgres (as on a
 *   machine of this project's kind, and in CI): that server, database `test`
 *   (made if missing); each test file still works in its own schema.
 * - Unset and no server: the PostgreSQL tests skip; the PGlite tests run.
 */
import postgres from "postgres"

export const LOCAL_SERVER = "postgres://postgres@127.0.0.1:5432"
const LOCAL_DATABASE = "test"

const client = (url: string) => postgres(url, { max: 1, connect_timeout: 2, idle_timeout: 1, onnotice: () => {} })

/** Whether `url` answers a query within two seconds; the reason when it does not. */
const answers = async (url: string): Promise<true | string> => {
  const sql = client(url)
  try {
    await sql`SELECT 1`
    return true
  } catch (e) {
    return (e as Error).message ?? String(e)
  } finally {
    await sql.end({ timeout: 1 }).catch(() => {})
  }
}

const ensureDatabase = async (server: string): Promise<void> => {
  const sql = client(`${server}/postgres`)
  try {
    const found = await sql`SELECT 1 FROM pg_database WHERE datname = ${LOCAL_DATABASE}`
    // Two test processes may race to make it; the loser's "already exists" is fine.
    if (found.length === 0) await sql.unsafe(`CREATE DATABASE ${LOCAL_DATABASE}`).catch(() => {})
  } finally {
    await sql.end({ timeout: 1 }).catch(() => {})
  }
}

const withoutPassword = (url: string) => url.replace(/\/\/([^:@/]+):[^@/]*@/, "//$1:***@")

export const choosePostgres = async (
  given: string | undefined,
  server: string = LOCAL_SERVER
): Promise<{ readonly url: string | undefined; readonly line: string }> => {
  if (given === "none") return { url: undefined, line: "PostgreSQL tests: off (TEST_DATABASE_URL=none); the PGlite tests run." }
  if (given !== undefined && given !== "") return { url: given, line: `PostgreSQL tests: on ${withoutPassword(given)} (TEST_DATABASE_URL).` }
  const reached = await answers(`${server}/postgres`)
  if (reached !== true) {
    return {
      url: undefined,
      line: `PostgreSQL tests: skipped, no server answers at ${server} (${reached}); start PostgreSQL there, or set TEST_DATABASE_URL=postgres://user@host:port/db to run them.`
    }
  }
  await ensureDatabase(server)
  const url = `${server}/${LOCAL_DATABASE}`
  return { url, line: `PostgreSQL tests: on the local server ${url} (set TEST_DATABASE_URL to use another, or to none to skip them).` }
}
