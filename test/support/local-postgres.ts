/**
 * Preloaded by `bun test` (bunfig.toml): chooses the PostgreSQL server of the
 * PostgreSQL tests (choose-postgres.ts) and says which in one line. The choice
 * goes into TEST_DATABASE_URL before any test file reads it
 * (test/store/databases.ts), and so into the programs the tests start.
 */
import { choosePostgres } from "./choose-postgres.ts"

const chosen = await choosePostgres(process.env["TEST_DATABASE_URL"])
if (chosen.url === undefined) delete process.env["TEST_DATABASE_URL"]
else process.env["TEST_DATABASE_URL"] = chosen.url
console.error(chosen.line)
