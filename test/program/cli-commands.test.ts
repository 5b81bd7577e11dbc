/**
 * `bienlai --help` lists every file of jobs/cli/ as a command (jobs/bin/bienlai.ts),
 * so that folder may hold commands only: each file exports a one-line `summary`
 * and `run`. A helper module left there showed up in the help as "undefined"
 * and could be "run" as a command that is none.
 */
import { describe, expect, test } from "bun:test"
import { readdirSync } from "node:fs"
import { fileURLToPath } from "node:url"

const cliDir = fileURLToPath(new URL("../../jobs/cli/", import.meta.url))

describe("jobs/cli/ holds commands only", () => {
  const files = readdirSync(cliDir).filter((f) => f.endsWith(".ts"))

  test("there are commands", () => {
    expect(files.length).toBeGreaterThan(10)
  })

  for (const file of files) {
    test(`${file} is a command: a one-line summary and run`, async () => {
      const module = (await import(new URL(`../../jobs/cli/${file}`, import.meta.url).href)) as Record<string, unknown>
      expect(typeof module["summary"]).toBe("string")
      expect(String(module["summary"]).length).toBeGreaterThan(5)
      expect(String(module["summary"])).not.toContain("\n")
      expect(typeof module["run"]).toBe("function")
    })
  }
})
