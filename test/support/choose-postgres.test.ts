/** Which PostgreSQL the tests use without a setting, and the line that says so. */
import { describe, expect, test } from "bun:test"
import { choosePostgres } from "./choose-postgres.ts"

describe("the PostgreSQL server of the tests", () => {
  test("TEST_DATABASE_URL wins, and its password is not printed", async () => {
    const chosen = await choosePostgres("postgres://app:s3cret@db.example:5433/x")
    expect(chosen.url).toBe("postgres://app:s3cret@db.example:5433/x")
    expect(chosen.line).toBe("PostgreSQL tests: on postgres://app:***@db.example:5433/x (TEST_DATABASE_URL).")
  })

  test("none turns them off", async () => {
    expect(await choosePostgres("none")).toEqual({ url: undefined, line: "PostgreSQL tests: off (TEST_DATABASE_URL=none); the PGlite tests run." })
  })

  test("without a setting and without a server: skipped at once, with one line saying how to run them", async () => {
    const started = performance.now()
    const chosen = await choosePostgres(undefined, "postgres://postgres@127.0.0.1:1")
    expect(chosen.url).toBeUndefined()
    expect(chosen.line).toStartWith("PostgreSQL tests: skipped, no server answers at postgres://postgres@127.0.0.1:1 (")
    expect(chosen.line).toContain("set TEST_DATABASE_URL=postgres://user@host:port/db to run them")
    expect(performance.now() - started).toBeLessThan(5_000)
  })
})
